/**
 * The contract of the static index: what the CLI, the language service and the benchmark rely on.
 * Implemented by `StaticIndex` in `staticIndex.ts`.
 */

/** One place static files come from, in finder order. */
export interface StaticSource {
  /** Position in finder order (0 = consulted first). */
  order: number;
  finder: 'filesystem' | 'app' | 'custom';
  /** Human label: `STATICFILES_DIRS[1] 'pre' → /abs/root`, `app 'blog'`, or the custom finder class. */
  label: string;
  /** Short label for completion details: `assets/`, `blog`, `pre → prefixed/`. */
  shortLabel: string;
  /** Absolute root folder (null for custom finders whose files carry their own paths). */
  root: string | null;
  /** Root as written in settings (STATICFILES_DIRS) or the absolute static dir (apps). */
  rootAsWritten: string | null;
  /** Prefix that find() uses for this source ('' for apps). */
  prefix: string;
  /** Prefix that collectstatic's list() uses (storage-per-root quirk). */
  listPrefix: string;
  /** App label for app sources. */
  appLabel?: string;
}

/** One source providing one destination path. */
export interface Provider {
  source: StaticSource;
  /** Absolute path of the file as found (not realpath'd). */
  absPath: string;
  /** File size in bytes. */
  size: number;
  /** True when collectstatic's ignore patterns drop this file from this source. */
  ignored: boolean;
}

/** Everything known about one destination path (`/`-separated, prefix included). */
export interface IndexEntry {
  path: string;
  /** Providers in finder order, the first being what findstatic --first returns. */
  providers: Provider[];
}

/** A found path every copy of which collectstatic's ignore patterns skip (development still serves it). */
export function ignoredByCollectstatic(entry: IndexEntry | undefined): boolean {
  return !!entry?.providers.length && entry.providers.every((p) => p.ignored);
}

/** Result of a find() lookup that mirrors `django.contrib.staticfiles.finders.find`. */
export type FindResult =
  | { kind: 'found'; matches: string[] }
  | { kind: 'missing' }
  /** The path escapes a root (`../x`, absolute): Django raises SuspiciousFileOperation. Never read. */
  | { kind: 'escapes'; message: string };

/** A destination path that appeared in (`added`) or disappeared from the find() view. */
export interface PathChange {
  path: string;
  added: boolean;
}

/** What collectstatic would do, counted without listing every destination. */
export interface CollectStats {
  /** Distinct destinations written. */
  collected: number;
  /** Files each source yields (winners and shadowed copies alike), by `StaticSource.order`. */
  perSource: number[];
  /** Later sources' copies each source's files hide, by `StaticSource.order`. */
  shadows: number[];
  /** Each source's own files an earlier source's copy hides, by `StaticSource.order`. */
  shadowedBy: number[];
  /** The first destination written, in code-unit order (null when nothing is). */
  first: string | null;
  /** Destinations more than one source provides. */
  duplicateCount: number;
  /** The first of those by path, with their providers in finder order. */
  duplicates: IndexEntry[];
}

/** One destination collectstatic writes, with the file it copies. */
export interface CollectWinner {
  path: string;
  source: StaticSource;
  absPath: string;
  /** Sources providing it (1 = no shadowed copies). */
  copies: number;
}

/** One source's share of one destination folder in the collect view. */
export interface CollectedFolderPart {
  /** Destination folder ('' = top level). */
  folder: string;
  source: StaticSource;
  /** The file names collectstatic's list() yields from this source here (the index's own array: do not change it). */
  names: readonly string[];
  /** The file a name here is copied from. */
  absPath(name: string): string;
}

/** A child of a folder for completion. */
export interface FolderChild {
  name: string;
  isFolder: boolean;
  /** For files: the entry (winner first); for folders: the sources that contribute to it. */
  entry?: IndexEntry;
  sources: StaticSource[];
}

/** A folder's children by name: its folders with their sources, and its files' names, each sorted. */
export interface FolderListing {
  folders: FolderChild[];
  files: string[];
}

export interface StaticIndexApi {
  readonly sources: readonly StaticSource[];
  /** Number of destination paths known (find() view, ignored ones included). */
  readonly size: number;
  /**
   * Bumped on every change (fileAdded/fileRemoved/fileChanged returning true), so callers can key caches
   * on it; a rename keeps `size` but changes this.
   */
  readonly generation?: number;
  /**
   * True while the walk behind the index runs: lookups (find, get, isFolder, children) read the disk and are
   * right; size, the collect view and every-file questions are not answerable yet (see startIndex).
   */
  readonly reading?: boolean;
  /** find(): first or all matches (absolute paths; folders count, as in Django). */
  find(path: string, all: boolean): FindResult;
  /** The entry for a normalised destination path, or undefined. */
  get(path: string): IndexEntry | undefined;
  /** True when a destination folder exists (prefix folders included). */
  isFolder(path: string): boolean;
  /**
   * Children of a destination folder ('' = top level), sorted by name; `listing`, the folder's listChildren
   * when the caller has it already, saves listing it again.
   */
  children(folder: string, listing?: FolderListing): FolderChild[];
  /**
   * The same children before any file is looked up (a 100,000-file folder lists in a fraction of what
   * looking each file up costs): a file here may still turn out to have no entry.
   */
  listChildren(folder: string): FolderListing;
  /**
   * The files of `listing` (the folder's listChildren) whose every copy collectstatic ignores, as children()
   * would flag them, without building an entry per file.
   */
  ignoredFiles(folder: string, listing: FolderListing): ReadonlySet<string>;
  /** What collectstatic writes: destination → providers in finder order (first is copied), ignored ones absent. */
  collectMap(): Map<string, string[]>;
  /**
   * collectstatic's list() a folder at a time, in finder order (a name yielded by two sources is collected from
   * the first): no path is built per file, so a caller can keep a folder tree of 1M files cheaply. One part at
   * a time, for work that pauses between folders (the collect tree's sliced build).
   */
  collectedFolders(): IterableIterator<CollectedFolderPart>;
  /** Every destination collectstatic writes with its winner (cheaper than collectMap: no path per shadowed copy). */
  collectWinners(): CollectWinner[];
  /** All entries provided by more than one source in the collect view. */
  duplicates(): IndexEntry[];
  /** Counts of the collect view, and the first `listed` duplicates by path. */
  collectStats(listed?: number): CollectStats;
  /**
   * The counting collectStats does, for a caller that runs it in slices (see slices.ts): once it ends,
   * collectStats answers from it until the index changes.
   */
  collectStatsSteps(listed?: number): Generator<void, void>;
  /**
   * Every destination file (find() view) as its folder and name, the name being the index's own string:
   * for callers that keep per-file data without building 100k path strings.
   */
  forEachFile(visit: (folder: string, name: string) => void): void;
  /** The same files a folder at a time, for work that pauses between folders (names: the index's own strings). */
  filesByFolder(): IterableIterator<[string, readonly string[]]>;
  /** Every destination file path (find() view). */
  allPaths(): IterableIterator<string>;
  /**
   * The destination paths that appeared or disappeared since `generation`, in order, so a cache of paths
   * can catch up; null when that generation is too old to answer (rebuild instead).
   */
  changesSince?(generation: number): PathChange[] | null;
  /** Incremental updates from file-system events (absolute paths). Return true when the index changed. */
  fileAdded(absPath: string): boolean;
  fileRemoved(absPath: string): boolean;
  /**
   * A file's content changed: paths stay, but what caches hold about files (sizes) is stale, so the
   * generation moves on (with no path changes). True when the index holds the file's folder.
   */
  fileChanged?(absPath: string): boolean;
}
