/**
 * Reads a Django template the way Django's Parser does, keeping only what static files care about:
 * `{% static %}` tags, `{% load %}` tags (in order, since a load only affects the tags after it),
 * `{% extends %}`, and plain-text `src`/`href` values. `{% comment %}` blocks are skipped as the parser
 * skips them; `{# #}` and verbatim bodies are already out of the way after the lexer.
 */
import { Bit, splitContents, Token, tokenize } from './lexer';
import { servedDestination } from '../engine/paths';
import { DocumentFacts, LoadTag, PositionAt, scanFull, StaticReference, UrlAttribute } from './templateModel';

/** Libraries that provided `{% static %}` before Django 3.0 and are errors since. */
export const REMOVED_STATIC_LIBRARIES = new Set(['staticfiles', 'admin_static']);

const DOUBLE_QUOTED = /^"(?:[^"\\]|\\[\s\S])*"$/;
const SINGLE_QUOTED = /^'(?:[^'\\]|\\[\s\S])*'$/;
const TRANSLATED = /^_\((?:"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*')\)$/;
const URL_ATTRIBUTE = /(?<![\w-])(src|href|poster)\s*=\s*(["'])([^"'<>\n]*)\2/gi;

type ScanResult = DocumentFacts;

export function readDjangoTemplate(text: string, positionAt: PositionAt): ScanResult {
  const result: ScanResult = { references: [], loads: [], urlAttributes: [], skipped: [] };
  const tokens = tokenize(text);
  let staticLoaded = false;
  let removedLoadSeen = false;
  let inVerbatim = false;
  for (let k = 0; k < tokens.length; k++) {
    if (scanFull(result)) break;
    const token = tokens[k];
    if (token.kind === 'comment') {
      result.skipped.push([token.start, token.end]);
      continue;
    }
    if (token.kind === 'text') {
      if (!inVerbatim) collectUrlAttributes(token, positionAt, result.urlAttributes);
      else result.skipped.push([token.start, token.end]);
      continue;
    }
    if (token.kind === 'var') {
      if (token.contents === 'STATIC_URL') collectLegacyStaticUrl(token, tokens[k + 1], positionAt, result.urlAttributes);
      continue;
    }
    if (token.kind !== 'block') continue;
    const command = firstWord(token.contents);
    switch (command) {
      case 'comment': {
        const endAt = findEndComment(tokens, k + 1);
        const last = endAt === -1 ? tokens[tokens.length - 1] : tokens[endAt];
        result.skipped.push([token.start, last.end]);
        k = endAt === -1 ? tokens.length : endAt;
        break;
      }
      case 'verbatim':
        inVerbatim = true;
        break;
      case 'endverbatim':
        inVerbatim = false;
        break;
      case 'extends':
        if (!result.extendsRange) result.extendsRange = { start: positionAt(token.start), end: positionAt(token.end) };
        break;
      case 'load': {
        const load = readLoad(token, positionAt);
        result.loads.push(load);
        if (loadsStaticTag(load, (name) => name === 'static')) staticLoaded = true;
        if (loadsStaticTag(load, (name) => REMOVED_STATIC_LIBRARIES.has(name))) removedLoadSeen = true;
        break;
      }
      case 'static':
        result.references.push(readStaticTag(token, positionAt, staticLoaded, removedLoadSeen));
        break;
    }
  }
  return result;
}

function findEndComment(tokens: Token[], from: number): number {
  for (let k = from; k < tokens.length; k++) {
    if (tokens[k].kind === 'block' && tokens[k].contents === 'endcomment') return k;
  }
  return -1;
}

/** `{% load a b %}` loads libraries; `{% load x y from lib %}` loads tags x, y from lib. */
function readLoad(token: Token, positionAt: PositionAt): LoadTag {
  const bits = splitContents(token.contents, token.contentsStart);
  const isFrom = bits.length >= 4 && bits[bits.length - 2].text === 'from';
  const libraryBits = isFrom ? [bits[bits.length - 1]] : bits.slice(1);
  return {
    tagRange: { start: positionAt(token.start), end: positionAt(token.end) },
    tagStart: token.start,
    tagEnd: token.end,
    libraries: libraryBits.map((bit) => ({ name: bit.text, range: rangeOf(bit, positionAt) })),
    names: isFrom ? bits.slice(1, -2).map((bit) => bit.text) : [],
  };
}

function loadsStaticTag(load: LoadTag, isLibrary: (name: string) => boolean): boolean {
  if (!load.libraries.some((library) => isLibrary(library.name))) return false;
  return load.names.length === 0 || load.names.includes('static');
}

function rangeOf(bit: Bit, positionAt: PositionAt) {
  return { start: positionAt(bit.start), end: positionAt(bit.end) };
}

/** `StaticNode.handle_token`: path is bit 2; `as` names bit 4 when the second-to-last bit is `as`. */
function readStaticTag(token: Token, positionAt: PositionAt, loaded: boolean, afterRemovedLoad: boolean): StaticReference {
  const bits = splitContents(token.contents, token.contentsStart);
  const tagRange = { start: positionAt(token.start), end: positionAt(token.end) };
  // Built field by field: object spread here cost more than the whole lexer on large projects.
  const ref: StaticReference = {
    syntax: 'tag',
    kind: 'empty',
    value: '',
    destination: null,
    pathRange: tagRange,
    pathStart: token.start,
    pathEnd: token.end,
    tagRange,
    tagStart: token.start,
    tagEnd: token.end,
    quote: undefined,
    asVariable: undefined,
    loaded,
    afterRemovedLoad,
    flavor: 'django',
  };
  if (bits.length < 2) return ref;
  if (bits.length >= 3 && bits[bits.length - 2].text === 'as') ref.asVariable = bits[3]?.text;
  readPathBit(bits[1], positionAt, ref);
  if (ref.kind === 'literal') ref.destination = servedDestination(ref.value);
  return ref;
}

function readPathBit(bit: Bit, positionAt: PositionAt, ref: StaticReference): void {
  const text = bit.text;
  let innerStart = -1;
  let innerEnd = -1;
  if (DOUBLE_QUOTED.test(text) || SINGLE_QUOTED.test(text)) {
    innerStart = 1;
    innerEnd = text.length - 1;
  } else if (TRANSLATED.test(text)) {
    innerStart = 3;
    innerEnd = text.length - 2;
  }
  if (innerStart === -1) {
    ref.kind = 'dynamic';
    ref.value = text;
    ref.pathStart = bit.start;
    ref.pathEnd = bit.end;
    ref.pathRange = rangeOf(bit, positionAt);
    return;
  }
  const quote = text[innerStart - 1] as '"' | "'";
  ref.kind = 'literal';
  ref.quote = quote;
  ref.value = unescapeStringLiteral(text.slice(innerStart, innerEnd), quote);
  ref.pathStart = bit.start + innerStart;
  ref.pathEnd = bit.start + innerEnd;
  ref.pathRange = { start: positionAt(ref.pathStart), end: positionAt(ref.pathEnd) };
}

/** `django.utils.text.unescape_string_literal` on the inside of the quotes. */
function unescapeStringLiteral(inside: string, quote: string): string {
  if (!inside.includes('\\')) return inside;
  return inside
    .split('\\' + quote)
    .join(quote)
    .split('\\\\')
    .join('\\');
}

const PATH_AFTER_STATIC_URL = /^([^"'\s<>{}?#]+)([?#][^"'\s<>{}]*)?/;

/** `{{ STATIC_URL }}css/x.css`: the pre-`{% static %}` idiom, which skips hashed storage. */
function collectLegacyStaticUrl(token: Token, next: Token | undefined, positionAt: PositionAt, into: UrlAttribute[]): void {
  if (!next || next.kind !== 'text' || next.start !== token.end) return;
  const match = PATH_AFTER_STATIC_URL.exec(next.contents);
  if (!match) return;
  const end = next.start + match[0].length;
  into.push({
    attribute: 'STATIC_URL',
    value: `{{ STATIC_URL }}${match[0]}`,
    staticPath: { path: match[1], suffix: match[2] ?? '' },
    start: token.start,
    end,
    range: { start: positionAt(token.start), end: positionAt(end) },
    quote: '"',
  });
}

export function collectUrlAttributes(token: Token, positionAt: PositionAt, into: UrlAttribute[]): void {
  const text = token.contents;
  if (!text.includes('=')) return;
  URL_ATTRIBUTE.lastIndex = 0;
  for (let match = URL_ATTRIBUTE.exec(text); match; match = URL_ATTRIBUTE.exec(text)) {
    const value = match[3];
    const start = token.start + match.index + match[0].length - 1 - value.length;
    const end = start + value.length;
    into.push({
      attribute: match[1].toLowerCase(),
      value,
      start,
      end,
      range: { start: positionAt(start), end: positionAt(end) },
      quote: match[2] as '"' | "'",
    });
  }
}

/** The text up to its first white space, as `split(/\s+/, 1)[0]` gives it, without the array (once per tag). */
function firstWord(text: string): string {
  const end = text.search(/\s/);
  return end < 0 ? text : text.slice(0, end);
}
