/**
 * Times the Python processes the engine starts while learning, by wrapping child_process.spawn for the
 * duration of one measurement. The engine calls spawn through the module object, so the wrapper sees
 * every call; nothing about the process itself changes.
 */
// A plain require: the module object itself, whose properties can be replaced (an ES namespace cannot).
import childProcess = require('node:child_process');
import { now } from './stats';

export interface PythonRun {
  /** True for the introspection helper (the run that imports the project's settings). */
  helper: boolean;
  ms: number;
}

type SpawnFn = typeof childProcess.spawn;

/** Runs `action` while recording every Python child it starts. */
export async function withPythonTimer<T>(action: () => Promise<T>): Promise<{ value: T; runs: PythonRun[] }> {
  const runs: PythonRun[] = [];
  const original: SpawnFn = childProcess.spawn;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const start = now();
    const child = (original as (...a: unknown[]) => childProcess.ChildProcess).apply(this, args);
    const command = String(args[0]);
    const argv = Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [];
    if (/python/i.test(command)) {
      const helper = argv.some((a) => /introspect|helper/i.test(a) && a.endsWith('.py'));
      child.once('close', () => runs.push({ helper, ms: now() - start }));
    }
    return child;
  } as unknown as SpawnFn;
  (childProcess as { spawn: SpawnFn }).spawn = wrapped;
  try {
    const value = await action();
    return { value, runs };
  } finally {
    (childProcess as { spawn: SpawnFn }).spawn = original;
  }
}
