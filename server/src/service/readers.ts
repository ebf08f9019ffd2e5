/**
 * One reader per document kind, behind one interface: a reader turns a document's text into its static
 * references and the facts its checks need. The features work on what readers return, never on the kind.
 *
 * Adding a kind: write `read(text, context)` in its own module (set `syntax` and `destination` on each
 * reference, stop once `scanFull` says enough), add it to `READERS`, and say which documents it claims.
 */
import { assetReaderOf } from './assetReader';
import { readJinjaTemplate } from './jinja';
import { readDjangoTemplate } from './scanner';
import { DocumentFacts, DocumentKind, ReadContext } from './templateModel';

/** Reads one kind of document. May throw: the service turns a failure into an empty model. */
export interface DocumentReader {
  kind: DocumentKind;
  /**
   * True when the document is of this kind by language id or extension alone. A template that no reader
   * claims is read by the project's template engines (Django or Jinja2), else as a Django template.
   */
  claims(languageId: string, uri: string): boolean;
  /** `context.asset` is set only for the kinds that need a destination (CSS, JS), and only when it is known. */
  read(text: string, context: ReadContext): DocumentFacts;
}

const JINJA_LANGUAGES = new Set(['jinja', 'jinja-html', 'jinja2', 'jinja-xml', 'j2']);
const JINJA_EXTENSIONS = /\.(jinja2?|j2)$/i;

const djangoReader: DocumentReader = {
  kind: 'django',
  // The fallback for templates: `.html` belongs to whichever engine loads it.
  claims: () => false,
  read: (text, { positionAt }) => readDjangoTemplate(text, positionAt),
};

const jinjaReader: DocumentReader = {
  kind: 'jinja',
  claims: (languageId, uri) => JINJA_LANGUAGES.has(languageId.toLowerCase()) || JINJA_EXTENSIONS.test(uri),
  read: (text, { positionAt }) => readJinjaTemplate(text, positionAt),
};

/**
 * Python files: a project's settings get their findings, lenses and fixes from the project (settingsDocument.ts),
 * not from the text, so the reader finds no references; other Python files simply have none.
 */
const settingsReader: DocumentReader = {
  kind: 'python-settings',
  claims: (languageId, uri) => languageId.toLowerCase() === 'python' || /\.py$/i.test(uri),
  read: () => ({ references: [], loads: [], urlAttributes: [], skipped: [] }),
};

/**
 * CSS and JS: what the project's storage post-processes. Django's globs are `*.css` and `*.js` matched
 * case-sensitively, so `site.CSS` and `app.mjs` are never read for references, whatever their language.
 */
const cssReader: DocumentReader = {
  kind: 'css',
  claims: (_languageId, uri) => /\.css$/.test(uri),
  read: assetReaderOf('css'),
};

const jsReader: DocumentReader = {
  kind: 'js',
  claims: (_languageId, uri) => /\.js$/.test(uri),
  read: assetReaderOf('js'),
};

/** Every reader, in the order they are asked to claim a document. */
export const READERS: Partial<Record<DocumentKind, DocumentReader>> = {
  css: cssReader,
  js: jsReader,
  jinja: jinjaReader,
  'python-settings': settingsReader,
  django: djangoReader,
};

/** The reader for `kind`, or undefined for a kind with no reader yet. */
export function readerFor(kind: DocumentKind): DocumentReader | undefined {
  return READERS[kind];
}

/** True for the kinds whose references are a static file's own (CSS, JS): they need the file's destination to be read. */
export function isAssetKind(kind: DocumentKind): boolean {
  return kind === 'css' || kind === 'js';
}

/** The last answer of claimedKind: a check asks it three or four times in a row for the same document. */
let lastClaim: { languageId: string; uri: string; kind: DocumentKind | undefined } | undefined;

/** The kind a document is by language id or extension alone, if a reader claims it. */
export function claimedKind(languageId: string, uri: string): DocumentKind | undefined {
  if (lastClaim?.uri === uri && lastClaim.languageId === languageId) return lastClaim.kind;
  let kind: DocumentKind | undefined;
  for (const reader of Object.values(READERS)) {
    if (reader.claims(languageId, uri)) {
      kind = reader.kind;
      break;
    }
  }
  lastClaim = { languageId, uri, kind };
  return kind;
}
