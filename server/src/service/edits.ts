/** Text edits shared by completion and code actions. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextEdit } from 'vscode-languageserver-types';
import { DocumentModel } from './templateModel';

export const LOAD_STATIC = '{% load static %}';

/**
 * Inserts `{% load static %}` after `{% extends %}` when present (Django wants extends first), else at
 * the very top.
 */
export function addLoadStaticEdit(doc: TextDocument, template: DocumentModel): TextEdit {
  if (!template.extendsRange) return TextEdit.insert({ line: 0, character: 0 }, LOAD_STATIC + '\n');
  const line = template.extendsRange.end.line;
  if (line + 1 < doc.lineCount) return TextEdit.insert({ line: line + 1, character: 0 }, LOAD_STATIC + '\n');
  const endOfLine = doc.positionAt(doc.getText().length);
  return TextEdit.insert(endOfLine, '\n' + LOAD_STATIC);
}

/** The tag (Django) or call (Jinja2) that renders `path`, quoted so the path survives. */
export function staticExpression(path: string, flavor: DocumentModel['flavor']): string {
  const quote = path.includes("'") && !path.includes('"') ? '"' : "'";
  return flavor === 'jinja' ? `{{ static(${quote}${path}${quote}) }}` : `{% static ${quote}${path}${quote} %}`;
}
