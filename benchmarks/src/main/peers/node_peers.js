// Drives a Node worker pool for the peers benchmark and prints what it measured as one JSON line.
//
//   node node_peers.js PEER PAYLOAD latency WARMUP TIMED
//   node node_peers.js PEER PAYLOAD throughput WORKERS CALLERS WARMUP_MS MEASURE_MS
//
// PEER is workerpool-process, workerpool-thread or piscina; PAYLOAD the JSON every call sends (and
// gets back). latency: one caller, WARMUP calls, then TIMED calls each timed with
// process.hrtime.bigint(); prints {"latenciesNs": [...]}. throughput: a pool of WORKERS, CALLERS
// concurrent callers each calling again as soon as it has its answer, WARMUP_MS of warm-up, then
// the answers of MEASURE_MS counted; prints {"requests": n, "seconds": s}. The packages are found
// through NODE_PATH (benchmarks/target/peers/node_modules).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');

function version(name) {
  for (const dir of (process.env.NODE_PATH || '').split(path.delimiter)) {
    const file = path.join(dir, name, 'package.json');
    if (dir && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}

function open(peer, workers) {
  if (peer === 'workerpool-process' || peer === 'workerpool-thread') {
    const workerpool = require('workerpool');
    const pool = workerpool.pool(path.join(__dirname, 'workerpool_worker.js'), {
      workerType: peer === 'workerpool-process' ? 'process' : 'thread',
      minWorkers: workers,
      maxWorkers: workers,
    });
    return { call: (p) => pool.exec('echo', [p]), close: () => pool.terminate(), version: version('workerpool') };
  }
  if (peer === 'piscina') {
    const { Piscina } = require('piscina');
    const pool = new Piscina({ filename: path.join(__dirname, 'piscina_worker.js'), minThreads: workers, maxThreads: workers });
    return { call: (p) => pool.run(p), close: () => pool.destroy(), version: version('piscina') };
  }
  throw new Error(`unknown peer '${peer}': expected workerpool-process, workerpool-thread or piscina`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function latency(pool, payload, warmup, timed) {
  for (let i = 0; i < warmup; i++) await pool.call(payload);
  const ns = new Array(timed);
  for (let i = 0; i < timed; i++) {
    const start = process.hrtime.bigint();
    await pool.call(payload);
    ns[i] = Number(process.hrtime.bigint() - start);
  }
  return { latenciesNs: ns };
}

async function throughput(pool, payload, callers, warmupMs, measureMs) {
  let counting = false;
  let stop = false;
  let requests = 0;
  const caller = async () => {
    while (!stop) {
      await pool.call(payload);
      if (counting) requests++;
    }
  };
  const running = Array.from({ length: callers }, caller);
  await sleep(warmupMs);
  counting = true;
  const start = process.hrtime.bigint();
  await sleep(measureMs);
  counting = false;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  stop = true;
  await Promise.all(running);
  return { requests, seconds };
}

async function main() {
  const [peer, payloadText, mode, ...rest] = process.argv.slice(2);
  const payload = JSON.parse(payloadText);
  const n = rest.map(Number);
  const workers = mode === 'latency' ? 1 : n[0];
  const pool = open(peer, workers);
  try {
    assert.deepStrictEqual(await pool.call(payload), payload, `${peer} did not answer with the payload`);
    let result;
    if (mode === 'latency') result = await latency(pool, payload, n[0], n[1]);
    else if (mode === 'throughput') result = await throughput(pool, payload, n[1], n[2], n[3]);
    else throw new Error(`unknown mode '${mode}': expected latency or throughput`);
    process.stdout.write(`${JSON.stringify({ peer, version: pool.version, runtime: `node ${process.version}`, ...result })}\n`);
  } finally {
    await pool.close();
  }
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
