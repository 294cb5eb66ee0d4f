#!/usr/bin/env node
// The Node example worker: three methods on warmpool_worker.js (CommonJS, no packages, Node 18+).
//
//   echo    any params -> the same params
//   upper   {"text": "abc"} -> "ABC"
//   slow    {"ms": 250} -> {"sleptMs": 250} after 250 ms, with $/progress every 100 ms; cancellable
//
// warmpool_worker does the protocol (docs/PROTOCOL.md): the handshake, $/ping, $/cancelRequest,
// both framings, errors. Copy both files and replace the methods.
//
// Run by a pool as:  node examples/node/worker.js
'use strict';

const { Worker, InvalidParams } = require('./warmpool_worker');

const worker = new Worker('node-example');

worker.method('echo', (params) => params);

worker.method('upper', (params) => {
  const text = params && !Array.isArray(params) ? params.text : undefined;
  if (typeof text !== 'string') throw new InvalidParams('upper needs params {"text": <string>}');
  return text.toUpperCase();
});

worker.method('slow', async (params, ctx) => {
  const ms = params && !Array.isArray(params) ? params.ms : undefined;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidParams('slow needs params {"ms": <whole number, at least 0>}');
  const start = Date.now();
  for (;;) {
    const slept = Date.now() - start;
    ctx.progress({ sleptMs: Math.min(slept, ms), ms });
    if (slept >= ms) return { sleptMs: ms };
    await ctx.sleep(Math.min(ms - slept, 100)); // rejects with Cancelled when the pool cancels the request
  }
});

worker.serve();
