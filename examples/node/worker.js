#!/usr/bin/env node
// A complete minimal warmpool worker in Node.js: no packages, Node 18+.
//
// It speaks warmpool's worker protocol (docs/PROTOCOL.md): JSON-RPC 2.0 frames on stdin and
// stdout, one JSON value per line (or LSP Content-Length framing when
// WARMPOOL_FRAMING=content-length).
//
//   $/initialize      answered with {"protocolVersion": 1, "capabilities": {...}, "name": ...}
//   $/ping            answered with {}
//   $/cancelRequest   (a notification) cancels the running request it names; that request is
//                     then answered with error -32800 "request cancelled"
//   echo              any params -> the same params
//   upper             {"text": "abc"} -> "ABC"
//   slow              {"ms": 250} -> {"sleptMs": 250} after 250 ms, sending $/progress every
//                     100 ms; honours $/cancelRequest
//
// An unknown method gets -32601, bad params get -32602, a notification (no "id") other than
// $/cancelRequest is ignored and never answered, a batch (a JSON array) gets an array of answers.
// Methods are async, so stdin -- and with it $/cancelRequest -- keeps being read while one works.
// stdout carries frames only: console.log is pointed at stderr, which the pool keeps for its logs.
// At end-of-file on stdin the worker answers what still runs, then exits.
//
// Run by a pool as:  node examples/node/worker.js
'use strict';

const NAME = 'node-example';
const PROTOCOL_VERSION = 1;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const REQUEST_CANCELLED = -32800;

const HEADER_LIMIT = 8192; // the longest Content-Length header block accepted

/** Logs to stderr: the pool drains it into its log and keeps the tail for crash reports. */
function log(message) {
  process.stderr.write(`[${NAME} ${process.pid}] ${message}\n`);
}
// a stray console.log must not corrupt the frames
console.log = console.info = console.debug = (...args) => log(args.join(' '));

/** Thrown by a method to answer with a JSON-RPC error. */
class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

class Cancelled extends Error {}

// ------------------------------------------------------------------------------------ framing

const framing = (process.env.WARMPOOL_FRAMING || 'newline').trim().toLowerCase() || 'newline';
if (framing !== 'newline' && framing !== 'content-length') {
  log(`WARMPOOL_FRAMING is '${framing}', but must be newline or content-length`);
  process.exit(2);
}
const limitText = (process.env.WARMPOOL_MAX_FRAME_BYTES || '').trim();
const limit = limitText === '' ? 16 * 1024 * 1024 : Number(limitText);
if (!Number.isInteger(limit) || limit <= 0) {
  log(`WARMPOOL_MAX_FRAME_BYTES is '${limitText}', but must be a positive number of bytes`);
  process.exit(2);
}

let broken = false;
process.stdout.on('error', (e) => {
  broken = true; // nobody reads our answers any more
  log(`cannot write to stdout any more: ${e.message}`);
});

/** Writes one message as one frame. */
function send(message) {
  if (broken) return;
  // JSON.stringify escapes lone surrogates, so the frame is always valid UTF-8
  let data = Buffer.from(JSON.stringify(message), 'utf8');
  if (data.length > limit) {
    const id = Array.isArray(message) ? null : message.id;
    data = Buffer.from(JSON.stringify(errorResponse(id === undefined ? null : id, INTERNAL_ERROR,
      `the answer is ${data.length} bytes, more than the frame limit of ${limit} bytes`,
      { size: data.length, limit })), 'utf8');
  }
  if (framing === 'content-length') {
    process.stdout.write(`Content-Length: ${data.length}\r\n\r\n`);
    process.stdout.write(data);
  } else {
    process.stdout.write(Buffer.concat([data, Buffer.from('\n')]));
  }
}

/** Cuts stdin's chunks into frames without holding more than one frame's limit. */
class FrameReader {
  constructor(onFrame, onTooLarge, onBroken) {
    this.onFrame = onFrame;
    this.onTooLarge = onTooLarge;
    this.onBroken = onBroken;
    this.parts = [];
    this.length = 0;
    this.skipping = false; // newline framing: inside a line that is too long
    this.skipped = 0;
    this.first = true;
    this.bodyLength = -1; // content-length framing: the body being read, or -1 while in headers
    this.skipBody = 0; // content-length framing: bytes of a too-long body still to skip
  }

  push(chunk) {
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (framing === 'content-length') this.pushContentLength(chunk);
    else this.pushNewline(chunk);
  }

  take() {
    const all = Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return all;
  }

  pushNewline(chunk) {
    while (chunk.length > 0) {
      const nl = chunk.indexOf(0x0a);
      const piece = nl < 0 ? chunk : chunk.subarray(0, nl);
      if (this.skipping) {
        this.skipped += piece.length;
      } else {
        this.parts.push(piece);
        this.length += piece.length;
        if (this.length > limit + 1) { // + 1: room for a "\r" before the "\n"
          this.skipping = true;
          this.skipped = this.length;
          this.parts = [];
          this.length = 0;
        }
      }
      if (nl < 0) return;
      chunk = chunk.subarray(nl + 1);
      if (this.skipping) {
        this.skipping = false;
        this.onTooLarge(this.skipped);
        continue;
      }
      let frame = this.take();
      if (frame.length > 0 && frame[frame.length - 1] === 0x0d) frame = frame.subarray(0, frame.length - 1);
      if (frame.length > limit) this.onTooLarge(frame.length);
      else if (frame.toString('latin1').trim() !== '') this.onFrame(frame);
    }
  }

  pushContentLength(chunk) {
    while (chunk.length > 0) {
      if (this.skipBody > 0) {
        const n = Math.min(this.skipBody, chunk.length);
        this.skipBody -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      if (this.bodyLength < 0) {
        this.parts.push(chunk);
        this.length += chunk.length;
        const buffered = this.take();
        const text = buffered.toString('latin1').replace(/^(\r?\n)+/, '');
        const end = text.search(/\r?\n\r?\n/);
        if (end < 0) {
          if (text.length > HEADER_LIMIT) return this.onBroken('a header block longer than ' + HEADER_LIMIT + ' bytes');
          if (text.length > 0) { this.parts.push(Buffer.from(text, 'latin1')); this.length = text.length; }
          return;
        }
        const headers = text.slice(0, end);
        const match = /^content-length[ \t]*:[ \t]*(\d+)[ \t]*$/im.exec(headers);
        if (!match) return this.onBroken(`a header block without a Content-Length header: '${headers}'`);
        const rest = Buffer.from(text.slice(end).replace(/^\r?\n\r?\n/, ''), 'latin1');
        const length = Number(match[1]);
        if (length > limit) {
          this.skipBody = length;
          this.onTooLarge(length);
        } else if (length === 0) {
          this.onFrame(Buffer.alloc(0));
        } else {
          this.bodyLength = length;
        }
        chunk = rest;
        continue;
      }
      const need = this.bodyLength - this.length;
      this.parts.push(chunk.subarray(0, need));
      this.length += Math.min(need, chunk.length);
      chunk = chunk.subarray(need);
      if (this.length === this.bodyLength) {
        this.bodyLength = -1;
        this.onFrame(this.take());
      }
    }
  }
}

function errorResponse(id, code, message, data) {
  const error = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

function resultResponse(id, result) {
  return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
}

// ------------------------------------------------------------------------------------ methods

const methods = {
  echo: async (params) => (params === undefined ? null : params),

  upper: async (params) => {
    const text = params && !Array.isArray(params) ? params.text : undefined;
    if (typeof text !== 'string') throw new RpcError(INVALID_PARAMS, 'upper needs params {"text": <string>}');
    return text.toUpperCase();
  },

  slow: async (params, ctx) => {
    const ms = params && !Array.isArray(params) ? params.ms : undefined;
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new RpcError(INVALID_PARAMS, 'slow needs params {"ms": <whole number, at least 0>}');
    }
    const start = Date.now();
    for (;;) {
      const slept = Date.now() - start;
      ctx.progress({ sleptMs: Math.min(slept, ms), ms });
      if (slept >= ms) return { sleptMs: ms };
      await ctx.sleep(Math.min(ms - slept, 100));
    }
  },
};

/** What a method knows about its request: its id, whether it was cancelled, how to notify. */
class Context {
  constructor(id) {
    this.id = id;
    this.cancelled = false;
    this.wake = null;
  }

  cancel() {
    this.cancelled = true;
    if (this.wake) this.wake();
  }

  progress(value) {
    send({ jsonrpc: '2.0', method: '$/progress', params: { id: this.id, value } });
  }

  /** Sleeps, or rejects with Cancelled as soon as the request is cancelled. */
  sleep(ms) {
    return new Promise((resolve, reject) => {
      if (this.cancelled) return reject(new Cancelled());
      const timer = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(timer); this.wake = null; reject(new Cancelled()); };
    });
  }
}

// ------------------------------------------------------------------------------------ dispatch

const running = new Map(); // JSON.stringify(id) -> Context of each request whose method runs

function validRequest(m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return false;
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string') return false;
  if (m.params !== undefined && m.params !== null && typeof m.params !== 'object') return false;
  return m.id === undefined || m.id === null || typeof m.id === 'string' || typeof m.id === 'number';
}

/**
 * Answers one message: the response, null for none, or -- for a method that runs -- a promise of
 * the response. What needs no method is answered at once, so answers keep the order of requests.
 */
function answer(m) {
  if (!validRequest(m)) return errorResponse(null, INVALID_REQUEST, 'Invalid Request');
  const notification = !('id' in m);
  const { id, method, params } = m;
  switch (method) {
    case '$/initialize':
      return notification ? null : resultResponse(id, {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: { cancel: true, ping: true },
        name: NAME,
      });
    case '$/ping':
      return notification ? null : resultResponse(id, {});
    case '$/cancelRequest': {
      const ctx = params && running.get(JSON.stringify(params.id));
      if (ctx) ctx.cancel();
      return notification ? null : resultResponse(id, null);
    }
    default:
  }
  if (notification) return null; // notifications are never answered; these ask for nothing we do
  const handler = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
  if (!handler) return errorResponse(id, METHOD_NOT_FOUND, 'Method not found', { method });
  const key = JSON.stringify(id);
  const ctx = new Context(id);
  running.set(key, ctx); // registered before the method runs, so a $/cancelRequest always finds it
  return run(handler, method, params, ctx).finally(() => running.delete(key));
}

async function run(handler, method, params, ctx) {
  let response = null;
  try {
    response = resultResponse(ctx.id, await handler(params, ctx));
  } catch (e) {
    if (e instanceof RpcError) {
      response = errorResponse(ctx.id, e.code, e.message, e.data);
    } else if (!(e instanceof Cancelled)) { // a bug in a method: say so, keep serving
      log(`${method} failed: ${e && e.stack ? e.stack : e}`);
      response = errorResponse(ctx.id, INTERNAL_ERROR, String((e && e.message) || e),
        { exception: (e && e.name) || typeof e });
    }
  }
  // once cancelled, the answer is always -32800
  return ctx.cancelled ? errorResponse(ctx.id, REQUEST_CANCELLED, 'request cancelled') : response;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function onFrame(frame) {
  let message;
  try {
    message = JSON.parse(utf8.decode(frame));
  } catch (e) { // not UTF-8, or not JSON
    send(errorResponse(null, PARSE_ERROR, 'Parse error'));
    return;
  }
  if (Array.isArray(message)) {
    if (message.length === 0) {
      send(errorResponse(null, INVALID_REQUEST, 'Invalid Request'));
      return;
    }
    Promise.all(message.map(answer)).then((answers) => {
      const some = answers.filter((a) => a !== null);
      if (some.length > 0) send(some); // nothing at all for a batch of notifications
    });
    return;
  }
  const a = answer(message);
  if (a instanceof Promise) a.then((r) => { if (r !== null) send(r); });
  else if (a !== null) send(a);
}

const reader = new FrameReader(
  onFrame,
  (size) => {
    log(`skipped a request: frame of ${size} bytes, more than the limit of ${limit} bytes`);
    send(errorResponse(null, INVALID_REQUEST, 'Invalid Request', { size, limit }));
  },
  (why) => { // Content-Length framing cannot find the next frame after this
    send(errorResponse(null, PARSE_ERROR, 'Parse error', why));
    log(`cannot read stdin any more: ${why}`);
    process.stdin.destroy();
  });

process.stdin.on('data', (chunk) => reader.push(chunk));
// Node exits by itself once stdin has ended and the last running method has answered.
process.stdin.on('end', () => log('stdin closed; exiting'));
log(`ready (framing ${framing}, frame limit ${limit} bytes)`);
