/**
 * Long work written as a generator that yields between small steps, run either at once (the CLI, tests) or in
 * slices with the event loop free between them (the server, where completion must not wait behind it).
 */

/** Runs `steps` to the end and gives its result. */
export function atOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs `steps` about `sliceMs` at a time, letting other messages through between slices; undefined when
 * `stale()`, asked after each pause, says the result would no longer be wanted.
 */
export async function inSlices<T>(steps: Generator<void, T>, sliceMs: number, stale: () => boolean = () => false): Promise<T | undefined> {
  let slice = Date.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (Date.now() - slice < sliceMs) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (stale()) return undefined;
    slice = Date.now();
  }
}
