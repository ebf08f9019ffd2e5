import { Position, Range } from 'vscode-languageserver-types';

/** The document's `positionAt`, handed to readers so they never need the TextDocument. */
export type PositionAt = (offset: number) => Position;

/**
 * Which reader a document is read with (service/readers.ts). Django templates and Jinja2 templates have
 * readers now; CSS and JS are the kinds still to come.
 */
export type DocumentKind = 'django' | 'jinja' | 'css' | 'js' | 'python-settings';

/** The document kinds that are templates (tags, `{% load %}`, HTML attributes). */
export type TemplateFlavor = Extract<DocumentKind, 'django' | 'jinja'>;

/**
 * How a reference is written: `{% static %}` (`tag`), Jinja2 `static(…)` (`static-call`), CSS `url(…)`
 * (`url`) and `@import` (`import`), a `sourceMappingURL` comment (`source-map`), a JS `import` (`js-import`).
 */
export type ReferenceSyntax = 'tag' | 'static-call' | 'url' | 'import' | 'source-map' | 'js-import';

/**
 * One static reference in a document: a `{% static … %}` tag or Jinja2 `static(…)` call today, a CSS
 * `url()`/`@import`, a `sourceMappingURL` or a JS import for the kinds to come.
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
}

/** The name `DocumentModel` had while templates were the only kind (kept for code written against it). */
export type TemplateModel = DocumentModel;

/** What a reader returns: the model without what the service fills in (uri, version, kind). */
export type DocumentFacts = Omit<DocumentModel, 'uri' | 'version' | 'flavor'>;
