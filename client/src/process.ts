/**
 * Runs the project's Python with streamed output and cancellation. No `vscode` here: callers wire the
 * streams to an output channel and the cancellation to a progress notification.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Called with a function that stops the process (SIGTERM, then SIGKILL after 3 s). */
  onCancellable?: (cancel: () => void) => void;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Null when the process was killed or could not start. */
  exitCode: number | null;
  cancelled: boolean;
  timedOut: boolean;
  /** Set when the interpreter could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export function runPython(python: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    let timedOut = false;
    let settled = false;
    const child = spawn(python, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 3000).unref();
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
    options.onCancellable?.(() => {
      cancelled = true;
      stop();
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    const finish = (exitCode: number | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, cancelled, timedOut, spawnError });
    };
    child.on('error', (err) => finish(null, err.message));
    child.on('close', (code) => finish(code));
  });
}
