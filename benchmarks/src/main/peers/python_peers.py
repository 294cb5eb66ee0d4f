"""Drives a Python worker pool for the peers benchmark and prints what it measured as one JSON line.

  python3 python_peers.py PEER PAYLOAD latency WARMUP TIMED
  python3 python_peers.py PEER PAYLOAD throughput WORKERS CALLERS WARMUP_MS MEASURE_MS

PEER is process-pool-executor (concurrent.futures.ProcessPoolExecutor) or multiprocessing-pool
(multiprocessing.Pool); PAYLOAD the JSON every call sends (and gets back). latency: one caller,
WARMUP calls, then TIMED calls each timed with time.perf_counter_ns(); prints {"latenciesNs": [...]}.
throughput: a pool of WORKERS, CALLERS threads each calling again as soon as it has its answer,
WARMUP_MS of warm-up, then the answers of MEASURE_MS counted; prints {"requests": n, "seconds": s}.
"""

import concurrent.futures
import json
import multiprocessing
import platform
import sys
import threading
import time


def echo(payload):
    return payload


def open_pool(peer, workers):
    """Returns (call, close)."""
    if peer == "process-pool-executor":
        executor = concurrent.futures.ProcessPoolExecutor(workers)
        return (lambda p: executor.submit(echo, p).result()), executor.shutdown
    if peer == "multiprocessing-pool":
        pool = multiprocessing.Pool(workers)

        def close():
            pool.close()
            pool.join()
        return (lambda p: pool.apply(echo, (p,))), close
    raise SystemExit("unknown peer '%s': expected process-pool-executor or multiprocessing-pool" % peer)


def latency(call, payload, warmup, timed):
    clock = time.perf_counter_ns
    for _ in range(warmup):
        call(payload)
    ns = [0] * timed
    for i in range(timed):
        start = clock()
        call(payload)
        ns[i] = clock() - start
    return {"latenciesNs": ns}


def throughput(call, payload, callers, warmup_ms, measure_ms):
    state = {"counting": False, "stop": False}
    counts = [0] * callers

    def caller(i):
        while not state["stop"]:
            call(payload)
            if state["counting"]:
                counts[i] += 1
    threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(callers)]
    for t in threads:
        t.start()
    time.sleep(warmup_ms / 1000.0)
    state["counting"] = True
    start = time.perf_counter_ns()
    time.sleep(measure_ms / 1000.0)
    state["counting"] = False
    seconds = (time.perf_counter_ns() - start) / 1e9
    state["stop"] = True
    for t in threads:
        t.join()
    return {"requests": sum(counts), "seconds": seconds}


def main():
    peer, payload_text, mode = sys.argv[1:4]
    payload = json.loads(payload_text)
    n = [int(a) for a in sys.argv[4:]]
    call, close = open_pool(peer, 1 if mode == "latency" else n[0])
    try:
        if call(payload) != payload:
            raise SystemExit("%s did not answer with the payload" % peer)
        if mode == "latency":
            result = latency(call, payload, n[0], n[1])
        elif mode == "throughput":
            result = throughput(call, payload, n[1], n[2], n[3])
        else:
            raise SystemExit("unknown mode '%s': expected latency or throughput" % mode)
    finally:
        close()
    result.update({"peer": peer, "version": "Python %s (%s start)" % (platform.python_version(),
                                                                     multiprocessing.get_start_method()),
                   "runtime": "python %s" % platform.python_version()})
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
