import type { ChildProcess } from 'node:child_process';

/** child_process on first use: loading it is a part of the start-up, and the first answer runs no Python. */
const childProcess = (): typeof import('node:child_process') => require('node:child_process');
import { readdirSync, readFileSync } from 'node:fs';

/** What a finished (or killed) child process produced. */
export interface ProcessResult {
  /** Exit code, or null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the timeout fired and the process group was killed. */
  timedOut: boolean;
  /** True when stdout went past its limit and the process group was killed. */
  outputLimit?: boolean;
  /** Processes the command started that left its process group; they were ended once it finished. */
  escaped?: number[];
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  elapsedMs: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Output kept per stream: a settings module that prints without end must not fill the server's memory. */
const MAX_STDOUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 1024 * 1024;
/** How long the pipes may stay open after the process exited and its group was ended. */
const DRAIN_MS = 300;
/** Set in the child's environment so processes that leave its group can still be found (Linux, /proc). */
const RUN_MARKER = 'DJANGO_STATIC_RUN';

/** Process groups still running, ended if this process exits first (a server shut down mid-learn). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Runs a command without a shell and collects its output. The command runs in its own process group, and
 * the whole group is ended when the command exits (not only on timeout), so what a settings module started
 * (a subprocess, a fork) does not outlive it; the result is taken at 'exit', not when every copy of stdout
 * is closed, so a child holding the pipe open cannot turn a fine run into a timeout. Processes that left the
 * group (a daemon calling setsid) are found by a marker in their environment, ended, and listed in `escaped`.
 */
export function runProcess(command: string, args: string[], options: RunOptions): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const isWindows = process.platform === 'win32';
    const marker = `${process.pid}-${started}-${Math.random().toString(36).slice(2)}`;
    let child: ChildProcess;
    try {
      child = childProcess().spawn(command, args, {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), [RUN_MARKER]: marker },
        // A new process group on POSIX lets us kill the helper and its children at once.
        detached: !isWindows,
        // No stdin: a settings module reading it gets EOF at once instead of waiting for the timeout.
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', timedOut: false, spawnError: String(err), elapsedMs: 0 });
      return;
    }
    const pid = child.pid;
    if (pid !== undefined && !isWindows) trackGroup(pid);
    const stdout = new Collector(MAX_STDOUT_BYTES, false);
    const stderr = new Collector(MAX_STDERR_BYTES, true);
    let timedOut = false;
    let outputLimit = false;
    let spawnError: string | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let finished = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.add(chunk)) return;
      outputLimit = true;
      killTree(pid, isWindows);
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));

    const timer = setTimeout(() => {
      timedOut = true;
      killTree(pid, isWindows);
    }, options.timeoutMs);

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      // Whatever still holds the pipes is not waited for.
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (pid !== undefined) liveGroups.delete(pid);
      const escaped = isWindows ? [] : endEscaped(marker, pid);
      resolve({
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        outputLimit,
        escaped,
        spawnError,
        elapsedMs: Date.now() - started,
      });
    };
    let drainTimer: NodeJS.Timeout | undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code ? `${err.code}: ${err.message}` : err.message;
      if (pid === undefined) finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The helper is done: end what it left in its group, then give the pipes a moment to drain.
      killTree(pid, isWindows);
      drainTimer = setTimeout(finish, DRAIN_MS);
    });
    child.on('close', finish);
  });
}

/** Keeps at most `limit` bytes of a stream (the first ones, or for stderr the last ones). */
class Collector {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(
    private readonly limit: number,
    private readonly keepTail: boolean,
  ) {}

  /** False once the stream went past its limit. */
  add(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes <= this.limit) return true;
    if (!this.keepTail) {
      this.chunks = [Buffer.concat(this.chunks).subarray(0, this.limit)];
      this.bytes = this.limit;
      return false;
    }
    // Trimmed only once twice the limit is held, so an endless stream costs one copy per `limit` bytes.
    if (this.bytes > 2 * this.limit) {
      const all = Buffer.concat(this.chunks);
      this.chunks = [all.subarray(all.length - this.limit)];
      this.bytes = this.limit;
    }
    return true;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return (this.keepTail && all.length > this.limit ? all.subarray(all.length - this.limit) : all).toString('utf8');
  }
}

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killTree(group, false);
  });
}

/**
 * Processes outside the group that carry this run's marker (they called setsid, or double-forked into a new
 * session): ended, and returned so the caller can say so. Linux only (/proc); elsewhere nothing is found.
 */
function endEscaped(marker: string, ownGroup: number | undefined): number[] {
  const found: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  const needle = `${RUN_MARKER}=${marker}`;
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      // Fields after the command name: state, parent, process group.
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || Number(group) === ownGroup) continue; // dead and not yet reaped, or killed with the group
      process.kill(pid, 'SIGKILL');
      found.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function killTree(pid: number | undefined, isWindows: boolean): void {
  if (pid === undefined) return;
  try {
    if (isWindows) {
      childProcess().spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-pid, 'SIGKILL');
    }
  } catch {
    // Already gone.
  }
}
