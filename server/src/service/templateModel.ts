import { Position, Range } from 'vscode-languageserver-types';
import type { AssetReading, SkipReason } from '../engine/assets';

/** The document's `positionAt`, handed to readers so they never need the TextDocument. */
export type PositionAt = (offset: number) => Position;

/** Which reader a document is read with (service/readers.ts). */
export type DocumentKind = 'django' | 'jinja' | 'css' | 'js' | 'python-settings';

/** The document kinds that are templates (tags, `{% load %}`, HTML attributes). */
export type TemplateFlavor = Extract<DocumentKind, 'django' | 'jinja'>;

/**
 * How a reference is written: `{% static %}` (`tag`), Jinja2 `static(…)` (`static-call`), CSS `url(…)`
 * (`url`) and `@import` (`import`), a `sourceMappingURL` comment (`source-map`), a JS `import` (`js-import`).
 */
export type ReferenceSyntax = 'tag' | 'static-call' | 'url' | 'import' | 'source-map' | 'js-import';

/**
 * One static reference in a document: a `{% static … %}` tag, a Jinja2 `static(…)` call, or in CSS and JS
 * what the storage's patterns find (`url()`, `@import`, a `sourceMappingURL`, a JS import).
 */
export interface StaticReference {
  /** How it is written. */
  syntax: ReferenceSyntax;
  /**
   * `literal`: a quoted string (or `_("…")`) whose value is known; `dynamic`: a variable or filtered
   * expression resolved at render time; `empty`: `{% static %}` without an argument.
   */
  kind: 'literal' | 'dynamic' | 'empty';
  /** The literal's value (escapes resolved), or the expression as written for dynamic ones. */
  value: string;
  /**
   * The destination path (as the index names it) the literal asks for: no leading slash, query or fragment,
   * normalised. Null for dynamic and empty references and for paths that climb above the top.
   */
  destination: string | null;
  /** Range of the path text inside the quotes (literal), of the expression (dynamic), or of the tag (empty). */
  pathRange: Range;
  pathStart: number;
  pathEnd: number;
  /** The whole tag (`{% … %}`) or call (`static(…)`). */
  tagRange: Range;
  tagStart: number;
  tagEnd: number;
  /** The quote character around a literal. */
  quote?: '"' | "'";
  /** Variable name of `{% static … as name %}`. */
  asVariable?: string;
  /**
   * True when a `{% load static %}` (or an equivalent) came before the tag in this template; true for every
   * kind that needs no load.
   */
  loaded: boolean;
  /** True when a removed `{% load staticfiles %}`/`admin_static` came before it (the load itself is the error). */
  afterRemovedLoad: boolean;
  /** The kind of the document it was read from. */
  flavor: DocumentKind;
  /**
   * CSS/JS: the name the storage looks up for it below STATIC_ROOT (relative URLs joined to the file's
   * destination, STATIC_URL taken off absolute ones), where a template's is its value (resolve.ts).
   */
  lookupPath?: string;
  /** CSS/JS: set when collectstatic leaves the URL as written (a scheme, outside STATIC_URL, `//host`, `#x`). */
  skipped?: SkipReason;
}

/** What a reader knows about a document besides its text. */
export interface ReadContext {
  positionAt: PositionAt;
  /**
   * For CSS and JS: where collectstatic puts the file and how the project's storage reads it. Absent when the
   * file is in no static source (or the storage reads nothing there): then the file has no references.
   */
  asset?: AssetReading;
}

/** One `{% load … %}` tag. */
export interface LoadTag {
  tagRange: Range;
  tagStart: number;
  tagEnd: number;
  /** Libraries named (the last bit of the `from` form). */
  libraries: { name: string; range: Range }[];
  /** Tag names of `{% load a b from lib %}`, empty for the plain form. */
  names: string[];
}

/**
 * An `src`/`href` attribute value written as plain text (hard-coded URL candidates), or a legacy
 * `{{ STATIC_URL }}path` (attribute `STATIC_URL`, with the path already split off).
 */
export interface UrlAttribute {
  attribute: string;
  /** For `{{ STATIC_URL }}path`: the static path and what followed it (`?v=1`). */
  staticPath?: { path: string; suffix: string };
  value: string;
  range: Range;
  start: number;
  end: number;
  quote: '"' | "'";
}

/**
 * References (and URL attributes) read per document; real templates hold tens. The readers stop once they
 * have one more than this, so a 10 MB template of references costs a bounded scan, not 250k objects.
 */
export const MAX_REFERENCES_PER_DOCUMENT = 5_000;

/** True once a reader has collected enough (one past the limit, so the model knows it was cut). */
export function scanFull(result: { references: unknown[]; urlAttributes: unknown[] }): boolean {
  return result.references.length > MAX_REFERENCES_PER_DOCUMENT || result.urlAttributes.length > MAX_REFERENCES_PER_DOCUMENT;
}

/** What the service knows about one document, parsed once per uri+version. */
export interface DocumentModel {
  uri: string;
  version: number;
  /** The kind it was read as. */
  flavor: DocumentKind;
  references: StaticReference[];
  loads: LoadTag[];
  /** The `{% extends %}` tag, when present. */
  extendsRange?: Range;
  urlAttributes: UrlAttribute[];
  /** Offset ranges Django never parses as tags: `{# #}`, `{% comment %}` blocks, verbatim bodies. */
  skipped: Array<[number, number]>;
  /** Set when the document held more references than are read per document: how many, and how many were kept. */
  truncated?: { kept: number };
  /** CSS/JS: how the storage read it (the file's destination, the patterns of the project's Django), when known. */
  asset?: AssetReading;
}

/** The name `DocumentModel` had while templates were the only kind (kept for code written against it). */
export type TemplateModel = DocumentModel;

/** What a reader returns: the model without what the service fills in (uri, version, kind). */
export type DocumentFacts = Omit<DocumentModel, 'uri' | 'version' | 'flavor' | 'asset'>;
