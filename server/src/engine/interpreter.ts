import { fsAsync as fs } from './fsAsync';
import * as path from 'node:path';
import { exists, isFile } from './fsUtil';
import { runProcess } from './processes';

/** One interpreter that was considered, and why it was kept or not. */
export interface InterpreterAttempt {
  python: string;
  /** Django version when `import django` worked. */
  djangoVersion?: string;
  /** Why it was not usable, in words. */
  reason?: string;
}

export interface InterpreterChoice {
  /** The first candidate where `import django` works, or null. */
  python: string | null;
  djangoVersion: string | null;
  /** Every candidate in the order tried. */
  attempts: InterpreterAttempt[];
}

const CHECK_TIMEOUT_MS = 10000;
const VENV_NAMES = ['.venv', 'venv', 'env'];

/**
 * Interpreters to try, in order: the explicit one, the project's virtual environments (projectDir and its
 * parents up to `stopAt`), an activated VIRTUAL_ENV, then `python3` on PATH and `/usr/bin/python3`.
 */
export async function interpreterCandidates(projectDir: string, explicit?: string, stopAt?: string): Promise<string[]> {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit.includes('/') || explicit.includes('\\') ? path.resolve(projectDir, explicit) : explicit);
  const bin = process.platform === 'win32' ? path.join('Scripts', 'python.exe') : path.join('bin', 'python');
  for (const dir of await venvSearchDirs(projectDir, stopAt)) {
    for (const name of VENV_NAMES) {
      const python = path.join(dir, name, bin);
      if (await isFile(python)) candidates.push(python);
    }
  }
  if (process.env.VIRTUAL_ENV) candidates.push(path.join(process.env.VIRTUAL_ENV, bin));
  if (process.platform === 'win32') candidates.push('python', 'py');
  else candidates.push('python3', '/usr/bin/python3');
  return [...new Set(candidates)];
}

/**
 * The first candidate interpreter that can `import django`, with every attempt recorded. An explicit
 * interpreter is the only candidate: when it cannot be used that is the answer, never another Python
 * (the user asked for that one, and silently running a different Django would mislead).
 */
export async function findInterpreter(projectDir: string, explicit?: string, stopAt?: string): Promise<InterpreterChoice> {
  const attempts: InterpreterAttempt[] = [];
  const candidates = await interpreterCandidates(projectDir, explicit, stopAt);
  for (const python of explicit ? candidates.slice(0, 1) : candidates) {
    const attempt = await checkDjango(python);
    attempts.push(attempt);
    if (attempt.djangoVersion) return { python, djangoVersion: attempt.djangoVersion, attempts };
  }
  return { python: null, djangoVersion: null, attempts };
}

const djangoChecks = new Map<string, Promise<InterpreterAttempt>>();

/** Whether `import django` works with this interpreter; cached per path for the life of the process. */
export function checkDjango(python: string): Promise<InterpreterAttempt> {
  let pending = djangoChecks.get(python);
  if (!pending) {
    pending = runDjangoCheck(python);
    djangoChecks.set(python, pending);
  }
  return pending;
}

/** Forgets cached interpreter checks (after the user installs Django, say). */
export function clearInterpreterCache(): void {
  djangoChecks.clear();
  sitePackagesCache.clear();
}

async function runDjangoCheck(python: string): Promise<InterpreterAttempt> {
  // cwd '/' so that a folder named `django` in the project can't pass for the real package.
  const result = await runProcess(python, ['-c', 'import django, sys; sys.stdout.write(django.get_version())'], {
    cwd: path.parse(process.cwd()).root,
    env: process.env,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  if (result.spawnError) return { python, reason: `cannot run it (${result.spawnError})` };
  if (result.timedOut) return { python, reason: `'import django' took longer than ${CHECK_TIMEOUT_MS / 1000} s` };
  if (result.code === 0 && result.stdout.trim()) return { python, djangoVersion: result.stdout.trim() };
  const lastLine = result.stderr.trim().split('\n').pop() ?? '';
  return {
    python,
    reason: /ModuleNotFoundError|ImportError/.test(lastLine) ? 'no Django installed' : lastLine || `exit code ${result.code}`,
  };
}

/** Words for the attempts, e.g. `python3 (no Django installed), /usr/bin/python3 (cannot run it ...)`. */
export function describeAttempts(attempts: InterpreterAttempt[]): string {
  return attempts.map((a) => (a.reason ? `${a.python} (${a.reason})` : a.python)).join(', ');
}

const SITE_PACKAGES_SCRIPT = [
  'import json, os, site, sys, sysconfig',
  // PYTHONPATH comes before site-packages on sys.path, so a Django there is the one the project imports.
  "paths = [os.path.abspath(p) for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]",
  'try:\n    paths += site.getsitepackages()\nexcept Exception:\n    pass',
  'try:\n    paths.append(site.getusersitepackages())\nexcept Exception:\n    pass',
  "paths.append(sysconfig.get_paths()['purelib'])",
  'sys.stdout.write(json.dumps(paths))',
].join('\n');

/**
 * The interpreter's site-packages folders that exist (runs only the interpreter, never project code).
 * Empty when the interpreter can't be run.
 */
export function sitePackagesOf(python: string): Promise<string[]> {
  let pending = sitePackagesCache.get(python);
  if (!pending) {
    pending = querySitePackages(python);
    sitePackagesCache.set(python, pending);
  }
  return pending;
}

const sitePackagesCache = new Map<string, Promise<string[]>>();

async function querySitePackages(python: string): Promise<string[]> {
  const result = await runProcess(python, ['-c', SITE_PACKAGES_SCRIPT], {
    cwd: path.parse(process.cwd()).root,
    env: process.env,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  if (result.code !== 0) return [];
  try {
    const paths = JSON.parse(result.stdout) as unknown;
    if (!Array.isArray(paths)) return [];
    return existingDirs(paths.filter((p): p is string => typeof p === 'string'));
  } catch {
    return [];
  }
}

/**
 * site-packages folders found without executing anything: the project's virtual environments first, then
 * the system's (Debian's dist-packages included) so django.contrib apps can still be located.
 */
export async function sitePackagesWithoutRunning(projectDir: string, stopAt?: string): Promise<string[]> {
  const venvs = (await venvSearchDirs(projectDir, stopAt)).flatMap((dir) => VENV_NAMES.map((name) => path.join(dir, name)));
  if (process.env.VIRTUAL_ENV) venvs.push(process.env.VIRTUAL_ENV);
  // PYTHONPATH first, as the interpreter would put it on sys.path.
  const found: string[] = (process.env.PYTHONPATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((p) => path.resolve(p));
  for (const venv of venvs) {
    found.push(...(await folderGlob(path.join(venv, 'lib'), 'python', 'site-packages')), path.join(venv, 'Lib', 'site-packages'));
  }
  if (process.platform !== 'win32') {
    // The order of Debian's sys.path: /usr/local before /usr.
    found.push(
      ...(await folderGlob('/usr/local/lib', 'python3', 'site-packages')),
      ...(await folderGlob('/usr/local/lib', 'python3', 'dist-packages')),
      '/usr/lib/python3/dist-packages',
      ...(await folderGlob('/usr/lib', 'python3', 'site-packages')),
    );
  }
  return existingDirs(found.map((p) => path.normalize(p)));
}

/**
 * Folders of the repository a project sits in that its packaging makes importable: a reusable app's example
 * project (`example/manage.py` beside `src/shopkit/`) or a project inside its own package imports the
 * repository's code through `pip install -e .`, which static mode cannot see when it finds no environment.
 * The nearest folder above the project with a pyproject.toml, setup.py or setup.cfg gives its `src/` (when
 * there is one) and itself, a few levels up at most, never past the repository's `.git`.
 */
export async function repositoryPackageRoots(projectDir: string): Promise<string[]> {
  let dir = path.resolve(projectDir);
  // A project at its repository's top already has the repository on sys.path.
  if (await exists(path.join(dir, '.git'))) return [];
  for (let level = 0; level < 3 && path.dirname(dir) !== dir; level++) {
    dir = path.dirname(dir);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    if (names.some((name) => PACKAGING_FILES.has(name))) return existingDirs([path.join(dir, 'src'), dir]);
    if (names.includes('.git')) break;
  }
  return [];
}

const PACKAGING_FILES = new Set(['pyproject.toml', 'setup.py', 'setup.cfg']);

/**
 * The glob `<parent>/<prefix>*\/<leaf>` in the order a glob lists its matches (their paths sorted), leaving
 * out only what does not exist under `parent`: existingDirs drops the rest. Two readdirs instead of
 * fast-glob, which costs more to start than the whole first reading of a settings file.
 */
async function folderGlob(parent: string, prefix: string, leaf: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return [];
  }
  const base = parent.split(path.sep).join('/');
  return names
    .filter((name) => name.startsWith(prefix))
    .map((name) => `${base}/${name}/${leaf}`)
    .sort();
}

/** How far above the project folder a virtual environment is looked for when no repository root says where to stop. */
const MAX_LEVELS_UP = 3;

/**
 * Folders whose `.venv`/`venv`/`env` may serve the project: the project folder, then its parents up to the
 * workspace root (`stopAt`) or, above that, up to the repository root (a folder with `.git`), a few levels at most.
 */
export async function venvSearchDirs(projectDir: string, stopAt?: string): Promise<string[]> {
  const dirs: string[] = [];
  const top = stopAt ? path.resolve(stopAt) : null;
  let levelsAboveTop = 0;
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    dirs.push(dir);
    const insideTop = top !== null && dir !== top && dir.startsWith(top + path.sep);
    if (!insideTop) levelsAboveTop++;
    if (path.dirname(dir) === dir || levelsAboveTop > MAX_LEVELS_UP) break;
    if (!insideTop && (await exists(path.join(dir, '.git')))) break;
  }
  return dirs;
}

async function existingDirs(paths: string[]): Promise<string[]> {
  const result: string[] = [];
  for (const p of new Set(paths)) {
    try {
      if ((await fs.stat(p)).isDirectory()) result.push(p);
    } catch {
      // Missing folders are normal (user site-packages rarely exists).
    }
  }
  return result;
}
