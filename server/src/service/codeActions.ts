/**
 * Quick fixes for the service's own diagnostics. Each fix works from `Diagnostic.data`; when a client
 * dropped the data (or sent no diagnostics), the document is validated again and matched by range.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionContext, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { staticIsBuiltin } from './context';
import { DIAGNOSTIC_SOURCE, DiagnosticData, validate } from './diagnostics';
import { addLoadStaticEdit, LOAD_STATIC, staticExpression } from './edits';
import { DocumentModel } from './templateModel';
import type { ServiceContext } from './types';

export function codeActions(
  doc: TextDocument,
  range: Range,
  context: CodeActionContext,
  ctx: ServiceContext,
  template: DocumentModel,
): CodeAction[] {
  if (context.only && !context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const ours = ownDiagnostics(context.diagnostics ?? [], range, template, ctx);
  const actions: CodeAction[] = [];
  let loadOffered = false;
  for (const diagnostic of ours) {
    const data = (diagnostic.data ?? {}) as DiagnosticData;
    const fix = (title: string, edits: TextEdit[], isPreferred = false) => {
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred,
        edit: { changes: { [doc.uri]: edits } },
      });
    };
    switch (diagnostic.code) {
      case 'missing-file':
      case 'unknown-source':
        (data.suggestions ?? []).forEach((suggestion, i) => {
          fix(
            `Change to '${suggestion}'`,
            [TextEdit.replace(diagnostic.range, escapeForQuote(doc, diagnostic.range, suggestion))],
            i === 0,
          );
        });
        break;
      case 'missing-load':
        if (!loadOffered) fix(`Add ${LOAD_STATIC}`, [addLoadStaticEdit(doc, template)], true);
        loadOffered = true;
        break;
      case 'load-staticfiles':
        fix(`Replace '${doc.getText(diagnostic.range)}' with 'static'`, [TextEdit.replace(diagnostic.range, 'static')], true);
        break;
      case 'leading-slash': {
        const replacement = data.replacement ?? doc.getText(diagnostic.range).replace(/^\/+/, '');
        fix('Remove the leading slash', [TextEdit.replace(diagnostic.range, replacement)], true);
        break;
      }
      case 'hardcoded-url': {
        if (!data.path) break;
        const edits = [TextEdit.replace(diagnostic.range, staticExpression(data.path, template.flavor) + (data.suffix ?? ''))];
        if (template.flavor === 'django' && needsLoad(template, doc.offsetAt(diagnostic.range.start), ctx)) {
          edits.unshift(addLoadStaticEdit(doc, template));
        }
        fix(`Use ${staticExpression(data.path, template.flavor)}`, edits, true);
        break;
      }
    }
  }
  return actions;
}

/** Our diagnostics touching `range`, with data restored from a fresh validation when it is missing. */
function ownDiagnostics(sent: Diagnostic[], range: Range, template: DocumentModel, ctx: ServiceContext): Diagnostic[] {
  const mine = sent.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const needFresh = mine.length === 0 || mine.some((d) => d.data === undefined);
  if (!needFresh) return mine;
  const fresh = validate(template, ctx);
  if (mine.length === 0) return fresh.filter((d) => overlaps(d.range, range));
  return mine.map((d) => (d.data !== undefined ? d : (fresh.find((f) => f.code === d.code && sameRange(f.range, d.range)) ?? d)));
}

function needsLoad(template: DocumentModel, offset: number, ctx: ServiceContext): boolean {
  if (staticIsBuiltin(ctx.model)) return false;
  return !template.loads.some(
    (load) =>
      load.tagEnd <= offset &&
      load.libraries.some((lib) => lib.name === 'static') &&
      (load.names.length === 0 || load.names.includes('static')),
  );
}

/** Escapes the quote that surrounds the path so the replacement stays one string literal. */
function escapeForQuote(doc: TextDocument, range: Range, path: string): string {
  const offset = doc.offsetAt(range.start);
  const quote = doc.getText().charAt(offset - 1);
  return quote === "'" || quote === '"' ? path.split(quote).join('\\' + quote) : path;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
