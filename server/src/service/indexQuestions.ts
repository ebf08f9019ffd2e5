/**
 * What a validation asked the index, recorded by the lookups themselves (resolvePath, suggestPaths), so
 * the workspace re-checks a document only when a change in the index can alter one of the answers.
 */
import { basename, parentRel } from '../engine/paths';
import { boundedDistance } from './editDistance';

/** Destination paths that appeared or disappeared (a removed folder stands for everything below it). */
export interface StaticDelta {
  added: string[];
  removed: string[];
}

export class IndexQuestions {
  /** Destinations looked up: whether each is a file, a folder or missing, and who provides it. */
  private readonly paths = new Set<string>();
  /** Folders whose files were compared for a did-you-mean. */
  private readonly folders = new Set<string>();
  /** Lowercase basenames a did-you-mean compared the index's names with, and the distance it allowed. */
  private readonly names = new Map<string, number>();

  /** A lookup of `destination` (normalised). */
  lookedUp(destination: string): void {
    this.paths.add(destination);
  }

  /** A did-you-mean: the folder it compared, the basename and distance of its second pass, the paths it showed. */
  suggested(folder: string, name: string, maxDistance: number, shown: readonly string[]): void {
    this.folders.add(folder);
    if ((this.names.get(name) ?? -1) < maxDistance) this.names.set(name, maxDistance);
    // A shown path that disappears changes the answer; any other removed one cannot.
    for (const path of shown) this.paths.add(path);
  }

  /** True when nothing was asked (a document without static references or URLs). */
  get empty(): boolean {
    return this.paths.size === 0 && this.folders.size === 0;
  }

  /**
   * True when the change can alter an answer: a looked-up path (or a folder of it, or something below it)
   * changed; an added file sits in a compared folder or has a basename within a did-you-mean's distance.
   */
  touchedBy(delta: StaticDelta): boolean {
    for (const changed of [...delta.added, ...delta.removed]) {
      for (const path of this.paths) if (related(path, changed)) return true;
    }
    for (const added of delta.added) {
      if (this.folders.has(parentRel(added))) return true;
      const name = basename(added).toLowerCase();
      for (const [typed, max] of this.names) if (boundedDistance(typed, name, max) <= max) return true;
    }
    return false;
  }
}

/** A path depends on a changed one when it is the same, a folder holding it, or something below it. */
function related(path: string, changed: string): boolean {
  return path === changed || changed.startsWith(`${path}/`) || path.startsWith(`${changed}/`);
}
