/**
 * Find All References across the workspace: the templates whose last check referenced the path are
 * searched (open ones as the editor has them, closed ones read from disk), not every template.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Location, Position } from 'vscode-languageserver-types';
import { LanguageService, ServiceContext } from '../service';

export interface ReferencesHost {
  service: LanguageService;
  contextFor(uri: string): ServiceContext | undefined;
  /**
   * Documents with a reference `matches` accepts. `names`: the file or folder names of the paths asked about,
   * which lets CSS/JS files that hold none of them go unread (see workspace/assetDocuments.ts).
   */
  documentsReferencing(matches: (path: string) => boolean, names: string[]): Promise<TextDocument[]>;
}

/** Every literal path serving the same file as the one at `position`; the file itself first with `includeDeclaration`. */
export async function findAllReferences(
  host: ReferencesHost,
  doc: TextDocument,
  position: Position,
  ctx: ServiceContext,
  includeDeclaration: boolean,
  token: { readonly isCancellationRequested: boolean },
): Promise<Location[]> {
  const path = host.service.referencedPathAt(doc, position, ctx);
  if (path === null) return [];
  // The declaration of a static path is the file collectstatic copies.
  const locations = includeDeclaration ? host.service.findDefinition(doc, position, ctx).slice(0, 1) : [];
  const others = (await host.documentsReferencing((ref) => ref === path, [lastSegment(path)])).filter((other) => other.uri !== doc.uri);
  for (const other of [doc, ...others]) {
    if (token.isCancellationRequested) return [];
    const otherCtx = other === doc ? ctx : host.contextFor(other.uri);
    if (otherCtx) locations.push(...host.service.findReferencesTo(other, path, otherCtx));
  }
  return locations;
}

/** `img/logo.png` → `logo.png`. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
