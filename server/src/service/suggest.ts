/**
 * "Did you mean" for missing static paths: edit distance against the same folder first, then the whole
 * index compared on basenames (short strings, so a 20,000-file index stays a few milliseconds), with
 * full-path distance ranking the survivors. Results are memoised per index and path.
 */
import { StaticIndexApi } from '../engine/indexTypes';

interface IndexPaths {
  size: number;
  paths: string[];
  baseLower: string[];
  suggestions: Map<string, string[]>;
}

const cache = new WeakMap<StaticIndexApi, IndexPaths>();

function pathsOf(index: StaticIndexApi): IndexPaths {
  let cached = cache.get(index);
  if (!cached || cached.size !== index.size) {
    const paths = Array.from(index.allPaths());
    cached = { size: index.size, paths, baseLower: paths.map((p) => basename(p).toLowerCase()), suggestions: new Map() };
    cache.set(index, cached);
  }
  return cached;
}

/** Forget cached paths (call after incremental index updates that keep the size unchanged). */
export function forgetSuggestions(index: StaticIndexApi): void {
  cache.delete(index);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

let row = new Uint16Array(64);

/** Levenshtein distance, or `max + 1` as soon as it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  if (row.length <= b.length) row = new Uint16Array(b.length * 2 + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(above + 1, row[j - 1] + 1, diagonal + cost);
      row[j] = value;
      diagonal = above;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
  }
  return row[b.length];
}

/** Case mistakes cost less than other edits: `CSS/Site.css` should still find `css/site.css`. */
function score(typed: string, candidate: string, max: number): number {
  const folded = boundedDistance(typed.toLowerCase(), candidate.toLowerCase(), max);
  if (folded > max) return Infinity;
  return folded + (typed === candidate ? 0 : 0.1 * Math.min(1, boundedDistance(typed, candidate, max + 1)));
}

/** Up to `limit` existing paths close to `missing` (a normalised destination path), best first. */
export function suggestPaths(missing: string, index: StaticIndexApi, limit = 3): string[] {
  const data = pathsOf(index);
  const memo = data.suggestions.get(missing);
  if (memo) return memo.slice(0, limit);
  const maxDistance = Math.max(2, Math.floor(missing.length / 3));
  const ranked = new Map<string, number>();
  const consider = (candidate: string) => {
    if (ranked.has(candidate)) return;
    const s = score(missing, candidate, maxDistance);
    if (s !== Infinity) ranked.set(candidate, s);
  };

  const folder = dirname(missing);
  if (folder === '' || index.isFolder(folder)) {
    for (const child of index.children(folder)) {
      if (!child.isFolder) consider(folder ? `${folder}/${child.name}` : child.name);
    }
  }

  const typedBase = basename(missing).toLowerCase();
  const maxBase = Math.max(1, Math.floor(typedBase.length / 3));
  for (let k = 0; k < data.paths.length; k++) {
    const base = data.baseLower[k];
    if (Math.abs(base.length - typedBase.length) > maxBase) continue;
    if (boundedDistance(typedBase, base, maxBase) > maxBase) continue;
    const candidate = data.paths[k];
    if (ranked.has(candidate)) continue;
    // A right file name in the wrong folder is a likely mistake even when the full paths differ a lot.
    const full = score(missing, candidate, Math.max(maxDistance, missing.length));
    const sameName = base === typedBase ? 0.5 : 1;
    ranked.set(candidate, Math.min(full, maxDistance + sameName));
  }

  const result = [...ranked.entries()]
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .map(([candidate]) => candidate)
    .slice(0, Math.max(limit, 5));
  data.suggestions.set(missing, result);
  return result.slice(0, limit);
}
