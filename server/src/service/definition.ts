/** Go to the file collectstatic would copy (the winner), then every shadowed copy. */
import { Location } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { resolveReference } from './resolve';
import { StaticReference } from './templateModel';
import type { ServiceContext } from './types';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function definitionFor(ref: StaticReference, ctx: ServiceContext): Location[] {
  const resolution = resolveReference(ref, ctx.model, ctx.index);
  if (resolution.kind !== 'file') return [];
  return resolution.entry.providers.map((provider) => Location.create(URI.file(provider.absPath).toString(), FILE_START));
}
