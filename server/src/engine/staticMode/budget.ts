/**
 * What reading one project's settings may cost. Untrusted workspaces rely on static mode alone, so a settings
 * file must not be able to exhaust memory or time (`A = A + A` forty times, `[0] * 10**9`, a loop of 10,000
 * membership tests over a long list). Three limits, all ending in a StaticModeLimit the interpreter reports
 * with the file and line:
 *
 * - the size of any one value (characters of a str, items of a list, counted through nested containers),
 *   checked before the operations that multiply sizes (`*`, `+`, `.replace`, `.join`) allocate;
 * - the total size of all values created, so a loop cannot pile up values each under the first limit;
 * - steps (expressions and statements evaluated, items compared) and wall time.
 *
 * Wall time is split in two. The settings modules (the settings module and what it star-imports) have
 * `maxMillis` of their own; the modules they import for names (a project's helpers, AppConfig modules) have
 * `importMillis` in all, because a real project can import dozens of them and parsing them cold takes longer
 * than the settings themselves (NetBox: 62 files, 0.4-0.8 s). Past `importMillis` the helper modules stop
 * (HelpersOut) and are left unread, so their names are unknown, but the settings read on: their own
 * assignments are what the model needs.
 *
 * The budget in force is module state rather than a parameter: the evaluator, operators and methods are
 * synchronous and reach each other through many small functions, and threading a parameter through all of
 * them would touch every signature for one check. `withBudget` installs and restores it.
 */
import type { Parser, Tree } from '@lezer/common';
import { BudgetExceeded, HelpersOut } from './control';
import type { PyValue } from './values';

export interface BudgetLimits {
  /** Characters of a str or items of a container, nested ones included. */
  maxValueSize: number;
  /** The sum of the sizes of every value created while reading. */
  maxTotalSize: number;
  maxSteps: number;
  /** Wall time of the settings modules themselves (what helper modules take is not counted). */
  maxMillis: number;
  /** Wall time of every helper module read, in all (DEFAULT_LIMITS' when not given). */
  importMillis?: number;
}

/**
 * Far above any real settings module (Django's own modules read for AppConfigs use a few thousand steps). The
 * reading is synchronous, so the time limit is also how long a language server can be kept from answering.
 */
export const DEFAULT_LIMITS: Required<BudgetLimits> = {
  maxValueSize: 1_000_000,
  maxTotalSize: 50_000_000,
  maxSteps: 2_000_000,
  maxMillis: 500,
  importMillis: 1_500,
};

export class Budget {
  private steps = 0;
  private total = 0;
  private readonly started = Date.now();
  /** Helper modules being read (nested imports), when the outermost began, and what finished ones took. */
  private helperDepth = 0;
  private helperStarted = 0;
  private helperMillis = 0;
  private helperSteps = 0;
  /** Set once a fatal limit was reached: every later step fails the same way. */
  exhausted: BudgetExceeded | null = null;
  /** Set once the helper modules' time ran out: no helper module is read after it. */
  helpersOut: HelpersOut | null = null;

  constructor(readonly limits: BudgetLimits = DEFAULT_LIMITS) {}

  step(count = 1): void {
    if (this.exhausted) throw this.exhausted;
    if (this.helperDepth > 0) {
      if (this.helpersOut) throw this.helpersOut;
      this.helperSteps += count;
      if (this.helperSteps > this.limits.maxSteps) throw this.helpersSpent(`${this.limits.maxSteps.toLocaleString('en')} steps`);
      if ((this.helperSteps & 1023) === 0) this.checkClock('took too long');
      return;
    }
    this.steps += count;
    if (this.steps > this.limits.maxSteps) this.fail(`took too long (more than ${this.limits.maxSteps.toLocaleString('en')} steps)`);
    // Reading the clock on every step would cost more than the step.
    if ((this.steps & 1023) === 0) this.checkClock('took too long');
  }

  /** Starts reading a helper module; false when their time has run out (the module stays unread). */
  enterHelper(): boolean {
    if (this.helpersOut) return false;
    if (this.helperDepth++ === 0) this.helperStarted = Date.now();
    return true;
  }

  leaveHelper(): void {
    if (--this.helperDepth === 0) this.helperMillis += Date.now() - this.helperStarted;
  }

  private checkClock(what: string): void {
    const now = Date.now();
    if (this.helperDepth > 0) {
      const limit = this.limits.importMillis ?? DEFAULT_LIMITS.importMillis;
      if (this.helperMillis + now - this.helperStarted > limit) throw this.helpersSpent(`${limit / 1000} s`);
    } else if (now - this.started - this.helperMillis > this.limits.maxMillis) {
      this.fail(`${what} (more than ${this.limits.maxMillis / 1000} s)`);
    }
  }

  /** Refuses a value of `size` (checked before it is built, so `[0] * 10**9` never allocates). */
  check(size: number): void {
    if (this.exhausted) throw this.exhausted;
    if (!(size <= this.limits.maxValueSize)) {
      throw new BudgetExceeded(`value too large (more than ${this.limits.maxValueSize.toLocaleString('en')} items or characters)`, false);
    }
  }

  /** Counts `size` newly created items or characters against the total. */
  count(size: number): void {
    this.total += size;
    if (this.total > this.limits.maxTotalSize)
      this.fail(`values too large (more than ${this.limits.maxTotalSize.toLocaleString('en')} items or characters in all)`);
  }

  /** Steps of the settings modules and of the helper modules (each bounded by maxSteps). */
  get stepsTaken(): number {
    return this.steps + this.helperSteps;
  }

  private helpersSpent(limit: string): HelpersOut {
    return (this.helpersOut ??= new HelpersOut(limit));
  }

  /**
   * Parses within the time left: the parser's error recovery is slow on hostile text (200 KB of nested
   * brackets took 4.7 s), and a file is parsed before any statement is counted.
   */
  parse(parser: Parser, source: string): Tree {
    if (this.exhausted) throw this.exhausted;
    if (this.helperDepth > 0 && this.helpersOut) throw this.helpersOut;
    const parse = parser.startParse(source);
    for (let advances = 1; ; advances++) {
      const tree = parse.advance();
      if (tree) return tree;
      if ((advances & 63) === 0) this.checkClock('took too long to parse');
    }
  }

  private fail(why: string): never {
    this.exhausted = new BudgetExceeded(why, true);
    throw this.exhausted;
  }
}

let active: Budget | null = null;

/** Runs `body` with `budget` in force (re-entrant: nested modules share their importer's budget). */
export function withBudget<T>(budget: Budget, body: () => T): T {
  const saved = active;
  active = budget;
  try {
    return body();
  } finally {
    active = saved;
  }
}

/** Counts one unit of work; free when no budget is in force (values built by tests and the model reader). */
export function step(count = 1): void {
  active?.step(count);
}

/** Refuses, before it is built, a value of `size` (counted later, by `admit`, once it exists). */
export function ensureFits(size: number): void {
  active?.check(size);
}

/** The size of a value: characters, or items counted through nested containers (remembered per container). */
export function sizeOf(value: PyValue): number {
  switch (value.kind) {
    case 'str':
    case 'path':
      return value.value.length + 1;
    case 'list':
    case 'tuple': {
      const known = sizes.get(value);
      if (known !== undefined) return known;
      let size = 1;
      for (const item of value.items) size += sizeOf(item);
      sizes.set(value, size);
      return size;
    }
    case 'dict': {
      const known = sizes.get(value);
      if (known !== undefined) return known;
      let size = 1;
      for (const entry of value.entries.values()) size += sizeOf(entry.key) + sizeOf(entry.value);
      sizes.set(value, size);
      return size;
    }
    default:
      return 1;
  }
}

/**
 * Sizes of containers, computed once. A container shared by several others (`A = [A, A]`) is counted in each,
 * which is what printing or comparing it would cost.
 */
const sizes = new WeakMap<object, number>();
/** Values already counted against the total, so a name read many times is not counted each time. */
const counted = new WeakSet<object>();

/** Checks a value an expression produced (counted once), so any value built without a pre-check is caught. */
export function admit(value: PyValue): PyValue {
  if (!active || counted.has(value)) return value;
  const kind = value.kind;
  if (kind === 'str' || kind === 'path' || kind === 'list' || kind === 'tuple' || kind === 'dict') {
    counted.add(value);
    const size = sizeOf(value);
    active.check(size);
    active.count(size);
  }
  return value;
}

/** A container grows in place by `added` (`.append`, `.extend`, `+=`): check the new size first. */
export function grow(container: PyValue, added: readonly PyValue[]): void {
  if (!active) return;
  let extra = 0;
  for (const item of added) extra += sizeOf(item);
  const size = sizeOf(container) + extra;
  active.check(size);
  active.count(extra);
  sizes.set(container, size);
}
