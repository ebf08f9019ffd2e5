/**
 * Reads a CSS or JS file's references with the storage's own patterns (engine/assets), relative to the
 * file's destination: what `collectstatic` post-processes is what the editor completes, links and renames.
 */
import { readAssetReferences, ReadReference } from '../engine/assets';
import { normalizeDestPath } from '../engine/paths';
import { DocumentFacts, DocumentKind, ReadContext, ReferenceSyntax, StaticReference } from './templateModel';

const SYNTAX: Record<ReadReference['kind'], ReferenceSyntax> = {
  url: 'url',
  import: 'import',
  sourceMap: 'source-map',
  jsImport: 'js-import',
};

/** The reader of one asset kind; a file in no static source (no `context.asset`) has no references. */
export function assetReaderOf(flavor: Extract<DocumentKind, 'css' | 'js'>) {
  return (text: string, context: ReadContext): DocumentFacts => {
    const facts: DocumentFacts = { references: [], loads: [], urlAttributes: [], skipped: [] };
    if (!context.asset) return facts;
    const found = readAssetReferences(context.asset, text);
    // Django applies its patterns one after another; features look references up by offset.
    found.sort((a, b) => a.start - b.start);
    facts.references = found.map((r) => toReference(r, flavor, context));
    return facts;
  };
}

function toReference(r: ReadReference, flavor: DocumentKind, context: ReadContext): StaticReference {
  const range = { start: context.positionAt(r.start), end: context.positionAt(r.end) };
  const ref: StaticReference = {
    syntax: SYNTAX[r.kind],
    kind: 'literal',
    value: r.url,
    // Absolute and climbing names are not destinations: Django's safe_join raises on them.
    destination: r.lookupPath === undefined ? null : normalizeDestPath(r.lookupPath),
    pathRange: range,
    pathStart: r.start,
    pathEnd: r.end,
    tagRange: range,
    tagStart: r.start,
    tagEnd: r.end,
    loaded: true,
    afterRemovedLoad: false,
    flavor,
  };
  if (r.lookupPath !== undefined) ref.lookupPath = r.lookupPath;
  if (r.skipped) ref.skipped = r.skipped;
  return ref;
}
