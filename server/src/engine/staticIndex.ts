/**
 * The static index: every file every finder can see, walked once per distinct root, answering the two
 * questions Django answers differently: `finders.find()` (per-entry prefix, no ignore patterns, folders
 * match, escaping paths raise) and collectstatic's `list()` (storage-per-root prefix, ignore patterns).
 */
import * as fs from 'fs';
import { atOnce } from './slices';
import { behaviourOf } from './djangoVersion';
import { ProjectModel, sourceFolders } from './model';
import {
  CollectedFolderPart,
  CollectStats,
  CollectWinner,
  FindResult,
  FolderChild,
  FolderListing,
  ignoredByCollectstatic,
  IndexEntry,
  PathChange,
  Provider,
  StaticIndexApi,
  StaticSource,
} from './indexTypes';
import { RootTree, WalkProblem } from './indexWalk';
import { DEFAULT_WALK_LIMITS, WalkLimits, yieldToEventLoop } from './walkBudget';
import { compileGlobs, compileIgnorePatterns, compilePathOnlyPatterns } from './fnmatch';
import { basename, belowPrefix, isInside, joinRel, normalizeDestPath, parentRel, relativeInside, safeJoin } from './paths';

export type { WalkProblem } from './indexWalk';

/** Options for building the index. */
export interface BuildIndexOptions {
  /** Extra globs never indexed (node_modules inside a static root stays indexed unless listed here). */
  ignoreGlobs?: string[];
  /** What walking one root may cost (walkBudget.ts). */
  walkLimits?: WalkLimits;
  /** The workspace folders (absolute): a root outside all of them gets `outsideMaxEntries`. None: no root is outside. */
  workspaceFolders?: string[];
}

/**
 * Walks every source in finder order, pausing between folders so a server answering requests on the same
 * thread keeps answering while a big (or hostile: `STATICFILES_DIRS = ['/']`) root is walked.
 */
export async function buildIndex(model: ProjectModel, options: BuildIndexOptions = {}): Promise<StaticIndex> {
  const { index, walked } = startIndex(model, options);
  await walked;
  return index;
}

/**
 * The index at once, its walk running behind it (`walked` resolves when it ends). Until then the index is
 * `reading`: lookups (find, get, isFolder, children) read the disk as Django's finders do, so they are
 * already right; questions about the whole index (size, collect view, every file) wait for `walked`.
 */
export function startIndex(model: ProjectModel, options: BuildIndexOptions = {}): { index: StaticIndex; walked: Promise<void> } {
  const skip = compileGlobs(options.ignoreGlobs ?? []);
  const trees = new Map<string, RootTree>();
  for (const root of sourceFolders(model)) if (!trees.has(root)) trees.set(root, new RootTree(root, skip));
  const index = new StaticIndex(model, options, trees);
  const limits = options.walkLimits ?? DEFAULT_WALK_LIMITS;
  const walk = async (): Promise<void> => {
    // From the next turn: a request woken by this index (a first answer, whose lookups read the disk) goes
    // before the walk's first slice.
    await yieldToEventLoop();
    let left = limits.maxIndexEntries ?? Infinity;
    for (const [root, tree] of trees) {
      const outside = limits.outsideMaxEntries ?? Infinity;
      const own =
        outside < limits.maxEntries && options.workspaceFolders?.every((folder) => !isInside(folder, root))
          ? { ...limits, maxEntries: outside, outside: true }
          : limits;
      tree.limitTo(left < own.maxEntries ? { ...limits, maxEntries: Math.max(0, left), shared: true } : own);
      await tree.walkAllAsync();
      left -= tree.entriesRead;
    }
    index.walkEnded();
  };
  return { index, walked: walk() };
}

interface SourceSlot {
  source: StaticSource;
  tree: RootTree;
  /** Custom finder files: destination path → absolute source (null for remote storages). */
  customAbs?: Map<string, string | null>;
}

/** How far back `changesSince` can answer: enough for bursts of saves, small next to the index. */
const JOURNAL_GENERATIONS = 256;
const JOURNAL_PATHS = 20_000;

/** What collectStats counts, before it lists the first duplicates. */
interface CollectCounts {
  collected: number;
  perSource: number[];
  shadows: number[];
  shadowedBy: number[];
  first: string | null;
  /** The first destinations more than one source yields, sorted, with those sources in finder order. */
  duplicated: Array<{ path: string; orders: number[] }>;
  /** All of them: `duplicated` keeps the first `kept` (held until the index changes, all of them were 13 MB at 1M files). */
  duplicateCount: number;
  kept: number;
}

/** Duplicates collectStats keeps between calls; a caller listing more has them counted again. */
const KEPT_DUPLICATES = 1_000;

/** Collect view: destination → index of the source slot(s) providing it, in finder order. */
type CollectTable = Map<string, number | number[]>;

export class StaticIndex implements StaticIndexApi {
  readonly sources: readonly StaticSource[];
  private readonly slots: SourceSlot[];
  /** Distinct walked roots (several sources may share one). */
  private readonly trees = new Map<string, RootTree>();
  private readonly isIgnoredName: (name: string) => boolean;
  /** The ignore patterns a whole path can match beyond its names (null for the defaults): see compilePathOnlyPatterns. */
  private readonly isIgnoredPath: ((path: string) => boolean) | null;
  private collectCache: CollectTable | null = null;
  /** See StaticIndexApi.generation. */
  generation = 0;
  private sizeCache: number | null = null;
  private statsCache: ({ generation: number } & CollectCounts) | null = null;
  /** Recent generations' path changes, oldest first, so caches of paths can catch up instead of rebuilding. */
  private readonly journal: Array<{ generation: number; changes: PathChange[] }> = [];
  /** Destination folder → slots whose tree has it (built on demand, dropped when folders come or go). */
  private folderSlots: Map<string, number[]> | null = null;
  /** Each listing listChildren returned → which slots hold its files (see children). */
  private readonly holdersOf = new WeakMap<FolderListing, Map<string, number | number[]>>();
  /** Slots whose walk was cut short (their lookups read the disk), in finder order; built with folderSlots. */
  private cutSlots: number[] | null = null;
  /** See DjangoBehaviour.appFinderSeesBrokenLinks. */
  private readonly appFindsBrokenLinks: boolean;

  /** `walked` holds trees walked elsewhere (startIndex walks them without blocking); others are walked here. */
  constructor(model: ProjectModel, options: BuildIndexOptions = {}, walked?: ReadonlyMap<string, RootTree>) {
    this.isIgnoredName = compileIgnorePatterns(model.ignorePatterns);
    this.isIgnoredPath = compilePathOnlyPatterns(model.ignorePatterns);
    this.appFindsBrokenLinks = behaviourOf(model.djangoVersion).appFinderSeesBrokenLinks;
    const skip = compileGlobs(options.ignoreGlobs ?? []);
    this.slots = buildSlots(model, (root) => {
      let tree = this.trees.get(root) ?? walked?.get(root);
      if (!tree) {
        tree = new RootTree(root, skip, options.walkLimits);
        tree.walkAll();
      }
      this.trees.set(root, tree);
      return tree;
    });
    this.sources = this.slots.map((s) => s.source);
  }

  /**
   * True while some root's walk has not ended (startIndex): lookups read the disk; size, the collect view
   * and every-file questions would miss what is not walked yet, so nobody asks them of a reading index.
   */
  get reading(): boolean {
    for (const tree of this.trees.values()) if (tree.reading) return true;
    return false;
  }

  /**
   * The walk has ended: what was cached from the disk-reading lookups goes, and the generation moves on with
   * no journal to catch up from, so caches keyed on it rebuild.
   */
  walkEnded(): void {
    this.folderSlots = null;
    this.cutSlots = null;
    this.sizeCache = null;
    this.collectCache = null;
    this.statsCache = null;
    this.journal.length = 0;
    this.generation++;
  }

  /** Folders that could not be read, symlink loops and broken links met while walking. */
  get problems(): WalkProblem[] {
    return [...this.trees.values()].flatMap((t) => t.problems);
  }

  /** Roots (absolute) that do not exist or are not folders, in finder order. */
  missingRoots(): StaticSource[] {
    return this.slots.filter((s) => s.source.root !== null && !s.tree.exists).map((s) => s.source);
  }

  /** Files below one source in the find() view (ignored ones included). */
  fileCount(source: StaticSource): number {
    return this.slots[source.order].tree.fileCount;
  }

  /**
   * Counted once a folder at a time (names compared only where sources share a folder, no path built:
   * counting allPaths() took 3.3 s at 1M files), then kept up to date by each change.
   */
  get size(): number {
    if (this.sizeCache === null) {
      let n = 0;
      this.forEachFile(() => n++);
      this.sizeCache = n;
    }
    return this.sizeCache;
  }

  find(path: string, all: boolean): FindResult {
    const matches: string[] = [];
    for (const slot of this.slots) {
      const match = this.findIn(slot, path);
      if (match === null) continue;
      if (typeof match === 'object') return { kind: 'escapes', message: match.escapes };
      matches.push(match);
      if (!all) break;
    }
    return matches.length ? { kind: 'found', matches } : { kind: 'missing' };
  }

  /** One location's answer, as FileSystemFinder.find_location / AppDirectoriesFinder.find_in_app give it. */
  private findIn(slot: SourceSlot, path: string): string | null | { escapes: string } {
    const { source, tree } = slot;
    if (slot.customAbs) {
      // We cannot run a custom finder's find(); match what its list() yielded, without raising.
      const rel = normalizeDestPath(path);
      if (rel === null || !tree.hasFileOrFolder(rel)) return null;
      return slot.customAbs.get(rel) ?? null;
    }
    let rest = path;
    if (source.prefix) {
      const head = `${source.prefix}/`;
      if (!path.startsWith(head)) return null;
      rest = path.slice(head.length);
    }
    const joined = safeJoin(source.root!, rest);
    if (!joined.ok) return { escapes: joined.message };
    if (tree.hasFileOrFolder(joined.rel)) return joined.path;
    return this.appFindsBrokenLinks && source.finder === 'app' && tree.isBroken(joined.rel) ? joined.path : null;
  }

  get(path: string): IndexEntry | undefined {
    const providers: Provider[] = [];
    for (const order of this.slotsHoldingFolder(parentRel(path))) {
      const slot = this.slots[order];
      const rel = belowPrefix(slot.source.prefix, path);
      if (rel === null || !slot.tree.hasFile(rel)) continue;
      providers.push(this.provider(slot, rel, this.isIgnoredRel(slot, rel)));
    }
    return providers.length ? { path, providers } : undefined;
  }

  /**
   * Slots (in finder order) whose tree holds the destination folder: a lookup then asks only the one or
   * two sources that can have the file instead of all of them (50+ in a big project).
   */
  private slotsHoldingFolder(folder: string): readonly number[] {
    if (this.reading) return this.slots.map((_, order) => order);
    // A folder reached through a symlink loop is not in the map (it holds walked folders only): ask the
    // sources whose trees have such links. A walk cut short: ask its source, which reads the disk.
    const slots = this.folderMap().get(folder) ?? this.slots.flatMap((slot, order) => (slot.tree.hasAliases ? [order] : []));
    this.cutSlots ??= this.slots.flatMap((slot, order) => (slot.tree.readsDisk ? [order] : []));
    if (this.cutSlots.length === 0) return slots;
    return [...new Set([...slots, ...this.cutSlots])].sort((a, b) => a - b);
  }

  /** Destination folder → slots whose tree has it, in finder order. */
  private folderMap(): Map<string, number[]> {
    if (!this.folderSlots) {
      const map = new Map<string, number[]>();
      this.slots.forEach((slot, order) => {
        for (const rel of slot.tree.dirs.keys()) {
          const dest = joinRel(slot.source.prefix, rel);
          const list = map.get(dest);
          if (list) list.push(order);
          else map.set(dest, [order]);
        }
      });
      this.folderSlots = map;
    }
    return this.folderSlots;
  }

  isFolder(path: string): boolean {
    const folder = trimSlashes(path);
    for (const slot of this.slots) {
      const prefix = slot.source.prefix;
      if (prefix && virtualChild(prefix, folder) !== null) return true;
      const rel = belowPrefix(prefix, folder);
      if (rel !== null && slot.tree.hasFolder(rel)) return true;
    }
    return false;
  }

  children(folder: string, listing?: FolderListing): FolderChild[] {
    const base = trimSlashes(folder);
    const given = listing && this.holdersOf.get(listing);
    const holders = given ?? new Map<string, number | number[]>();
    const { folders, files } = given ? listing! : this.listing(base, holders);
    const out: FolderChild[] = [];
    const within = this.folderWithin(base);
    const provider = (order: number, name: string): Provider => {
      const slot = this.slots[order];
      const at = within(order);
      const rel = joinRel(at.folder, name);
      return this.provider(slot, rel, this.isIgnoredIn(slot, at, name));
    };
    let f = 0;
    for (const name of files) {
      // Both lists are sorted: a folder goes before a file of the same name.
      while (f < folders.length && folders[f].name <= name) out.push(folders[f++]);
      // The listing says which sources hold the file: no lookup per file (one stat per source while reading).
      const held = holders.get(name)!;
      const providers = typeof held === 'number' ? [provider(held, name)] : held.map((order) => provider(order, name));
      out.push({ name, isFolder: false, entry: { path: joinRel(base, name), providers }, sources: providers.map((p) => p.source) });
    }
    while (f < folders.length) out.push(folders[f++]);
    return out;
  }

  ignoredFiles(folder: string, listing: FolderListing): ReadonlySet<string> {
    const base = trimSlashes(folder);
    const holders = this.holdersOf.get(listing);
    const ignored = new Set<string>();
    if (!holders) {
      for (const child of this.children(base, listing)) if (!child.isFolder && ignoredByCollectstatic(child.entry)) ignored.add(child.name);
      return ignored;
    }
    const within = this.folderWithin(base);
    const isIgnored = (order: number, name: string): boolean => this.isIgnoredIn(this.slots[order], within(order), name);
    for (const name of listing.files) {
      const held = holders.get(name)!;
      if (typeof held === 'number' ? isIgnored(held, name) : held.every((order) => isIgnored(order, name))) ignored.add(name);
    }
    return ignored;
  }

  /**
   * Every file of a folder shares it within each source: the folder below the source's prefix and whether
   * a name on the way is ignored are found once per source, not once per file (a 5,000-file folder was a
   * third of a cold first completion).
   */
  private folderWithin(base: string): (order: number) => { folder: string; ignored: boolean } {
    const found = new Map<number, { folder: string; ignored: boolean }>();
    return (order) => {
      let at = found.get(order);
      if (!at) {
        const slot = this.slots[order];
        const folder = belowPrefix(slot.source.prefix, base)!;
        at = { folder, ignored: this.isIgnoredFolder(slot, folder) };
        found.set(order, at);
      }
      return at;
    };
  }

  listChildren(folder: string): FolderListing {
    // Which sources hold each file is kept with the listing, so children() given it looks nothing up again.
    const holders = new Map<string, number | number[]>();
    const listing = this.listing(trimSlashes(folder), holders);
    this.holdersOf.set(listing, holders);
    return listing;
  }

  /** `holders` gets each file name's slots in finder order (a number for the one slot most files have). */
  private listing(base: string, holders: Map<string, number | number[]>): FolderListing {
    const folders = new Map<string, StaticSource[]>();
    const files = new Set<string>();
    const addFolder = (name: string, source: StaticSource) => {
      const list = folders.get(name);
      if (!list) folders.set(name, [source]);
      else if (!list.includes(source)) list.push(source);
    };
    const addFile = (name: string, order: number) => {
      files.add(name);
      const held = holders.get(name);
      if (held === undefined) holders.set(name, order);
      else if (typeof held === 'number') holders.set(name, [held, order]);
      else held.push(order);
    };
    for (const slot of this.slots) {
      const prefix = slot.source.prefix;
      const virtual = prefix ? virtualChild(prefix, base) : null;
      if (virtual !== null) {
        if (slot.tree.exists) addFolder(virtual, slot.source);
        continue;
      }
      const rel = belowPrefix(prefix, base);
      const node = rel === null ? undefined : slot.tree.node(rel);
      if (!node) continue;
      for (const name of node.dirs) addFolder(name, slot.source);
      const real = slot.tree.resolve(rel!);
      const broken = slot.tree.readsDisk ? null : slot.tree.broken; // a folder read from the disk leaves them out
      for (const name of node.files) if (!broken?.size || !broken.has(joinRel(real!, name))) addFile(name, slot.source.order);
    }
    // The default sort compares UTF-16 code units, as `<` does, without a callback per comparison.
    const folderNames = [...folders.keys()].sort();
    return {
      folders: folderNames.map((name) => ({ name, isFolder: true, sources: folders.get(name)! })),
      files: [...files].sort(),
    };
  }

  collectMap(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [dest, who] of this.collectTable()) {
      const list = typeof who === 'number' ? [who] : who;
      out.set(
        dest,
        list.map((i) => this.collectAbsPath(this.slots[i], dest)),
      );
    }
    return out;
  }

  collectWinners(): CollectWinner[] {
    const out: CollectWinner[] = [];
    for (const [dest, who] of this.collectTable()) {
      const first = typeof who === 'number' ? who : who[0];
      const slot = this.slots[first];
      out.push({
        path: dest,
        source: slot.source,
        absPath: this.collectAbsPath(slot, dest),
        copies: typeof who === 'number' ? 1 : who.length,
      });
    }
    return out;
  }

  duplicates(): IndexEntry[] {
    const out: IndexEntry[] = [];
    for (const [dest, who] of this.collectTable()) {
      if (typeof who === 'number') continue;
      const providers = who.map((i) => {
        const slot = this.slots[i];
        return this.provider(slot, collectRel(slot, dest), false);
      });
      out.push({ path: dest, providers });
    }
    return out;
  }

  collectStats(listed = 50): CollectStats {
    // Asked on every announcement of the project (its summary) and by the settings lenses: counted once per
    // index state.
    atOnce(this.collectStatsSteps(listed));
    const { collected, perSource, shadows, shadowedBy, first, duplicated, duplicateCount } = this.statsCache!;
    const duplicates = duplicated.slice(0, listed).map(({ path, orders }) => ({
      path,
      providers: orders.map((order) => this.provider(this.slots[order], collectRel(this.slots[order], path), false)),
    }));
    return { collected, perSource: [...perSource], shadows: [...shadows], shadowedBy: [...shadowedBy], first, duplicateCount, duplicates };
  }

  /** The counting in steps (the summary runs them between requests); done already when counted for this state. */
  *collectStatsSteps(listed = 50): Generator<void, void> {
    const cached = this.statsCache;
    if (cached?.generation === this.generation && !(listed > cached.kept && cached.duplicateCount > cached.kept)) return;
    const generation = this.generation;
    const counts = yield* this.countCollected(Math.max(listed, KEPT_DUPLICATES));
    this.statsCache = { generation, ...counts };
  }

  private *countCollected(kept: number): Generator<void, CollectCounts> {
    // Grouped by destination folder: a folder only one source fills cannot hold duplicates, so names are
    // compared only where sources overlap, and no per-file path is built (at 100k files the table of
    // destinations cost more time and memory than everything else the summary needs).
    const byFolder = new Map<string, Array<{ order: number; names: readonly string[] }>>();
    const perSource = this.slots.map(() => 0);
    const shadows = this.slots.map(() => 0);
    const shadowedBy = this.slots.map(() => 0);
    // The first path of a folder is the folder and its first name: one string per folder, not per file.
    let first: string | null = null;
    for (const { folder, source, names } of this.collectedFolders()) {
      perSource[source.order] += names.length;
      let least = names[0];
      for (let i = 1; i < names.length; i++) if (names[i] < least) least = names[i];
      const candidate = joinRel(folder, least);
      if (first === null || candidate < first) first = candidate;
      const list = byFolder.get(folder);
      if (list) list.push({ order: source.order, names });
      else byFolder.set(folder, [{ order: source.order, names }]);
      yield;
    }
    let collected = 0;
    const duplicated: Array<{ path: string; orders: number[] }> = [];
    for (const [folder, sources] of byFolder) {
      if (sources.length === 1) {
        collected += sources[0].names.length;
        continue;
      }
      // A name one source yields keeps its order, not an array (most names of a shared folder are not copies).
      const providers = new Map<string, number | number[]>();
      for (const { order, names } of sources) {
        for (const name of names) {
          const orders = providers.get(name);
          if (orders === undefined) providers.set(name, order);
          else if (typeof orders === 'number') providers.set(name, [orders, order]);
          else orders.push(order);
        }
      }
      collected += providers.size;
      for (const [name, orders] of providers) {
        if (typeof orders === 'number') continue;
        duplicated.push({ path: joinRel(folder, name), orders });
        // Finder order: the first copies, the others are hidden by it.
        shadows[orders[0]] += orders.length - 1;
        for (let i = 1; i < orders.length; i++) shadowedBy[orders[i]]++;
      }
      yield;
    }
    duplicated.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      collected,
      perSource,
      shadows,
      shadowedBy,
      first,
      duplicated: duplicated.slice(0, kept),
      duplicateCount: duplicated.length,
      kept,
    };
  }

  *collectedFolders(): IterableIterator<CollectedFolderPart> {
    for (const slot of this.slots) {
      const { source, customAbs } = slot;
      if (customAbs) {
        const folders = new Map<string, string[]>();
        for (const dest of customAbs.keys()) {
          const folder = parentRel(dest);
          const names = folders.get(folder);
          if (names) names.push(basename(dest));
          else folders.set(folder, [basename(dest)]);
        }
        for (const [folder, names] of folders)
          yield { folder, source, names, absPath: (name) => this.collectAbsPath(slot, joinRel(folder, name)) };
        continue;
      }
      for (const [rel, names] of this.collectedOf(slot.tree, ''))
        yield { folder: joinRel(source.listPrefix, rel), source, names, absPath: (name) => `${source.root}/${joinRel(rel, name)}` };
    }
  }

  forEachFile(visit: (folder: string, name: string) => void): void {
    for (const [folder, names] of this.filesByFolder()) for (const name of names) visit(folder, name);
  }

  *filesByFolder(): IterableIterator<[string, readonly string[]]> {
    for (const [folder, orders] of this.folderMap()) {
      if (orders.length === 1) {
        const { tree, source } = this.slots[orders[0]];
        const rel = belowPrefix(source.prefix, folder);
        const node = rel === null ? undefined : tree.dirs.get(rel);
        if (!node) continue;
        // The node's own list when nothing is left out: no copy per folder.
        if (tree.broken.size === 0) yield [folder, node.files];
        else yield [folder, node.files.filter((name) => !tree.broken.has(joinRel(rel!, name)))];
        continue;
      }
      const seen = new Set<string>();
      const names: string[] = [];
      for (const order of orders) {
        const { tree, source } = this.slots[order];
        const rel = belowPrefix(source.prefix, folder);
        const node = rel === null ? undefined : tree.dirs.get(rel);
        if (!node) continue;
        for (const name of node.files) {
          if ((tree.broken.size > 0 && tree.broken.has(joinRel(rel!, name))) || seen.has(name)) continue;
          seen.add(name);
          names.push(name);
        }
      }
      yield [folder, names];
    }
  }

  *allPaths(): IterableIterator<string> {
    const seen = this.slots.length > 1 ? new Set<string>() : null;
    for (const slot of this.slots) {
      const prefix = slot.customAbs ? '' : slot.source.prefix;
      for (const rel of slot.tree.filePaths()) {
        const dest = prefix ? `${prefix}/${rel}` : rel;
        if (seen) {
          if (seen.has(dest)) continue;
          seen.add(dest);
        }
        yield dest;
      }
    }
  }

  fileAdded(absPath: string): boolean {
    return this.update(absPath, 'added');
  }

  fileRemoved(absPath: string): boolean {
    return this.update(absPath, 'removed');
  }

  fileChanged(absPath: string): boolean {
    if (!this.sources.some((s) => s.root && relativeInside(s.root, absPath) !== null)) return false;
    this.nextGeneration([]);
    return true;
  }

  /** Moves the generation on and journals what changed in it. */
  private nextGeneration(changes: PathChange[]): void {
    this.generation++;
    this.journal.push({ generation: this.generation, changes });
    let kept = this.journal.reduce((n, entry) => n + entry.changes.length, 0);
    while (this.journal.length > 1 && (this.journal.length > JOURNAL_GENERATIONS || kept > JOURNAL_PATHS)) {
      kept -= this.journal.shift()!.changes.length;
    }
  }

  changesSince(generation: number): PathChange[] | null {
    if (generation === this.generation) return [];
    const first = this.journal[0];
    if (generation > this.generation || !first || first.generation > generation + 1) return null;
    return this.journal.filter((entry) => entry.generation > generation).flatMap((entry) => entry.changes);
  }

  private update(absPath: string, kind: 'added' | 'removed'): boolean {
    const abs = absPath.replace(/\/+$/, '');
    /** Per walked tree: the files (relative to it) that appeared or disappeared. */
    const touched = new Map<RootTree, Set<string>>();
    let foldersChanged = false;
    for (const tree of this.trees.values()) {
      const rels = new Set<string>();
      const direct = relativeInside(tree.root!, abs);
      if (direct !== null) rels.add(direct);
      // Also reached through a followed symlink whose target is where the event happened.
      for (const [real, linkRel] of tree.linkedFolders) {
        const inside = relativeInside(real, abs);
        if (inside !== null) rels.add(joinRel(linkRel, inside));
      }
      for (const rel of rels) {
        const folders = tree.dirs.size;
        const gone = kind === 'removed' ? tree.filesAt(rel) : [];
        // Past a walk's cut, what goes was never read but was found on the disk until now: it changed too.
        const unread = kind === 'removed' && tree.readsDisk && rel !== '' && gone.length === 0;
        const changed = (kind === 'removed' ? tree.removePath(rel) : tree.addPath(rel)) || unread;
        if (!changed) continue;
        let files = touched.get(tree);
        if (!files) touched.set(tree, (files = new Set()));
        for (const file of kind === 'removed' ? (unread ? [rel] : gone) : tree.filesAt(rel)) files.add(file);
        if (tree.dirs.size !== folders) foldersChanged = true;
      }
    }
    if (touched.size === 0) return false;
    if (foldersChanged) this.folderSlots = this.cutSlots = null;
    this.collectCache = null;
    const changes = this.pathChanges(touched, kind);
    if (this.sizeCache !== null) this.sizeCache += kind === 'added' ? changes.length : -changes.length;
    this.nextGeneration(changes);
    return true;
  }

  /**
   * Destination paths that appeared or disappeared in the find() view when the `touched` files of some
   * trees did: a destination another source still (or already) provides did not change.
   */
  private pathChanges(touched: Map<RootTree, Set<string>>, kind: 'added' | 'removed'): PathChange[] {
    const added = kind === 'added';
    const seen = new Set<string>();
    const changes: PathChange[] = [];
    for (const slot of this.slots) {
      const files = touched.get(slot.tree);
      if (!files || slot.customAbs) continue;
      for (const rel of files) {
        const dest = joinRel(slot.source.prefix, rel);
        if (seen.has(dest)) continue;
        seen.add(dest);
        // Another provider now (after a removal) or before (an addition not counting what was just added).
        const provided = this.slots.some((other) => {
          const otherRel = belowPrefix(other.source.prefix, dest);
          if (otherRel === null || !other.tree.hasFile(otherRel)) return false;
          return !added || !touched.get(other.tree)?.has(otherRel);
        });
        if (!provided) changes.push({ path: dest, added });
      }
    }
    return changes;
  }

  /**
   * Django's get_files() rules for one file of one storage: any folder on the way whose name matches prunes
   * it, then the file name, then (below the top level) the whole relative path.
   */
  private isIgnoredRel(slot: SourceSlot, rel: string): boolean {
    if (slot.customAbs) return false; // a custom finder's list() already applied the patterns
    // Each name in turn, without an array of them: every lookup of the workspace check comes here.
    let start = 0;
    for (let slash = rel.indexOf('/'); slash !== -1; slash = rel.indexOf('/', start)) {
      if (this.isIgnoredName(rel.slice(start, slash))) return true;
      start = slash + 1;
    }
    if (start === 0) return this.isIgnoredName(rel);
    // The whole path only for the patterns that can match it beyond its names (none of the defaults).
    return this.isIgnoredName(rel.slice(start)) || (this.isIgnoredPath !== null && this.isIgnoredPath(rel));
  }

  /** isIgnoredRel's folder half: a folder name on the way to `folder` (the source's own top is '') matches. */
  private isIgnoredFolder(slot: SourceSlot, folder: string): boolean {
    if (slot.customAbs || folder === '') return false;
    return folder.split('/').some((part) => this.isIgnoredName(part));
  }

  /**
   * isIgnoredRel for the file `name` in a folder whose half was found already (folderWithin). The whole path
   * is built and tested only for the patterns that can match it where no name on it does.
   */
  private isIgnoredIn(slot: SourceSlot, at: { folder: string; ignored: boolean }, name: string): boolean {
    if (slot.customAbs) return false;
    if (at.ignored || this.isIgnoredName(name)) return true;
    return at.folder !== '' && !!this.isIgnoredPath?.(`${at.folder}/${name}`);
  }

  /** collectstatic's walk, in finder order; the first source to yield a destination wins. */
  private collectTable(): CollectTable {
    if (this.collectCache) return this.collectCache;
    const table: CollectTable = new Map();
    const add = (dest: string, index: number) => {
      const prev = table.get(dest);
      if (prev === undefined) table.set(dest, index);
      else if (typeof prev === 'number') table.set(dest, [prev, index]);
      else prev.push(index);
    };
    this.slots.forEach((slot, index) => {
      if (slot.customAbs) {
        for (const dest of slot.customAbs.keys()) add(dest, index);
        return;
      }
      const prefix = slot.source.listPrefix;
      for (const [rel, names] of this.collectedOf(slot.tree, '')) {
        const folder = joinRel(prefix, rel);
        for (const name of names) add(joinRel(folder, name), index);
      }
    });
    this.collectCache = table;
    return table;
  }

  /**
   * collectstatic's get_files() walk of one storage, a folder at a time (depth first), for work that pauses
   * between folders: the folder's collected file names (the node's own list when none is ignored); an ignored
   * folder name prunes everything below it.
   */
  private *collectedOf(tree: RootTree, top: string): IterableIterator<[string, string[]]> {
    const stack = [top];
    for (let rel = stack.pop(); rel !== undefined; rel = stack.pop()) {
      const node = tree.dirs.get(rel);
      if (!node) continue;
      const byPath = rel ? this.isIgnoredPath : null;
      const at = rel;
      const kept = (name: string) => !this.isIgnoredName(name) && !(byPath && byPath(joinRel(at, name)));
      // Broken links stay in: list() yields them (collectstatic then fails copying them).
      const names = node.files.every(kept) ? node.files : node.files.filter(kept);
      if (names.length > 0) yield [rel, names];
      for (let i = node.dirs.length - 1; i >= 0; i--) if (!this.isIgnoredName(node.dirs[i])) stack.push(joinRel(rel, node.dirs[i]));
    }
  }

  private collectAbsPath(slot: SourceSlot, dest: string): string {
    if (slot.customAbs) return slot.customAbs.get(dest) ?? `${slot.source.label}:${dest}`;
    return `${slot.source.root}/${collectRel(slot, dest)}`;
  }

  private provider(slot: SourceSlot, rel: string, ignored: boolean): Provider {
    const absPath = slot.customAbs ? (slot.customAbs.get(rel) ?? '') : `${slot.source.root}/${rel}`;
    return new FoundFile(slot.source, absPath, ignored);
  }
}

/**
 * A provider whose size is read only when someone asks: 100k eager stats would double the cold index
 * time. A class rather than an object literal with a getter, which cost a closure and a dictionary-mode
 * object per provider (tens of MB once a workspace check had resolved every referenced path).
 */
class FoundFile implements Provider {
  private knownSize: number | undefined;

  constructor(
    readonly source: StaticSource,
    readonly absPath: string,
    readonly ignored: boolean,
  ) {}

  get size(): number {
    if (this.knownSize === undefined) {
      try {
        this.knownSize = fs.statSync(this.absPath).size;
      } catch {
        this.knownSize = 0;
      }
    }
    return this.knownSize;
  }
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** Path inside a source for a destination in the collect view. */
function collectRel(slot: SourceSlot, dest: string): string {
  if (slot.customAbs) return dest;
  const prefix = slot.source.listPrefix;
  return prefix ? dest.slice(prefix.length + 1) : dest;
}

/** The next segment of a multi-part `prefix` below `folder` when the folder lies above the prefix. */
function virtualChild(prefix: string, folder: string): string | null {
  if (folder === '') return prefix.split('/')[0];
  if (!prefix.startsWith(`${folder}/`)) return null;
  return prefix.slice(folder.length + 1).split('/')[0];
}

/** Sources in finder order, each tied to the (shared) walk of its root. */
function buildSlots(model: ProjectModel, treeFor: (root: string) => RootTree): SourceSlot[] {
  const slots: SourceSlot[] = [];
  const push = (source: Omit<StaticSource, 'order'>, tree: RootTree, customAbs?: Map<string, string | null>) =>
    slots.push({ source: { ...source, order: slots.length }, tree, customAbs });
  for (const finder of model.finders) {
    if (finder.kind === 'filesystem') {
      finder.dirs.forEach((dir, i) => {
        const rootName = `${basename(dir.root) || dir.root}/`;
        push(
          {
            finder: 'filesystem',
            label: `STATICFILES_DIRS[${i}]${dir.prefix ? ` '${dir.prefix}'` : ''} → ${dir.root}`,
            shortLabel: dir.prefix ? `${dir.prefix} → ${rootName}` : rootName,
            root: dir.root,
            rootAsWritten: dir.rootAsWritten,
            prefix: dir.prefix,
            listPrefix: dir.listPrefix,
          },
          treeFor(dir.root),
        );
      });
    } else if (finder.kind === 'app') {
      for (const app of finder.apps) {
        if (!app.staticDir) continue;
        push(
          {
            finder: 'app',
            label: `app '${app.label}'`,
            shortLabel: app.label,
            root: app.staticDir,
            rootAsWritten: app.staticDir,
            prefix: '',
            listPrefix: '',
            appLabel: app.label,
          },
          treeFor(app.staticDir),
        );
      }
    } else {
      const tree = new RootTree(null);
      const customAbs = new Map<string, string | null>();
      for (const file of finder.files) {
        const dest = normalizeDestPath(file.path);
        if (dest === null || dest === '') continue;
        tree.addVirtualFile(dest);
        if (!customAbs.has(dest)) customAbs.set(dest, file.absPath);
      }
      const short = finder.className.split('.').pop() ?? finder.className;
      push(
        { finder: 'custom', label: finder.className, shortLabel: short, root: null, rootAsWritten: null, prefix: '', listPrefix: '' },
        tree,
        customAbs,
      );
    }
  }
  return slots;
}
