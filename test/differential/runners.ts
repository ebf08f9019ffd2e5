/**
 * Runs real Django (the version its env selects) and our CLI over one generated tree and returns what each printed, so the test can
 * compare them. Real `manage.py findstatic` runs as its own process (its bytes are what we must match);
 * the --first lookup, the escaping lookup and collectstatic share one `manage.py shell` process driving
 * the same management commands through `call_command`, which keeps ~200 trees within CI time.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GeneratedTree, Random } from './generator';

export const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../../..');

/** The CLI bundle under test: built privately by bundleCli(), so a concurrent `npm run build` cannot race it. */
let cliPath = path.join(REPO, 'dist/cli.js');

/**
 * Bundles the current sources the way scripts/build.mjs does, into `dir` with the Python helper beside it.
 * Falls back to dist/cli.js when esbuild is unavailable.
 */
export async function bundleCli(dir: string): Promise<string> {
  try {
    const esbuild = require('esbuild') as typeof import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(REPO, 'server/src/cli/main.ts')],
      outfile: path.join(dir, 'cli.js'),
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      logLevel: 'warning',
    });
    fs.cpSync(path.join(REPO, 'server/python'), path.join(dir, 'python'), {
      recursive: true,
      filter: (src) => !src.includes('__pycache__'),
    });
    cliPath = path.join(dir, 'cli.js');
  } catch (err) {
    if (!fs.existsSync(cliPath))
      throw new Error(`Cannot bundle the CLI (${(err as Error).message}) and dist/cli.js is missing: run npm run build.`);
  }
  return cliPath;
}

export interface Output {
  stdout: string;
  stderr: string;
  code: number;
}

const FIXED_ENV = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' };

/** The environment both sides run in: `base` (which selects the Django version) with a fixed locale. */
export function runEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...FIXED_ENV };
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = runEnv()): Promise<Output> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** The labels one tree is queried with: present, shadowed, prefixed, folders, variants, missing. */
export interface Queries {
  all: string[];
  first: string[];
  /** Null when this tree skips the escaping check (it costs a process per side; half the trees do it). */
  escaping: string | null;
}

export function buildQueries(tree: GeneratedTree, rng: Random): Queries {
  const labels = new Set<string>();
  const dests = tree.destinations;
  for (const d of rng.sample(dests, 12)) labels.add(d);
  for (const d of dests.filter((x) => /(^|\/)\.|~$|(^|\/)CVS(\/|$)/.test(x)).slice(0, 3)) labels.add(d);
  for (const prefix of tree.prefixes) {
    labels.add(`${prefix}/`);
    labels.add(prefix);
    const under = dests.find((d) => d.startsWith(`${prefix}/`));
    if (under) labels.add(under.slice(prefix.length + 1)); // the prefixed file asked for without its prefix
  }
  for (const folder of rng.sample(tree.folders, 3)) {
    labels.add(folder);
    labels.add(`${folder}/`);
  }
  if (dests.length) {
    const d = rng.pick(dests);
    labels.add(`./${d}`);
    labels.add(`${d}/`);
    labels.add(d.replace('/', '//'));
    labels.add(`zz/../${d}`);
    labels.add(d.toUpperCase());
  }
  labels.add('nope/missing.css');
  labels.add('css/nope.css');
  if (rng.chance(0.15)) labels.add('');
  if (rng.chance(0.15)) labels.add('.');
  const all = [...labels].filter((l) => !l.startsWith('-'));
  const first = rng.sample(all, 8);
  const escapes = ['../dproj/settings.py', '/etc/passwd', 'css/../../x.css', ...tree.prefixes.flatMap((p) => [`${p}//x.css`, `${p}/../x`])];
  const escaping = rng.pick(escapes);
  return { all, first, escaping: rng.chance(0.5) ? escaping : null };
}

/** What the Django side produced for one tree. */
export interface DjangoResult {
  findAll: Output;
  first: Output;
  escaping: Output;
  /** collectstatic's exit code and error, if any. */
  collect: { ok: boolean; error: string };
  /** STATIC_ROOT after collectstatic: destination → content. */
  collected: Map<string, string>;
}

const DRIVER_MARK = '@@driver-result@@';
const DRIVER = `
import io, json, sys
from django.core.management import call_command
spec = json.loads(sys.stdin.read())
MARK = '@@driver-result@@'
def run(*args, **kw):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **kw)
        return {'stdout': out.getvalue(), 'stderr': err.getvalue(), 'code': 0}
    except Exception as e:
        return {'stdout': out.getvalue(), 'stderr': err.getvalue() + type(e).__name__ + ': ' + str(e) + '\\n', 'code': 1}
res = {
    'first': run('findstatic', *spec['first'], all=False),
    'escaping': run('findstatic', spec['escaping']) if spec['escaping'] is not None else {'stdout': '', 'stderr': '', 'code': 0},
    'collect': run('collectstatic', interactive=False, verbosity=0),
}
print(MARK + json.dumps(res))
`;

export async function runDjango(tree: GeneratedTree, q: Queries, env: NodeJS.ProcessEnv = runEnv()): Promise<DjangoResult> {
  const findAll = await run(PYTHON, ['manage.py', 'findstatic', '--', ...q.all], tree.dir, env);
  const driver = await runWithInput(PYTHON, ['manage.py', 'shell', '-c', DRIVER], tree.dir, JSON.stringify(q), env);
  if (driver.code !== 0) throw new Error(`Django driver failed for tree ${tree.seed}: ${driver.stderr.slice(-2000)}`);
  // Django 5.2's shell prints its automatic imports first: the result follows a marker.
  const marked = driver.stdout.lastIndexOf(DRIVER_MARK);
  if (marked === -1) throw new Error(`Django driver printed no result for tree ${tree.seed}: ${driver.stdout.slice(-2000)}`);
  const res = JSON.parse(driver.stdout.slice(marked + DRIVER_MARK.length)) as { first: Output; escaping: Output; collect: Output };
  const staticRoot = path.join(tree.dir, 'static_root');
  const collected = new Map<string, string>();
  for (const rel of walkFiles(staticRoot)) collected.set(rel, fs.readFileSync(path.join(staticRoot, rel), 'utf8'));
  return {
    findAll,
    first: res.first,
    escaping: res.escaping,
    collect: { ok: res.collect.code === 0, error: res.collect.stderr },
    collected,
  };
}

/** What our CLI produced for one tree in one mode. */
export interface OursResult {
  findAll: Output;
  first: Output;
  escaping: Output;
  list: Output;
}

export async function runOurs(
  tree: GeneratedTree,
  q: Queries,
  mode: 'django' | 'static',
  env: NodeJS.ProcessEnv = runEnv(),
): Promise<OursResult> {
  const base = [cliPath, '--root', tree.dir, '--mode', mode, '--python', PYTHON];
  const skipped: Output = { stdout: '', stderr: '', code: 0 };
  const [findAll, first, escaping, list] = await Promise.all([
    run(process.execPath, [base[0], 'find', ...base.slice(1), '--', ...q.all], tree.dir, env),
    run(process.execPath, [base[0], 'find', ...base.slice(1), '--first', '--', ...q.first], tree.dir, env),
    q.escaping === null ? skipped : run(process.execPath, [base[0], 'find', ...base.slice(1), '--', q.escaping], tree.dir, env),
    run(process.execPath, [base[0], 'list', ...base.slice(1), '--json'], tree.dir, env),
  ]);
  return { findAll, first, escaping, list };
}

function runWithInput(cmd: string, args: string[], cwd: string, input: string, env: NodeJS.ProcessEnv): Promise<Output> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    child.stdin!.end(input);
  });
}

export function walkFiles(root: string, rel = ''): string[] {
  const abs = rel ? path.join(root, rel) : root;
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walkFiles(root, childRel));
    else out.push(childRel);
  }
  return out;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
