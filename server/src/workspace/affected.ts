/**
 * Which validated documents a static file change can affect, so one added or removed file re-checks a
 * handful of templates instead of every template with a missing reference.
 */

/** What the publisher remembers about a document's last validation. */
export interface ValidationFacts {
  /** Static paths the document references (normalised, no leading slash). */
  references: string[];
  /** References that were reported missing (normalised). */
  missing: string[];
  /** Did-you-mean paths shown for the missing references. */
  suggestions: string[];
}

/** Static destination paths that appeared or disappeared (a removed folder stands for everything below it). */
export interface StaticDelta {
  added: string[];
  removed: string[];
}

/**
 * True when the change can alter the document's diagnostics: a reference names a changed path (or a
 * folder of it, or something below it); a removed path was among the suggestions shown; an added path
 * could become a suggestion for one of the missing references.
 */
export function isAffected(facts: ValidationFacts, delta: StaticDelta): boolean {
  const changed = delta.added.length === 0 ? delta.removed : delta.removed.length === 0 ? delta.added : [...delta.added, ...delta.removed];
  if (facts.references.some((ref) => changed.some((dest) => related(ref, dest)))) return true;
  if (delta.removed.length > 0 && facts.suggestions.some((s) => delta.removed.some((dest) => related(s, dest)))) return true;
  return delta.added.length > 0 && facts.missing.some((m) => delta.added.some((dest) => mightBeSuggested(m, dest)));
}

/** A reference is affected when it names the changed path, a folder holding it, or something below it. */
export function related(ref: string, dest: string): boolean {
  return ref === dest || dest.startsWith(`${ref}/`) || ref.startsWith(`${dest}/`);
}

/**
 * Whether `candidate` could be offered as "did you mean" for `missing`. Deliberately looser than the
 * service's ranking (service/suggest.ts compares files of the same folder, then basenames within a third
 * of their length): a false positive costs one re-check, a false negative a stale suggestion.
 */
export function mightBeSuggested(missing: string, candidate: string): boolean {
  const mSlash = missing.lastIndexOf('/');
  const cSlash = candidate.lastIndexOf('/');
  const max = Math.max(1, Math.floor((missing.length - mSlash - 1) / 3)) + 1;
  if (Math.abs(missing.length - mSlash - (candidate.length - cSlash)) > max) {
    // Basenames too far apart in length: only the same folder can still make it a candidate.
    return mSlash === cSlash && missing.slice(0, mSlash + 1).toLowerCase() === candidate.slice(0, cSlash + 1).toLowerCase();
  }
  const m = missing.toLowerCase();
  const c = candidate.toLowerCase();
  if (dirname(m) === dirname(c)) return true;
  return withinDistance(basename(m), basename(c), max);
}

/** Normalises a path as the service does for destinations: no leading slash, `.` and `..` resolved. */
export function normalisePath(p: string): string | null {
  const out: string[] = [];
  for (const segment of p.replace(/^\/+/, '').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out.join('/');
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash === -1 ? '' : p.slice(0, slash);
}

/** Levenshtein distance at most `max` (stops early once every cell of a row exceeds it). */
function withinDistance(a: string, b: string, max: number): boolean {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      next.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return false;
    row = next;
  }
  return row[b.length] <= max;
}
