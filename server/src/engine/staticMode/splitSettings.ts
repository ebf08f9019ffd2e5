/**
 * django-split-settings' `include()` and `optional()`: a settings package whose `__init__.py` runs several
 * files in its own namespace (`include('components/*.py', optional('local.py'))`). Read as the library does
 * it: each pattern is joined to the folder of the file including it and expanded as `glob.glob` expands it,
 * files already included are skipped, and a required pattern that matches nothing raises OSError. Running the
 * files is the interpreter's part; this module says which files, in which order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fnmatchcase } from '../fnmatch';
import { isDirectory, lexists } from './pyPath';
import type { CallArgs, CallSite } from './calls';
import { PyValue, unknown } from './values';

export const SPLIT_SETTINGS_INCLUDE = 'split_settings.include';
const OPTIONAL = 'split_settings.optional';
const OPTIONAL_FILE = 'split_settings.optional.instance';

export const SPLIT_SETTINGS_MODULES: Record<string, Record<string, PyValue>> = {
  'split_settings.tools': {
    include: { kind: 'builtin', name: SPLIT_SETTINGS_INCLUDE },
    optional: { kind: 'builtin', name: OPTIONAL },
  },
};

/** `optional('local.py')`: the name, marked. `include()` anywhere but as a statement is not run. */
export function splitSettingsCall(callee: Extract<PyValue, { kind: 'builtin' }>, args: CallArgs, site: CallSite): PyValue {
  const [name] = args.positional;
  if (callee.name === OPTIONAL && name?.kind === 'str') return { kind: 'builtin', name: OPTIONAL_FILE, self: name };
  if (callee.name === OPTIONAL) return unknown(`calls optional() with a file name static mode cannot read`, site);
  return unknown(`uses the value of ${site.calleeText}(), which static mode runs only as a statement`, site);
}

/** One argument of include(): the pattern as written and whether it may match nothing. */
export interface IncludePattern {
  pattern: string;
  optional: boolean;
}

/** The include() arguments as patterns, or why they cannot be read. */
export function includePatterns(args: CallArgs): IncludePattern[] | string {
  const patterns: IncludePattern[] = [];
  for (const arg of args.positional) {
    if (arg.kind === 'str') patterns.push({ pattern: arg.value, optional: false });
    else if (arg.kind === 'builtin' && arg.name === OPTIONAL_FILE && arg.self?.kind === 'str')
      patterns.push({ pattern: arg.self.value, optional: true });
    else return arg.kind === 'unknown' ? arg.reason : 'a file name that is not a string';
  }
  return patterns;
}

const MAGIC = /[*?[]/;

/**
 * `glob.glob(pattern)` without `recursive`: absolute paths when the pattern is, each wildcard segment matched
 * with fnmatch in directory order (what os.scandir returns; not sorted), hidden names matched only by a segment
 * that starts with '.', and a pattern without wildcards returned as it is when it exists.
 */
export function pythonGlob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return lexists(pattern) ? [pattern] : [];
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let found = [absolute ? '/' : ''];
  for (let i = absolute ? 1 : 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of found) {
      if (!MAGIC.test(segment)) {
        const candidate = join(dir, segment);
        if (last ? lexists(candidate) : isDirectory(candidate)) next.push(candidate);
        continue;
      }
      for (const name of listInOrder(dir || '.', !last)) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (fnmatchcase(name, segment)) next.push(join(dir, name));
      }
    }
    found = next;
  }
  return found;
}

function join(dir: string, name: string): string {
  return dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** A folder's names in the order the OS lists them (readdir sorts; os.scandir does not). */
function listInOrder(dir: string, foldersOnly: boolean): string[] {
  const names: string[] = [];
  let handle: fs.Dir | undefined;
  try {
    handle = fs.opendirSync(dir);
    for (let entry = handle.readSync(); entry; entry = handle.readSync()) {
      if (!foldersOnly || entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path.join(dir, entry.name))))
        names.push(entry.name);
    }
  } catch {
    // An unreadable folder matches nothing, as in glob.
  } finally {
    handle?.closeSync();
  }
  return names;
}
