/** What a call to a builtin carries: a leaf module, so builtins and the modules it calls share it without a cycle. */
import type { PyValue, SourceSpot } from './values';

/** What a builtin needs from the statement being evaluated. */
export interface CallSite extends SourceSpot {
  /** The folder Django runs in, for relative paths. */
  cwd: string;
  /** Environment variables read by the statement; static mode answers with their defaults. */
  env: Set<string>;
  /** Source text of the callee, for messages (`get_dirs`). */
  calleeText: string;
}

export interface CallArgs {
  positional: PyValue[];
  keywords: Map<string, PyValue>;
}
