/**
 * Loaded into the language server with `--require` by walkEvents.test.ts: while the file named by
 * SLOW_WALK_HOLD exists, every listing of a folder inside SLOW_WALK_ROOT takes 20 ms longer, so the walk of that root is still running for as long as the test needs. The
 * first such listing writes SLOW_WALK_HOLD + '.read' once it has its answer: the root has been read.
 */
// The module itself, not a copy of its exports: the server must see the wrapped functions.
import fs = require('node:fs');
import * as path from 'node:path';

const root = process.env.SLOW_WALK_ROOT;
const hold = process.env.SLOW_WALK_HOLD;
const pause = new Int32Array(new SharedArrayBuffer(4));

function slowed(dir: unknown): boolean {
  if (!root || !hold || (typeof dir !== 'string' && !(dir instanceof URL) && !Buffer.isBuffer(dir))) return false;
  const rel = path.relative(root, path.resolve(String(dir instanceof URL ? dir.pathname : dir)));
  return !rel.startsWith('..') && !path.isAbsolute(rel) && fs.existsSync(hold);
}

function noteRead(): void {
  if (hold && !fs.existsSync(`${hold}.read`)) fs.writeFileSync(`${hold}.read`, '');
}

const readdirSync = fs.readdirSync;
(fs as { readdirSync: unknown }).readdirSync = function (dir: fs.PathLike, ...rest: unknown[]) {
  const slow = slowed(dir);
  if (slow) Atomics.wait(pause, 0, 0, 20);
  const result = (readdirSync as (...args: unknown[]) => unknown).call(fs, dir, ...rest);
  if (slow) noteRead();
  return result;
};

async function released(dir: unknown): Promise<boolean> {
  const slow = slowed(dir);
  if (slow) await new Promise((resolve) => setTimeout(resolve, 20));
  return slow;
}

const promisesReaddir = fs.promises.readdir;
(fs.promises as { readdir: unknown }).readdir = async function (dir: fs.PathLike, ...rest: unknown[]) {
  const slow = await released(dir);
  const result = await (promisesReaddir as (...args: unknown[]) => Promise<unknown>).call(fs.promises, dir, ...rest);
  if (slow) noteRead();
  return result;
};

const readdir = fs.readdir;
(fs as { readdir: unknown }).readdir = function (dir: fs.PathLike, ...rest: unknown[]) {
  void released(dir).then((slow) => {
    const callback = rest.pop() as (...args: unknown[]) => void;
    (readdir as (...args: unknown[]) => void).call(fs, dir, ...rest, (...answer: unknown[]) => {
      if (slow) noteRead();
      callback(...answer);
    });
  });
};
