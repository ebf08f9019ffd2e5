/**
 * Loaded into the language server with `--require` by assetSlices.test.ts: while the file named by
 * SLOW_REPLAY_HOLD exists, every read of a CSS file inside SLOW_REPLAY_ROOT takes 20 ms longer, so the CSS/JS
 * replay is still running for as long as the test needs. The first such read writes SLOW_REPLAY_HOLD + '.read':
 * the replay has begun.
 */
// The module itself, not a copy of its exports: the server must see the wrapped function.
import fs = require('node:fs');
import * as path from 'node:path';

const root = process.env.SLOW_REPLAY_ROOT;
const hold = process.env.SLOW_REPLAY_HOLD;
const pause = new Int32Array(new SharedArrayBuffer(4));

const readFileSync = fs.readFileSync;
(fs as { readFileSync: unknown }).readFileSync = function (file: fs.PathOrFileDescriptor, ...rest: unknown[]) {
  if (
    root &&
    hold &&
    typeof file === 'string' &&
    file.endsWith('.css') &&
    !path.relative(root, file).startsWith('..') &&
    fs.existsSync(hold)
  ) {
    if (!fs.existsSync(`${hold}.read`)) fs.writeFileSync(`${hold}.read`, '');
    Atomics.wait(pause, 0, 0, 20);
  }
  return (readFileSync as (...args: unknown[]) => unknown).call(fs, file, ...rest);
};
