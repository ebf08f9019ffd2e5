/**
 * Parsed document models, an LRU keyed by uri and version (as css-language-features' languageModelCache):
 * the server creates one, hands it to the service and removes entries when a document closes or its file
 * goes. Files read from disk have no editor version (they come as version 0): the text is compared too, so
 * each distinct content is parsed once without inventing versions for it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentKind, DocumentModel } from './templateModel';

export interface DocumentModelCache {
  /**
   * The model of this version and text of `doc` read as `kind`, parsing it on a miss. `readingKey` names
   * what else the reading depended on (a CSS file's destination and Django version): another key misses.
   */
  get(doc: TextDocument, kind: DocumentKind, parse: () => DocumentModel, readingKey?: string): DocumentModel;
  /** The model of this version and text in whatever kind it was last read, if cached. */
  peek(doc: TextDocument): DocumentModel | undefined;
  /** Forgets a document (closed, or its file deleted). */
  remove(uri: string): void;
  clear(): void;
}

interface Entry {
  version: number;
  kind: DocumentKind;
  readingKey: string;
  text: string;
  model: DocumentModel;
}

/** Models kept at most: the open documents and the templates checked one at a time (the workspace check lets its closed ones go). */
export const MODEL_CACHE_LIMIT = 500;

export function createModelCache(maxEntries = MODEL_CACHE_LIMIT): DocumentModelCache {
  const entries = new Map<string, Entry>();
  const current = (doc: TextDocument): Entry | undefined => {
    const entry = entries.get(doc.uri);
    // Same version and same string is one comparison; a re-read unchanged file compares its text once.
    return entry && entry.version === doc.version && entry.text === doc.getText() ? entry : undefined;
  };
  return {
    get(doc, kind, parse, readingKey = '') {
      const entry = current(doc);
      if (entry && entry.kind === kind && entry.readingKey === readingKey) {
        // Most recently used last, so the first key is the one to drop.
        entries.delete(doc.uri);
        entries.set(doc.uri, entry);
        return entry.model;
      }
      const model = parse();
      entries.delete(doc.uri);
      entries.set(doc.uri, { version: doc.version, kind, readingKey, text: doc.getText(), model });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return model;
    },
    peek: (doc) => current(doc)?.model,
    remove: (uri) => void entries.delete(uri),
    clear: () => entries.clear(),
  };
}
