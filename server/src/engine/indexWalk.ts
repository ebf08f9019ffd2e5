/**
 * One walk of one static root, kept as a small tree: per folder, the names of its files and sub-folders.
 * No per-file path strings are built while walking (that was most of the cost at 100k files); lookups go
 * folder map → name. Symlinked folders are followed like Django's `os.scandir(...).is_dir()`, but a link back
 * to a folder on the current branch is not entered again (Django would recurse until the OS refuses).
 */
import * as fs from 'fs';
import { PathFilter } from './fnmatch';
import { basename, joinRel, parentRel } from './paths';

/** Names directly inside one folder of a root, in directory order. */
export interface DirNode {
  files: string[];
  dirs: string[];
  /** Built on demand for big folders so name lookups stay O(1). */
  fileSet?: Set<string>;
}

/** Something the walk could not read; it never stops the walk. */
export interface WalkProblem {
  kind: 'unreadable' | 'symlink-loop' | 'broken-symlink';
  path: string;
  message: string;
}

const SMALL_FOLDER = 24;

export class RootTree {
  /** Every folder ('' = the root itself while it exists) with its children's names. */
  readonly dirs = new Map<string, DirNode>();
  /**
   * Symlinks whose target is missing: Django's list() yields them (collectstatic then crashes copying them),
   * but find() never matches them because `os.path.exists` is false. They are listed in their folder's files.
   */
  readonly broken = new Set<string>();
  readonly problems: WalkProblem[] = [];
  /**
   * Real paths of symlinked folders (the root included when it is a link) → their path in this tree, so a
   * file-system event reported at the link's target still reaches the index.
   */
  readonly linkedFolders = new Map<string, string>();
  private files = 0;

  constructor(
    /** Absolute root; null for a custom finder's virtual tree. */
    readonly root: string | null,
    private readonly filter: PathFilter | null = null,
  ) {}

  get exists(): boolean {
    return this.dirs.has('');
  }

  /** Files that find() can see (broken links excluded). */
  get fileCount(): number {
    return this.files - this.broken.size;
  }

  hasFile(rel: string): boolean {
    const node = this.dirs.get(parentRel(rel));
    if (!node || !nodeHasFile(node, basename(rel))) return false;
    return this.broken.size === 0 || !this.broken.has(rel);
  }

  hasFileOrFolder(rel: string): boolean {
    return this.dirs.has(rel) || this.hasFile(rel);
  }

  /** Relative paths of the files find() can see at `rel` (a file) or anywhere below it (a folder). */
  filesAt(rel: string): string[] {
    if (this.hasFile(rel)) return [rel];
    const out: string[] = [];
    const visit = (folder: string): void => {
      const node = this.dirs.get(folder);
      if (!node) return;
      for (const name of node.files) {
        const path = joinRel(folder, name);
        if (this.broken.size === 0 || !this.broken.has(path)) out.push(path);
      }
      for (const name of node.dirs) visit(joinRel(folder, name));
    };
    visit(rel);
    return out;
  }

  /** Relative paths of every file find() can see. */
  *filePaths(): IterableIterator<string> {
    for (const [rel, node] of this.dirs) {
      for (const name of node.files) {
        const path = rel ? `${rel}/${name}` : name;
        if (this.broken.size === 0 || !this.broken.has(path)) yield path;
      }
    }
  }

  /** Walks the whole root (call once, on a fresh tree). */
  walkAll(): void {
    if (this.root === null) return;
    let real: string;
    try {
      if (!fs.statSync(this.root).isDirectory()) return;
      real = fs.realpathSync.native(this.root);
    } catch {
      return;
    }
    if (real !== this.root) this.linkedFolders.set(real, '');
    this.walkDir('', this.root, real, new Set([real]));
  }

  /** Adds a file or a whole folder found on disk after the first walk. Returns true when something changed. */
  addPath(rel: string): boolean {
    if (this.root === null) return false;
    if (rel === '') {
      // The root itself (re)appeared, e.g. a branch checkout brought the folder back: walk it whole.
      if (this.exists) return false;
      this.walkAll();
      return this.exists;
    }
    if (this.dirs.has(rel) || this.hasFile(rel) || this.broken.has(rel)) return false;
    if (this.filtered(rel)) return false;
    const abs = `${this.root}/${rel}`;
    const kind = entryKind(abs);
    if (kind === 'missing') return false;
    this.ensureFolder(parentRel(rel));
    if (kind === 'dir') {
      let real: string;
      try {
        real = fs.realpathSync.native(abs);
      } catch {
        return false;
      }
      this.dirs.get(parentRel(rel))!.dirs.push(basename(rel));
      this.walkDir(rel, abs, real, new Set([real]));
    } else {
      this.addFile(rel, kind === 'broken');
    }
    return true;
  }

  /** Removes a file or a folder with everything below it. Returns true when something changed. */
  removePath(rel: string): boolean {
    if (rel === '') {
      if (!this.exists) return false;
      this.dirs.clear();
      this.broken.clear();
      this.files = 0;
      return true;
    }
    const parent = this.dirs.get(parentRel(rel));
    const name = basename(rel);
    if (parent && nodeHasFile(parent, name)) {
      removeName(parent.files, name);
      parent.fileSet?.delete(name);
      this.broken.delete(rel);
      this.files--;
      return true;
    }
    if (!this.dirs.has(rel)) return false;
    this.dropFolder(rel);
    if (parent) removeName(parent.dirs, name);
    return true;
  }

  /** Adds a file a custom finder listed (virtual tree, nothing on disk is read). */
  addVirtualFile(rel: string): void {
    if (this.hasFile(rel)) return;
    this.ensureFolder(parentRel(rel));
    this.addFile(rel, false);
  }

  private filtered(rel: string): boolean {
    if (!this.filter) return false;
    if (this.filter.skipsFile?.(rel)) return true;
    for (let r = rel; r; r = parentRel(r)) if (this.filter.skipsFolder(r, basename(r))) return true;
    return false;
  }

  private addFile(rel: string, broken: boolean): void {
    if (broken) this.broken.add(rel);
    const node = this.dirs.get(parentRel(rel))!;
    node.files.push(basename(rel));
    node.fileSet?.add(basename(rel));
    this.files++;
  }

  private ensureFolder(rel: string): void {
    if (this.dirs.has(rel)) return;
    if (rel !== '') {
      this.ensureFolder(parentRel(rel));
      this.dirs.get(parentRel(rel))!.dirs.push(basename(rel));
    }
    this.dirs.set(rel, { files: [], dirs: [] });
  }

  private dropFolder(rel: string): void {
    const node = this.dirs.get(rel);
    if (!node) return;
    this.files -= node.files.length;
    if (this.broken.size) for (const f of node.files) this.broken.delete(joinRel(rel, f));
    for (const d of node.dirs) this.dropFolder(joinRel(rel, d));
    this.dirs.delete(rel);
  }

  /** `branch` holds the real paths of the folders from the root down to this one (loop guard). */
  private walkDir(rel: string, abs: string, real: string, branch: Set<string>): void {
    const node: DirNode = { files: [], dirs: [] };
    this.dirs.set(rel, node);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      this.problems.push({ kind: 'unreadable', path: abs, message: `Cannot read folder ${abs}: ${(err as Error).message}` });
      return;
    }
    const filter = this.filter;
    let subdirs: Array<[string, string]> | undefined; // name, real path
    for (const entry of entries) {
      const name = entry.name;
      let kind: 'dir' | 'file' | 'broken' | 'missing';
      if (entry.isDirectory()) kind = 'dir';
      else if (entry.isFile()) kind = 'file';
      else kind = entryKind(`${abs}/${name}`); // symlinks and unknown types: follow like is_dir()
      if (kind === 'dir') {
        let childReal = `${real}/${name}`;
        if (!entry.isDirectory()) {
          try {
            childReal = fs.realpathSync.native(`${abs}/${name}`);
          } catch {
            kind = 'broken';
          }
        }
        if (kind === 'dir') {
          if (filter && filter.skipsFolder(joinRel(rel, name), name)) continue;
          (subdirs ??= []).push([name, childReal]);
          continue;
        }
      }
      if (kind === 'missing') continue;
      if (filter?.skipsFile && filter.skipsFile(joinRel(rel, name))) continue;
      node.files.push(name);
      this.files++;
      if (kind === 'broken') {
        this.broken.add(joinRel(rel, name));
        this.problems.push({ kind: 'broken-symlink', path: `${abs}/${name}`, message: `Broken symbolic link ${abs}/${name}.` });
      }
    }
    if (!subdirs) return;
    for (const [name, childReal] of subdirs) {
      const childRel = rel ? `${rel}/${name}` : name;
      const childAbs = `${abs}/${name}`;
      node.dirs.push(name);
      if (branch.has(childReal)) {
        this.problems.push({
          kind: 'symlink-loop',
          path: childAbs,
          message: `Symbolic link ${childAbs} points back to a folder above it; not followed again.`,
        });
        // Still a folder for find() (`os.path.exists` is true), just not walked a second time.
        this.dirs.set(childRel, { files: [], dirs: [] });
        continue;
      }
      if (childReal !== `${real}/${name}`) this.linkedFolders.set(childReal, childRel);
      branch.add(childReal);
      this.walkDir(childRel, childAbs, childReal, branch);
      branch.delete(childReal);
    }
  }
}

function nodeHasFile(node: DirNode, name: string): boolean {
  if (node.files.length < SMALL_FOLDER) return node.files.includes(name);
  node.fileSet ??= new Set(node.files);
  return node.fileSet.has(name);
}

/** What `abs` is when symlinks are followed: Django's `DirEntry.is_dir()` view. */
function entryKind(abs: string): 'dir' | 'file' | 'broken' | 'missing' {
  try {
    return fs.statSync(abs).isDirectory() ? 'dir' : 'file';
  } catch {
    try {
      fs.lstatSync(abs);
      return 'broken';
    } catch {
      return 'missing';
    }
  }
}

function removeName(list: string[], name: string): void {
  const i = list.indexOf(name);
  if (i !== -1) list.splice(i, 1);
}
