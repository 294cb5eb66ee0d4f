#!/usr/bin/env python3
"""The Python example worker: three methods on warmpool_worker.py (standard library only, Python 3.8+).

  echo    any params -> the same params
  upper   {"text": "abc"} -> "ABC"
  slow    {"ms": 250} -> {"sleptMs": 250} after 250 ms, with $/progress every 100 ms; cancellable

warmpool_worker does the protocol (docs/PROTOCOL.md): the handshake, $/ping, $/cancelRequest, both
framings, errors. Copy both files and replace the methods.

Run by a pool as:  python3 examples/python/worker.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # warmpool_worker.py lives beside this file

from warmpool_worker import InvalidParams, Worker  # noqa: E402

worker = Worker("python-example")


@worker.method
def echo(params):
    return params


@worker.method
def upper(params):
    text = params.get("text") if isinstance(params, dict) else None
    if not isinstance(text, str):
        raise InvalidParams('upper needs params {"text": <string>}')
    return text.upper()


@worker.method
def slow(params, ctx):
    ms = params.get("ms") if isinstance(params, dict) else None
    if isinstance(ms, float) and ms.is_integer():
        ms = int(ms)
    if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
        raise InvalidParams('slow needs params {"ms": <whole number, at least 0>}')
    start = time.monotonic()
    while True:
        slept = int((time.monotonic() - start) * 1000)
        ctx.progress({"sleptMs": min(slept, ms), "ms": ms})
        if slept >= ms:
            return {"sleptMs": ms}
        ctx.sleep(min(ms - slept, 100) / 1000.0)  # raises Cancelled when the pool cancels the request


if __name__ == "__main__":
    worker.serve()
