/**
 * The Static Files view's folders and Find Static File's matches, answered from the collect tree a folder or
 * a query at a time, each answer capped: the editor never receives the whole collect view (a million files
 * in a big monorepo), and a search pauses now and then so other requests and cancellation get through.
 */
import { CollectedFolderPart, StaticIndexApi, StaticSource } from '../engine/indexTypes';
import { CollectFolder, CollectTree, collectTreeFor, collectTreeOf } from '../engine/collectTree';
import { pathQuery } from '../engine/pathSearch';
import { comparePaths, joinRel, parentRel, relativeInside } from '../engine/paths';
import { inSlices } from '../engine/slices';
import type {
  FindingCounts,
  FolderListing,
  ListFolderParams,
  SearchFilesResult,
  StaticFileFindings,
  StaticFileItem,
  StaticFileRow,
  StaticFilesFilter,
  StaticFolderRow,
} from '../protocol';

/** Children per folder the view is given; the rest are counted ("… N more") and found by searching. */
export const MAX_FOLDER_CHILDREN = 500;
/** Items per Find Static File answer. */
export const MAX_SEARCH_ITEMS = 200;
/** How long a search runs before it lets other messages through. */
const SEARCH_SLICE_MS = 15;

const none = (): FindingCounts => ({ errors: 0, warnings: 0, others: 0 });

function add(to: FindingCounts, from: FindingCounts): void {
  to.errors += from.errors;
  to.warnings += from.warnings;
  to.others += from.others;
}

/** The findings placed on the tree: on collected files, and on every folder above the paths they are about. */
interface PlacedFindings {
  files: Map<string, FindingCounts>;
  folders: Map<string, FindingCounts>;
}

/** Placed once per list of findings and tree: the view lists each folder it shows with the same ones. */
const placedCache = new WeakMap<readonly StaticFileFindings[], { tree: CollectTree; placed: PlacedFindings }>();

function placeFindings(tree: CollectTree, sources: readonly StaticSource[], findings: readonly StaticFileFindings[]): PlacedFindings {
  const cached = placedCache.get(findings);
  if (cached?.tree === tree) return cached.placed;
  const placed = placeAll(tree, sources, findings);
  placedCache.set(findings, { tree, placed });
  return placed;
}

function placeAll(tree: CollectTree, sources: readonly StaticSource[], findings: readonly StaticFileFindings[]): PlacedFindings {
  const files = new Map<string, FindingCounts>();
  const folders = new Map<string, FindingCounts>();
  const addTo = (map: Map<string, FindingCounts>, key: string, counts: FindingCounts) => {
    let at = map.get(key);
    if (!at) map.set(key, (at = none()));
    add(at, counts);
  };
  for (const counts of findings) {
    const dest = counts.path ?? (counts.absPath === undefined ? undefined : tree.pathOf(counts.absPath, sources));
    if (dest === undefined) continue; // in a file no row shows (not collected)
    if (tree.file(dest)) addTo(files, dest, counts);
    else if (counts.path === undefined) continue;
    // A missing `css/sites.css` counts on `css` when that folder exists, else on the deepest one that does.
    let folder = parentRel(dest);
    while (folder !== '' && !tree.folders.has(folder)) folder = parentRel(folder);
    for (;;) {
      addTo(folders, folder, counts);
      if (folder === '') break;
      folder = parentRel(folder);
    }
  }
  return { files, folders };
}

/** What a filter shows: its paths, and per folder the shown files' names and how many are shown below it. */
interface Shown {
  paths: string[];
  names: Map<string, string[]>;
  below: Map<string, number>;
}

/**
 * Made once per filter, tree and findings: under a filter every folder shows expanded, so the view lists each
 * folder holding a shown file (thousands in a monorepo with that many shadowed copies) with the same filter.
 */
const problemsCache = new WeakMap<PlacedFindings, Shown>();
let referencesCache: { placed: PlacedFindings; key: string; shown: Shown } | undefined;

/** The paths a filter shows, or null for every file. */
function shownBy(tree: CollectTree, sources: readonly StaticSource[], filter: StaticFilesFilter, placed: PlacedFindings): Shown | null {
  if (filter.kind === 'problems') {
    let shown = problemsCache.get(placed);
    if (!shown) problemsCache.set(placed, (shown = grouped(new Set([...placed.files.keys(), ...tree.shadowingPaths()]))));
    return shown;
  }
  if (filter.kind !== 'references') return null;
  const absPaths = (Array.isArray(filter.absPaths) ? filter.absPaths : []).filter((abs): abs is string => typeof abs === 'string');
  const key = absPaths.join('\0');
  if (referencesCache?.placed === placed && referencesCache.key === key) return referencesCache.shown;
  const paths = new Set<string>();
  for (const abs of absPaths) {
    const dest = tree.pathOf(abs, sources);
    if (dest !== undefined) paths.add(dest);
  }
  const shown = grouped(paths);
  referencesCache = { placed, key, shown };
  return shown;
}

function grouped(paths: Set<string>): Shown {
  const names = new Map<string, string[]>();
  const below = new Map<string, number>();
  const sorted = [...paths].sort(comparePaths);
  for (const dest of sorted) {
    const parent = parentRel(dest);
    const list = names.get(parent);
    const name = dest.slice(dest.lastIndexOf('/') + 1);
    if (list) list.push(name);
    else names.set(parent, [name]);
    let folder = dest;
    do {
      folder = parentRel(folder);
      below.set(folder, (below.get(folder) ?? 0) + 1);
    } while (folder !== '');
  }
  return { paths: sorted, names, below };
}

/**
 * One folder's listing for the Static Files view (see FolderListing); an unknown folder lists nothing. The
 * server passes the tree collectTreeFor made (in slices) after a change.
 */
export function listFolder(
  index: StaticIndexApi,
  params: ListFolderParams,
  findings: readonly StaticFileFindings[],
  tree: CollectTree = collectTreeOf(index),
): FolderListing {
  const folderPath = (params.folder ?? '').replace(/^\/+|\/+$/g, '');
  const limit = capped(params.limit, MAX_FOLDER_CHILDREN);
  const filter = params.filter ?? { kind: 'all' };
  const placed = placeFindings(tree, index.sources, findings);
  const shown = shownBy(tree, index.sources, filter, placed);
  const row = (at: CollectFolder): StaticFolderRow => ({
    name: at.name,
    path: at.path,
    fileCount: at.fileCount,
    shadowingCount: at.shadowingCount,
    findings: placed.folders.get(at.path) ?? none(),
  });
  const at = tree.folders.get(folderPath);
  if (!at) {
    const name = folderPath.slice(folderPath.lastIndexOf('/') + 1);
    const empty = { name, path: folderPath, fileCount: 0, shadowingCount: 0, findings: none() };
    return { folder: empty, folders: [], files: [], more: 0, shownCount: 0 };
  }
  const folderNames = [...at.folders].filter((name) => !shown || shown.below.has(joinRel(at.path, name))).sort();
  const fileNames = shown ? (shown.names.get(at.path) ?? []) : tree.fileNames(at);
  const folders = folderNames.slice(0, limit).map((name) => row(tree.folders.get(joinRel(at.path, name))!));
  const files: StaticFileRow[] = [];
  for (const name of fileNames.slice(0, limit - folders.length)) {
    const file = at.parts.length === 1 && !shown ? tree.made(at, at.parts[0], name) : tree.fileIn(at, name);
    if (!file) continue;
    const findingsHere = placed.files.get(file.path) ?? none();
    files.push({
      name,
      path: file.path,
      absPath: file.absPath,
      source: file.source.shortLabel,
      shadowed: file.shadowed,
      findings: findingsHere,
    });
  }
  return {
    folder: row(at),
    folders,
    files,
    more: folderNames.length + fileNames.length - folders.length - files.length,
    shownCount: shown ? (shown.below.get(at.path) ?? 0) : at.fileCount,
    ...(filter.kind === 'references' && at.path === '' ? { shownPaths: shown?.paths ?? [] } : {}),
  };
}

/** The collected paths later sources also provide, by path, each with its winner. */
export function shadowedFiles(index: StaticIndexApi): StaticFileItem[] {
  const tree = collectTreeOf(index);
  return [...tree.shadowingPaths()].sort(comparePaths).flatMap((dest) => {
    const file = tree.file(dest);
    return file ? [{ path: file.path, absPath: file.absPath, source: file.source.shortLabel, shadowed: file.shadowed }] : [];
  });
}

/**
 * The collected files best matching `query` (pathSearch.ts ranks them), the project's own before installed
 * packages' and node_modules' in each rank, shorter paths first. Null once cancelled (asked between folders now and then).
 */
export async function searchFiles(
  index: StaticIndexApi,
  projectDir: string,
  query: string,
  limit: number | undefined,
  cancelled: () => boolean,
): Promise<SearchFilesResult | null> {
  if (cancelled()) return null;
  const tree = await collectTreeFor(index);
  if (cancelled()) return null;
  const matcher = pathQuery(query);
  const max = capped(limit, MAX_SEARCH_ITEMS);
  type Candidate = { key: number; at: CollectFolder; part: CollectedFolderPart; name: string; path?: string };
  let best: Candidate[] = [];
  let bound = Infinity;
  let matchCount = 0;
  const ownSource = new Map(index.sources.map((s) => [s, isOwn(s, projectDir)]));
  const order = (a: Candidate, b: Candidate) => a.key - b.key || comparePaths(pathOfCandidate(a), pathOfCandidate(b));
  // A folder at a time, the event loop free between slices: a newer query cancels this one meanwhile.
  function* scan(): Generator<void, true> {
    for (const at of tree.folders.values()) {
      if (at.parts.length === 0) continue;
      const inFolder = matcher.inFolder(at.path);
      const vendored = /(^|\/)node_modules(\/|$)/.test(at.path);
      tree.forEachName(at, (part, name) => {
        const tier = inFolder.tier(name);
        if (tier < 0) return;
        matchCount++;
        const foreign = vendored || !ownSource.get(part.source) ? 1 : 0;
        const key = (tier * 2 + foreign) * 65536 + Math.min(65535, at.path.length + name.length);
        if (key > bound) return;
        best.push({ key, at, part, name });
        if (best.length >= max * 4) {
          best.sort(order);
          best = best.slice(0, max);
          bound = best[best.length - 1].key;
        }
      });
      yield;
    }
    return true;
  }
  if (!(await inSlices(scan(), SEARCH_SLICE_MS, cancelled))) return null;
  best.sort(order);
  const items: StaticFileItem[] = best.slice(0, max).map((c) => {
    const file = tree.made(c.at, c.part, c.name);
    return { path: file.path, absPath: file.absPath, source: file.source.shortLabel, shadowed: file.shadowed };
  });
  return { items, matchCount };
}

function pathOfCandidate(c: { at: CollectFolder; name: string; path?: string }): string {
  return (c.path ??= joinRel(c.at.path, c.name));
}

/** A limit the client asked for, within 1..max (the max when it asked for none or nonsense). */
function capped(asked: unknown, max: number): number {
  return typeof asked === 'number' && asked >= 1 ? Math.min(max, Math.floor(asked)) : max;
}

/** A source inside the project that is no installed package: the files people look for. */
function isOwn(source: StaticSource, projectDir: string): boolean {
  if (source.root === null) return false;
  const rel = relativeInside(projectDir, source.root);
  return rel !== null && !/(^|\/)(site-packages|dist-packages|node_modules)(\/|$)/.test(rel);
}
