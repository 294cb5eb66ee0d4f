#!/usr/bin/env python3
"""A complete minimal warmpool worker in Python: standard library only, Python 3.8+.

It speaks warmpool's worker protocol (docs/PROTOCOL.md): JSON-RPC 2.0 frames on stdin and stdout,
one JSON value per line (or LSP Content-Length framing when WARMPOOL_FRAMING=content-length).

  $/initialize        answered with {"protocolVersion": 1, "capabilities": {...}, "name": ...}
  $/ping              answered with {}
  $/cancelRequest     (a notification) cancels the running request it names; that request is
                      then answered with error -32800 "request cancelled"
  echo                any params -> the same params
  upper               {"text": "abc"} -> "ABC"
  slow                {"ms": 250} -> {"sleptMs": 250} after 250 ms, sending $/progress every 100 ms;
                      honours $/cancelRequest

An unknown method gets -32601, bad params get -32602, a notification (no "id") other than
$/cancelRequest is ignored and never answered, a batch (a JSON array) gets an array of answers.
Each request runs on its own thread, so stdin -- and with it $/cancelRequest -- keeps being read
while a method works. stdout carries frames only: anything printed goes to stderr, which the pool
keeps for its logs. At end-of-file on stdin the worker answers what still runs, then exits.

Run by a pool as:  python3 -u examples/python/worker.py
"""

import json
import os
import sys
import threading
import time

NAME = "python-example"
PROTOCOL_VERSION = 1

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
REQUEST_CANCELLED = -32800

HEADER_LIMIT = 8192  # the longest Content-Length header line accepted


def log(message):
    """Logs to stderr: the pool drains it into its log and keeps the tail for crash reports."""
    sys.stderr.write("[%s %d] %s\n" % (NAME, os.getpid(), message))
    sys.stderr.flush()


class RpcError(Exception):
    """Raised by a method to answer with a JSON-RPC error."""

    def __init__(self, code, message, data=None):
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.data = data


class Cancelled(Exception):
    """Raised inside a method whose request was cancelled."""


class FrameTooLarge(Exception):
    def __init__(self, size, limit):
        Exception.__init__(self, "frame of %d bytes, more than the limit of %d bytes" % (size, limit))
        self.size = size
        self.limit = limit


# ---------------------------------------------------------------------------------------- framing

class Wire:
    """Reads frames from stdin and writes frames to stdout, in the framing the pool chose."""

    def __init__(self, stdin, stdout, framing, limit):
        self.stdin = stdin
        self.stdout = stdout
        self.framing = framing
        self.limit = limit
        self.first = True
        self.write_lock = threading.Lock()
        self.broken = False

    def read(self):
        """Returns the next frame as bytes, or None at end-of-file; raises FrameTooLarge."""
        if self.framing == "content-length":
            return self._read_content_length()
        return self._read_line()

    def _read_line(self):
        while True:
            # limit + 2: room for the frame, an optional "\r" and the "\n"
            line = self.stdin.readline(self.limit + 2)
            if not line:
                return None
            if self.first:
                self.first = False
                if line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
            if not line.endswith(b"\n"):
                if len(line) < self.limit + 2:
                    log("stdin ended in the middle of a frame; %d bytes dropped" % len(line))
                    return None
                size = len(line)
                while not line.endswith(b"\n"):  # skip the rest of the oversized line
                    line = self.stdin.readline(65536)
                    if not line:
                        break
                    size += len(line)
                if line.endswith(b"\n"):
                    size -= 2 if line.endswith(b"\r\n") else 1
                raise FrameTooLarge(size, self.limit)
            frame = line[:-1]
            if frame.endswith(b"\r"):
                frame = frame[:-1]
            if len(frame) > self.limit:
                raise FrameTooLarge(len(frame), self.limit)
            if frame.strip():
                return frame

    def _read_content_length(self):
        length = None
        while True:
            line = self.stdin.readline(HEADER_LIMIT)
            if not line:
                return None
            line = line.strip()
            if not line:
                if length is not None:
                    break
                continue  # blank lines before a header block
            name, _, value = line.decode("ascii", "replace").partition(":")
            if name.strip().lower() == "content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    length = -1
                if length < 0:
                    raise ValueError("bad Content-Length header: %r" % line)
        if length > self.limit:
            remaining = length
            while remaining > 0:
                chunk = self.stdin.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise FrameTooLarge(length, self.limit)
        body = self.stdin.read(length)
        if len(body) < length:
            log("stdin ended in the middle of a frame; %d bytes dropped" % len(body))
            return None
        return body

    def write(self, message):
        """Writes one message as one frame; safe to call from any thread."""
        rid = message.get("id") if isinstance(message, dict) else None
        try:
            # ensure_ascii (the default) keeps the frame valid UTF-8 whatever the strings hold;
            # allow_nan=False keeps it JSON (a huge number such as 1e400 is read as infinity)
            data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
        except ValueError as e:
            data = json.dumps(error_response(rid, INTERNAL_ERROR, "the answer cannot be written as JSON: %s" % e),
                              separators=(",", ":")).encode("utf-8")
        if len(data) > self.limit:
            data = json.dumps(error_response(
                rid, INTERNAL_ERROR,
                "the answer is %d bytes, more than the frame limit of %d bytes" % (len(data), self.limit),
                {"size": len(data), "limit": self.limit}), separators=(",", ":")).encode("utf-8")
        if self.framing == "content-length":
            data = b"Content-Length: %d\r\n\r\n" % len(data) + data
        else:
            data += b"\n"
        with self.write_lock:
            if self.broken:
                return
            try:
                self.stdout.write(data)
                self.stdout.flush()
            except (BrokenPipeError, OSError) as e:
                self.broken = True  # nobody reads our answers any more
                log("cannot write to stdout any more: %s" % e)


def error_response(rid, code, message, data=None):
    error = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"jsonrpc": "2.0", "id": rid, "error": error}


def result_response(rid, result):
    return {"jsonrpc": "2.0", "id": rid, "result": result}


# ---------------------------------------------------------------------------------------- methods

class Context:
    """What a method knows about its request: its id, whether it was cancelled, how to notify."""

    def __init__(self, worker, rid):
        self.worker = worker
        self.id = rid
        self.cancelled = threading.Event()

    def progress(self, value):
        self.worker.wire.write({"jsonrpc": "2.0", "method": "$/progress",
                                "params": {"id": self.id, "value": value}})

    def sleep(self, seconds):
        """Sleeps, or raises Cancelled as soon as the request is cancelled."""
        if self.cancelled.wait(seconds):
            raise Cancelled()


def echo(params, ctx):
    return params


def upper(params, ctx):
    text = params.get("text") if isinstance(params, dict) else None
    if not isinstance(text, str):
        raise RpcError(INVALID_PARAMS, 'upper needs params {"text": <string>}')
    return text.upper()


def slow(params, ctx):
    ms = params.get("ms") if isinstance(params, dict) else None
    if isinstance(ms, float) and ms.is_integer():
        ms = int(ms)
    if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
        raise RpcError(INVALID_PARAMS, 'slow needs params {"ms": <whole number, at least 0>}')
    start = time.monotonic()
    while True:
        slept = int((time.monotonic() - start) * 1000)
        ctx.progress({"sleptMs": min(slept, ms), "ms": ms})
        if slept >= ms:
            return {"sleptMs": ms}
        ctx.sleep(min(ms - slept, 100) / 1000.0)


METHODS = {"echo": echo, "upper": upper, "slow": slow}


# ---------------------------------------------------------------------------------------- dispatch

class Worker:
    def __init__(self, wire):
        self.wire = wire
        self.lock = threading.Lock()
        self.running = {}  # json.dumps(id) -> Context of each request whose method runs
        self.threads = set()

    def serve(self):
        while True:
            try:
                frame = self.wire.read()
            except FrameTooLarge as e:
                log("skipped a request: %s" % e)
                self.wire.write(error_response(None, INVALID_REQUEST, "Invalid Request",
                                               {"size": e.size, "limit": e.limit}))
                continue
            except ValueError as e:  # Content-Length framing cannot find the next frame after this
                self.wire.write(error_response(None, PARSE_ERROR, "Parse error", str(e)))
                log("cannot read stdin any more: %s" % e)
                break
            if frame is None:
                break
            self.on_frame(frame)
        self.at_eof()

    def at_eof(self):
        """stdin is closed: answer what still runs, then exit (the pool's stop sequence sends
        SIGTERM to a worker that takes longer than its grace)."""
        with self.lock:
            threads = list(self.threads)
        for t in threads:
            t.join()

    def on_frame(self, frame):
        try:
            message = json.loads(frame.decode("utf-8"), parse_constant=reject_constant)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            self.wire.write(error_response(None, PARSE_ERROR, "Parse error"))
            return
        if isinstance(message, list):
            if not message:
                self.wire.write(error_response(None, INVALID_REQUEST, "Invalid Request"))
                return
            jobs = [self.accept(m) for m in message]

            def batch():
                answers = [a for a in (job() for job in jobs) if a is not None]
                if answers:  # nothing at all for a batch of notifications
                    self.wire.write(answers)
            self.spawn(batch)
            return
        job = self.accept(message)
        if getattr(job, "inline", False):
            answer = job()
            if answer is not None:
                self.wire.write(answer)
        else:
            self.spawn(lambda: self._answer(job))

    def _answer(self, job):
        answer = job()
        if answer is not None:
            self.wire.write(answer)

    def spawn(self, target):
        def run():
            try:
                target()
            finally:
                with self.lock:
                    self.threads.discard(threading.current_thread())
        t = threading.Thread(target=run, daemon=True)
        with self.lock:
            self.threads.add(t)
        t.start()

    def accept(self, m):
        """Looks at one message on the reading thread; returns a function that makes its answer
        (None for no answer). A request's cancellation is registered here, before its method runs,
        so a $/cancelRequest read right after it always finds it."""
        def answer(value):
            f = lambda: value
            f.inline = True
            return f

        if not valid_request(m):
            return answer(error_response(None, INVALID_REQUEST, "Invalid Request"))
        method = m["method"]
        params = m.get("params")
        notification = "id" not in m
        rid = m.get("id")
        if method == "$/initialize":
            return answer(None if notification else result_response(rid, {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {"cancel": True, "ping": True},
                "name": NAME}))
        if method == "$/ping":
            return answer(None if notification else result_response(rid, {}))
        if method == "$/cancelRequest":
            target = params.get("id") if isinstance(params, dict) else None
            with self.lock:
                ctx = self.running.get(json.dumps(target))
            if ctx is not None:
                ctx.cancelled.set()
            return answer(None if notification else result_response(rid, None))
        if notification:
            return answer(None)  # notifications are never answered; these ask for nothing we do
        handler = METHODS.get(method)
        if handler is None:
            return answer(error_response(rid, METHOD_NOT_FOUND, "Method not found", {"method": method}))
        ctx = Context(self, rid)
        key = json.dumps(rid)
        with self.lock:
            self.running[key] = ctx

        def run():
            try:
                response = result_response(rid, handler(params, ctx))
            except Cancelled:
                response = None
            except RpcError as e:
                response = error_response(rid, e.code, e.message, e.data)
            except Exception as e:  # a bug in a method: say so, keep serving
                log("%s failed: %r" % (method, e))
                response = error_response(rid, INTERNAL_ERROR, str(e) or type(e).__name__,
                                          {"exception": type(e).__name__})
            with self.lock:
                self.running.pop(key, None)
            if ctx.cancelled.is_set():  # once cancelled, the answer is always -32800
                response = error_response(rid, REQUEST_CANCELLED, "request cancelled")
            return response
        return run


def reject_constant(name):
    raise ValueError("%s is not JSON" % name)  # Python's json module would accept NaN and Infinity


def valid_request(m):
    if not isinstance(m, dict) or m.get("jsonrpc") != "2.0" or not isinstance(m.get("method"), str):
        return False
    params = m.get("params")
    if params is not None and not isinstance(params, (dict, list)):
        return False
    rid = m.get("id")
    return rid is None or (isinstance(rid, (str, int, float)) and not isinstance(rid, bool))


def main():
    framing = os.environ.get("WARMPOOL_FRAMING", "newline").strip().lower() or "newline"
    if framing not in ("newline", "content-length"):
        log("WARMPOOL_FRAMING is %r, but must be newline or content-length" % framing)
        return 2
    try:
        limit = int(os.environ.get("WARMPOOL_MAX_FRAME_BYTES", "") or 16 * 1024 * 1024)
    except ValueError:
        limit = 0
    if limit <= 0:
        log("WARMPOOL_MAX_FRAME_BYTES is %r, but must be a positive number of bytes"
            % os.environ.get("WARMPOOL_MAX_FRAME_BYTES"))
        return 2
    frames_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the frames
    log("ready (framing %s, frame limit %d bytes)" % (framing, limit))
    Worker(Wire(sys.stdin.buffer, frames_out, framing, limit)).serve()
    log("stdin closed; exiting")
    return 0


if __name__ == "__main__":
    sys.exit(main())
