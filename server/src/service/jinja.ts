/**
 * Reads a Jinja2 template for `static('…')` calls. Unlike Django, Jinja2's delimiters may span lines,
 * strings inside an expression may contain closing delimiters, and `{% raw %}…{% endraw %}` is literal.
 * No `{% load %}` exists: `static` is a global the environment provides.
 */
import { servedDestination } from '../engine/paths';
import { collectUrlAttributes } from './scanner';
import { DocumentFacts, PositionAt, scanFull, StaticReference } from './templateModel';

type ScanResult = DocumentFacts;

const STATIC_CALL = /(?<![\w.])static\s*\(\s*/g;
const END_RAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
const CLOSERS: Record<string, string> = { '{%': '%}', '{{': '}}', '{#': '#}' };

export function readJinjaTemplate(text: string, positionAt: PositionAt): ScanResult {
  const result: ScanResult = { references: [], loads: [], urlAttributes: [], skipped: [] };
  let textStart = 0;
  let i = 0;
  while (i < text.length && !scanFull(result)) {
    const open = text.indexOf('{', i);
    if (open === -1 || open + 1 >= text.length) break;
    const closer = CLOSERS[text.substr(open, 2)];
    if (!closer) {
      i = open + 1;
      continue;
    }
    pushText(text, textStart, open, positionAt, result);
    let end: number;
    if (closer === '#}') {
      const close = text.indexOf('#}', open + 2);
      end = close === -1 ? text.length : close + 2;
      result.skipped.push([open, end]);
    } else {
      const close = findCloser(text, open + 2, closer);
      end = close === -1 ? text.length : close + 2;
      const inner = text.slice(open + 2, close === -1 ? text.length : close);
      if (closer === '%}' && inner.replace(/^[-+]/, '').replace(/[-+]$/, '').trim() === 'raw') {
        END_RAW.lastIndex = end;
        const endRaw = END_RAW.exec(text);
        const rawEnd = endRaw ? endRaw.index + endRaw[0].length : text.length;
        result.skipped.push([open, rawEnd]);
        end = rawEnd;
      } else {
        collectStaticCalls(text, open + 2, open + 2 + inner.length, positionAt, result.references);
      }
    }
    textStart = end;
    i = end;
  }
  pushText(text, textStart, text.length, positionAt, result);
  return result;
}

function pushText(text: string, start: number, end: number, positionAt: PositionAt, result: ScanResult): void {
  if (end <= start) return;
  const contents = text.slice(start, end);
  collectUrlAttributes({ kind: 'text', start, end, contents, contentsStart: start }, positionAt, result.urlAttributes);
}

/** Index of `closer` after `from`, skipping quoted strings as Jinja's lexer does; -1 when unclosed. */
function findCloser(text: string, from: number, closer: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === -1) return text.indexOf(closer, i + 1);
      i = close;
    } else if (c === closer[0] && text[i + 1] === closer[1]) {
      return i;
    }
  }
  return -1;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

function collectStaticCalls(text: string, start: number, end: number, positionAt: PositionAt, into: StaticReference[]): void {
  const inner = text.slice(start, end);
  if (!inner.includes('static')) return;
  STATIC_CALL.lastIndex = 0;
  for (let match = STATIC_CALL.exec(inner); match; match = STATIC_CALL.exec(inner)) {
    const callStart = start + match.index;
    const argStart = callStart + match[0].length;
    into.push(readCall(text, callStart, argStart, end, positionAt));
  }
}

function readCall(text: string, callStart: number, argStart: number, limit: number, positionAt: PositionAt): StaticReference {
  const closeParen = text.indexOf(')', argStart);
  const callEnd = closeParen === -1 || closeParen >= limit ? limit : closeParen + 1;
  const tagRange = { start: positionAt(callStart), end: positionAt(callEnd) };
  const ref: StaticReference = {
    syntax: 'static-call',
    kind: 'empty',
    value: '',
    destination: null,
    pathRange: tagRange,
    pathStart: callStart,
    pathEnd: callEnd,
    tagRange,
    tagStart: callStart,
    tagEnd: callEnd,
    quote: undefined,
    asVariable: undefined,
    loaded: true,
    afterRemovedLoad: false,
    flavor: 'jinja',
  };
  const c = text[argStart];
  if (c === '"' || c === "'") {
    const close = closingQuote(text, argStart);
    if (close !== -1 && close < limit && /^\s*[,)]/.test(text.slice(close + 1, close + 40))) {
      const callClose = text.indexOf(')', close);
      ref.tagEnd = callClose === -1 || callClose >= limit ? limit : callClose + 1;
      ref.tagRange = { start: tagRange.start, end: positionAt(ref.tagEnd) };
      ref.kind = 'literal';
      ref.value = text.slice(argStart + 1, close).replace(/\\(['"\\])/g, '$1');
      ref.quote = c;
      ref.pathStart = argStart + 1;
      ref.pathEnd = close;
      ref.pathRange = { start: positionAt(ref.pathStart), end: positionAt(close) };
      ref.destination = servedDestination(ref.value);
      return ref;
    }
  }
  if (c === ')') return ref;
  const exprEnd = Math.max(argStart, callEnd - (text[callEnd - 1] === ')' ? 1 : 0));
  const value = text.slice(argStart, exprEnd).trim();
  ref.kind = 'dynamic';
  ref.value = value;
  ref.pathStart = argStart;
  ref.pathEnd = argStart + value.length;
  ref.pathRange = { start: positionAt(argStart), end: positionAt(argStart + value.length) };
  return ref;
}
