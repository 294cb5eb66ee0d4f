"""warmpool_worker: write a warmpool worker in Python. Standard library only, Python 3.8+, one file.

A warmpool worker is a long-lived process that answers JSON-RPC 2.0 requests on its stdin and
stdout (the protocol: docs/PROTOCOL.md). This module does the protocol; you write the methods::

    from warmpool_worker import Worker, InvalidParams

    worker = Worker("greeter")

    @worker.method
    def greet(params):
        if not isinstance(params, dict) or not isinstance(params.get("name"), str):
            raise InvalidParams('greet needs params {"name": <string>}')
        return "hello, " + params["name"]

    @worker.method("slow-sum")
    def slow_sum(params, ctx):          # a second parameter receives the request's Context
        total = 0
        for n in params:
            ctx.sleep(0.1)              # raises Cancelled at once if the pool cancels the request
            total += n
            ctx.progress({"added": n})  # a $/progress notification to the request's listener
        return total

    if __name__ == "__main__":
        worker.serve()

or, with a dict: ``serve({"greet": greet}, name="greeter")``. Copy this file next to your
worker, or put its folder on PYTHONPATH.

What it does for you:

- answers ``$/initialize`` (protocol version 1, capabilities ``cancel`` and ``ping``, the name),
  ``$/ping`` (with ``{}``) and ``$/cancelRequest`` (the request it names is answered with -32800
  "request cancelled", whatever its method returns afterwards);
- runs each method inline, on the thread that read the request: no thread hand-off, so a request
  costs about what the plainest hand-written worker costs. When a method runs longer than a tick
  (50 ms), a standby thread takes over reading stdin until it returns, so ``$/cancelRequest`` and
  ``$/ping`` are still honoured; the standby thread sleeps for good after a second without requests
  and costs nothing while the worker is idle. A method registered with ``threaded=True`` runs on
  a thread of its own instead, for workers whose callers send several requests at once;
- follows JSON-RPC 2.0: ids are echoed as received, notifications are never answered, an unknown
  method gets -32601, a batch gets one array of answers (none for a batch of notifications), an
  empty batch -32600, a frame that is not JSON -32700 with id null, a message that is not a
  request -32600 with id null;
- reads and writes the framing the pool chose (``WARMPOOL_FRAMING``: ``newline`` or
  ``content-length``), never holds more than the frame limit (``WARMPOOL_MAX_FRAME_BYTES``), answers
  a larger incoming frame with -32600 and ``data`` ``{"size": n, "limit": m}``, and answers -32603
  instead of a result too large to send;
- points ``sys.stdout`` at stderr while serving, so a stray ``print`` cannot corrupt the frames;
  log with ``log()`` or ``print`` -- the pool keeps stderr for its logs and crash reports;
- at end-of-file on stdin it answers what still runs, then ``serve()`` returns.

Methods raise ``RpcError(code, message, data)`` (or ``InvalidParams(message)``) to answer with an
error; any other exception is answered with -32603 and its message, and logged. Cancellation is
cooperative: a method sees it through ``ctx.cancelled``, ``ctx.check_cancelled()``,
``ctx.sleep()`` or ``ctx.on_cancel(hook)``; one that never looks is killed by the pool after the
cancel grace (2 s by default).
"""

import collections
import inspect
import json
import os
import sys
import threading
import time
import traceback

__all__ = [
    "Worker", "Context", "RpcError", "InvalidParams", "Cancelled", "FramingError", "serve", "log",
    "PARSE_ERROR", "INVALID_REQUEST", "METHOD_NOT_FOUND", "INVALID_PARAMS", "INTERNAL_ERROR",
    "REQUEST_CANCELLED",
]

PROTOCOL_VERSION = 1
FRAMING_ENV = "WARMPOOL_FRAMING"
MAX_FRAME_BYTES_ENV = "WARMPOOL_MAX_FRAME_BYTES"
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
REQUEST_CANCELLED = -32800

INITIALIZE = "$/initialize"
PING = "$/ping"
CANCEL_REQUEST = "$/cancelRequest"

_READ = object()  # _next_frame: nothing queued, read stdin
HEADER_LIMIT = 8192  # the longest Content-Length header block accepted, as on the pool side
TICK = 0.05  # seconds a method runs before the standby thread reads stdin for it
PARK_AFTER_TICKS = 20  # ticks without a request after which the standby thread sleeps until one


def log(message):
    """Writes a line to stderr, which the pool drains into its log and keeps for crash reports."""
    sys.stderr.write("[warmpool-worker %d] %s\n" % (os.getpid(), message))
    sys.stderr.flush()


class RpcError(Exception):
    """Raise in a method to answer its request with a JSON-RPC error."""

    def __init__(self, code, message, data=None):
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.data = data


class InvalidParams(RpcError):
    """Raise in a method whose params are missing, of the wrong type or out of range (-32602)."""

    def __init__(self, message, data=None):
        RpcError.__init__(self, INVALID_PARAMS, message, data)


class Cancelled(Exception):
    """Raised by ``Context.sleep`` and ``Context.check_cancelled`` once the request is cancelled."""


class FramingError(ValueError):
    """stdin's Content-Length framing is broken: no later frame can be found. ``serve`` raises it."""


class _FrameTooLarge(Exception):
    def __init__(self, size, limit):
        Exception.__init__(self, "frame of %d bytes, more than the limit of %d bytes" % (size, limit))
        self.size = size
        self.limit = limit


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)  # Python's json module would accept NaN and Infinity


# ensure_ascii (the default) keeps every frame valid UTF-8 whatever the strings hold; allow_nan=False
# keeps it JSON (1e400 is read as infinity). Made once: json.dumps/loads with options make new ones.
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
_decode = json.JSONDecoder(parse_constant=_reject_constant).decode


# ------------------------------------------------------------------------------------------ framing

class _Wire:
    """Frames on a pair of binary streams, in the framing the pool chose. Reads on one thread at a
    time; writes from any thread, one whole frame at a time."""

    def __init__(self, stdin, stdout, framing, limit):
        self.stdin = stdin
        self.stdout = stdout
        self.content_length = framing == "content-length"
        self.limit = limit
        self.first = True
        self.write_lock = threading.Lock()
        self.broken = False

    def read(self):
        """Returns the next frame as bytes, or None at end-of-file. Raises _FrameTooLarge (the
        frame was skipped; reading may go on) or FramingError (it may not)."""
        if self.content_length:
            return self._read_content_length()
        return self._read_line()

    def _read_line(self):
        while True:
            line = self.stdin.readline(self.limit + 2)  # room for the frame, a "\r" and the "\n"
            if not line:
                return None
            if self.first:
                self.first = False
                if line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
            if line[-1:] != b"\n":
                if len(line) < self.limit + 2:
                    log("stdin ended in the middle of a frame; %d bytes dropped" % len(line))
                    return None
                raise _FrameTooLarge(self._skip_line(len(line)), self.limit)
            if line[-2:-1] == b"\r":
                frame = line[:-2]
            else:
                frame = line[:-1]
            if len(frame) > self.limit:
                raise _FrameTooLarge(len(frame), self.limit)
            if frame and not frame.isspace():
                return frame

    def _skip_line(self, size):
        """Reads and drops the rest of a line that is too long; returns its size without the line end."""
        while True:
            chunk = self.stdin.readline(65536)
            size += len(chunk)
            if not chunk:
                return size
            if chunk[-1:] == b"\n":
                return size - (2 if chunk[-2:] == b"\r\n" else 1)

    def _read_content_length(self):
        length = -1
        block = 0
        lines = []
        while True:
            line = self.stdin.readline(HEADER_LIMIT + 1)
            block += len(line)
            if not line:
                if lines:
                    log("stdin ended in the middle of a Content-Length header block")
                return None
            if block > HEADER_LIMIT:
                raise FramingError("header block is longer than %d bytes" % HEADER_LIMIT)
            text = line.rstrip(b"\r\n").decode("latin-1")
            if line[-1:] != b"\n":
                log("stdin ended in the middle of a Content-Length header block")
                return None
            if not text:
                if lines:
                    break
                continue  # blank lines between messages
            lines.append(text)
            name, colon, value = text.partition(":")
            if not colon or not name.strip():
                raise FramingError("malformed header line '%s': expected 'Name: value', e.g. "
                                   "'Content-Length: 42'" % text[:120])
            if name.strip().lower() == "content-length":
                value = value.strip()
                if not value.isdigit() or not value.isascii() or len(value) > 18:
                    raise FramingError("Content-Length is '%s', but must be a non-negative integer" % value[:120])
                if length >= 0 and int(value) != length:
                    raise FramingError("two different Content-Length headers in one header block: %d and %s"
                                       % (length, value))
                length = int(value)
        if length < 0:
            raise FramingError("header block without a Content-Length header: '%s'" % " | ".join(lines)[:120])
        if length > self.limit:
            remaining = length
            while remaining > 0:
                chunk = self.stdin.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise _FrameTooLarge(length, self.limit)
        body = self.stdin.read(length)
        if len(body) < length:
            log("stdin ended after %d of %d bytes of a frame body" % (len(body), length))
            return None
        return body

    def write(self, data):
        """Writes one encoded message (bytes) as one frame and flushes it."""
        if self.content_length:
            data = b"Content-Length: %d\r\n\r\n%s" % (len(data), data)
        else:
            data += b"\n"
        with self.write_lock:
            if self.broken:
                return
            try:
                self.stdout.write(data)
                self.stdout.flush()
            except (BrokenPipeError, OSError, ValueError) as e:
                self.broken = True  # nobody reads our answers any more
                log("cannot write to stdout any more; answers are dropped: %s" % e)


# ------------------------------------------------------------------------------------------ messages

def _error(rid, code, message, data=None):
    error = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"jsonrpc": "2.0", "id": rid, "error": error}


def _valid_request(m):
    method = m.get("method")
    if m.get("jsonrpc") != "2.0" or type(method) is not str:
        return False
    params = m.get("params")
    if params is not None and type(params) is not dict and type(params) is not list:
        return False
    rid = m.get("id")
    return rid is None or type(rid) is str or type(rid) is int or type(rid) is float


class Context:
    """What a method knows about its request, and how it talks back while it runs. Thread-safe:
    a method may hand it to threads of its own. Notifications sent after the method returned are
    dropped (the pool has moved on)."""

    __slots__ = ("id", "method", "_session", "_cancelled", "_done", "_event", "_hooks")

    def __init__(self, session, rid, method):
        self.id = rid  # None for a notification
        self.method = method
        self._session = session
        self._cancelled = False
        self._done = False
        self._event = None
        self._hooks = None

    @property
    def cancelled(self):
        """Whether the pool asked to cancel this request."""
        return self._cancelled

    def check_cancelled(self):
        """Raises Cancelled if the pool asked to cancel this request: a convenient check in a loop."""
        if self._cancelled:
            raise Cancelled()

    def sleep(self, seconds):
        """Sleeps, or raises Cancelled as soon as the request is cancelled."""
        with self._session.lock:
            if self._event is None:
                self._event = threading.Event()
                if self._cancelled:
                    self._event.set()
        if self._event.wait(seconds):
            raise Cancelled()

    def on_cancel(self, hook):
        """Runs ``hook()`` when the pool cancels this request (at once if it already has), on the
        thread that reads stdin: keep it quick, e.g. terminate a child process."""
        with self._session.lock:
            if not self._cancelled:
                if self._hooks is None:
                    self._hooks = []
                self._hooks.append(hook)
                return
        hook()

    def progress(self, value):
        """Sends ``$/progress`` ``{"id": <request id>, "value": value}`` to the request's listener."""
        self.notify("$/progress", {"id": self.id, "value": value})

    def log(self, level, message):
        """Sends ``$/log`` ``{"id": <request id>, "level": level, "message": message}``."""
        self.notify("$/log", {"id": self.id, "level": level, "message": message})

    def notify(self, method, params=None):
        """Sends any notification to the pool while this request runs. Raises ValueError if
        ``params`` cannot be written as JSON or the frame would be over the frame limit."""
        if self._done:
            return
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        data = _encode(message).encode("utf-8")
        limit = self._session.wire.limit
        if len(data) > limit:
            raise ValueError("notification %s is %d bytes, more than the frame limit of %d bytes"
                             % (method, len(data), limit))
        self._session.wire.write(data)

    def _cancel(self):
        with self._session.lock:
            if self._cancelled:
                return
            self._cancelled = True
            if self._event is not None:
                self._event.set()
            hooks, self._hooks = self._hooks, None
        for hook in hooks or ():
            try:
                hook()
            except Exception:  # a hook's bug must not stop the reading of stdin
                log("a cancel hook of request %r failed:\n%s" % (self.id, traceback.format_exc()))


# ------------------------------------------------------------------------------------------ the worker

class Worker:
    """A set of methods and the name the worker gives in its handshake; ``serve()`` runs it.
    Register methods before serving; a running worker's methods must not change."""

    def __init__(self, name="python-worker", methods=None):
        self.name = name
        self._methods = {}
        for method_name, fn in (methods or {}).items():
            self.add(method_name, fn)

    def add(self, name, fn, threaded=False):
        """Registers ``fn`` as method ``name``. ``fn(params)`` or ``fn(params, ctx)``: params is the
        request's object or list (None when absent); the return value is the result (anything
        ``json`` can write). ``threaded=True`` runs it on a thread of its own instead of inline."""
        if not isinstance(name, str) or not name:
            raise ValueError("a method name must be a non-empty string, not %r" % (name,))
        if name.startswith("$/") or name.startswith("rpc."):
            raise ValueError("method name %r is reserved: names starting with $/ belong to the protocol, "
                             "with rpc. to JSON-RPC" % name)
        if not callable(fn):
            raise ValueError("method %r is %r, which is not callable" % (name, fn))
        self._methods[name] = (fn, _wants_context(fn), threaded)
        return fn

    def method(self, name=None, threaded=False):
        """Decorator: ``@worker.method`` registers a function under its own name,
        ``@worker.method("other-name")`` or ``@worker.method(threaded=True)`` with options."""
        if callable(name):
            return self.add(name.__name__, name)

        def register(fn):
            return self.add(name if name is not None else fn.__name__, fn, threaded)
        return register

    def serve(self, stdin=None, stdout=None, framing=None, max_frame_bytes=None):
        """Serves requests until stdin reaches end-of-file, answers what still runs, and returns.

        By default it serves this process's stdin and stdout, in the framing and with the frame
        limit the pool set in the environment (``WARMPOOL_FRAMING``, ``WARMPOOL_MAX_FRAME_BYTES``),
        and points ``sys.stdout`` at stderr meanwhile. Pass binary streams and values to serve
        something else (tests do). Raises ValueError for a bad framing or limit, FramingError when
        stdin's Content-Length framing breaks (after answering -32700).
        """
        if framing is None:
            framing = os.environ.get(FRAMING_ENV, "").strip().lower() or "newline"
        if framing not in ("newline", "content-length"):
            raise ValueError("%s is '%s', but must be newline or content-length" % (FRAMING_ENV, framing))
        if max_frame_bytes is None:
            text = os.environ.get(MAX_FRAME_BYTES_ENV, "").strip()
            try:
                max_frame_bytes = int(text) if text else DEFAULT_MAX_FRAME_BYTES
            except ValueError:
                max_frame_bytes = 0
            if max_frame_bytes <= 0:
                raise ValueError("%s is '%s', but must be a positive number of bytes" % (MAX_FRAME_BYTES_ENV, text))
        elif max_frame_bytes <= 0:
            raise ValueError("max_frame_bytes is %r, but must be positive" % (max_frame_bytes,))
        redirected = stdout is None
        if stdin is None:
            stdin = sys.stdin.buffer
        if stdout is None:
            sys.stdout.flush()
            stdout = sys.stdout.buffer
        original = sys.stdout
        if redirected:
            sys.stdout = sys.stderr  # a stray print() must not corrupt the frames
        try:
            _Session(self, _Wire(stdin, stdout, framing, max_frame_bytes)).serve()
        finally:
            if redirected:
                sys.stdout = original


def serve(methods, name="python-worker"):
    """Serves ``methods`` (a dict of name to function) on stdin and stdout; see ``Worker.serve``."""
    Worker(name, methods).serve()


def _wants_context(fn):
    """Whether fn takes a second positional argument (the Context)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # some built-ins have no signature: give them params only
        return False
    positional = 0
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            return True
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            positional += 1
    return positional >= 2


# ------------------------------------------------------------------------------------------ serving

class _Session:
    """One run of ``Worker.serve``.

    Who reads stdin: normally the serving thread itself, between requests. While an inline method
    runs longer than a tick, the standby thread reads instead: it acts on ``$/cancelRequest`` and
    ``$/ping`` at once and queues every other frame for the serving thread, and hands reading back
    with the first frame it reads after the method returned. ``lock`` guards that hand-over and the
    running requests.
    """

    def __init__(self, worker, wire):
        self.worker = worker
        self.wire = wire
        self.methods = worker._methods
        self.lock = threading.Lock()
        self.queued_frame = threading.Condition(self.lock)
        self.unparked = threading.Condition(self.lock)
        self.queue = collections.deque()  # frames (bytes, None for end-of-file, or an exception)
        self.standby_reads = False
        self.busy = False  # an inline method runs
        self.started = 0  # inline methods started so far
        self.parked = False
        self.closed = False
        self.running = {}  # request id -> Context, for cancellation
        self.threads = set()

    def serve(self):
        standby = threading.Thread(target=self._standby, name="warmpool-standby-reader", daemon=True)
        standby.start()
        try:
            while True:
                try:
                    frame = self._next_frame()
                except _FrameTooLarge as e:
                    log("skipped a request: %s" % e)
                    self._send(_error(None, INVALID_REQUEST, "Invalid Request", {"size": e.size, "limit": e.limit}))
                    continue
                except FramingError as e:
                    self._send(_error(None, PARSE_ERROR, "Parse error", str(e)))
                    log("cannot read stdin any more: %s" % e)
                    raise
                if frame is None:
                    return
                self._on_frame(frame)
        finally:
            with self.lock:
                self.closed = True
                self.unparked.notify()
                threads = list(self.threads)
            for t in threads:
                t.join()

    def _next_frame(self):
        # Only the standby thread starts reading, and only while an inline method runs: not now.
        if not self.standby_reads and not self.queue:
            return self.wire.read()
        with self.lock:
            while not self.queue and self.standby_reads:
                self.queued_frame.wait()
            item = self.queue.popleft() if self.queue else _READ
        if item is _READ:
            return self.wire.read()
        if isinstance(item, Exception):
            raise item
        return item

    def _on_frame(self, frame):
        try:
            message = _decode(frame.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
            self._send(_error(None, PARSE_ERROR, "Parse error"))
            return
        if type(message) is dict:
            answer = self._answer(message, True)
            if answer is not None:
                self._send(answer)
        elif type(message) is list:
            if not message:
                self._send(_error(None, INVALID_REQUEST, "Invalid Request"))
                return
            answers = [a for a in (self._answer(m, False) for m in message) if a is not None]
            if answers:  # nothing at all for a batch of notifications
                self._send(answers)
        else:
            self._send(_error(None, INVALID_REQUEST, "Invalid Request"))

    def _answer(self, m, alone):
        """Answers one message: returns the response, or None for none (a notification, or a
        request answered later from its own thread)."""
        if type(m) is not dict or not _valid_request(m):
            return _error(None, INVALID_REQUEST, "Invalid Request")
        method = m["method"]
        params = m.get("params")
        notification = "id" not in m
        rid = m.get("id")
        entry = self.methods.get(method)
        if entry is None:
            if method == INITIALIZE:
                return None if notification else {"jsonrpc": "2.0", "id": rid, "result": {
                    "protocolVersion": PROTOCOL_VERSION,
                    "capabilities": {"cancel": True, "ping": True},
                    "name": self.worker.name}}
            if method == PING:
                return None if notification else {"jsonrpc": "2.0", "id": rid, "result": {}}
            if method == CANCEL_REQUEST:
                self._cancel(params)
                return None if notification else {"jsonrpc": "2.0", "id": rid, "result": None}
            if notification:
                return None  # never answered; this one asks for nothing we do
            return _error(rid, METHOD_NOT_FOUND, "Method not found")
        fn, wants_context, threaded = entry
        ctx = Context(self, rid, method)
        if threaded and alone:
            if not notification:
                with self.lock:
                    self.running[rid] = ctx
            self._start_thread(ctx, fn, wants_context, params, notification)
            return None
        with self.lock:
            if not notification:
                self.running[rid] = ctx
            self.busy = True
            self.started += 1
            if self.parked:
                self.parked = False
                self.unparked.notify()
        try:
            response = self._call(ctx, fn, wants_context, params)
        finally:
            with self.lock:
                self.busy = False
                if not notification:
                    self.running.pop(rid, None)
                cancelled = ctx._cancelled
        return self._outcome(ctx, response, notification, cancelled)

    def _call(self, ctx, fn, wants_context, params):
        """Runs a method; returns its response, or None if it raised Cancelled."""
        try:
            result = fn(params, ctx) if wants_context else fn(params)
            return {"jsonrpc": "2.0", "id": ctx.id, "result": result}
        except Cancelled:
            return None
        except RpcError as e:
            return _error(ctx.id, e.code, e.message, e.data)
        except Exception as e:  # a bug in a method: say so, keep serving
            log("%s failed:\n%s" % (ctx.method, traceback.format_exc()))
            return _error(ctx.id, INTERNAL_ERROR, str(e) or type(e).__name__, {"exception": type(e).__name__})

    @staticmethod
    def _outcome(ctx, response, notification, cancelled):
        ctx._done = True
        if notification:
            return None
        if cancelled:  # once cancelled, the answer is always -32800
            return _error(ctx.id, REQUEST_CANCELLED, "request cancelled")
        return response

    def _start_thread(self, ctx, fn, wants_context, params, notification):
        def run():
            try:
                response = self._call(ctx, fn, wants_context, params)
                with self.lock:
                    if not notification:
                        self.running.pop(ctx.id, None)
                    cancelled = ctx._cancelled
                answer = self._outcome(ctx, response, notification, cancelled)
                if answer is not None:
                    self._send(answer)
            finally:
                with self.lock:
                    self.threads.discard(threading.current_thread())
        t = threading.Thread(target=run, name="warmpool-" + ctx.method, daemon=True)
        with self.lock:
            self.threads.add(t)
        t.start()

    def _cancel(self, params):
        target = params.get("id") if type(params) is dict else None
        if target is None or type(target) is bool:
            return
        with self.lock:
            ctx = self.running.get(target)
        if ctx is not None and type(ctx.id) is type(target):  # 1 and 1.0 are one key; "1" is not
            ctx._cancel()

    def _send(self, message):
        """Encodes one answer (a dict, or a list for a batch) and writes it as one frame."""
        try:
            data = _encode(message).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as e:
            rid = message.get("id") if type(message) is dict else None
            log("the answer to request %r cannot be written as JSON: %s" % (rid, e))
            data = _encode(_error(rid, INTERNAL_ERROR, "could not write the result as JSON: %s" % e)).encode("utf-8")
        if len(data) > self.wire.limit:
            rid = message.get("id") if type(message) is dict else None
            what = "result" if type(message) is dict else "batch response"
            data = _encode(_error(rid, INTERNAL_ERROR, "the %s is %d bytes, more than the frame limit of %d bytes"
                                  % (what, len(data), self.wire.limit),
                                  {"size": len(data), "limit": self.wire.limit})).encode("utf-8")
        self.wire.write(data)

    # -------------------------------------------------------------------------------- standby

    def _standby(self):
        """Every tick, looks whether one inline method has been running since the last tick; if so,
        reads stdin until it returns. Sleeps until the next method after a second without any."""
        seen = -1
        quiet = 0
        while True:
            time.sleep(TICK)
            with self.lock:
                if self.closed:
                    return
                if self.started != seen:
                    quiet = 0
                elif self.busy:
                    self.standby_reads = True
                else:
                    quiet += 1
                    if quiet >= PARK_AFTER_TICKS:
                        self.parked = True
                        while self.parked and not self.closed:
                            self.unparked.wait()
                        quiet = 0
                seen = self.started
                take_over = self.standby_reads
            if take_over and not self._read_while_busy():
                return

    def _read_while_busy(self):
        """Reads stdin for the serving thread; returns False at end-of-file."""
        while True:
            try:
                item = self.wire.read()
            except (_FrameTooLarge, FramingError) as e:
                item = e
            if type(item) is bytes and self._control(item):
                continue
            with self.lock:
                self.queue.append(item)
                self.queued_frame.notify()
                if item is None or isinstance(item, FramingError) or not self.busy:
                    self.standby_reads = False
                    return item is not None and not isinstance(item, FramingError)

    def _control(self, frame):
        """Acts on a $/cancelRequest or $/ping at once; returns False for any other frame."""
        try:
            m = _decode(frame.decode("utf-8"))
        except (ValueError, RecursionError):
            return False
        if type(m) is not dict or not _valid_request(m):
            return False
        method = m["method"]
        if method == CANCEL_REQUEST:
            self._cancel(m.get("params"))
        elif method != PING:
            return False
        if "id" in m:
            self._send({"jsonrpc": "2.0", "id": m["id"], "result": {} if method == PING else None})
        return True
