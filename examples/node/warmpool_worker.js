// warmpool_worker: write a warmpool worker in Node.js. CommonJS, no packages, Node 18+, one file.
//
// A warmpool worker is a long-lived process that answers JSON-RPC 2.0 requests on its stdin and
// stdout (the protocol: docs/PROTOCOL.md). This module does the protocol; you write the methods:
//
//   const { Worker, InvalidParams } = require('./warmpool_worker');
//
//   const worker = new Worker('greeter');
//   worker.method('greet', (params) => {
//     if (!params || typeof params.name !== 'string') throw new InvalidParams('greet needs params {"name": <string>}');
//     return `hello, ${params.name}`;
//   });
//   worker.method('slow-sum', async (params, ctx) => {   // the second argument is the request's Context
//     let total = 0;
//     for (const n of params) {
//       await ctx.sleep(100);             // rejects with Cancelled at once if the pool cancels
//       total += n;
//       ctx.progress({ added: n });       // a $/progress notification to the request's listener
//     }
//     return total;
//   });
//   worker.serve();
//
// or, with an object: serve({ greet }, { name: 'greeter' }). Copy this file next to your worker.
//
// What it does for you:
// - answers $/initialize (protocol version 1, capabilities cancel and ping, the name), $/ping (with
//   {}) and $/cancelRequest (the request it names is answered with -32800 "request cancelled",
//   whatever its method returns afterwards; ctx.signal is aborted);
// - runs each method inline, in the callback that read the request: a method that returns a value
//   is answered before the next chunk of stdin is looked at, with no promise and no timer in
//   between. A method that returns a promise is answered when it settles, and stdin -- with
//   $/cancelRequest and $/ping -- keeps being read meanwhile. Long work belongs in async methods
//   (await, child processes, worker_threads): a method that computes synchronously for a long time
//   blocks the event loop, and cannot see a cancellation until it returns;
// - follows JSON-RPC 2.0: ids are echoed as received, notifications are never answered, an unknown
//   method gets -32601, a batch gets one array of answers (none for a batch of notifications), an
//   empty batch -32600, a frame that is not JSON -32700 with id null, a message that is not a
//   request -32600 with id null;
// - reads and writes the framing the pool chose (WARMPOOL_FRAMING: newline or content-length),
//   never holds more than the frame limit (WARMPOOL_MAX_FRAME_BYTES), answers a larger incoming
//   frame with -32600 and data {size, limit}, and answers -32603 instead of a result too large to send;
// - points console.log/info/debug at stderr, so a stray log line cannot corrupt the frames; the
//   pool keeps stderr for its logs and crash reports;
// - at end-of-file on stdin it answers what still runs, then exits the process with status 0 (1
//   when stdin's Content-Length framing broke and no later frame could be found).
//
// Methods throw RpcError(code, message, data) (or InvalidParams(message)) to answer with an error;
// any other exception or rejection is answered with -32603 and its message, and logged.
'use strict';

const PROTOCOL_VERSION = 1;
const FRAMING_ENV = 'WARMPOOL_FRAMING';
const MAX_FRAME_BYTES_ENV = 'WARMPOOL_MAX_FRAME_BYTES';
const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const REQUEST_CANCELLED = -32800;

const INITIALIZE = '$/initialize';
const PING = '$/ping';
const CANCEL_REQUEST = '$/cancelRequest';

const HEADER_LIMIT = 8192; // the longest Content-Length header block accepted, as on the pool side

/** Writes a line to stderr, which the pool drains into its log and keeps for crash reports. */
function log(message) {
  process.stderr.write(`[warmpool-worker ${process.pid}] ${message}\n`);
}

/** Throw in a method to answer its request with a JSON-RPC error. */
class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

/** Throw in a method whose params are missing, of the wrong type or out of range (-32602). */
class InvalidParams extends RpcError {
  constructor(message, data) {
    super(INVALID_PARAMS, message, data);
    this.name = 'InvalidParams';
  }
}

/** Thrown (rejected) by ctx.sleep and ctx.checkCancelled once the request is cancelled. */
class Cancelled extends Error {
  constructor() {
    super('request cancelled');
    this.name = 'Cancelled';
  }
}

// ------------------------------------------------------------------------------------ framing

let isUtf8;
try {
  ({ isUtf8 } = require('buffer')); // Node 18.14+: a check in C++, much faster than a fatal TextDecoder
} catch (e) {
  isUtf8 = undefined;
}
const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/** @return the frame's text, or undefined if it is not UTF-8 */
function utf8(frame) {
  if (isUtf8) return isUtf8(frame) ? frame.toString('utf8') : undefined;
  try {
    return fatalDecoder.decode(frame);
  } catch (e) {
    return undefined;
  }
}

/**
 * Cuts chunks of stdin into frames without holding more than one frame's limit, and calls
 * onFrame(buffer), onTooLarge(size) (the frame was skipped) or onBroken(why) (no later frame can be
 * found).
 */
class FrameReader {
  constructor(contentLength, limit, onFrame, onTooLarge, onBroken) {
    this.contentLength = contentLength;
    this.limit = limit;
    this.onFrame = onFrame;
    this.onTooLarge = onTooLarge;
    this.onBroken = onBroken;
    this.parts = [];
    this.length = 0;
    this.first = true;
    this.skipping = false; // newline framing: inside a line that is too long
    this.skipped = 0;
    this.bodyLength = -1; // content-length framing: the body being read, or -1 while in headers
    this.skipBody = 0; // content-length framing: bytes of a too-long body still to skip
    this.broken = false;
  }

  push(chunk) {
    if (this.broken) return;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (this.contentLength) this.pushContentLength(chunk);
    else this.pushNewline(chunk);
  }

  /** @return the pending parts as one buffer, and forget them */
  take(last) {
    let all;
    if (this.length === 0) all = last;
    else {
      this.parts.push(last);
      all = Buffer.concat(this.parts, this.length + last.length);
    }
    this.parts = [];
    this.length = 0;
    return all;
  }

  pushNewline(chunk) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const stop = nl < 0 ? chunk.length : nl;
      const piece = stop - start;
      if (this.skipping) {
        this.skipped += piece;
      } else if (this.length + piece > this.limit + 1) { // + 1: room for a "\r" before the "\n"
        this.skipping = true;
        this.skipped = this.length + piece;
        this.parts = [];
        this.length = 0;
      } else if (nl < 0) {
        this.parts.push(chunk.subarray(start, stop));
        this.length += piece;
      }
      if (nl < 0) return;
      const from = start;
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        if (nl > 0 && chunk[nl - 1] === 0x0d) this.skipped--;
        this.onTooLarge(this.skipped);
        continue;
      }
      let frame = this.take(chunk.subarray(from, nl));
      if (frame.length > 0 && frame[frame.length - 1] === 0x0d) frame = frame.subarray(0, frame.length - 1);
      if (frame.length > this.limit) this.onTooLarge(frame.length);
      else if (!blank(frame)) this.onFrame(frame);
    }
  }

  pushContentLength(chunk) {
    while (chunk.length > 0 && !this.broken) {
      if (this.skipBody > 0) {
        const n = Math.min(this.skipBody, chunk.length);
        this.skipBody -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      if (this.bodyLength < 0) {
        const buffered = this.take(chunk);
        const text = buffered.toString('latin1');
        const skip = /^(\r?\n)*/.exec(text)[0].length; // blank lines between messages
        const end = text.slice(skip).search(/\r?\n\r?\n/);
        if (end < 0) {
          if (text.length - skip > HEADER_LIMIT) {
            this.fail(`header block is longer than ${HEADER_LIMIT} bytes`);
            return;
          }
          if (text.length > skip) {
            this.parts.push(buffered.subarray(skip));
            this.length = text.length - skip;
          }
          return;
        }
        const headers = text.slice(skip, skip + end);
        const length = this.parseHeaders(headers);
        if (length < 0) return;
        const rest = text.slice(skip + end);
        chunk = buffered.subarray(skip + end + /^\r?\n\r?\n/.exec(rest)[0].length);
        if (length > this.limit) {
          this.skipBody = length;
          this.onTooLarge(length);
        } else if (length === 0) {
          this.onFrame(Buffer.alloc(0));
        } else {
          this.bodyLength = length;
        }
        continue;
      }
      const need = this.bodyLength - this.length;
      if (chunk.length < need) {
        this.parts.push(chunk);
        this.length += chunk.length;
        return;
      }
      const frame = this.take(chunk.subarray(0, need));
      chunk = chunk.subarray(need);
      this.bodyLength = -1;
      this.onFrame(frame);
    }
  }

  /** @return the Content-Length of a header block, or -1 after failing */
  parseHeaders(block) {
    let length = -1;
    for (const line of block.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0 || line.slice(0, colon).trim() === '') {
        this.fail(`malformed header line '${line.slice(0, 120)}': expected 'Name: value', e.g. 'Content-Length: 42'`);
        return -1;
      }
      if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^[0-9]{1,18}$/.test(value)) {
        this.fail(`Content-Length is '${value.slice(0, 120)}', but must be a non-negative integer`);
        return -1;
      }
      if (length >= 0 && Number(value) !== length) {
        this.fail(`two different Content-Length headers in one header block: ${length} and ${value}`);
        return -1;
      }
      length = Number(value);
    }
    if (length < 0) this.fail(`header block without a Content-Length header: '${block.replace(/\r?\n/g, ' | ').slice(0, 120)}'`);
    return length;
  }

  fail(why) {
    this.broken = true;
    this.onBroken(why);
  }
}

function blank(frame) {
  for (let i = 0; i < frame.length; i++) {
    const b = frame[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------ messages

function errorResponse(id, code, message, data) {
  const error = { code, message };
  if (data !== undefined && data !== null) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

function validRequest(m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return false;
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') return false;
  const p = m.params;
  if (p !== undefined && p !== null && typeof p !== 'object') return false;
  const id = m.id;
  return id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
}

function isPromise(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

/**
 * What a method knows about its request, and how it talks back while it runs. Notifications sent
 * after the method returned are dropped (the pool has moved on).
 */
class Context {
  constructor(session, id, method) {
    this.id = id; // undefined for a notification
    this.method = method;
    this.session = session;
    this.cancelled = false;
    this.done = false;
    this.hooks = null;
    this.controller = null;
  }

  /** An AbortSignal aborted when the pool cancels this request; made on first use. */
  get signal() {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort(new Cancelled());
    }
    return this.controller.signal;
  }

  /** Throws Cancelled if the pool asked to cancel this request: a convenient check in a loop. */
  checkCancelled() {
    if (this.cancelled) throw new Cancelled();
  }

  /** Resolves after ms milliseconds, or rejects with Cancelled as soon as the request is cancelled. */
  sleep(ms) {
    return new Promise((resolve, reject) => {
      if (this.cancelled) {
        reject(new Cancelled());
        return;
      }
      let wake = null;
      const timer = setTimeout(() => {
        this.removeHook(wake);
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        reject(new Cancelled());
      };
      this.onCancel(wake);
    });
  }

  /** Runs hook() when the pool cancels this request (at once if it already has). */
  onCancel(hook) {
    if (this.cancelled) {
      hook();
      return;
    }
    if (this.hooks === null) this.hooks = [];
    this.hooks.push(hook);
  }

  removeHook(hook) {
    if (this.hooks === null) return;
    const i = this.hooks.indexOf(hook);
    if (i >= 0) this.hooks.splice(i, 1);
  }

  /** Sends $/progress {"id": <request id>, "value": value} to the request's listener. */
  progress(value) {
    this.notify('$/progress', { id: this.id, value });
  }

  /** Sends $/log {"id": <request id>, "level": level, "message": message}. */
  log(level, message) {
    this.notify('$/log', { id: this.id, level, message });
  }

  /**
   * Sends any notification to the pool while this request runs. Throws a RangeError if the frame
   * would be over the frame limit.
   */
  notify(method, params) {
    if (this.done) return;
    const message = { jsonrpc: '2.0', method };
    if (params !== undefined && params !== null) message.params = params;
    const text = JSON.stringify(message);
    const size = Buffer.byteLength(text, 'utf8');
    if (size > this.session.limit) {
      throw new RangeError(`notification ${method} is ${size} bytes, more than the frame limit of ${this.session.limit} bytes`);
    }
    this.session.write(text, size);
  }

  cancel() {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.controller !== null) this.controller.abort(new Cancelled());
    const hooks = this.hooks;
    this.hooks = null;
    if (hooks === null) return;
    for (const hook of hooks) {
      try {
        hook();
      } catch (e) {
        log(`a cancel hook of request ${JSON.stringify(this.id)} failed: ${e && e.stack ? e.stack : e}`);
      }
    }
  }
}

// ------------------------------------------------------------------------------------ the worker

/** A set of methods and the name the worker gives in its handshake; serve() runs it. */
class Worker {
  /**
   * @param {string} [name] the name in the handshake answer
   * @param {Object<string, Function>} [methods] methods by name
   */
  constructor(name = 'node-worker', methods = {}) {
    this.name = name;
    this.methods = new Map();
    for (const [k, fn] of Object.entries(methods)) this.method(k, fn);
  }

  /**
   * Registers fn as method name: fn(params, ctx) returns the result (anything JSON.stringify can
   * write) or a promise of it; params is the request's object or array (undefined when absent).
   */
  method(name, fn) {
    if (typeof name !== 'string' || name === '') throw new TypeError(`a method name must be a non-empty string, not ${JSON.stringify(name)}`);
    if (name.startsWith('$/') || name.startsWith('rpc.')) {
      throw new TypeError(`method name '${name}' is reserved: names starting with $/ belong to the protocol, with rpc. to JSON-RPC`);
    }
    if (typeof fn !== 'function') throw new TypeError(`method '${name}' is ${typeof fn}, which is not a function`);
    this.methods.set(name, fn);
    return this;
  }

  /**
   * Serves this process's stdin and stdout until stdin ends, answers what still runs, then exits
   * the process. The framing and frame limit come from the environment the pool sets; options
   * {framing, maxFrameBytes, input, output, exit} replace them (tests use them). Throws a
   * TypeError for a bad framing or limit.
   */
  serve(options = {}) {
    const framing = (options.framing || process.env[FRAMING_ENV] || '').trim().toLowerCase() || 'newline';
    if (framing !== 'newline' && framing !== 'content-length') {
      throw new TypeError(`${FRAMING_ENV} is '${framing}', but must be newline or content-length`);
    }
    let limit = options.maxFrameBytes;
    if (limit === undefined) {
      const text = (process.env[MAX_FRAME_BYTES_ENV] || '').trim();
      limit = text === '' ? DEFAULT_MAX_FRAME_BYTES : Number(text);
      if (!Number.isSafeInteger(limit) || limit <= 0) {
        throw new TypeError(`${MAX_FRAME_BYTES_ENV} is '${text}', but must be a positive number of bytes`);
      }
    } else if (!Number.isSafeInteger(limit) || limit <= 0) {
      throw new TypeError(`maxFrameBytes is ${limit}, but must be a positive whole number`);
    }
    const input = options.input || process.stdin;
    const output = options.output || process.stdout;
    if (!options.output) {
      // a stray console.log must not corrupt the frames
      console.log = console.info = console.debug = (...args) => process.stderr.write(`${args.join(' ')}\n`);
    }
    const session = new Session(this, framing === 'content-length', limit, output, options.exit || ((code) => process.exit(code)));
    input.on('data', (chunk) => session.reader.push(chunk));
    input.on('end', () => session.end());
    input.on('error', (e) => {
      log(`cannot read stdin any more: ${e.message}`);
      session.end(1);
    });
    return session;
  }
}

/** Serves methods (an object of name to function) on stdin and stdout; see Worker.serve. */
function serve(methods, options = {}) {
  return new Worker(options.name || 'node-worker', methods).serve(options);
}

/** One run of Worker.serve. */
class Session {
  constructor(worker, contentLength, limit, output, exit) {
    this.worker = worker;
    this.methods = worker.methods;
    this.contentLength = contentLength;
    this.limit = limit;
    this.output = output;
    this.exit = exit;
    this.running = new Map(); // request id -> Context, for cancellation
    this.pending = 0; // answers still to write
    this.ended = false;
    this.status = 0;
    this.brokenOutput = false;
    output.on('error', (e) => {
      this.brokenOutput = true; // nobody reads our answers any more
      log(`cannot write to stdout any more; answers are dropped: ${e.message}`);
    });
    this.reader = new FrameReader(contentLength, limit,
      (frame) => this.onFrame(frame),
      (size) => {
        log(`skipped a request: frame of ${size} bytes, more than the limit of ${limit} bytes`);
        this.send(errorResponse(null, INVALID_REQUEST, 'Invalid Request', { size, limit }));
      },
      (why) => { // Content-Length framing cannot find the next frame after this
        this.send(errorResponse(null, PARSE_ERROR, 'Parse error', why));
        log(`cannot read stdin any more: ${why}`);
        this.end(1);
      });
  }

  /** Writes one frame: text is one JSON message of size bytes. */
  write(text, size) {
    if (this.brokenOutput) return;
    if (this.contentLength) this.output.write(`Content-Length: ${size}\r\n\r\n${text}`);
    else this.output.write(`${text}\n`);
  }

  /** Encodes one answer (an object, or an array for a batch) and writes it as one frame. */
  send(message) {
    let text;
    try {
      text = JSON.stringify(message);
    } catch (e) {
      const id = Array.isArray(message) ? null : message.id;
      log(`the answer to request ${JSON.stringify(id)} cannot be written as JSON: ${e.message}`);
      text = JSON.stringify(errorResponse(id, INTERNAL_ERROR, `could not write the result as JSON: ${e.message}`));
    }
    // a UTF-16 code unit is at most 3 UTF-8 bytes: count the bytes only when the frame may be too long
    let size = this.contentLength || text.length * 3 > this.limit ? Buffer.byteLength(text, 'utf8') : text.length;
    if (size > this.limit) {
      const id = Array.isArray(message) ? null : message.id;
      const what = Array.isArray(message) ? 'batch response' : 'result';
      text = JSON.stringify(errorResponse(id, INTERNAL_ERROR,
        `the ${what} is ${size} bytes, more than the frame limit of ${this.limit} bytes`, { size, limit: this.limit }));
      size = Buffer.byteLength(text, 'utf8');
    }
    this.write(text, size);
  }

  onFrame(frame) {
    const text = utf8(frame);
    let message;
    try {
      if (text === undefined) throw new SyntaxError('not UTF-8');
      message = JSON.parse(text);
    } catch (e) {
      this.send(errorResponse(null, PARSE_ERROR, 'Parse error'));
      return;
    }
    if (Array.isArray(message)) {
      this.onBatch(message);
      return;
    }
    const answer = this.answer(message);
    if (answer === null) return;
    if (!isPromise(answer)) {
      this.send(answer);
      return;
    }
    this.pending++;
    answer.then((a) => {
      if (a !== null) this.send(a);
      this.settled();
    });
  }

  onBatch(batch) {
    if (batch.length === 0) {
      this.send(errorResponse(null, INVALID_REQUEST, 'Invalid Request'));
      return;
    }
    const answers = batch.map((m) => this.answer(m));
    const done = (all) => {
      const some = all.filter((a) => a !== null);
      if (some.length > 0) this.send(some); // nothing at all for a batch of notifications
    };
    if (!answers.some(isPromise)) {
      done(answers);
      return;
    }
    this.pending++;
    Promise.all(answers).then((all) => {
      done(all);
      this.settled();
    });
  }

  /**
   * Answers one message: the response, null for none, or -- for a method that returned a promise
   * -- a promise of the response (never rejected).
   */
  answer(m) {
    if (!validRequest(m)) return errorResponse(null, INVALID_REQUEST, 'Invalid Request');
    const method = m.method;
    const notification = !('id' in m);
    const id = m.id;
    const fn = this.methods.get(method);
    if (fn === undefined) {
      if (method === INITIALIZE) {
        return notification ? null : {
          jsonrpc: '2.0',
          id,
          result: { protocolVersion: PROTOCOL_VERSION, capabilities: { cancel: true, ping: true }, name: this.worker.name },
        };
      }
      if (method === PING) return notification ? null : { jsonrpc: '2.0', id, result: {} };
      if (method === CANCEL_REQUEST) {
        const p = m.params;
        const ctx = p && !Array.isArray(p) && (typeof p.id === 'string' || typeof p.id === 'number') ? this.running.get(p.id) : undefined;
        if (ctx !== undefined) ctx.cancel();
        return notification ? null : { jsonrpc: '2.0', id, result: null };
      }
      return notification ? null : errorResponse(id, METHOD_NOT_FOUND, 'Method not found');
    }
    const ctx = new Context(this, notification ? undefined : id, method);
    if (!notification) this.running.set(id, ctx);
    let value;
    try {
      value = fn(m.params === null ? undefined : m.params, ctx);
    } catch (e) {
      return this.finish(ctx, notification, undefined, e);
    }
    if (!isPromise(value)) return this.finish(ctx, notification, value, undefined);
    return Promise.resolve(value).then(
      (v) => this.finish(ctx, notification, v, undefined),
      (e) => this.finish(ctx, notification, undefined, e === undefined ? new Error('rejected without a reason') : e));
  }

  /** @return the answer to a method that returned value or failed with failure */
  finish(ctx, notification, value, failure) {
    ctx.done = true;
    if (notification) {
      if (failure !== undefined && !(failure instanceof RpcError) && !(failure instanceof Cancelled)) {
        log(`notification ${ctx.method} failed: ${failure && failure.stack ? failure.stack : failure}`);
      }
      return null;
    }
    if (this.running.get(ctx.id) === ctx) this.running.delete(ctx.id);
    const id = ctx.id;
    if (ctx.cancelled) return errorResponse(id, REQUEST_CANCELLED, 'request cancelled'); // always, once cancelled
    if (failure === undefined) return { jsonrpc: '2.0', id, result: value === undefined ? null : value };
    if (failure instanceof RpcError) return errorResponse(id, failure.code, failure.message, failure.data);
    if (failure instanceof Cancelled) return errorResponse(id, REQUEST_CANCELLED, 'request cancelled');
    log(`${ctx.method} failed: ${failure && failure.stack ? failure.stack : failure}`);
    const name = failure && failure.name ? failure.name : typeof failure;
    return errorResponse(id, INTERNAL_ERROR, String((failure && failure.message) || failure || name), { exception: name });
  }

  settled() {
    this.pending--;
    if (this.ended && this.pending === 0) this.exit(this.status);
  }

  /**
   * stdin ended (status 0) or cannot be read any more (status 1): exit with that status once every
   * running method has answered.
   */
  end(status = 0) {
    if (this.ended) return;
    this.ended = true;
    this.status = status;
    if (this.pending === 0) this.exit(status);
  }
}

module.exports = {
  Worker,
  Context,
  RpcError,
  InvalidParams,
  Cancelled,
  serve,
  log,
  PROTOCOL_VERSION,
  PARSE_ERROR,
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  INVALID_PARAMS,
  INTERNAL_ERROR,
  REQUEST_CANCELLED,
};
