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
