"""The worker the conformance tests (WorkerLibraryConformance.java) run: warmpool_worker.py with the
methods the JSON-RPC 2.0 specification's section 7 examples assume, and a few that exercise the
library (long, CPU-bound, threaded, failing, too large, noisy)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))

from warmpool_worker import RpcError, Worker  # noqa: E402

worker = Worker("spec")
notified = []


@worker.method
def subtract(params):
    if isinstance(params, list):
        return params[0] - params[1]
    return params["minuend"] - params["subtrahend"]


@worker.method
def sum(params):  # noqa: A001 - the specification's name
    total = 0
    for n in params:
        total += n
    return total


@worker.method
def update(params):
    notified.append("update %s" % params)


@worker.method
def notify_hello(params):
    notified.append("notify_hello %s" % params)


@worker.method
def notify_sum(params):
    notified.append("notify_sum %s" % params)


@worker.method
def get_data(params):
    return ["hello", 5]


@worker.method("take-notified")
def take_notified(params):
    """The notifications handled since the last call, in order (and forgets them)."""
    taken = list(notified)
    del notified[:]
    return taken


@worker.method
def sleep(params, ctx):
    """Sleeps params.ms, cancellably."""
    ctx.sleep(params["ms"] / 1000.0)
    return {"slept": params["ms"]}


@worker.method
def spin(params, ctx):
    """Computes until cancelled, never blocking: the standby reader must see the cancellation."""
    n = 0
    while not ctx.cancelled:
        n += 1
    return {"spun": n}


@worker.method(threaded=True)
def background(params, ctx):
    """Sleeps params.ms on a thread of its own."""
    ctx.sleep(params["ms"] / 1000.0)
    return {"slept": params["ms"]}


@worker.method
def fail(params):
    return 1 // 0


@worker.method
def refuse(params):
    raise RpcError(-31000, "refused", {"why": "asked to"})


@worker.method
def big(params):
    return "x" * params["chars"]


@worker.method
def noisy(params):
    print("a stray line that must not reach stdout")
    return "quiet"


@worker.method
def progress(params, ctx):
    for i in range(params["n"]):
        ctx.progress({"step": i})
    return "done"


if __name__ == "__main__":
    worker.serve()
