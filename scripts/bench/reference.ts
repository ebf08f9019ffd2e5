/**
 * The yardsticks the index is compared with, spawned and timed in the same run on the same tree:
 * `find <roots> -type f` (the cost of merely listing the files) and Django's own
 * `manage.py collectstatic --dry-run --noinput` (what a user would otherwise run).
 */
import { spawn } from 'node:child_process';
import { GeneratedProject } from './generate';
import { now } from './stats';

export const DJANGO_PYTHON = '/usr/bin/python3';

interface RunResult {
  ms: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Spawns a command (`input` written to its stdin), drains its output and times it from spawn to exit. */
export function timedRun(command: string, args: string[], cwd: string, keepStdout = true, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input ?? '');
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (keepStdout) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = now() - start;
      resolve({ ms, stdout: keepStdout ? Buffer.concat(out).toString() : String(outBytes), stderr: Buffer.concat(err).toString(), code });
    });
  });
}

/** The JSON line a bench child (indexOnce, checkOnce) printed last; throws the error it printed, or what it said on stderr. */
export function childResult<T>(result: RunResult, child: string): T {
  const last = result.stdout.trim().split('\n').pop() ?? '';
  let parsed: T & { error?: string };
  try {
    parsed = JSON.parse(last) as T & { error?: string };
  } catch {
    throw new Error(`${child} printed no result (exit ${result.code}): ${result.stderr.trim().split('\n').pop()}`);
  }
  if (parsed.error) throw new Error(parsed.error);
  return parsed;
}

/** `find <every static root> -type f`; checks it listed every generated file. */
export async function measureFind(project: GeneratedProject): Promise<number> {
  const result = await timedRun('find', [...project.staticRoots, '-type', 'f'], project.root);
  const listed = result.stdout.split('\n').filter(Boolean).length;
  if (result.code !== 0 || listed < project.fileCount) {
    throw new Error(`find listed ${listed} of ${project.fileCount} files (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return result.ms;
}

/** `manage.py collectstatic --dry-run --noinput` with real Django; checks its summary line. */
export async function measureDjangoDryRun(project: GeneratedProject): Promise<number> {
  const result = await timedRun(DJANGO_PYTHON, ['manage.py', 'collectstatic', '--dry-run', '--noinput'], project.root);
  const summary = /(\d+) static files? copied/.exec(result.stdout);
  if (result.code !== 0 || !summary) {
    throw new Error(`collectstatic --dry-run failed (exit ${result.code}): ${result.stderr.trim().split('\n').pop()}`);
  }
  if (Number(summary[1]) !== project.uniquePaths) {
    throw new Error(`collectstatic reported ${summary[1]} files, expected ${project.uniquePaths}`);
  }
  return result.ms;
}
