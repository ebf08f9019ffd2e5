/**
 * What walking one static root may cost. A root can be hostile or unlucky (`STATICFILES_DIRS = ['/']`,
 * `/sys`, a folder of symlinks pointing at each other, which Django itself only survives because the OS
 * refuses the 41st link): the walk stops after a number of entries or a time, says so, and keeps what it
 * read. Repeat visits of one real folder are bounded separately (see indexWalk.ts).
 */

export interface WalkLimits {
  /** Files and folders recorded for one root. */
  maxEntries: number;
  /** Wall time for one root's first walk. */
  maxMillis: number;
  /**
   * How many times one real folder is walked as a separate subtree when several symlinks lead to it (Django
   * walks it each time); later links are answered through the first walk (find() stays right; the collect
   * view leaves them out and says so).
   */
  maxRepeats: number;
  /** Files and folders for all roots of one index together (buildIndex lowers maxEntries to what is left). */
  maxIndexEntries?: number;
  /** Set when maxEntries is what the index's total left for this root (the message says so). */
  shared?: boolean;
  /**
   * Entries for a root outside the workspace folders (startIndex's `workspaceFolders`): installed apps'
   * static folders hold hundreds of files, so far more than that is a setting like `STATICFILES_DIRS = ['/']`,
   * whose walk would otherwise hold the server's thread (and its memory) for the other projects' answers.
   */
  outsideMaxEntries?: number;
  /** Set when maxEntries is outsideMaxEntries (the message says what the user can do). */
  outside?: boolean;
}

/**
 * A real bound, not a size any project is expected to reach: the benchmark's monorepo (1,000,000 files over
 * 55 roots, a vendored tree under a prefix) fits whole, so its static reading is complete. What it bounds is
 * memory: the walked tree costs about 65 MB of heap per million files (measured at 1M), and the server's
 * other per-file state (suggestion index, completion items, collect view) about as much again, so 2,000,000
 * entries keeps a language server near 400 MB however hostile the roots (`STATICFILES_DIRS = ['/']`). One
 * root may take half, so a hostile root listed first still leaves room for the others.
 */
export const DEFAULT_WALK_LIMITS: WalkLimits = {
  maxEntries: 1_000_000,
  maxMillis: 10_000,
  maxRepeats: 8,
  maxIndexEntries: 2_000_000,
  outsideMaxEntries: 100_000,
};

/** Linux's MAXSYMLINKS: path resolution through more links fails with ELOOP, so findstatic finds nothing. */
export const MAX_SYMLINK_HOPS = 40;

/** Counts one root's entries and time; `stopped` says why the walk ended early, once it did. */
export class WalkBudget {
  entries = 0;
  stopped: string | null = null;
  private started = Date.now();

  constructor(readonly limits: WalkLimits = DEFAULT_WALK_LIMITS) {}

  /** Starts the clock for a new walk (the first one, or a folder added later); a stopped walk stays stopped. */
  restart(): void {
    this.started = Date.now();
  }

  /** Counts `count` entries; false once a limit is reached (the walk then records nothing more). */
  take(count: number): boolean {
    if (this.stopped) return false;
    this.entries += count;
    if (this.entries > this.limits.maxEntries) {
      const why = this.limits.shared
        ? ' left for this project'
        : this.limits.outside
          ? ' for a static folder outside the workspace folders; list a narrower folder, or open this one as a workspace folder to index more of it'
          : '';
      this.stopped = `${this.limits.maxEntries.toLocaleString('en')} entries${why}`;
    } else if (Date.now() - this.started > this.limits.maxMillis) this.stopped = `${this.limits.maxMillis / 1000} s`;
    return this.stopped === null;
  }
}

/** Lets other work (LSP requests) run between parts of a long walk. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
