"""The plainest inline Python warmpool worker: one thread, json, answer, flush. No cancellation, no
ping, no error handling: the yardstick warmpool_worker.py is held against."""

import json
import sys


def main():
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        m = json.loads(line)
        if "id" not in m:
            continue
        if m["method"] == "$/initialize":
            result = {"protocolVersion": 1, "capabilities": {}, "name": "plain-python"}
        else:
            result = m.get("params")
        out.write(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": result}).encode("utf-8") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
