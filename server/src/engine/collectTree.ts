/**
 * The collect view (what collectstatic writes, each destination from its first source) as a folder tree, for
 * the Static Files view and Find Static File. It keeps the index's own arrays of names per folder and counts
 * per folder, never a path or an object per file: at 1M files a list of every file cost the server seconds
 * and a 150 MB message, while a folder is listed (or every file matched) from this in a fraction of that.
 */
import { CollectedFolderPart, StaticIndexApi, StaticSource } from './indexTypes';
import { joinRel, parentRel, relativeInside } from './paths';
import { atOnce, inSlices } from './slices';

/** One destination folder holding collected files, itself or below. */
export interface CollectFolder {
  /** Destination path, `/`-separated ('' = top level). */
  path: string;
  name: string;
  /** Each source's names here, in finder order: a name is collected from the first part that has it. */
  parts: CollectedFolderPart[];
  /** The folders directly below that hold collected files, by name. */
  folders: Set<string>;
  /** Collected files here and below. */
  fileCount: number;
  /** Of those, the ones later sources provide too (their copies are shadowed). */
  shadowingCount: number;
  /** Names here more than one source yields, with how many do; null when one source fills the folder. */
  copies: Map<string, number> | null;
}

/** One collected destination with the file it is copied from. */
export interface CollectedFile {
  path: string;
  name: string;
  source: StaticSource;
  absPath: string;
  /** Later sources also providing it, whose copies collectstatic ignores. */
  shadowed: number;
}

export class CollectTree {
  readonly folders = new Map<string, CollectFolder>();
  /** Per part, its names as a set, made when a name is first looked up in it. */
  private readonly nameSets = new WeakMap<CollectedFolderPart, Set<string>>();
  private shadowing: string[] | undefined;
  private readonly sortedNames = new WeakMap<CollectFolder, string[]>();

  /** Built whole, at once; see build() for the same tree made in slices. */
  constructor(index: Pick<StaticIndexApi, 'collectedFolders'> | null) {
    if (index) atOnce(this.steps(index));
  }

  /**
   * The tree made in slices of about `sliceMs`, the event loop free between them (at 1M files it takes a
   * few hundred ms, which requests such as completion must not wait behind). Null once `stale()` says the
   * index changed meanwhile: the parts read so far may no longer be its own.
   */
  static async build(index: Pick<StaticIndexApi, 'collectedFolders'>, stale: () => boolean, sliceMs: number): Promise<CollectTree | null> {
    const tree = new CollectTree(null);
    return (await inSlices(tree.steps(index), sliceMs, stale)) ? tree : null;
  }

  /** The build, pausing now and then (between folders). */
  private *steps(index: Pick<StaticIndexApi, 'collectedFolders'>): Generator<void, true> {
    this.folder('');
    for (const part of index.collectedFolders()) {
      this.folder(part.folder).parts.push(part);
      yield;
    }
    for (const at of [...this.folders.values()]) {
      const own = this.count(at);
      for (let f: CollectFolder | undefined = at; f; f = f.path === '' ? undefined : this.folders.get(parentRel(f.path))) {
        f.fileCount += own.files;
        f.shadowingCount += own.shadowing;
      }
      yield;
    }
    return true;
  }

  get root(): CollectFolder {
    return this.folders.get('')!;
  }

  /** The folder and every folder above it, made on first use. */
  private folder(path: string): CollectFolder {
    let at = this.folders.get(path);
    if (at) return at;
    at = {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      parts: [],
      folders: new Set(),
      fileCount: 0,
      shadowingCount: 0,
      copies: null,
    };
    this.folders.set(path, at);
    if (path !== '') this.folder(parentRel(path)).folders.add(at.name);
    return at;
  }

  /** The folder's own files, and how many of them shadow later copies (the copies table is kept for those). */
  private count(at: CollectFolder): { files: number; shadowing: number } {
    const [first, ...later] = at.parts;
    if (!first) return { files: 0, shadowing: 0 };
    let files = first.names.length;
    if (later.length === 0) return { files, shadowing: 0 };
    // A name counts once, where it is first yielded. The set of names seen is dropped once counted: kept
    // for every folder it cost 23 MB at 1M files (a listed folder makes its parts' sets when looked up).
    const seen = new Set(first.names);
    const copies = new Map<string, number>();
    later.forEach((part, i) => {
      for (const name of part.names) {
        if (seen.has(name)) copies.set(name, (copies.get(name) ?? 1) + 1);
        else {
          files++;
          if (i < later.length - 1) seen.add(name);
        }
      }
    });
    at.copies = copies;
    return { files, shadowing: copies.size };
  }

  /** Every collected path later sources provide too, found once per tree. */
  shadowingPaths(): readonly string[] {
    if (!this.shadowing) {
      this.shadowing = [];
      for (const at of this.folders.values())
        if (at.copies) for (const name of at.copies.keys()) this.shadowing.push(joinRel(at.path, name));
    }
    return this.shadowing;
  }

  /**
   * The folder's file names, sorted (UTF-16 code units, as the view's other lists); kept for the folders
   * listed, since the view lists a shown folder again with every change of findings (100k names: 50 ms).
   */
  fileNames(at: CollectFolder): readonly string[] {
    let sorted = this.sortedNames.get(at);
    if (!sorted) {
      const names = at.parts.length === 1 ? [...at.parts[0].names] : [...new Set(at.parts.flatMap((p) => p.names))];
      this.sortedNames.set(at, (sorted = names.sort()));
    }
    return sorted;
  }

  /** The collected file at `path`, or undefined when collectstatic writes none there. */
  file(path: string): CollectedFile | undefined {
    const at = this.folders.get(parentRel(path));
    const name = path.slice(path.lastIndexOf('/') + 1);
    return at && this.fileIn(at, name);
  }

  /** A file of `at` by name (from the first part that has it). */
  fileIn(at: CollectFolder, name: string): CollectedFile | undefined {
    const part = at.parts.find((p) => this.has(p, name));
    return part && this.made(at, part, name);
  }

  /** A name known to be in `part`, the first part of `at` having it, as a file. */
  made(at: CollectFolder, part: CollectedFolderPart, name: string): CollectedFile {
    const copies = at.copies?.get(name) ?? 1;
    return { path: joinRel(at.path, name), name, source: part.source, absPath: part.absPath(name), shadowed: copies - 1 };
  }

  private has(part: CollectedFolderPart, name: string): boolean {
    let set = this.nameSets.get(part);
    if (!set) this.nameSets.set(part, (set = new Set(part.names)));
    return set.has(name);
  }

  /**
   * The destination collected from the file at `absPath`, or undefined when none is (outside every source,
   * ignored, or shadowed by an earlier source's copy).
   */
  pathOf(absPath: string, sources: readonly StaticSource[]): string | undefined {
    for (const source of sources) {
      const rel = source.root === null ? null : relativeInside(source.root, absPath);
      if (rel === null || rel === '') continue;
      const dest = joinRel(source.listPrefix, rel);
      const file = this.file(dest);
      if (file?.absPath === absPath) return dest;
    }
    return undefined;
  }

  /** The names of `at` each with the part it is collected from (the first to have it). */
  forEachName(at: CollectFolder, visit: (part: CollectedFolderPart, name: string) => void): void {
    if (at.parts.length === 1) {
      const part = at.parts[0];
      for (const name of part.names) visit(part, name);
      return;
    }
    const seen = new Set<string>();
    for (const part of at.parts)
      for (const name of part.names) {
        if (seen.has(name)) continue;
        seen.add(name);
        visit(part, name);
      }
  }
}

/** How long a slice of a tree's build runs before other messages get through. */
const BUILD_SLICE_MS = 10;

const trees = new WeakMap<StaticIndexApi, { generation: number | undefined; tree: CollectTree }>();
const building = new WeakMap<StaticIndexApi, Promise<CollectTree>>();

function current(index: StaticIndexApi): CollectTree | undefined {
  const cached = trees.get(index);
  return cached && cached.generation === index.generation && index.generation !== undefined ? cached.tree : undefined;
}

/** The collect tree of the index as it is now: made again (at once) only after the index changed. */
export function collectTreeOf(index: StaticIndexApi): CollectTree {
  const known = current(index);
  if (known) return known;
  const tree = new CollectTree(index);
  trees.set(index, { generation: index.generation, tree });
  return tree;
}

/**
 * The same tree for requests: after a change it is made in slices (see CollectTree.build), one build shared
 * by whoever asks meanwhile, started again when the index changes before it ends (its last slice runs at
 * once, so the tree it gives is the index's as it is then).
 */
export function collectTreeFor(index: StaticIndexApi, sliceMs = BUILD_SLICE_MS): Promise<CollectTree> {
  const known = current(index);
  if (known) return Promise.resolve(known);
  const pending = building.get(index);
  if (pending) return pending;
  const tree = (async () => {
    for (;;) {
      const at = index.generation;
      const made = await CollectTree.build(index, () => index.generation !== at, sliceMs);
      if (made) {
        trees.set(index, { generation: at, tree: made });
        return made;
      }
    }
  })().finally(() => building.delete(index));
  building.set(index, tree);
  return tree;
}
