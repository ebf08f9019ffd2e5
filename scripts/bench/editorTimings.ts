/**
 * The editor's own figures (activation, opening a template to the first correct completion) come from the
 * code-server suite, which runs VS Code's real extension host; the benchmark is headless, so it reports
 * the latest run's file and says when and where it was measured.
 */
import * as fs from 'node:fs';
import { EDITOR_TIMINGS_FILE, EditorTimings } from '../../test/vscode/results';

export interface EditorFigures {
  activationMs: number;
  serverStartMs: number | null;
  openToCompletionMs: number;
  /** Where and when: "code-server suite (npm run test:vscode), 2026-12-01T16:40:00Z". */
  source: string;
}

/** The latest code-server run's figures, or why there are none. */
export function editorFigures(): EditorFigures | { na: string } {
  if (!fs.existsSync(EDITOR_TIMINGS_FILE)) {
    return { na: 'measured by the code-server suite (npm run test:vscode), which has not run in this checkout' };
  }
  try {
    const t = JSON.parse(fs.readFileSync(EDITOR_TIMINGS_FILE, 'utf8')) as EditorTimings & { source?: string };
    const before = t.activatedBeforeSuite ? '; VS Code activated the extension on start-up, before the suite' : '';
    return {
      activationMs: t.activationMs,
      serverStartMs: t.serverStartMs,
      openToCompletionMs: t.openToCompletionMs,
      source: `${t.source ?? 'code-server suite'}, ${t.measuredAt}${before}`,
    };
  } catch (err) {
    return { na: `${EDITOR_TIMINGS_FILE} is unreadable (${err instanceof Error ? err.message : String(err)})` };
  }
}
