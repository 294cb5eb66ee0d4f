// The plainest inline Node warmpool worker: split lines, JSON.parse, answer. No cancellation, no
// ping, no error handling: the yardstick warmpool_worker.js is held against.
'use strict';

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  buffered += text;
  let nl;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    if (line.trim() === '') continue;
    const m = JSON.parse(line);
    if (m.id === undefined) continue;
    const result = m.method === '$/initialize' ? { protocolVersion: 1, capabilities: {}, name: 'plain-node' } : m.params;
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: m.id, result })}\n`);
  }
});
