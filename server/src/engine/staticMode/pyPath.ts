/**
 * POSIX `os.path` and `pathlib.PurePosixPath` string rules, reproduced exactly because STATICFILES_DIRS roots
 * are compared and printed as Python wrote them (a Path drops a trailing slash, a str keeps it). The `posixpath`
 * string functions are the engine's single port in `../paths`; only what needs a cwd or the disk lives here.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { abspath as posixAbspath, basename, dirname } from '../paths';

export { normpath, join, dirname, basename } from '../paths';

/** `os.path.abspath` relative to `cwd` (the folder Django runs in: the project folder), never this process's. */
export function abspath(p: string, cwd: string): string {
  return posixAbspath(p, cwd);
}

/** `os.path.realpath`: symlinks resolved for the part that exists, the rest appended as normalised. */
export function realpath(p: string, cwd: string): string {
  const absolute = abspath(p, cwd);
  let existing = absolute;
  const missing: string[] = [];
  while (existing !== '/' && existing !== '//') {
    try {
      const real = fs.realpathSync(existing);
      return missing.length ? nodePath.posix.join(real, ...missing.reverse()) : real;
    } catch {
      missing.push(basename(existing));
      existing = dirname(existing);
    }
  }
  return absolute;
}

/** How `str(pathlib.PurePosixPath(p))` prints: no `.` parts, no repeated or trailing slashes; `..` kept. */
export function pathlibNormalize(p: string): string {
  if (p === '') return '.';
  const initialSlashes = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const parts = p.split('/').filter((part) => part !== '' && part !== '.');
  const joined = '/'.repeat(initialSlashes) + parts.join('/');
  return joined || '.';
}

/** `PurePosixPath(a) / b` with both already pathlib-normalised. */
export function pathlibJoin(base: string, other: string): string {
  if (other.startsWith('/')) return pathlibNormalize(other);
  if (base === '.') return pathlibNormalize(other);
  if (other === '.') return base;
  return pathlibNormalize(base + '/' + other);
}

/** `PurePosixPath.parent`: lexical, `..` is a part like any other. */
export function pathlibParent(p: string): string {
  if (p === '/' || p === '//' || p === '.') return p;
  const cut = p.lastIndexOf('/');
  if (cut < 0) return '.';
  const head = p.slice(0, cut);
  if (head === '') return '/';
  if (head === '/') return '//';
  return head;
}

/** `PurePosixPath.name`. */
export function pathlibName(p: string): string {
  if (p === '/' || p === '//' || p === '.') return '';
  return basename(p);
}

// A missing path answers undefined rather than throwing: module resolution asks for hundreds of paths
// that do not exist (each app's apps.py, each sys.path entry), and each error cost a stack trace.
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** `os.path.lexists`: a broken link exists, a path through a file does not (ENOTDIR is false, not an error). */
export function lexists(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
