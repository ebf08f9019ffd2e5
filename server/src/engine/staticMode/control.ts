/** The non-local exits the interpreter models: Python exceptions, loop control, and its own limits. */

/** A Python exception static mode models: only failed imports and explicit `raise`. */
export class PyRaise extends Error {
  constructor(
    readonly types: string[],
    readonly description: string,
  ) {
    super(description);
  }
}

/** A limit static mode keeps so hostile input cannot exhaust the stack. */
export class StaticModeLimit extends Error {}

/**
 * A budget (budget.ts) was spent. `fatal` ones (steps, time, total size) end the reading: nothing after them
 * would be cheaper. A value that is too large only skips its statement.
 */
export class BudgetExceeded extends StaticModeLimit {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/**
 * The helper modules' share of the time (budget.ts) ran out: the helper module being read stops where it is
 * and is left unread, as is every later one; the settings modules read on.
 */
export class HelpersOut extends StaticModeLimit {
  constructor(limit: string) {
    super(`static mode's share for reading imported modules (${limit}) ran out`);
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof BudgetExceeded)
    return `could not be read: ${error.message}; ${error.fatal ? 'static mode read no further' : 'static mode skipped the statement'}`;
  // V8's own ceilings on string and array length: the value was too large, whatever built it.
  if (error instanceof RangeError && /Invalid (string|array|typed array) length/.test(error.message))
    return 'could not be read: value too large; static mode skipped the statement';
  if (error instanceof StaticModeLimit) return `${error.message}; static mode skipped the statement`;
  if (error instanceof RangeError) return 'is nested too deeply for static mode; static mode skipped the statement';
  return `could not be read by static mode (${error instanceof Error ? error.message : String(error)}); static mode skipped the statement`;
}

export class LoopControl extends Error {
  constructor(readonly kind: 'break' | 'continue') {
    super(kind);
  }
}
