/**
 * The project's Django version from what its dependency files pin, for static mode when no django package
 * could be located. Lock files name the exact version; requirement specifiers name one when they pin it
 * (`==`, `~=`) or bound it to one release series (`>=4.2,<5.0`, Poetry's `^4.2`). Anything looser says
 * nothing, rather than guess.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A version and where it was read. */
export interface PinnedVersion {
  /** `4.2.11` or, from a range, the series `4.2`. */
  version: string;
  file: string;
  /** 0-based line. */
  line: number;
}

/** Release series Django has published, oldest first: a bounded range picks the newest inside it. */
const SERIES = ['1.11', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2', '4.0', '4.1', '4.2', '5.0', '5.1', '5.2', '6.0'];

/** Lock files first: they say what is installed, not what is allowed. */
const FILES = [
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'pdm.lock',
  'pyproject.toml',
  'Pipfile',
  'requirements.txt',
  'requirements.in',
  'setup.cfg',
];
const REQUIREMENT_FOLDERS = ['requirements', 'reqs', 'requirements.d'];
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Looks in `projectDir` and its parents up to `stopAt` (or the repository root), nearest first. */
export function findDjangoPin(projectDir: string, stopAt?: string): PinnedVersion | null {
  for (const dir of searchDirs(projectDir, stopAt)) {
    for (const file of candidateFiles(dir)) {
      const text = readSmall(file);
      if (text === null) continue;
      const found = pinIn(path.basename(file), text);
      if (found) return { ...found, file };
    }
  }
  return null;
}

function searchDirs(projectDir: string, stopAt?: string): string[] {
  const dirs: string[] = [];
  const top = stopAt ? path.resolve(stopAt) : null;
  for (let dir = path.resolve(projectDir), n = 0; n < 4; n++, dir = path.dirname(dir)) {
    dirs.push(dir);
    if (dir === top || path.dirname(dir) === dir || fs.existsSync(path.join(dir, '.git'))) break;
  }
  return dirs;
}

function candidateFiles(dir: string): string[] {
  const files = FILES.map((name) => path.join(dir, name));
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  // requirements-prod.txt, requirements/base.txt …: production and base files before dev ones.
  const byPreference = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
  files.push(
    ...names
      .filter((n) => /^requirements.*\.(txt|in)$/.test(n) && n !== 'requirements.txt' && n !== 'requirements.in')
      .sort(byPreference)
      .map((n) => path.join(dir, n)),
  );
  for (const folder of REQUIREMENT_FOLDERS) {
    try {
      files.push(
        ...fs
          .readdirSync(path.join(dir, folder))
          .filter((n) => /\.(txt|in)$/.test(n))
          .sort(byPreference)
          .map((n) => path.join(dir, folder, n)),
      );
    } catch {
      // No such folder.
    }
  }
  // Missing ones fall out when read.
  return files;
}

function rank(name: string): number {
  if (/base|common|prod/.test(name)) return 0;
  if (/dev|test|local|lint|doc/.test(name)) return 2;
  return 1;
}

function readSmall(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The pin a file of this name holds, if any. Exported for tests. */
export function pinIn(name: string, text: string): { version: string; line: number } | null {
  const lines = text.split(/\r?\n/);
  if (name === 'Pipfile.lock') return pipfileLock(text, lines);
  if (name.endsWith('.lock')) return tomlLockPackage(lines);
  for (let i = 0; i < lines.length; i++) {
    const version = versionOfLine(lines[i], name);
    if (version) return { version, line: i };
  }
  return null;
}

/** `[[package]]` / `name = "django"` / `version = "4.2.11"` (uv, Poetry, PDM). */
function tomlLockPackage(lines: string[]): { version: string; line: number } | null {
  let inDjango = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.startsWith('[')) inDjango = false;
    const name = /^name\s*=\s*"([^"]+)"/.exec(line);
    if (name) inDjango = name[1].toLowerCase() === 'django';
    const version = /^version\s*=\s*"([^"]+)"/.exec(line);
    if (inDjango && version) return { version: version[1], line: i };
  }
  return null;
}

function pipfileLock(text: string, lines: string[]): { version: string; line: number } | null {
  try {
    const data = JSON.parse(text) as { default?: Record<string, { version?: string }> };
    const entry = Object.entries(data.default ?? {}).find(([key]) => key.toLowerCase() === 'django')?.[1];
    const version = entry?.version ? exactOrSeries(entry.version) : null;
    if (!version) return null;
    const line = lines.findIndex((l) => /"django"\s*:/i.test(l));
    return { version, line: Math.max(0, line) };
  } catch {
    return null;
  }
}

/** One requirement line (requirements.txt, a pyproject/Pipfile/setup.cfg line naming Django). */
function versionOfLine(raw: string, fileName: string): string | null {
  const line = raw.replace(/\s#.*$/, '').trim();
  if (!line || line.startsWith('#')) return null;
  // `Django==4.2`, `"django>=4.2,<5.0",`, `django = "^4.2"` (Poetry/Pipfile), `django = {version = "~=4.2"}`.
  if (fileName === 'pyproject.toml' || fileName === 'Pipfile') {
    const table = /^django\s*=\s*(?:\{[^}]*version\s*=\s*)?"([^"]+)"/i.exec(line);
    if (table) return table[1] === '*' ? null : exactOrSeries(table[1]);
  }
  const requirement = /^["']?django(?:\[[^\]]*\])?\s*(?:\(\s*)?([=<>!~^][^"';)]*)/i.exec(line);
  return requirement ? exactOrSeries(requirement[1]) : null;
}

/** `==4.2.11` → `4.2.11`; `~=4.2.0`, `^4.2`, `>=4.2,<5.0` → `4.2`; anything looser → null. */
export function exactOrSeries(spec: string): string | null {
  const clauses = spec
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  let lower: string | null = null;
  let upper: string | null = null;
  for (const clause of clauses) {
    const m = /^(===|==|~=|\^|>=|>|<=|<|!=|~)?\s*v?(\d+(?:\.\d+)*)(\.\*)?/.exec(clause);
    if (!m) return null;
    const [, op = '==', version, wildcard] = m;
    if ((op === '==' || op === '===') && !wildcard) return version;
    if (op === '==' && wildcard) return seriesOf(version);
    if (op === '~=' || op === '~') {
      const parts = version.split('.');
      // ~=4.2.0 stays in 4.2; ~=4.2 allows any 4.x (so the newest 4.x series known).
      if (parts.length >= 3) return seriesOf(version);
      return newestBelow(`${Number(parts[0]) + 1}.0`, version);
    }
    if (op === '^') return newestBelow(`${Number(version.split('.')[0]) + 1}.0`, version);
    if (op === '>=' || op === '>') lower = version;
    if (op === '<' || op === '<=') upper = op === '<' ? version : `${version}.1`;
  }
  return upper ? newestBelow(upper, lower ?? '0') : null;
}

function seriesOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The newest known series below `upper` (exclusive) and at or above `lower`'s series. */
function newestBelow(upper: string, lower: string): string | null {
  const candidates = SERIES.filter((s) => compare(s, upper) < 0 && compare(s, seriesOf(lower)) >= 0);
  return candidates.length ? candidates[candidates.length - 1] : null;
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
