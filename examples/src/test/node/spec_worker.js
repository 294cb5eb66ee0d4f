// The worker the conformance tests (WorkerLibraryConformance.java) run: warmpool_worker.js with the
// methods the JSON-RPC 2.0 specification's section 7 examples assume, and a few that exercise the
// library (long, CPU-bound, failing, too large, noisy).
'use strict';

const path = require('path');
const { Worker, RpcError } = require(path.join(__dirname, '..', '..', '..', 'node', 'warmpool_worker'));

const worker = new Worker('spec');
let notified = [];
const show = (p) => JSON.stringify(p).replace(/,/g, ', ');

worker.method('subtract', (p) => (Array.isArray(p) ? p[0] - p[1] : p.minuend - p.subtrahend));
worker.method('sum', (p) => p.reduce((a, b) => a + b, 0));
worker.method('update', (p) => { notified.push(`update ${show(p)}`); });
worker.method('notify_hello', (p) => { notified.push(`notify_hello ${show(p)}`); });
worker.method('notify_sum', (p) => { notified.push(`notify_sum ${show(p)}`); });
worker.method('get_data', () => ['hello', 5]);
// the notifications handled since the last call, in order (and forgets them)
worker.method('take-notified', () => {
  const taken = notified;
  notified = [];
  return taken;
});
worker.method('sleep', async (p, ctx) => {
  await ctx.sleep(p.ms);
  return { slept: p.ms };
});
// computes until cancelled, yielding to the event loop between slices: how Node code stays cancellable
worker.method('spin', async (p, ctx) => {
  let n = 0;
  while (!ctx.cancelled) {
    for (let i = 0; i < 10000; i++) n++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { spun: n };
});
// waits for ctx.signal, the AbortSignal of the request
worker.method('background', (p, ctx) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => resolve({ slept: p.ms }), p.ms);
  ctx.signal.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(ctx.signal.reason);
  });
}));
worker.method('fail', () => null.nothing);
worker.method('refuse', () => { throw new RpcError(-31000, 'refused', { why: 'asked to' }); });
worker.method('big', (p) => 'x'.repeat(p.chars));
worker.method('noisy', () => {
  console.log('a stray line that must not reach stdout');
  return 'quiet';
});
worker.method('progress', (p, ctx) => {
  for (let i = 0; i < p.n; i++) ctx.progress({ step: i });
  return 'done';
});

worker.serve();
