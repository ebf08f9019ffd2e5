/**
 * The one path module: POSIX helpers that behave like Python's `posixpath` and Django's `safe_join` (so the
 * index normalises a requested static path exactly as `finders.find()` does), the rules Django applies to a
 * served path (leading slash, query and fragment, prefixes), and `isInside` for files on disk. Every layer
 * uses these; none keeps its own copy.
 */
import * as nodePath from 'node:path';

/** Python's `posixpath.normpath`: collapses `.`, `..`, `//` and trailing slashes; keeps a leading `//`. */
export function normpath(path: string): string {
  if (path === '') return '.';
  // Most paths are already normal (no empty, `.` or `..` segment, no trailing slash): the manifest replay asks millions.
  if (!path.includes('//') && !path.endsWith('/') && !/(?:^|\/)\.\.?(?:\/|$)/.test(path)) return path;
  let initialSlashes = path.startsWith('/') ? 1 : 0;
  // POSIX allows exactly two leading slashes to mean something implementation-defined; Python keeps them.
  if (initialSlashes && path.startsWith('//') && !path.startsWith('///')) initialSlashes = 2;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (!initialSlashes && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..')) {
      out.push(comp);
    } else if (out.length > 0) {
      out.pop();
    }
  }
  const joined = '/'.repeat(initialSlashes) + out.join('/');
  return joined || '.';
}

/** Python's `posixpath.join`: an absolute part replaces everything before it. */
export function join(first: string, ...rest: string[]): string {
  let out = first;
  for (const part of rest) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += `/${part}`;
  }
  return out;
}

/** Python's `posixpath.abspath` for a path that is already absolute (relative ones are resolved against `cwd`). */
export function abspath(path: string, cwd: string = process.cwd()): string {
  return normpath(path.startsWith('/') ? path : join(cwd, path));
}

export type SafeJoinResult = { ok: true; path: string; rel: string } | { ok: false; message: string };

/**
 * Django's `safe_join(base, rel)`: the absolute joined path, or the SuspiciousFileOperation message when it
 * leaves `base`. `rel` is also returned relative to the base ('' for the base itself), `/`-separated.
 */
export function safeJoin(base: string, rel: string): SafeJoinResult {
  const basePath = abspath(base);
  const finalPath = abspath(join(basePath, rel));
  if (finalPath === basePath) return { ok: true, path: finalPath, rel: '' };
  const isFsRoot = dirname(basePath) === basePath;
  const head = basePath.endsWith('/') ? basePath : `${basePath}/`;
  if (finalPath.startsWith(head)) return { ok: true, path: finalPath, rel: finalPath.slice(head.length) };
  if (isFsRoot) return { ok: true, path: finalPath, rel: finalPath.replace(/^\/+/, '') };
  return {
    ok: false,
    message: `The joined path (${finalPath}) is located outside of the base path component (${basePath})`,
  };
}

/** Python's `posixpath.dirname`. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/') + 1;
  let head = path.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

/** Last segment of a `/`-separated relative path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Parent of a `/`-separated relative path ('' at top level). */
export function parentRel(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

/** `a` + `/` + `b`, where an empty side is left out. */
export function joinRel(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a}/${b}`;
}

/**
 * Path of `abs` inside `root` (`/`-separated, '' for the root itself), or null when it lies outside.
 * Both must be absolute and normalised.
 */
export function relativeInside(root: string, abs: string): string | null {
  if (abs === root) return '';
  const head = root.endsWith('/') ? root : `${root}/`;
  return abs.startsWith(head) ? abs.slice(head.length) : null;
}

/**
 * A destination path as the index keys it: `/`-separated, no `.`/empty segments, no leading or trailing slash.
 * Returns null for a path that climbs out (`..` left over after normalising) or is absolute.
 */
export function normalizeDestPath(path: string): string | null {
  return path.startsWith('/') ? null : destinationOf(path);
}

/** What destinationOf changes: an empty, `.` or `..` segment (a leading, trailing or doubled slash makes an empty one). */
const NOT_NORMAL = /^\/|\/$|\/\/|(^|\/)\.\.?(\/|$)/;

/**
 * `posixpath.normpath` of a destination with leading slashes ignored (the storage strips them): the path
 * as the index keys it, or null when `..` climbs above the top.
 */
export function destinationOf(path: string): string | null {
  // Most paths are normal already: the workspace check asks this for each of its 40,000 references.
  if (!NOT_NORMAL.test(path)) return path;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

/** The path without its leading slashes (what staticfiles' storage does before building the URL). */
export function withoutLeadingSlash(path: string): string {
  return path.replace(/^\/+/, '');
}

/** The path without `?query` or `#fragment` (hashed storages keep them out of the file name). */
export function withoutQuery(path: string): string {
  return path.replace(/[?#].*$/, '');
}

/** The file a static path as written serves: no leading slashes, no query or fragment, normalised. */
export function servedDestination(value: string): string | null {
  return destinationOf(withoutQuery(withoutLeadingSlash(value)));
}

/** `prefix/rest` for a STATICFILES_DIRS prefix ('' or null: no prefix). */
export function withPrefix(prefix: string | null | undefined, rest: string): string {
  return prefix ? joinRel(prefix, rest) : rest;
}

/**
 * The path inside a source with this prefix for `destination` ('' for the prefix itself), or null when the
 * destination is not under the prefix (no prefix: all of it).
 */
export function belowPrefix(prefix: string | null | undefined, destination: string): string | null {
  if (!prefix) return destination;
  if (destination === prefix) return '';
  return destination.startsWith(`${prefix}/`) ? destination.slice(prefix.length + 1) : null;
}

/** True when the file or folder `child` is `parent` or lies below it (paths on disk, resolved first). */
export function isInside(parent: string, child: string): boolean {
  const rel = nodePath.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
}

/** A folder's number in a table of folders, numbered in the order they were first asked about. */
export function folderNumber(numbers: Map<string, number>, folders: string[], folder: string): number {
  let id = numbers.get(folder);
  if (id === undefined) {
    id = folders.length;
    numbers.set(folder, id);
    folders.push(folder);
  }
  return id;
}

/** Paths in UTF-16 code-unit order, as `<` and the default sort compare them (the index's own order). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
