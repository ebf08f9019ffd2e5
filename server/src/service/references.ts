/**
 * Find all references of a static file: every literal `{% static %}` path (and Jinja2 `static()` call) that
 * serves the same file. References compare by the file a URL serves, so `css/site.css?v=2`, `/css/site.css`
 * and `css/./site.css` all count as `css/site.css`.
 */
import { Range } from 'vscode-languageserver-types';
import { referenceAt } from './resolve';
import { StaticReference, DocumentModel } from './templateModel';

/** The file a literal reference serves (its reader worked it out). */
export function servedPath(ref: StaticReference): string | null {
  return ref.destination;
}

/** The served path of the literal reference at `offset`, or null when there is none. */
export function servedPathAt(template: DocumentModel, offset: number): string | null {
  const ref = referenceAt(template.references, offset);
  return ref ? servedPath(ref) : null;
}

/** Ranges of the paths in `template` that serve `path`. */
export function referencesTo(template: DocumentModel, path: string): Range[] {
  return template.references.filter((ref) => servedPath(ref) === path).map((ref) => ref.pathRange);
}
