/** A document link on every literal path that resolves to a file. */
import { DocumentLink } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
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
      tooltip: `${winner.source.label}` + (shadowed > 0 ? ` (shadows ${shadowed} other file${shadowed > 1 ? 's' : ''})` : ''),
    });
  }
  return links;
}
