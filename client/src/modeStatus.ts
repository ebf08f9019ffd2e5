// How the status bar and the Collect commands say which mode a project was learned in. Pure: no vscode.
import type { ProjectSummary } from '../../server/src/protocol';

/** What fixes a failed Django mode; the status bar's tooltip links them (naming each as a trusted command). */
export const MODE_ACTIONS = [
  { title: 'Select Interpreter', command: 'djangoStatic.selectInterpreter' },
  { title: 'Show Output', command: 'djangoStatic.showOutput' },
  { title: 'Retry', command: 'djangoStatic.reindex' },
] as const;

type ModeFacts = Pick<ProjectSummary, 'mode' | 'modeReason' | 'refining'>;

/**
 * Why Django mode did not run although it was wanted, in one line; undefined when static mode is what
 * the user asked for (the setting, Restricted Mode) or only the first reading, soon replaced.
 */
export function djangoModeFailure(project: ModeFacts, wanted: 'auto' | 'django' | 'static', trusted: boolean): string | undefined {
  if (project.mode !== 'static' || project.refining || wanted === 'static' || !trusted) return undefined;
  const reason = project.modeReason
    .replace(/^Static mode:\s*/i, '')
    .split('\n')[0]
    .trim();
  return reason || 'Django mode did not run (no reason was given).';
}
