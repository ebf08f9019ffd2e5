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
}

/** The benchmark's 100k-file project is under half of maxEntries; its walk takes about 0.1 s. */
export const DEFAULT_WALK_LIMITS: WalkLimits = { maxEntries: 250_000, maxMillis: 10_000, maxRepeats: 8 };

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
    if (this.entries > this.limits.maxEntries) this.stopped = `${this.limits.maxEntries.toLocaleString('en')} entries`;
    else if (Date.now() - this.started > this.limits.maxMillis) this.stopped = `${this.limits.maxMillis / 1000} s`;
    return this.stopped === null;
  }
}

/** Lets other work (LSP requests) run between parts of a long walk. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
