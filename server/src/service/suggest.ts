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
import { basename, folderNumber, joinRel, parentRel } from '../engine/paths';
import { indexStamp } from './context';
import { boundedDistance } from './editDistance';
import type { IndexQuestions } from './indexQuestions';

/**
 * Every file as a folder id and its name (the index's own string): 100k path strings and their
 * lowercase copies held 15 MB at 100k files, and only a few candidates ever need their full path.
 */
interface IndexPaths {
  /** The index state these paths describe (`generation` lets them catch up through its journal). */
  stamp: string;
  generation: number | undefined;
  folders: string[];
  folderIds: Map<string, number>;
  /**
   * The files directly inside folder `f` when built are `folderFiles[folderStart[f]..folderStart[f + 1])`, then
   * `laterFiles`: one array per folder, and a plain array of folder ids, held 20 MB at 1,000,000 files.
   */
  folderStart: Int32Array;
  folderFiles: Int32Array;
  laterFiles: Map<number, number[]>;
  /** Per file: its folder id (room to grow past `names.length`) and its name. */
  folderOf: Int32Array;
  names: string[];
  /** Files removed since the build: positions stay stable until the next one. */
  removed: Set<number>;
  /** Built on the first basename query (most diagnostics runs never need it). */
  bases?: BaseIndex;
  suggestions: Map<string, string[]>;
}

/**
 * Distinct lowercase basenames ordered by length, then by name (so a length window is one id range and
 * a name is found by binary search), the paths carrying each, and bigram → ids of the names containing it
 * (ascending). Names that appear after the build go to `extra` and are compared one by one.
 */
interface BaseIndex {
  names: string[];
  /**
   * The paths carrying basename `id` are `carriers[carrierStart[id]..carrierStart[id + 1])`, then `laterCarriers`:
   * one array per basename held 23 MB at 1,000,000 files, these two typed arrays 4 MB.
   */
  carrierStart: Int32Array;
  carriers: Int32Array;
  /** Paths added since the build that carry a built basename. */
  laterCarriers: Map<number, number[]>;
  /** `lengthStart[n]`: the first id whose name is at least `n` long (up to the longest name + 1). */
  lengthStart: number[];
  /** Views into one typed array (an array per bigram held 8 MB at 1,000,000 files). */
  postings: Map<number, Int32Array>;
  /** Scratch counters, one per basename; `touched` lists the non-zero ones so resetting stays cheap. */
  counts: Int32Array;
  touched: number[];
  /** Names added since the build; their ids follow the built ones (`names.length + position`). */
  extra: string[];
  extraPathsOf: number[][];
}

const cache = new WeakMap<StaticIndexApi, IndexPaths>();
/** Answers remembered per index (oldest dropped first): a workspace check asks about a few hundred. */
const MAX_MEMO = 2_000;
/** Longer missing paths get no suggestion (Linux caps a path at 4,096 bytes; real static paths are far shorter). */
const MAX_SUGGESTED_LENGTH = 1_024;

/**
 * Work per missing path, whatever the tree (a vendored `node_modules` of 100,000 files in one folder, an
 * `index.js` in 5,000 packages): a folder up to this size is compared name by name; a bigger one only
 * through the basename pass, which finds its close names without reading the others.
 */
const FOLDER_SCAN_MAX = 5_000;
/** Entries of the bigram postings read per missing path. */
const MAX_POSTINGS = 10_000;
/** Basenames passing the bigram filter whose edit distance is computed per missing path. */
const MAX_DISTANCES = 300;
/** Paths carrying a close basename that are compared in full per missing path (the exact name's first). */
const MAX_COMPARED = 200;

/** Removed slots and late names slow every query a little: past this many (or a tenth of the paths), rebuild. */
const REBUILD_AFTER = 2_000;

function pathsOf(index: StaticIndexApi): IndexPaths {
  const cached = cache.get(index);
  if (cached && (cached.stamp === indexStamp(index) || catchUp(cached, index))) return cached;
  const data = finish(buildPaths(index));
  cache.set(index, data);
  return data;
}

/** Files between two pauses of a build driven a piece at a time (see prepareSuggestions). */
const BUILD_STEP = 20_000;

function* buildPaths(index: StaticIndexApi): Generator<void, IndexPaths> {
  const data: IndexPaths = {
    stamp: indexStamp(index),
    generation: index.generation,
    folders: [],
    folderIds: new Map(),
    folderStart: new Int32Array(1),
    folderFiles: new Int32Array(0),
    laterFiles: new Map(),
    folderOf: new Int32Array(1024),
    names: [],
    removed: new Set(),
    suggestions: new Map(),
  };
  let step = 0;
  for (const [folder, names] of index.filesByFolder()) {
    const folderId = folderIdOf(data, folder);
    for (const name of names) {
      setFolderOf(data, data.names.length, folderId);
      data.names.push(name);
    }
    if ((step += names.length) >= BUILD_STEP) {
      step = 0;
      yield;
    }
  }
  data.folderOf = data.folderOf.slice(0, data.names.length);
  // Per folder, its files in ascending order (a folder two sources fill is met twice).
  const folderStart = new Int32Array(data.folders.length + 1);
  for (let k = 0; k < data.names.length; k++) folderStart[data.folderOf[k] + 1]++;
  for (let f = 0; f < data.folders.length; f++) folderStart[f + 1] += folderStart[f];
  const filled = folderStart.slice(0, data.folders.length);
  const folderFiles = new Int32Array(data.names.length);
  for (let k = 0; k < data.names.length; k++) folderFiles[filled[data.folderOf[k]]++] = k;
  data.folderStart = folderStart;
  data.folderFiles = folderFiles;
  return data;
}

function folderIdOf(data: IndexPaths, folder: string): number {
  return folderNumber(data.folderIds, data.folders, folder);
}

function setFolderOf(data: IndexPaths, k: number, folderId: number): void {
  if (k >= data.folderOf.length) {
    const grown = new Int32Array(data.folderOf.length * 2);
    grown.set(data.folderOf);
    data.folderOf = grown;
  }
  data.folderOf[k] = folderId;
}

/** The files inside a folder, removed ones left out; null when there are more than `max`. */
function filesIn(data: IndexPaths, folderId: number, max: number): number[] | null {
  const files: number[] = [];
  const keep = (k: number): boolean => {
    if (!data.removed.has(k)) files.push(k);
    return files.length <= max;
  };
  // A folder created after the build has no range of its own.
  const end = folderId + 1 < data.folderStart.length ? data.folderStart[folderId + 1] : 0;
  for (let at = folderId + 1 < data.folderStart.length ? data.folderStart[folderId] : 0; at < end; at++)
    if (!keep(data.folderFiles[at])) return null;
  for (const k of data.laterFiles.get(folderId) ?? []) if (!keep(k)) return null;
  return files;
}

function finish<T>(build: Generator<void, T>): T {
  for (;;) {
    const step = build.next();
    if (step.done) return step.value;
  }
}

/**
 * Builds what did-you-mean needs for `index` a piece at a time, for a caller that yields between the steps: at
 * 1,000,000 files it is seconds of work (the first missing path of a workspace check waited for all of it, and
 * every request behind it). A query meanwhile builds what it needs itself; what changed meanwhile is not kept.
 */
export function* prepareSuggestions(index: StaticIndexApi): Generator<void> {
  let data = cache.get(index);
  if (!data || !(data.stamp === indexStamp(index) || catchUp(data, index))) {
    const built = yield* buildPaths(index);
    if (built.stamp !== indexStamp(index)) return;
    const meanwhile = cache.get(index);
    if (meanwhile && meanwhile.stamp === built.stamp) data = meanwhile;
    else cache.set(index, (data = built));
  }
  if (data.bases) return;
  const generation = data.generation;
  const bases = yield* buildBases(data);
  if (data.generation === generation && data.stamp === indexStamp(index)) data.bases ??= bases;
}

/**
 * Applies the index's path changes since `data` was built (a file saved or deleted changes one path, and
 * rebuilding 100k paths for it took longer than the whole incremental update may). False when the index
 * cannot say what changed, or so much did that a rebuild is the better deal.
 */
function catchUp(data: IndexPaths, index: StaticIndexApi): boolean {
  if (data.generation === undefined || index.generation === undefined || !index.changesSince) return false;
  const changes = index.changesSince(data.generation);
  if (changes === null) return false;
  for (const change of changes) {
    if (change.added) addPath(data, change.path);
    else removePath(data, change.path);
  }
  if (data.removed.size + (data.bases?.extra.length ?? 0) > Math.max(REBUILD_AFTER, data.names.length / 10)) return false;
  data.generation = index.generation;
  data.stamp = indexStamp(index);
  // Any new file may be a better suggestion, any removed one must not be offered.
  if (changes.length > 0) data.suggestions.clear();
  return true;
}

function addFile(data: IndexPaths, folder: string, name: string): void {
  const k = data.names.length;
  const folderId = folderIdOf(data, folder);
  setFolderOf(data, k, folderId);
  data.names.push(name);
  const later = data.laterFiles.get(folderId);
  if (later) later.push(k);
  else data.laterFiles.set(folderId, [k]);
  const bases = data.bases;
  if (!bases) return;
  const base = name.toLowerCase();
  const id = nameId(bases, base);
  if (id !== undefined) {
    const later = bases.laterCarriers.get(id);
    if (later) later.push(k);
    else bases.laterCarriers.set(id, [k]);
    return;
  }
  const late = bases.extra.indexOf(base);
  if (late !== -1) bases.extraPathsOf[late].push(k);
  else {
    bases.extra.push(base);
    bases.extraPathsOf.push([k]);
  }
}

function addPath(data: IndexPaths, path: string): void {
  addFile(data, parentRel(path), basename(path));
}

function removePath(data: IndexPaths, path: string): void {
  const folderId = data.folderIds.get(parentRel(path));
  const name = basename(path);
  const k = folderId === undefined ? undefined : filesIn(data, folderId, Infinity)!.find((file) => data.names[file] === name);
  if (k !== undefined) data.removed.add(k);
}

function pathAt(data: IndexPaths, k: number): string {
  return joinRel(data.folders[data.folderOf[k]], data.names[k]);
}

/** Id of a built basename (binary search in its length's range). */
function nameId(bases: BaseIndex, name: string): number | undefined {
  if (name.length + 1 >= bases.lengthStart.length) return undefined;
  let lo = bases.lengthStart[name.length];
  let hi = bases.lengthStart[name.length + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bases.names[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return lo < bases.lengthStart[name.length + 1] && bases.names[lo] === name ? lo : undefined;
}

function nameOf(bases: BaseIndex, id: number): string {
  return id < bases.names.length ? bases.names[id] : bases.extra[id - bases.names.length];
}

function* carriersOf(bases: BaseIndex, id: number): Generator<number> {
  if (id >= bases.names.length) {
    yield* bases.extraPathsOf[id - bases.names.length];
    return;
  }
  for (let at = bases.carrierStart[id]; at < bases.carrierStart[id + 1]; at++) yield bases.carriers[at];
  yield* bases.laterCarriers.get(id) ?? [];
}

function baseIndexOf(data: IndexPaths): BaseIndex {
  data.bases ??= finish(buildBases(data));
  return data.bases;
}

function* buildBases(data: IndexPaths): Generator<void, BaseIndex> {
  const ids = new Map<string, number>();
  const distinct: string[] = [];
  // Per path: its basename's id in order of first appearance (-1 when removed), then its final id.
  const total = data.names.length;
  const baseOf = new Int32Array(total);
  const counted: number[] = [];
  for (let k = 0; k < total; k++) {
    if (k % BUILD_STEP === BUILD_STEP - 1) yield;
    if (data.removed.has(k)) {
      baseOf[k] = -1;
      continue;
    }
    const base = data.names[k].toLowerCase();
    let id = ids.get(base);
    if (id === undefined) {
      id = distinct.length;
      ids.set(base, id);
      distinct.push(base);
      counted.push(0);
    }
    baseOf[k] = id;
    counted[id]++;
  }
  const order = distinct
    .map((_, id) => id)
    .sort((x, y) => distinct[x].length - distinct[y].length || (distinct[x] < distinct[y] ? -1 : distinct[x] > distinct[y] ? 1 : 0));
  const names = order.map((id) => distinct[id]);
  const sortedId = new Int32Array(distinct.length);
  const carrierStart = new Int32Array(names.length + 1);
  order.forEach((id, sorted) => {
    sortedId[id] = sorted;
    carrierStart[sorted + 1] = carrierStart[sorted] + counted[id];
  });
  // Ascending paths per basename, as pushing them in path order gave.
  const carriers = new Int32Array(carrierStart[names.length]);
  const filled = carrierStart.slice(0, names.length);
  for (let k = 0; k < baseOf.length; k++) {
    if (baseOf[k] !== -1) carriers[filled[sortedId[baseOf[k]]]++] = k;
  }
  const longest = names.length > 0 ? names[names.length - 1].length : 0;
  const lengthStart: number[] = new Array(longest + 2);
  for (let n = 0, id = 0; n <= longest + 1; n++) {
    while (id < names.length && names[id].length < n) id++;
    lengthStart[n] = id;
  }
  const postings = new Map<number, number[]>();
  for (let id = 0; id < names.length; id++) {
    if (id % BUILD_STEP === BUILD_STEP - 1) yield;
    const name = names[id];
    for (let i = 0; i + 1 < name.length; i++) {
      const gram = bigramAt(name, i);
      const list = postings.get(gram);
      if (!list) postings.set(gram, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    }
  }
  let postingCount = 0;
  for (const list of postings.values()) postingCount += list.length;
  const packed = new Int32Array(postingCount);
  const packedPostings = new Map<number, Int32Array>();
  let at = 0;
  for (const [gram, list] of postings) {
    packed.set(list, at);
    packedPostings.set(gram, packed.subarray(at, (at += list.length)));
  }
  return {
    names,
    carrierStart,
    carriers,
    laterCarriers: new Map(),
    lengthStart,
    postings: packedPostings,
    counts: new Int32Array(names.length),
    touched: [],
    extra: [],
    extraPathsOf: [],
  };
}

function bigramAt(text: string, i: number): number {
  return text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);
}

/** First position in the ascending `list` holding a value of at least `value`. */
function lowerBound(list: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Ids of basenames within `max` edits of `typed`, ascending. Only names within `max` of its length can
 * match (one id range). An edit destroys at most two of the typed name's bigrams, so a match keeps at
 * least `typed.length - 1 - 2 * max` of them (counted with multiplicity); names below that are skipped
 * without computing a distance.
 */
function closeBasenames(bases: BaseIndex, typed: string, max: number): number[] {
  // Small functions, each with one job: the hot loops get optimised on their own within a few calls. As one
  // function, TurboFan took 160–280 ms to compile it, and a cold workspace check ran it unoptimised meanwhile.
  const { names, lengthStart } = bases;
  const at = (length: number): number => lengthStart[Math.max(0, Math.min(length, lengthStart.length - 1))];
  const from = at(typed.length - max);
  const to = at(typed.length + max + 1);
  const close: number[] = [];
  const needed = typed.length - 1 - 2 * max;
  if (needed <= 0) {
    for (let id = from; id < to; id++) if (boundedDistance(typed, names[id], max) <= max) close.push(id);
    return close.concat(closeLateNames(bases, typed, max));
  }
  const plan = bigramPlan(bases, typed, from, to, needed);
  const { counts, touched } = bases;
  let left = plan.weight;
  for (const { list, start, end, times } of plan.counted) {
    // A name first met once the bigrams left (this one included) weigh less than `needed` cannot reach it:
    // the common bigrams, read last, only add to names already met (exact, and far fewer names to filter).
    countShared(list, start, end, times, left >= plan.needed, counts, touched);
    left -= times;
  }
  const candidates = sharingEnough(touched, counts, plan.needed);
  for (const id of touched) counts[id] = 0;
  touched.length = 0;
  for (const id of candidates) if (boundedDistance(typed, names[id], max) <= max) close.push(id);
  return close.sort((x, y) => x - y).concat(closeLateNames(bases, typed, max));
}

/** One bigram's window of postings that is counted, and how often the typed name holds the bigram. */
interface CountedBigram {
  list: Int32Array;
  start: number;
  end: number;
  times: number;
}

/**
 * Which of the typed name's bigrams are counted, rarest first, and the shared count a name then needs. At most
 * MAX_POSTINGS entries are read: a bigram too common for what is left (`it`, `js` in 20,000 `item_<n>.js`) is
 * not counted, and a match then needs that many fewer shared ones (at least one), which keeps the filter exact
 * for the bigrams counted. Decided by the windows' sizes alone, before any counting, so `needed` is final.
 */
function bigramPlan(
  bases: BaseIndex,
  typed: string,
  from: number,
  to: number,
  needed: number,
): { counted: CountedBigram[]; needed: number; weight: number } {
  const multiplicity = new Map<number, number>();
  for (let i = 0; i + 1 < typed.length; i++) {
    const gram = bigramAt(typed, i);
    multiplicity.set(gram, (multiplicity.get(gram) ?? 0) + 1);
  }
  const grams = [...multiplicity].map(([gram, times]) => ({ list: bases.postings.get(gram), times }));
  grams.sort((a, b) => (a.list?.length ?? 0) - (b.list?.length ?? 0));
  let budget = MAX_POSTINGS;
  let weight = 0;
  const counted: CountedBigram[] = [];
  for (const { list, times } of grams) {
    if (!list) continue;
    const start = lowerBound(list, from);
    const end = lowerBound(list, to);
    if (end - start > budget) {
      needed = Math.max(1, needed - times);
      continue;
    }
    budget -= end - start;
    weight += times;
    counted.push({ list, start, end, times });
  }
  return { counted, needed, weight };
}

/** Adds `times` to the count of each name in `list[start..end)`; a name not met before only when `admits`. */
function countShared(
  list: Int32Array,
  start: number,
  end: number,
  times: number,
  admits: boolean,
  counts: Int32Array,
  touched: number[],
): void {
  for (let j = start; j < end; j++) {
    const id = list[j];
    if (counts[id] === 0) {
      if (!admits) continue;
      touched.push(id);
    }
    counts[id] += times;
  }
}

/**
 * The names met that share at least `needed` bigrams. 20,000 `item_<n>.js` share most bigrams with any typo of
 * one: past MAX_DISTANCES of them, the names sharing the most are compared first, and the rest not at all.
 */
function sharingEnough(touched: number[], counts: Int32Array, needed: number): number[] {
  const candidates: number[] = [];
  for (const id of touched) if (counts[id] >= needed) candidates.push(id);
  if (candidates.length <= MAX_DISTANCES) return candidates;
  const byShared: number[][] = [];
  for (const id of candidates) (byShared[counts[id]] ??= []).push(id);
  return byShared
    .reverse()
    .flatMap((ids) => ids ?? [])
    .slice(0, MAX_DISTANCES);
}

function closeLateNames(bases: BaseIndex, typed: string, max: number): number[] {
  const close: number[] = [];
  bases.extra.forEach((name, e) => {
    if (boundedDistance(typed, name, max) <= max) close.push(bases.names.length + e);
  });
  return close;
}

/** Case mistakes cost less than other edits: `CSS/Site.css` should still find `css/site.css`. */
function score(typed: string, typedLower: string, candidate: string, candidateLower: string, max: number): number {
  const folded = boundedDistance(typedLower, candidateLower, max);
  if (folded > max) return Infinity;
  return folded + (typed === candidate || folded > 0 ? 0 : 0.1);
}

/**
 * Up to `limit` existing paths close to `missing` (a normalised destination path), best first. `asked`
 * records what the answer depends on: the folder compared, the basenames within reach, the paths shown.
 */
export function suggestPaths(missing: string, index: StaticIndexApi, limit = 3, asked?: IndexQuestions): string[] {
  // A path longer than any real file's is no typo of one; comparing it would cost time in its length.
  if (missing.length > MAX_SUGGESTED_LENGTH) return [];
  const typedName = basename(missing);
  const typedBase = typedName.toLowerCase();
  const maxBase = Math.max(1, Math.floor(typedBase.length / 3));
  const shown = (paths: string[]): string[] => {
    const out = paths.slice(0, limit);
    asked?.suggested(parentRel(missing), typedBase, maxBase, out);
    return out;
  };
  const data = pathsOf(index);
  const memo = data.suggestions.get(missing);
  if (memo) return shown(memo);
  const missingLower = missing.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(missing.length / 3));
  const ranked = new Map<number, number>();

  // Same folder: a shared prefix adds nothing to an edit distance, so comparing names is comparing paths.
  const folderId = data.folderIds.get(parentRel(missing));
  const folder = folderId === undefined ? [] : (filesIn(data, folderId, FOLDER_SCAN_MAX) ?? []);
  for (const k of folder) {
    const name = data.names[k];
    const s = score(typedName, typedBase, name, name.toLowerCase(), maxDistance);
    if (s !== Infinity) ranked.set(k, s);
  }

  const bases = baseIndexOf(data);
  const close = closeBasenames(bases, typedBase, maxBase);
  const exact = close.findIndex((id) => nameOf(bases, id) === typedBase);
  if (exact > 0) close.unshift(...close.splice(exact, 1));
  let compared = 0;
  for (const id of close) {
    const base = nameOf(bases, id);
    for (const k of carriersOf(bases, id)) {
      if (ranked.has(k) || data.removed.has(k)) continue;
      if (compared++ >= MAX_COMPARED) break;
      // A right file name in the wrong folder is a likely mistake even when the full paths differ a lot.
      const path = pathAt(data, k);
      const full = score(missing, missingLower, path, path.toLowerCase(), Math.max(maxDistance, missing.length));
      ranked.set(k, Math.min(full, maxDistance + (base === typedBase ? 0.5 : 1)));
    }
  }

  const result = [...ranked.entries()]
    .map(([k, rank]) => ({ path: pathAt(data, k), rank }))
    .sort((x, y) => x.rank - y.rank || (x.path < y.path ? -1 : 1))
    .slice(0, Math.max(limit, 5))
    .map((entry) => entry.path);
  // Bounded: a long session asks about many distinct missing paths (150 long ones once added 158 MB).
  if (data.suggestions.size >= MAX_MEMO) data.suggestions.delete(data.suggestions.keys().next().value!);
  data.suggestions.set(missing, result);
  return shown(result);
}
