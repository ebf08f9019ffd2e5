// Where the extension-host suite leaves its results for the harness (no `vscode` import: both sides use it).
import * as path from 'node:path';

export interface SuiteResult {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
  durationMs: number;
}

export function resultFileFor(workspace: string): string {
  return path.join(path.dirname(workspace), 'extension-tests.json');
}

/** What the first-answer suite measured in the extension host (see suite/firstAnswer.test.ts). */
export interface EditorTimings {
  /** From the extension bundle being evaluated to activate() returning. */
  activationMs: number;
  /** From activate() returning to the language client running. */
  serverStartMs: number | null;
  /** From opening a template to the first completion holding the expected file. */
  openToCompletionMs: number;
  /** Completion requests it took (the wrong answers before the right one, plus one). */
  asks: number;
  /** How long after activation the template was opened (the server may have been learning already). */
  openedAfterActivationMs: number;
  /** True when VS Code had activated the extension (workspaceContains) before the suite ran. */
  activatedBeforeSuite: boolean;
  /** ISO time of the measurement. */
  measuredAt: string;
}

/** Where the harness keeps the latest figures for the benchmark (test-results/ is not committed). */
export const EDITOR_TIMINGS_FILE = path.resolve(__dirname, '../../../test-results/editor-timings.json');

export function timingsFileFor(workspace: string): string {
  return path.join(path.dirname(workspace), 'editor-timings.json');
}
