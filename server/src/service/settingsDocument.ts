/**
 * The Python settings document: the engine's settings findings, lenses and the STATICFILES_STORAGE fix as
 * LSP diagnostics, hovers, code lenses and code actions. Pure: the workspace computes the facts per project.
 */
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  MarkupKind,
  Position,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import type { SettingsFinding } from '../engine/settingsChecks';
import type { SettingsLens } from '../engine/settingsLenses';
import type { SeveritySetting } from '../protocol';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** What one project's settings amount to (the workspace recomputes it when the project is learned again). */
export interface SettingsFacts {
  findings: SettingsFinding[];
  lenses: SettingsLens[];
}

const SEVERITY: Record<SettingsFinding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

function rangeOf(item: { line: number; startCharacter: number; endCharacter: number }): Range {
  return Range.create(item.line, item.startCharacter, item.line, item.endCharacter);
}

function contains(range: Range, pos: Position): boolean {
  return pos.line === range.start.line && pos.character >= range.start.character && pos.character <= range.end.character;
}

const OVERRIDE: Record<string, DiagnosticSeverity> = { ...SEVERITY, hint: DiagnosticSeverity.Hint };

/** The findings on `file`, in file order; `djangoStatic.severity` changes or turns off a code as for templates. */
export function settingsDiagnostics(
  file: string,
  facts: SettingsFacts,
  overrides: Partial<Record<string, SeveritySetting>> = {},
): Diagnostic[] {
  return facts.findings
    .filter((f) => f.file === file && overrides[f.code] !== 'off')
    .map((f) => {
      const override = overrides[f.code];
      const severity = (override && OVERRIDE[override]) || SEVERITY[f.severity];
      return { range: rangeOf(f), severity, code: f.code, source: DIAGNOSTIC_SOURCE, message: f.message };
    });
}

/** The lens under the cursor as a hover. */
export function settingsHover(file: string, pos: Position, facts: SettingsFacts): Hover | null {
  const lens = facts.lenses.find((l) => l.file === file && contains(rangeOf(l), pos));
  if (!lens) return null;
  return { range: rangeOf(lens), contents: { kind: MarkupKind.Markdown, value: lens.detail.map(escapeMarkdown).join('\n\n') } };
}

/** One lens per settings line that names a source, STATIC_ROOT or STATIC_URL; clicking opens the report. */
export function settingsCodeLenses(file: string, facts: SettingsFacts, projectDir: string): CodeLens[] {
  return facts.lenses
    .filter((l) => l.file === file)
    .map((l) => ({
      range: rangeOf(l),
      command: { title: l.title, command: 'djangoStatic.showReport', arguments: [{ projectDir, sourceOrder: l.sourceOrder ?? null }] },
    }));
}

/** The rewrite of STATICFILES_STORAGE into STORAGES, on its finding. */
export function settingsCodeActions(file: string, uri: string, range: Range, facts: SettingsFacts): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const f of facts.findings) {
    if (f.file !== file || !f.fix || f.line < range.start.line || f.line > range.end.line) continue;
    const edit = TextEdit.replace(Range.create(f.fix.startLine, 0, f.fix.endLine + 1, 0), f.fix.newText);
    actions.push({
      title: f.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: settingsDiagnostics(file, { findings: [f], lenses: [] }),
      edit: { changes: { [uri]: [edit] } },
    });
  }
  return actions;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}
