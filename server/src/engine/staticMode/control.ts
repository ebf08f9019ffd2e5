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

export function describeFailure(error: unknown): string {
  if (error instanceof StaticModeLimit) return `${error.message}; static mode skipped the statement`;
  if (error instanceof RangeError) return 'is nested too deeply for static mode; static mode skipped the statement';
  return `could not be read by static mode (${error instanceof Error ? error.message : String(error)}); static mode skipped the statement`;
}

export class LoopControl extends Error {
  constructor(readonly kind: 'break' | 'continue') {
    super(kind);
  }
}
