/**
 * "Did you mean" for missing static paths: edit distance against the same folder first, then the whole
 * index compared on basenames, with full-path distance ranking the survivors. Results are memoised per
 * index and path.
 *
 * A workspace check asks for thousands of missing paths against up to 100k files, so the basename pass
 * must not compare against every file: distinct basenames get a bigram inverted index, and only names
 * sharing enough bigrams with the typed one (the q-gram count filter, exact for edit distance) reach the
 * edit-distance computation.
 */
import { StaticIndexApi } from '../engine/indexTypes';
import { indexStamp } from './context';

interface IndexPaths {
  stamp: string;
  paths: string[];
  lower: string[];
  baseLower: string[];
  /** Folder → indexes into `paths` of the files directly inside it. */
  byFolder: Map<string, number[]>;
  /** Built on the first basename query (most diagnostics runs never need it). */
  bases?: BaseIndex;
  suggestions: Map<string, string[]>;
}

/** Distinct lowercase basenames, the paths carrying each, and bigram → basename ids. */
interface BaseIndex {
  names: string[];
  pathsOf: number[][];
  /** Basename ids by name length, for names too short for the bigram filter to prune anything. */
  byLength: Map<number, number[]>;
  postings: Map<string, number[]>;
  /** Scratch counters, one per basename; `touched` lists the non-zero ones so resetting stays cheap. */
  counts: Int32Array;
  touched: number[];
}

const cache = new WeakMap<StaticIndexApi, IndexPaths>();

function pathsOf(index: StaticIndexApi): IndexPaths {
  let cached = cache.get(index);
  if (!cached || cached.stamp !== indexStamp(index)) {
    const paths = Array.from(index.allPaths());
    const lower = paths.map((p) => p.toLowerCase());
    const byFolder = new Map<string, number[]>();
    paths.forEach((p, k) => {
      const folder = dirname(p);
      const list = byFolder.get(folder);
      if (list) list.push(k);
      else byFolder.set(folder, [k]);
    });
    cached = { stamp: indexStamp(index), paths, lower, baseLower: lower.map(basename), byFolder, suggestions: new Map() };
    cache.set(index, cached);
  }
  return cached;
}

function baseIndexOf(data: IndexPaths): BaseIndex {
  if (data.bases) return data.bases;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const pathsOf: number[][] = [];
  data.baseLower.forEach((base, k) => {
    const id = ids.get(base);
    if (id !== undefined) {
      pathsOf[id].push(k);
      return;
    }
    ids.set(base, names.length);
    names.push(base);
    pathsOf.push([k]);
  });
  const byLength = new Map<number, number[]>();
  const postings = new Map<string, number[]>();
  names.forEach((name, id) => {
    const sameLength = byLength.get(name.length);
    if (sameLength) sameLength.push(id);
    else byLength.set(name.length, [id]);
    for (const gram of new Set(bigrams(name))) {
      const list = postings.get(gram);
      if (list) list.push(id);
      else postings.set(gram, [id]);
    }
  });
  data.bases = { names, pathsOf, byLength, postings, counts: new Int32Array(names.length), touched: [] };
  return data.bases;
}

function bigrams(text: string): string[] {
  const grams: string[] = [];
  for (let i = 0; i + 2 <= text.length; i++) grams.push(text.slice(i, i + 2));
  return grams;
}

/**
 * Ids of basenames within `max` edits of `typed`. An edit destroys at most two of the typed name's
 * bigrams, so a match keeps at least `typed.length - 1 - 2 * max` of them (counted with multiplicity);
 * names below that are skipped without computing a distance.
 */
function closeBasenames(bases: BaseIndex, typed: string, max: number): number[] {
  const close: number[] = [];
  const consider = (id: number): void => {
    const name = bases.names[id];
    if (Math.abs(name.length - typed.length) <= max && boundedDistance(typed, name, max) <= max) close.push(id);
  };
  const needed = typed.length - 1 - 2 * max;
  if (needed <= 0) {
    for (let length = Math.max(0, typed.length - max); length <= typed.length + max; length++) {
      for (const id of bases.byLength.get(length) ?? []) consider(id);
    }
    return close.sort((x, y) => x - y);
  }
  const multiplicity = new Map<string, number>();
  for (const gram of bigrams(typed)) multiplicity.set(gram, (multiplicity.get(gram) ?? 0) + 1);
  const { counts, touched } = bases;
  for (const [gram, times] of multiplicity) {
    for (const id of bases.postings.get(gram) ?? []) {
      if (counts[id] === 0) touched.push(id);
      counts[id] += times;
    }
  }
  for (const id of touched) {
    if (counts[id] >= needed) consider(id);
    counts[id] = 0;
  }
  touched.length = 0;
  return close.sort((x, y) => x - y);
}

/** Forget cached paths (for indexes without a generation counter). */
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
function score(typed: string, typedLower: string, candidate: string, candidateLower: string, max: number): number {
  const folded = boundedDistance(typedLower, candidateLower, max);
  if (folded > max) return Infinity;
  return folded + (typed === candidate || folded > 0 ? 0 : 0.1);
}

/** Up to `limit` existing paths close to `missing` (a normalised destination path), best first. */
export function suggestPaths(missing: string, index: StaticIndexApi, limit = 3): string[] {
  const data = pathsOf(index);
  const memo = data.suggestions.get(missing);
  if (memo) return memo.slice(0, limit);
  const missingLower = missing.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(missing.length / 3));
  const ranked = new Map<number, number>();

  for (const k of data.byFolder.get(dirname(missing)) ?? []) {
    const s = score(missing, missingLower, data.paths[k], data.lower[k], maxDistance);
    if (s !== Infinity) ranked.set(k, s);
  }

  const typedBase = basename(missingLower);
  const maxBase = Math.max(1, Math.floor(typedBase.length / 3));
  const bases = baseIndexOf(data);
  for (const id of closeBasenames(bases, typedBase, maxBase)) {
    const base = bases.names[id];
    for (const k of bases.pathsOf[id]) {
      if (ranked.has(k)) continue;
      // A right file name in the wrong folder is a likely mistake even when the full paths differ a lot.
      const full = score(missing, missingLower, data.paths[k], data.lower[k], Math.max(maxDistance, missing.length));
      ranked.set(k, Math.min(full, maxDistance + (base === typedBase ? 0.5 : 1)));
    }
  }

  const result = [...ranked.entries()]
    .sort((x, y) => x[1] - y[1] || (data.paths[x[0]] < data.paths[y[0]] ? -1 : 1))
    .slice(0, Math.max(limit, 5))
    .map(([k]) => data.paths[k]);
  data.suggestions.set(missing, result);
  return result.slice(0, limit);
}
