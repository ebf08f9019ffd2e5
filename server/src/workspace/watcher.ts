import * as fs from 'fs';
import { isDirectory } from '../engine/fsUtil';
import * as path from 'path';
import { isInside } from '../engine/paths';

export type FileChangeKind = 'created' | 'changed' | 'deleted';

/** One file-system change, absolute path. Folder deletions arrive as one event for the folder. */
export interface FileChange {
  path: string;
  kind: FileChangeKind;
}

/** A folder to watch: recursively (static roots, template folders) or just its direct children (settings). */
export interface WatchTarget {
  dir: string;
  recursive: boolean;
}

export interface TreeWatcherOptions {
  /** Folder names never descended into (node_modules, .git). */
  skipDirNames?: Set<string>;
  /** Coalescing delay; short so a change shows within the 300 ms budget. */
  debounceMs?: number;
  log?: (message: string) => void;
  /** Poll folders beyond this many OS watches (default: only when the OS limit is hit). */
  maxWatchedFolders?: number;
  /** Poll interval for folders past the limit. */
  pollMs?: number;
}

/** Folders watched at most (the index walk stops at 250,000 entries; real trees have far fewer folders). */
const MAX_TREE_FOLDERS = 20_000;

/** How often folders past the OS watch limit are polled. */
const POLL_MS = 2000;

interface FolderListing {
  mtimeMs: number;
  names: Set<string>;
}

function listing(dir: string): FolderListing | undefined {
  try {
    const mtimeMs = fs.statSync(dir).mtimeMs;
    return { mtimeMs, names: new Set(fs.readdirSync(dir)) };
  } catch {
    return undefined;
  }
}

/**
 * Watches folder trees with one `fs.watch` per folder, because recursive fs.watch is unavailable on
 * Linux in node 20. Used only when the client cannot watch files for us.
 */
export class TreeWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private targets: WatchTarget[] = [];
  private pending = new Map<string, 'rename' | 'change'>();
  private timer: NodeJS.Timeout | undefined;
  private exhausted = false;
  private readonly polled = new Map<string, FolderListing>();
  private pollTimer: NodeJS.Timeout | undefined;
  private setCalls = 0;
  private disposed = false;

  constructor(
    private readonly onChanges: (changes: FileChange[]) => void,
    private readonly options: TreeWatcherOptions = {},
  ) {}

  /**
   * Replaces the watched targets; folders no longer covered stop being watched. Walks the trees
   * asynchronously so a large static tree does not stall the server; a newer call supersedes an older one.
   */
  async setTargets(targets: WatchTarget[]): Promise<void> {
    const call = ++this.setCalls;
    this.targets = targets.map((t) => ({ dir: path.resolve(t.dir), recursive: t.recursive }));
    const wanted = new Set<string>();
    for (const target of this.targets) {
      if (target.recursive) await this.collectTree(target.dir, wanted);
      else if (await isDirectory(target.dir)) wanted.add(target.dir);
      if (call !== this.setCalls || this.disposed) return;
    }
    for (const [dir, watcher] of this.watchers) {
      // A folder created while we walked is missing from `wanted` but still covered: keep watching it.
      if (!wanted.has(dir) && !this.covered(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of this.polled.keys()) if (!wanted.has(dir) && !this.covered(dir)) this.polled.delete(dir);
    for (const dir of wanted) this.watchDir(dir);
  }

  /** Folders watched by the OS plus folders polled past its limit. */
  get watchedFolderCount(): number {
    return this.watchers.size + this.polled.size;
  }

  get polledFolderCount(): number {
    return this.polled.size;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.polled.clear();
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Collects folders below `dir`, following symlinked folders as Django's walk does (once per real folder). */
  private async collectTree(dir: string, into: Set<string>, seenReal = new Set<string>()): Promise<void> {
    let entries: fs.Dirent[];
    try {
      const real = await fs.promises.realpath(dir);
      if (seenReal.has(real)) return; // a symlink loop
      seenReal.add(real);
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // A hostile root (`STATICFILES_DIRS = ['/']`) must not turn into a watch, or a poll, per folder on disk.
    if (into.size >= MAX_TREE_FOLDERS) {
      if (into.size === MAX_TREE_FOLDERS)
        this.options.log?.(`Watching stopped at ${MAX_TREE_FOLDERS} folders; folders below ${dir} and later ones are not watched.`);
      into.add(dir);
      return;
    }
    into.add(dir);
    for (const entry of entries) {
      if (this.options.skipDirNames?.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(full)))) await this.collectTree(full, into, seenReal);
    }
  }

  private watchDir(dir: string): void {
    if (this.watchers.has(dir) || this.polled.has(dir) || this.disposed) return;
    const limit = this.options.maxWatchedFolders;
    if (this.exhausted || (limit !== undefined && this.watchers.size >= limit)) {
      this.poll(dir);
      return;
    }
    try {
      const watcher = fs.watch(dir, { persistent: false }, (eventType, filename) => {
        if (filename) this.enqueue(path.join(dir, filename.toString()), eventType);
      });
      watcher.on('error', () => {
        // The folder went away; its parent reports the deletion.
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EMFILE') {
        this.exhausted = true;
        this.options.log?.(
          `File watching limit reached after ${this.watchers.size} folders; polling the others every ${POLL_MS / 1000} s.`,
        );
        this.poll(dir);
      }
    }
  }

  /** Past the OS watch limit: a cheap poll of the folder's mtime, re-listing it only when it changed. */
  private poll(dir: string): void {
    const state = listing(dir);
    if (!state) return;
    this.polled.set(dir, state);
    if (!this.pollTimer) {
      this.pollTimer = setInterval(() => this.pollOnce(), this.options.pollMs ?? POLL_MS);
      this.pollTimer.unref();
    }
  }

  private pollOnce(): void {
    for (const [dir, before] of this.polled) {
      let mtimeMs: number;
      try {
        mtimeMs = fs.statSync(dir).mtimeMs;
      } catch {
        this.polled.delete(dir);
        this.enqueue(dir, 'rename');
        continue;
      }
      if (mtimeMs === before.mtimeMs) continue;
      const after = listing(dir);
      if (!after) continue;
      this.polled.set(dir, after);
      for (const name of after.names) if (!before.names.has(name)) this.enqueue(path.join(dir, name), 'rename');
      for (const name of before.names) if (!after.names.has(name)) this.enqueue(path.join(dir, name), 'rename');
    }
  }

  private enqueue(file: string, eventType: string): void {
    const previous = this.pending.get(file);
    this.pending.set(file, previous === 'rename' || eventType === 'rename' ? 'rename' : 'change');
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.debounceMs ?? 30);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed) return;
    const batch = this.pending;
    this.pending = new Map();
    const changes: FileChange[] = [];
    for (const [file, eventType] of batch) {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(file);
      } catch {
        stat = undefined;
      }
      if (!stat) {
        this.unwatchTree(file);
        changes.push({ path: file, kind: 'deleted' });
        continue;
      }
      if (stat.isDirectory()) {
        // A change event on a watched folder means a child changed, and the child reports itself. A rename
        // event still counts: a folder that appeared while setTargets walked is watched already, and
        // skipping its own event would leave it out of the index.
        if ((this.watchers.has(file) || this.polled.has(file)) && eventType !== 'rename') continue;
        if (this.coveredRecursively(file) && !this.options.skipDirNames?.has(path.basename(file))) {
          // Sync on purpose: files created in the new folder right after it must not slip past unwatched.
          for (const dir of collectTreeSync(file, this.options.skipDirNames)) this.watchDir(dir);
        }
        changes.push({ path: file, kind: 'created' });
        continue;
      }
      changes.push({ path: file, kind: eventType === 'rename' ? 'created' : 'changed' });
    }
    if (changes.length > 0) this.onChanges(changes);
  }

  private covered(dir: string): boolean {
    return this.targets.some((t) => (t.recursive ? isInside(t.dir, dir) : dir === t.dir));
  }

  private coveredRecursively(dir: string): boolean {
    return this.targets.some((t) => t.recursive && isInside(t.dir, dir));
  }

  private unwatchTree(dir: string): void {
    for (const [watched, watcher] of this.watchers) {
      if (isInside(dir, watched)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
    for (const polled of this.polled.keys()) if (isInside(dir, polled)) this.polled.delete(polled);
  }
}

function collectTreeSync(root: string, skip?: Set<string>): string[] {
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    dirs.push(dir);
    for (const entry of entries) if (entry.isDirectory() && !skip?.has(entry.name)) walk(path.join(dir, entry.name));
  };
  walk(root);
  return dirs;
}
