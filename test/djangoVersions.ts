/**
 * The real Django versions the suites run against: 3.2 (bookworm's python3-django for /usr/bin/python3) and
 * the 4.2 and 5.2 LTS trees that scripts/django-versions.sh extracts into its cache. A version is chosen by
 * putting its tree first on PYTHONPATH, for Django itself and for our CLI and helper, which inherit it.
 *
 * DJANGO_VERSIONS=3.2,4.2,5.2 (the default: every available one) limits the matrix. A requested version
 * that is not available is announced once and its suites are skipped, never passed silently.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { atLeast as engineAtLeast, parseMajorMinor } from '../server/src/engine/djangoVersion';

export const DJANGO_PYTHON = '/usr/bin/python3';
export const SUPPORTED_SERIES = ['3.2', '4.2', '5.2'] as const;

export interface DjangoVersion {
  /** `4.2` */
  series: string;
  /** `4.2.28`, as django.get_version() says. */
  version: string;
  /** The tree to put first on PYTHONPATH; '' for the system's own Django. */
  pythonpath: string;
  /** process.env with this version selected. */
  env: NodeJS.ProcessEnv;
}

function cacheDir(): string {
  if (process.env.DJANGO_VERSIONS_CACHE) return process.env.DJANGO_VERSIONS_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'django-static-files', 'django');
}

/** process.env with `pythonpath` first on PYTHONPATH (or, for the system's Django, the caller's own PYTHONPATH). */
export function envWith(pythonpath: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  if (pythonpath) env.PYTHONPATH = [pythonpath, base.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return env;
}

function versionOf(pythonpath: string): string | null {
  try {
    return execFileSync(DJANGO_PYTHON, ['-c', 'import django; print(django.get_version())'], {
      env: envWith(pythonpath),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      cwd: '/',
    }).trim();
  } catch {
    return null;
  }
}

let cached: { available: DjangoVersion[]; missing: string[] } | null = null;

function load(): { available: DjangoVersion[]; missing: string[] } {
  if (cached) return cached;
  const listed = new Map<string, string>(); // series → pythonpath
  const file = path.join(cacheDir(), 'versions.json');
  if (fs.existsSync(file)) {
    try {
      for (const v of JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ series: string; pythonpath: string }>)
        listed.set(v.series, v.pythonpath);
    } catch {
      // A broken list is the same as none: the system's Django is still tried below.
    }
  }
  if (!listed.has('3.2')) listed.set('3.2', '');
  const wanted = (process.env.DJANGO_VERSIONS ?? SUPPORTED_SERIES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const available: DjangoVersion[] = [];
  const missing: string[] = [];
  for (const series of wanted) {
    const pythonpath = listed.get(series);
    const version = pythonpath === undefined ? null : versionOf(pythonpath);
    if (pythonpath === undefined || !version || !version.startsWith(`${series}.`)) {
      missing.push(series);
      continue;
    }
    available.push({ series, version, pythonpath, env: envWith(pythonpath) });
  }
  cached = { available, missing };
  if (missing.length) {
    console.log(
      `  Django ${missing.join(', ')} not available: their suites are skipped (run scripts/django-versions.sh; DJANGO_VERSIONS=${wanted.join(',')})`,
    );
  }
  return cached;
}

/** The versions to run against, in ascending order. */
export function djangoVersions(): DjangoVersion[] {
  return load().available;
}

/** Requested versions that could not be found, for suites that announce their skips. */
export function missingDjangoVersions(): string[] {
  return load().missing;
}

/** The newest available version (the default project's Django in suites that run once). */
export function newestDjango(): DjangoVersion | undefined {
  const all = djangoVersions();
  return all[all.length - 1];
}

/** True when `version` is at least `than` (both `X.Y…`): the engine's own comparison, on strings. */
export function atLeast(version: string, than: string): boolean {
  const [major, minor] = parseMajorMinor(than)!;
  return engineAtLeast(parseMajorMinor(version)!, major, minor);
}

/**
 * Declares one describe block per available Django version (`name (Django 4.2.28)`), each called with its
 * version, and one skipped block per requested version that is missing, so a skip shows in the report.
 */
export function describeEachDjango(name: string, body: (v: DjangoVersion) => void, timeoutMs = 120_000): void {
  for (const v of djangoVersions()) {
    describe(`${name} (Django ${v.version})`, function () {
      // Each test starts real Django at least once; newer versions start slower.
      this.timeout(timeoutMs);
      body(v);
    });
  }
  for (const series of missingDjangoVersions()) describe.skip(`${name} (Django ${series}: not available)`, () => undefined);
}
