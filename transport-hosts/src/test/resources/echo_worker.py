"""Test fixture: the smallest JSON-RPC worker warmpool accepts (newline framing): $/initialize, $/ping, echo, pid."""
import json
import os
import sys

for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    if "id" not in msg:
        continue
    method = msg.get("method")
    if method == "$/initialize":
        result = {"protocolVersion": 1, "capabilities": {}, "name": "echo-worker"}
    elif method == "$/ping":
        result = {}
    elif method == "pid":
        result = os.getpid()
    else:
        result = msg.get("params")
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\n")
    sys.stdout.flush()
