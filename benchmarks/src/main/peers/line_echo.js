// The Node pipe floor: writes every complete line of stdin back to stdout at once. No JSON, no protocol.
'use strict';

let rest = null;
process.stdin.on('data', (chunk) => {
  if (rest !== null) {
    chunk = Buffer.concat([rest, chunk]);
    rest = null;
  }
  const last = chunk.lastIndexOf(0x0a);
  if (last < 0) {
    rest = chunk;
    return;
  }
  process.stdout.write(last === chunk.length - 1 ? chunk : chunk.subarray(0, last + 1));
  if (last < chunk.length - 1) rest = chunk.subarray(last + 1);
});
