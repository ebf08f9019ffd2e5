/**
 * The engine's CSS/JS findings (engine/assets, the ones `django-static check` prints) as LSP diagnostics on
 * the files they are about, severities from the one table and `djangoStatic.severity`.
 */
import { Diagnostic } from 'vscode-languageserver-types';
import type { AssetFinding } from '../engine/assets';
import { DIAGNOSTIC_SOURCE, severityOf } from './diagnostics';

/** Diagnostics by the absolute path of the CSS/JS file they are on; codes turned off are left out. */
export function assetDiagnostics(findings: AssetFinding[], overrides: Record<string, string>): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of findings) {
    const severity = severityOf(f.code, overrides);
    if (severity === null) continue;
    const message = f.hint ? `${f.message} ${f.hint}` : f.message;
    const diagnostic: Diagnostic = { range: { start: f.start, end: f.end }, severity, code: f.code, source: DIAGNOSTIC_SOURCE, message };
    const list = byFile.get(f.absPath);
    if (list) list.push(diagnostic);
    else byFile.set(f.absPath, [diagnostic]);
  }
  return byFile;
}
