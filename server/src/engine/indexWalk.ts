/**
 * One walk of one static root, kept as a small tree: per folder, the names of its files and sub-folders.
 * No per-file path strings are built while walking (that was most of the cost at 100k files); lookups go
 * folder map → name. Symlinked folders are followed like Django's `os.scandir(...).is_dir()`, with two
 * exceptions that keep the tree finite:
 *
 * - a link back to a folder on the current branch (a loop) is not walked again: Django's list() recurses until
 *   the OS refuses the 41st link, so collectstatic fails, while find() resolves paths through the loop;
 * - a real folder reached through more than `maxRepeats` links is not walked again either (a folder of links
 *   pointing at each other otherwise grows factorially: 9 folders took 90 s and 2.9 GB).
 *
 * Both become aliases: a path through them is answered through the folder they lead to, following at most 40
 * links as path resolution does, so find() answers what findstatic answers. The walk also stops after a
 * number of entries or a time (walkBudget.ts), and can pause between folders so a server keeps answering.
 *
 * Until its walk has ended, and after a walk cut short, a tree answers lookups (hasFile, hasFolder, node)
 * from the disk itself, as Django's find() does (`os.path.exists` per location): a server can answer from an
 * index whose walk is still running, and what it says is what findstatic says, not what the walk reached.
 */
import * as fs from 'fs';
import { PathFilter } from './fnmatch';
import { basename, joinRel, parentRel } from './paths';
import { MAX_SYMLINK_HOPS, WalkBudget, WalkLimits, yieldToEventLoop } from './walkBudget';

/** Names directly inside one folder of a root, in directory order. */
export interface DirNode {
  files: string[];
  dirs: string[];
  /** Built on demand for big folders so name lookups stay O(1). */
  fileSet?: Set<string>;
}

/** Something the walk could not read; it never stops the walk. */
export interface WalkProblem {
  kind: 'unreadable' | 'symlink-loop' | 'broken-symlink' | 'symlink-repeat' | 'walk-stopped' | 'more-problems';
  path: string;
  message: string;
}

const SMALL_FOLDER = 24;
/** A hostile root (`/sys`) can hold thousands of loops: the first ones say enough. */
const MAX_PROBLEMS = 50;
/** How long a walk runs before it lets other work in (walkAllAsync). */
const SLICE_MS = 10;
/** Entries recorded between two chances to pause (a stat and a realpath each when they are symlinks). */
const ENTRIES_PER_STEP = 512;

export class RootTree {
  /** Every folder ('' = the root itself while it exists) with its children's names. */
  readonly dirs = new Map<string, DirNode>();
  /**
   * Symlinks whose target is missing: Django's list() yields them (collectstatic then crashes copying them),
   * but find() never matches them because `os.path.exists` is false. They are listed in their folder's files.
   */
  readonly broken = new Set<string>();
  /** What the walk met, the first MAX_PROBLEMS of them. */
  private readonly listed: WalkProblem[] = [];
  private hidden = 0;
  /**
   * Real paths of symlinked folders (the root included when it is a link) → their path in this tree, so a
   * file-system event reported at the link's target still reaches the index.
   */
  readonly linkedFolders = new Map<string, string>();
  /** Link folders not walked (loops, repeats) → the walked folder they lead to. */
  private readonly aliases = new Map<string, string>();
  /** Walked folders that are symlinks: each counts towards the 40 links path resolution follows. */
  private readonly linkRels = new Set<string>();
  /** Real folder → where it was first walked and how many times. */
  private readonly visits = new Map<string, { rel: string; count: number }>();
  private rootIsLink = false;
  private files = 0;
  private budget: WalkBudget;
  /** False until the first walk has ended (a custom finder's virtual tree never walks). */
  private walked: boolean;

  constructor(
    /** Absolute root; null for a custom finder's virtual tree. */
    readonly root: string | null,
    private readonly filter: PathFilter | null = null,
    limits?: WalkLimits,
  ) {
    this.budget = new WalkBudget(limits);
    this.walked = root === null;
  }

  /** True until the first walk has ended: lookups read the disk, and the tree's own folders are not all there. */
  get reading(): boolean {
    return !this.walked;
  }

  /**
   * Lookups read the disk: while the walk runs, and after it was cut short (a path past the cut is not
   * missing, only unread: the disk says which).
   */
  get readsDisk(): boolean {
    return !this.walked || this.budget.stopped !== null;
  }

  /** Sets the limits of a walk not started yet (a project's total is known only once earlier roots are walked). */
  limitTo(limits: WalkLimits): void {
    if (!this.walked && this.budget.entries === 0) this.budget = new WalkBudget(limits);
  }

  /** Files and folders read so far (counted against the budgets). */
  get entriesRead(): number {
    return this.budget.entries;
  }

  /** Why the walk stopped early (`400,000 entries`), or null when it read the whole root. */
  get stoppedBy(): string | null {
    return this.budget.stopped;
  }

  /**
   * The walked folder a path stands for, following aliases the way path resolution follows links; null when
   * that takes more than 40 links (ELOOP: `os.path.exists` is false, findstatic finds nothing).
   */
  resolve(rel: string): string | null {
    if (this.aliases.size === 0 || rel === '' || !this.walked) return rel;
    let hops = this.rootIsLink ? 1 : 0;
    let current = '';
    for (const part of rel.split('/')) {
      current = current ? `${current}/${part}` : part;
      const target = this.aliases.get(current);
      if (target !== undefined) {
        current = target;
        hops++;
      } else if (this.linkRels.has(current)) hops++;
      if (hops > MAX_SYMLINK_HOPS) return null;
    }
    return current;
  }

  /** A folder's names, through aliases. */
  node(rel: string): DirNode | undefined {
    if (this.readsDisk) return this.readNode(rel);
    const real = this.resolve(rel);
    return real === null ? undefined : this.dirs.get(real);
  }

  /** True when some paths are answered through loops or repeated links (see resolve). */
  get hasAliases(): boolean {
    return this.aliases.size > 0;
  }

  hasFolder(rel: string): boolean {
    if (this.readsDisk) return this.onDisk(rel) === 'dir';
    return this.node(rel) !== undefined;
  }

  get exists(): boolean {
    if (this.readsDisk) return this.onDisk('') === 'dir';
    return this.dirs.has('');
  }

  /** Files that find() can see (broken links excluded). */
  get fileCount(): number {
    return this.files - this.broken.size;
  }

  hasFile(rel: string): boolean {
    return this.readsDisk ? this.onDisk(rel) === 'file' : this.holdsFile(rel);
  }

  /** The walked tree holds the file (what incremental updates compare against). */
  private holdsFile(rel: string): boolean {
    if (this.aliases.size > 0) rel = this.canonical(rel) ?? '\0';
    const node = this.dirs.get(parentRel(rel));
    if (!node || !nodeHasFile(node, basename(rel))) return false;
    return this.broken.size === 0 || !this.broken.has(rel);
  }

  hasFileOrFolder(rel: string): boolean {
    return this.hasFolder(rel) || this.hasFile(rel);
  }

  /** A symlink whose target is missing (listed by Django's list(), never matched by find()). */
  isBroken(rel: string): boolean {
    if (this.readsDisk) return this.onDisk(rel) === 'broken';
    return this.broken.size > 0 && this.broken.has(rel);
  }

  /** What `rel` is on disk now, as the walk would record it (ignored globs count as missing). */
  private onDisk(rel: string): 'dir' | 'file' | 'broken' | 'missing' {
    if (this.root === null || (rel !== '' && this.filtered(rel))) return 'missing';
    return entryKind(rel ? `${this.root}/${rel}` : this.root);
  }

  /** One folder's names read from the disk (see readsDisk), broken links left out. */
  private readNode(rel: string): DirNode | undefined {
    if (this.onDisk(rel) !== 'dir') return undefined;
    const abs = rel ? `${this.root}/${rel}` : this.root!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const node: DirNode = { files: [], dirs: [] };
    for (const entry of entries) {
      const kind = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : entryKind(`${abs}/${entry.name}`);
      const childRel = joinRel(rel, entry.name);
      if (kind === 'dir' && !this.filter?.skipsFolder(childRel, entry.name)) node.dirs.push(entry.name);
      else if (kind === 'file' && !this.filter?.skipsFile?.(childRel)) node.files.push(entry.name);
    }
    return node;
  }

  /** `rel` with its folder resolved through aliases (the last name is kept), or null past 40 links. */
  private canonical(rel: string): string | null {
    if (this.aliases.size === 0) return rel;
    const folder = this.resolve(parentRel(rel));
    return folder === null ? null : joinRel(folder, basename(rel));
  }

  /** Relative paths of the files find() can see at `rel` (a file) or anywhere below it (a folder). */
  filesAt(rel: string): string[] {
    if (this.holdsFile(rel)) return [this.canonical(rel)!];
    rel = this.resolve(rel) ?? '\0';
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
    for (const _ of this.walkRoot());
    this.walked = true;
  }

  /** The same walk, pausing every few milliseconds so the event loop (a server's requests) keeps running. */
  async walkAllAsync(): Promise<void> {
    let slice = Date.now();
    for (const _ of this.walkRoot()) {
      if (Date.now() - slice < SLICE_MS) continue;
      await yieldToEventLoop();
      slice = Date.now();
    }
    this.walked = true;
  }

  private *walkRoot(): Generator<void> {
    if (this.root === null) return;
    let real: string;
    try {
      if (!fs.statSync(this.root).isDirectory()) return;
      real = fs.realpathSync.native(this.root);
    } catch {
      return;
    }
    this.budget.restart();
    if (real !== this.root) {
      this.linkedFolders.set(real, '');
      this.rootIsLink = true;
    }
    this.visits.set(real, { rel: '', count: 1 });
    yield* this.walkDir('', this.root, real, new Map([[real, '']]));
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
    const canonical = this.canonical(rel);
    if (canonical === null) return false;
    rel = canonical;
    if (this.dirs.has(rel) || this.holdsFile(rel) || this.broken.has(rel)) return false;
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
      this.budget.restart();
      this.visits.set(real, { rel, count: (this.visits.get(real)?.count ?? 0) + 1 });
      for (const _ of this.walkDir(rel, abs, real, new Map([[real, rel]])));
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
      this.aliases.clear();
      this.linkRels.clear();
      this.visits.clear();
      this.files = 0;
      return true;
    }
    if (this.aliases.delete(rel)) {
      const linkParent = this.dirs.get(parentRel(rel));
      if (linkParent) removeName(linkParent.dirs, basename(rel));
      return true;
    }
    const canonical = this.canonical(rel);
    if (canonical === null) return false;
    rel = canonical;
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
    this.forgetBelow(rel);
    return true;
  }

  /** Drops aliases, links and visits recorded below a removed folder (one pass, not one per sub-folder). */
  private forgetBelow(rel: string): void {
    const below = (r: string) => r === rel || r.startsWith(`${rel}/`);
    for (const key of [...this.aliases.keys()]) if (below(key)) this.aliases.delete(key);
    for (const key of [...this.linkRels]) if (below(key)) this.linkRels.delete(key);
    for (const [real, visit] of [...this.visits]) if (below(visit.rel)) this.visits.delete(real);
  }

  /** Adds a file a custom finder listed (virtual tree, nothing on disk is read). */
  addVirtualFile(rel: string): void {
    if (this.holdsFile(rel)) return;
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

  /** A stopped walk first (it explains everything else that looks missing), then what it met. */
  get problems(): WalkProblem[] {
    const out: WalkProblem[] = [];
    if (this.budget.stopped) {
      const message = `Stopped after ${this.budget.entries.toLocaleString('en')} entries in ${this.root} (limit: ${this.budget.stopped}); paths in it are still looked up on the disk, but counts, the collect view and suggestions hold only what was read.`;
      out.push({ kind: 'walk-stopped', path: this.root ?? '', message });
    }
    out.push(...this.listed);
    if (this.hidden)
      out.push({ kind: 'more-problems', path: this.root ?? '', message: `${this.hidden} more problems in ${this.root} not listed.` });
    return out;
  }

  private problem(problem: WalkProblem): void {
    if (this.listed.length < MAX_PROBLEMS) this.listed.push(problem);
    else this.hidden++;
  }

  /**
   * Walks the folder at `rel` and everything below it, depth first, sub-folders in directory order.
   * `branch` maps the real paths of the folders from the root down to this one to their place in the tree
   * (loop guard). One loop over a stack of folders rather than a generator per folder: each pause then
   * leaves one generator, not one per level. Yields after each folder so a caller can pause.
   */
  private *walkDir(startRel: string, startAbs: string, startReal: string, branch: Map<string, string>): Generator<void> {
    const stack: WalkFrame[] = [];
    let rel = startRel;
    let abs = startAbs;
    let real = startReal;
    for (;;) {
      const node: DirNode = { files: [], dirs: [] };
      this.dirs.set(rel, node);
      const entries = readListing(abs);
      const subdirs: Subfolder[] = [];
      if (entries instanceof Error) {
        this.problem({ kind: 'unreadable', path: abs, message: `Cannot read folder ${abs}: ${entries.message}` });
      } else if (this.budget.take(entries.length)) {
        // A folder of thousands of symlinks costs a stat and a realpath each: let the caller pause inside it.
        for (let from = 0; ;) {
          from = this.readEntries(entries, from, rel, abs, real, node, subdirs);
          if (from === entries.length) break;
          yield;
        }
        yield;
      }
      if (subdirs.length > 0) stack.push({ rel, abs, real, node, subdirs, next: 0 });
      else if (stack.length > 0) branch.delete(real);
      const next = this.nextFolder(stack, branch);
      if (!next) return;
      [rel, abs, real] = next;
    }
  }

  /**
   * Records one folder's entries from `from`, at most ENTRIES_PER_STEP of them (walkDir pauses between),
   * and gives where it stopped.
   */
  private readEntries(
    entries: fs.Dirent[],
    from: number,
    rel: string,
    abs: string,
    real: string,
    node: DirNode,
    subdirs: Subfolder[],
  ): number {
    const filter = this.filter;
    const to = Math.min(entries.length, from + ENTRIES_PER_STEP);
    for (let i = from; i < to; i++) {
      const entry = entries[i];
      const name = entry.name;
      let kind: 'dir' | 'file' | 'broken' | 'missing';
      if (entry.isDirectory()) kind = 'dir';
      else if (entry.isFile()) kind = 'file';
      else kind = entryKind(`${abs}/${name}`); // symlinks and unknown types: follow like is_dir()
      if (kind === 'dir') {
        const link = !entry.isDirectory();
        let childReal = `${real}/${name}`;
        if (link) {
          try {
            childReal = fs.realpathSync.native(`${abs}/${name}`);
          } catch {
            kind = 'broken';
          }
        }
        if (kind === 'dir') {
          if (filter && filter.skipsFolder(joinRel(rel, name), name)) continue;
          subdirs.push({ name, real: childReal, link });
          continue;
        }
      }
      if (kind === 'missing') continue;
      if (filter?.skipsFile && filter.skipsFile(joinRel(rel, name))) continue;
      node.files.push(name);
      this.files++;
      if (kind === 'broken') {
        this.broken.add(joinRel(rel, name));
        this.problem({ kind: 'broken-symlink', path: `${abs}/${name}`, message: `Broken symbolic link ${abs}/${name}.` });
      }
    }
    return to;
  }

  /**
   * The next folder to walk below the folders on `stack` (rel, abs, real path), its place recorded in its
   * parent and on `branch`; null when none is left or the budget ran out. Loops and repeated links become
   * aliases on the way.
   */
  private nextFolder(stack: WalkFrame[], branch: Map<string, string>): [string, string, string] | null {
    while (stack.length > 0) {
      if (this.budget.stopped) return null;
      const top = stack[stack.length - 1];
      if (top.next === top.subdirs.length) {
        stack.pop();
        if (stack.length > 0) branch.delete(top.real);
        continue;
      }
      const { name, real: childReal, link } = top.subdirs[top.next++];
      const childRel = top.rel ? `${top.rel}/${name}` : name;
      const childAbs = `${top.abs}/${name}`;
      top.node.dirs.push(name);
      const above = branch.get(childReal);
      if (above !== undefined) {
        this.aliases.set(childRel, above);
        this.problem({
          kind: 'symlink-loop',
          path: childAbs,
          message: `Symbolic link ${childAbs} points back to a folder above it: findstatic finds files through it, but collectstatic would fail with "Too many levels of symbolic links".`,
        });
        continue;
      }
      const visit = this.visits.get(childReal);
      if (visit && visit.count >= this.budget.limits.maxRepeats) {
        this.aliases.set(childRel, visit.rel);
        if (visit.count++ === this.budget.limits.maxRepeats) {
          this.problem({
            kind: 'symlink-repeat',
            path: childAbs,
            message: `Folder ${childReal} is reached through more than ${this.budget.limits.maxRepeats} symbolic links in ${this.root}; ${childAbs} and later ones are not walked again (findstatic paths through them still resolve; collectstatic would copy them again).`,
          });
        }
        continue;
      }
      if (visit) visit.count++;
      else this.visits.set(childReal, { rel: childRel, count: 1 });
      if (link && childReal !== `${top.real}/${name}`) {
        this.linkedFolders.set(childReal, childRel);
        this.linkRels.add(childRel);
      }
      branch.set(childReal, childRel);
      return [childRel, childAbs, childReal];
    }
    return null;
  }
}

/** A sub-folder met in a listing, walked once the folders before it are. */
interface Subfolder {
  name: string;
  /** Its real path (the loop guard's and the repeat count's key). */
  real: string;
  /** Not a folder in the listing (a symbolic link, or a file system that gives no types): `real` was resolved. */
  link: boolean;
}

/** A folder of a walk whose sub-folders are being walked, `subdirs[next]` the next one. */
interface WalkFrame {
  rel: string;
  abs: string;
  real: string;
  node: DirNode;
  subdirs: Subfolder[];
  next: number;
}

/** readdirSync's entries, or the error it threw. */
function readListing(abs: string): fs.Dirent[] | Error {
  try {
    return fs.readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    return err as Error;
  }
}

function nodeHasFile(node: DirNode, name: string): boolean {
  if (node.files.length < SMALL_FOLDER) return node.files.includes(name);
  node.fileSet ??= new Set(node.files);
  return node.fileSet.has(name);
}

/** What `abs` is when symlinks are followed: Django's `DirEntry.is_dir()` view. */
function entryKind(abs: string): 'dir' | 'file' | 'broken' | 'missing' {
  // Without throwing for a missing path: a lookup while the walk runs asks every source (50+), most of
  // which lack it, and an exception per miss cost ten times the stat itself.
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs, { throwIfNoEntry: false });
  } catch {
    stat = undefined; // ELOOP, ENOTDIR, EACCES: not there for os.path.exists either
  }
  if (stat) return stat.isDirectory() ? 'dir' : 'file';
  try {
    return fs.lstatSync(abs, { throwIfNoEntry: false }) ? 'broken' : 'missing';
  } catch {
    return 'missing';
  }
}

function removeName(list: string[], name: string): void {
  const i = list.indexOf(name);
  if (i !== -1) list.splice(i, 1);
}
