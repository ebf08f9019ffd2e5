/**
 * A document link on every literal path that resolves to a file. VS Code shows the tooltip as the text of
 * a Markdown link (`[tooltip](target)`), so it is escaped: `STATICFILES_DIRS[0]` keeps its brackets.
 */
import { DocumentLink } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { escapeMarkdown, plural } from '../text';
import { sourceLabel } from './context';
import { resolveReference } from './resolve';
import { DocumentModel } from './templateModel';
import type { ServiceContext } from './types';

export function documentLinks(template: DocumentModel, ctx: ServiceContext): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const ref of template.references) {
    if (ref.kind !== 'literal') continue;
    const resolution = resolveReference(ref, ctx.model, ctx.index);
    if (resolution.kind !== 'file') continue;
    const winner = resolution.entry.providers[0];
    const shadowed = resolution.entry.providers.length - 1;
    links.push({
      range: ref.pathRange,
      target: URI.file(winner.absPath).toString(),
      tooltip: escapeMarkdown(sourceLabel(winner.source, ctx.model) + (shadowed > 0 ? ` (shadows ${plural(shadowed, 'other file')})` : '')),
    });
  }
  return links;
}
