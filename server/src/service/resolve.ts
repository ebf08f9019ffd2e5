/**
 * What a literal `{% static %}` path points at, shared by hover, definition, links and diagnostics.
 * The lookup path is the one the URL serves: with staticfiles installed the storage strips leading
 * slashes, and hashed storages keep `?query#fragment` out of the file name.
 */
import type { SkipReason } from '../engine/assets';
import { IndexEntry, StaticIndexApi } from '../engine/indexTypes';
import { ProjectModel } from '../engine/model';
import { destinationOf, withoutLeadingSlash, withoutQuery } from '../engine/paths';
import type { IndexQuestions } from './indexQuestions';
import { StaticReference } from './templateModel';

export type Resolution =
  | { kind: 'dynamic' }
  | { kind: 'empty' }
  | { kind: 'file'; lookupPath: string; entry: IndexEntry }
  | { kind: 'folder'; lookupPath: string }
  | { kind: 'missing'; lookupPath: string }
  | { kind: 'escapes'; lookupPath: string; message: string }
  /** A CSS/JS URL collectstatic leaves as written (`data:`, `https:`, outside STATIC_URL): it names no static file. */
  | { kind: 'skipped'; reason: SkipReason };

/** The destination path a literal value asks for (leading slashes and, for hashed storage, query/fragment dropped). */
export function lookupPathOf(value: string, model: ProjectModel): string {
  const path = withoutLeadingSlash(value);
  return model.manifestStorage ? withoutQuery(path) : path;
}

export function resolveReference(ref: StaticReference, model: ProjectModel, index: StaticIndexApi): Resolution {
  if (ref.kind === 'dynamic') return { kind: 'dynamic' };
  if (ref.kind === 'empty') return { kind: 'empty' };
  if (ref.skipped) return { kind: 'skipped', reason: ref.skipped };
  if (ref.lookupPath === undefined) return resolvePath(lookupPathOf(ref.value, model), index);
  // A CSS/JS name is looked up below STATIC_ROOT as it is: an absolute one is outside it.
  if (ref.lookupPath.startsWith('/')) {
    const message = `'${ref.lookupPath}' is an absolute path: the storage's safe_join raises SuspiciousFileOperation.`;
    return { kind: 'escapes', lookupPath: ref.lookupPath, message };
  }
  return resolvePath(ref.lookupPath, index);
}

/**
 * What `lookupPath` is in the index. Not memoised: a lookup asks only the sources holding the folder, and
 * a memo of every path a workspace check resolved held 20 MB at 100k files for no measurable gain.
 * `asked` records the destination asked about.
 */
export function resolvePath(lookupPath: string, index: StaticIndexApi, asked?: IndexQuestions): Resolution {
  const normalized = destinationOf(lookupPath);
  if (normalized !== null) {
    asked?.lookedUp(normalized);
    const entry = index.get(normalized);
    if (entry && entry.providers.length > 0) return { kind: 'file', lookupPath, entry };
  }
  // Only `..` segments or an absolute path can make Django's safe_join raise; skip the lookup otherwise.
  if (normalized === null || lookupPath.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(lookupPath)) {
    let found;
    try {
      found = index.find(lookupPath, false);
    } catch {
      found = undefined;
    }
    if (found?.kind === 'escapes') return { kind: 'escapes', lookupPath, message: found.message };
    if (normalized === null) {
      return { kind: 'escapes', lookupPath, message: `'${lookupPath}' climbs above the static roots (SuspiciousFileOperation).` };
    }
  }
  if (index.isFolder(normalized)) return { kind: 'folder', lookupPath };
  return { kind: 'missing', lookupPath };
}

/** The reference whose tag or call contains `offset` (edges included, so a cursor after a quote counts). */
export function referenceAt(references: readonly StaticReference[], offset: number): StaticReference | undefined {
  let lo = 0;
  let hi = references.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const ref = references[mid];
    if (offset < ref.tagStart) hi = mid - 1;
    else if (offset > ref.tagEnd) lo = mid + 1;
    else return ref;
  }
  return undefined;
}
