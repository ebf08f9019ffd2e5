/**
 * Decides whether `collectstatic --clear` may run: clearing deletes everything below STATIC_ROOT, so a
 * misconfigured root (unset, the project itself, a source folder, `/` or the home folder) must be refused
 * before the user is even asked. Pure: no `vscode`, no file system, so it is unit-tested directly.
 */
import * as nodePath from 'node:path';

export interface ClearSafetyInput {
  /** STATIC_ROOT as Django resolved it (absolute), or null/empty when unset. */
  staticRoot: string | null | undefined;
  /** Folder holding manage.py. */
  projectDir: string;
  /** Absolute STATICFILES_DIRS roots (prefixes dropped). */
  staticfilesDirs: readonly string[];
  /** The user's home folder. */
  homeDir: string;
  /** Path flavour; defaults to the running platform's. */
  pathApi?: nodePath.PlatformPath;
}

export type ClearSafety = { ok: true; staticRoot: string } | { ok: false; reason: string };

export function checkClearSafety(input: ClearSafetyInput): ClearSafety {
  const p = input.pathApi ?? nodePath;
  const raw = (input.staticRoot ?? '').trim();
  if (!raw) {
    return refuse('STATIC_ROOT is not set, so there is nothing to clear. Set STATIC_ROOT in your settings to the folder collectstatic should write to.');
  }
  if (!p.isAbsolute(raw)) {
    return refuse(`STATIC_ROOT '${raw}' is not an absolute path; refusing to clear a folder that depends on the working directory.`);
  }
  const root = normalise(p, raw);
  const same = (a: string, b: string) => comparable(p, a) === comparable(p, b);
  const contains = (outer: string, inner: string) => isInsideOrSame(p, outer, inner);

  if (same(root, p.parse(root).root)) {
    return refuse(`STATIC_ROOT is the file system root (${root}); clearing it would delete everything.`);
  }
  const home = input.homeDir ? normalise(p, input.homeDir) : '';
  if (home && contains(root, home)) {
    return refuse(same(root, home)
      ? `STATIC_ROOT is your home folder (${root}); clearing it would delete your files.`
      : `STATIC_ROOT (${root}) contains your home folder; clearing it would delete your files.`);
  }
  const project = normalise(p, input.projectDir);
  if (contains(root, project)) {
    return refuse(same(root, project)
      ? `STATIC_ROOT is the project folder itself (${root}); clearing it would delete your source code.`
      : `STATIC_ROOT (${root}) contains the project folder ${project}; clearing it would delete your source code.`);
  }
  for (const dir of input.staticfilesDirs) {
    if (!dir) continue;
    const source = normalise(p, p.isAbsolute(dir) ? dir : p.join(project, dir));
    if (contains(root, source)) {
      return refuse(same(root, source)
        ? `STATIC_ROOT is also a STATICFILES_DIRS entry (${source}); clearing it would delete source static files.`
        : `STATIC_ROOT (${root}) contains the STATICFILES_DIRS entry ${source}; clearing it would delete source static files.`);
    }
    if (contains(source, root)) {
      return refuse(`STATIC_ROOT (${root}) is inside the STATICFILES_DIRS entry ${source}; clearing it would delete source static files.`);
    }
  }
  return { ok: true, staticRoot: root };
}

function refuse(reason: string): ClearSafety {
  return { ok: false, reason };
}

function normalise(p: nodePath.PlatformPath, value: string): string {
  const resolved = p.resolve(value);
  const { root } = p.parse(resolved);
  return resolved.length > root.length ? resolved.replace(/[\\/]+$/, '') : resolved;
}

/** Windows paths compare case-insensitively; POSIX ones exactly. */
function comparable(p: nodePath.PlatformPath, value: string): string {
  return p.sep === '\\' ? value.toLowerCase() : value;
}

function isInsideOrSame(p: nodePath.PlatformPath, outer: string, inner: string): boolean {
  const rel = p.relative(comparable(p, outer), comparable(p, inner));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}
