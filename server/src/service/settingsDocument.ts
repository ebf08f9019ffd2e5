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
import { LineMap, mapLines } from './lineMap';

/** What one project's settings amount to (the workspace recomputes it when the project is learned again). */
export interface SettingsFacts {
  findings: SettingsFinding[];
  lenses: SettingsLens[];
  /**
   * The text of a settings file as read for these facts (what their lines refer to), or null when unknown;
   * absent: the document's own text is taken to be it.
   */
  savedText?: (file: string) => string | null;
}

const SEVERITY: Record<SettingsFinding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** Said wherever a document with unsaved edits shows what its saved file amounts to. */
const AS_SAVED = 'as saved';

/**
 * The facts about one open settings document, placed on its text as the editor has it. The findings and
 * lenses come from the saved file (Django mode cannot run unsaved text, and the counts come from the
 * saved settings' sources): with unsaved edits, each moves with its line, and one on a line that was edited
 * or removed is left out until the file is saved and read again.
 */
interface Placed {
  findings: { finding: SettingsFinding; range: Range }[];
  lenses: { lens: SettingsLens; range: Range }[];
  /** True when the document's text is not what the facts were read from. */
  edited: boolean;
  map: LineMap;
}

function place(file: string, text: string | undefined, facts: SettingsFacts): Placed {
  const saved = facts.savedText?.(file);
  const edited = text !== undefined && saved !== undefined && saved !== text;
  // Unknown saved text (unreadable) while the document differs: no line can be vouched for.
  const map: LineMap = !edited ? (line) => line : saved === null ? () => undefined : mapLines(saved, text!);
  const at = (item: { line: number; startCharacter: number; endCharacter: number }): Range | null => {
    const line = map(item.line);
    return line === undefined ? null : Range.create(line, item.startCharacter, line, item.endCharacter);
  };
  const findings = facts.findings
    .filter((f) => f.file === file)
    .flatMap((finding) => {
      const range = at(finding);
      return range ? [{ finding, range }] : [];
    });
  const lenses = facts.lenses
    .filter((l) => l.file === file)
    .flatMap((lens) => {
      const range = at(lens);
      return range ? [{ lens, range }] : [];
    });
  return { findings, lenses, edited, map };
}

function contains(range: Range, pos: Position): boolean {
  return pos.line === range.start.line && pos.character >= range.start.character && pos.character <= range.end.character;
}

const OVERRIDE: Record<string, DiagnosticSeverity> = { ...SEVERITY, hint: DiagnosticSeverity.Hint };

/**
 * The findings on `file` (whose document has `text`), in file order; `djangoStatic.severity` changes or
 * turns off a code as for templates.
 */
export function settingsDiagnostics(
  file: string,
  facts: SettingsFacts,
  overrides: Partial<Record<string, SeveritySetting>> = {},
  text?: string,
): Diagnostic[] {
  return place(file, text, facts)
    .findings.filter(({ finding }) => overrides[finding.code] !== 'off')
    .map(({ finding, range }) => diagnosticOf(finding, range, overrides));
}

function diagnosticOf(f: SettingsFinding, range: Range, overrides: Partial<Record<string, SeveritySetting>> = {}): Diagnostic {
  const override = overrides[f.code];
  const severity = (override && OVERRIDE[override]) || SEVERITY[f.severity];
  return { range, severity, code: f.code, source: DIAGNOSTIC_SOURCE, message: f.message };
}

/** The lens under the cursor as a hover. */
export function settingsHover(file: string, pos: Position, facts: SettingsFacts, text?: string): Hover | null {
  const placed = place(file, text, facts);
  const hit = placed.lenses.find((l) => contains(l.range, pos));
  if (!hit) return null;
  const detail = hit.lens.detail.map(escapeMarkdown);
  if (placed.edited) detail.push(`_Counted from the saved file (${AS_SAVED}): save to count your edits._`);
  return { range: hit.range, contents: { kind: MarkupKind.Markdown, value: detail.join('\n\n') } };
}

/** One lens per settings line that names a source, STATIC_ROOT or STATIC_URL; clicking opens the report (filtered to the source). */
export function settingsCodeLenses(file: string, facts: SettingsFacts, projectDir: string, text?: string): CodeLens[] {
  const placed = place(file, text, facts);
  return placed.lenses.map(({ lens, range }) => ({
    range,
    command: {
      title: placed.edited ? `${lens.title} (${AS_SAVED})` : lens.title,
      command: 'djangoStatic.showReport',
      arguments: [{ projectDir, sourceOrder: lens.sourceOrder ?? null }],
    },
  }));
}

/** The rewrite of STATICFILES_STORAGE into STORAGES, on its finding, when none of the lines it replaces was edited. */
export function settingsCodeActions(file: string, uri: string, range: Range, facts: SettingsFacts, text?: string): CodeAction[] {
  const actions: CodeAction[] = [];
  const placed = place(file, text, facts);
  for (const { finding: f, range: at } of placed.findings) {
    if (!f.fix || at.start.line < range.start.line || at.start.line > range.end.line) continue;
    const start = placed.map(f.fix.startLine);
    const end = placed.map(f.fix.endLine);
    if (start === undefined || end === undefined || end - start !== f.fix.endLine - f.fix.startLine) continue;
    const edit = TextEdit.replace(Range.create(start, 0, end + 1, 0), f.fix.newText);
    actions.push({
      title: f.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: [diagnosticOf(f, at)],
      edit: { changes: { [uri]: [edit] } },
    });
  }
  return actions;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}
