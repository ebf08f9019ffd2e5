/**
 * The server's V8 flags, set by the server itself, and lifted while it walks static folders. Under
 * `--optimize-for-size` V8 runs a memory-reducing full collection each time the heap grows a little, and during
 * the first walk it grows because the index does: at 1M files that was 7 collections marking the whole heap
 * (about 0.5 s of the helper threads' CPU, a quarter of the walk's) where 2 without the flag, with 5 MB more at
 * the peak (110 against 115 MB). Once no walk runs the flag is back, so the idle server stays near its live size.
 */
import * as v8 from 'node:v8';
import { launchState } from './hotPaths';
import { SERVER_V8_FLAGS } from './serverFlags';

const LIFTED = '--no-optimize-for-size';

/** True once this process runs under SERVER_V8_FLAGS set by applyServerFlags (the language server). */
let applied = false;
let walks = 0;

/** Sets SERVER_V8_FLAGS in this process (too late for the heap's first sizing, but they still steer its growth). */
export function applyServerFlags(): void {
  v8.setFlagsFromString(SERVER_V8_FLAGS.join(' '));
  applied = true;
}

/**
 * Lifts `--optimize-for-size` until `walk` settles (and every other walk lifted with it). Not in a process that
 * never set it (the CLI, tests), and not while this start's code cache is still to be written: V8 keys the cache
 * by the flags, so one made while they are lifted would be refused at the next start.
 */
export function liftWhileWalking(walk: Promise<unknown>): void {
  if (!applied || !SERVER_V8_FLAGS.includes('--optimize-for-size') || cachePending()) return;
  if (walks++ === 0) v8.setFlagsFromString(LIFTED);
  const ended = (): void => {
    if (--walks === 0) v8.setFlagsFromString(SERVER_V8_FLAGS.join(' '));
  };
  walk.then(ended, ended);
}

function cachePending(): boolean {
  const state = launchState();
  return state !== undefined && state.cache !== 'used' && state.cache !== 'off' && state.written === undefined;
}
