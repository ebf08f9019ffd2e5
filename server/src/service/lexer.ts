/**
 * A port of Django's template Lexer (django/template/base.py) that keeps offsets.
 *
 * Django finds tags with `({%.*?%}|{{.*?}}|{#.*?#})`: non-greedy and without DOTALL, so a tag never
 * crosses a newline and ends at the first closing delimiter. Everything else is text. Inside
 * `{% verbatim %}` (or `{% verbatim name %}`) every tag is text until the matching `endverbatim`.
 */

export type TokenKind = 'text' | 'var' | 'block' | 'comment';

export interface Token {
  kind: TokenKind;
  /** Offset of the token's first character (`{` for tags). */
  start: number;
  /** Offset just past the token. */
  end: number;
  /** For tags: the text between the delimiters, stripped as Django does; for text: the raw text. */
  contents: string;
  /** Offset of `contents` in the document. */
  contentsStart: number;
}

/** One piece of `split_contents()`, with its place in the document. */
export interface Bit {
  text: string;
  start: number;
  end: number;
}

const OPENERS: Record<string, { close: string; kind: TokenKind }> = {
  '{%': { close: '%}', kind: 'block' },
  '{{': { close: '}}', kind: 'var' },
  '{#': { close: '#}', kind: 'comment' },
};

/**
 * Finds closing delimiters without rescanning: a long line full of unclosed `{%` stays linear because
 * the next occurrence of each delimiter (and of a newline) is remembered until the scan passes it.
 */
class NextFinder {
  private readonly cache = new Map<string, number>();
  constructor(private readonly text: string) {}

  /** First index >= from where `needle` starts, or -1. */
  next(needle: string, from: number): number {
    const cached = this.cache.get(needle);
    if (cached !== undefined && (cached === -1 || cached >= from)) return cached;
    const found = this.text.indexOf(needle, from);
    this.cache.set(needle, found);
    return found;
  }
}

/** Tokenizes a Django template exactly as `Lexer.tokenize` does, with offsets. Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const finder = new NextFinder(text);
  let verbatimEnd: string | null = null;
  let textStart = 0;
  let i = 0;
  while (i < text.length) {
    const open = finder.next('{', i);
    if (open === -1 || open + 1 >= text.length) break;
    const opener = OPENERS[text.substr(open, 2)];
    if (!opener) {
      i = open + 1;
      continue;
    }
    const close = finder.next(opener.close, open + 2);
    const newline = finder.next('\n', open + 2);
    if (close === -1 || (newline !== -1 && newline < close)) {
      // Not a tag at this position; Django's regex moves on by one character.
      i = open + 1;
      continue;
    }
    const end = close + 2;
    if (open > textStart) tokens.push(textToken(text, textStart, open));
    const token = tagToken(text, open, end, opener.kind);
    if (token.kind === 'block') {
      if (verbatimEnd !== null) {
        if (token.contents !== verbatimEnd) token.kind = 'text';
        else verbatimEnd = null;
      } else if (token.contents === 'verbatim' || token.contents.startsWith('verbatim ')) {
        verbatimEnd = 'end' + token.contents;
      }
    } else if (verbatimEnd !== null) {
      token.kind = 'text';
    }
    if (token.kind === 'text') Object.assign(token, { contents: text.slice(open, end), contentsStart: open });
    tokens.push(token);
    textStart = end;
    i = end;
  }
  if (textStart < text.length) tokens.push(textToken(text, textStart, text.length));
  return tokens;
}

function textToken(text: string, start: number, end: number): Token {
  return { kind: 'text', start, end, contents: text.slice(start, end), contentsStart: start };
}

function tagToken(text: string, start: number, end: number, kind: TokenKind): Token {
  const inner = text.slice(start + 2, end - 2);
  const leading = inner.length - inner.trimStart().length;
  return { kind, start, end, contents: inner.trim(), contentsStart: start + 2 + leading };
}

/**
 * `smart_split` from django.utils.text: whitespace-separated bits where quoted sections (with
 * backslash escapes) stay together, even when they contain spaces; an unclosed quote falls back to
 * a plain run of non-space characters.
 */
export function smartSplit(contents: string, offset = 0): Bit[] {
  const bits: Bit[] = [];
  const n = contents.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(contents.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    const quoted = scanQuotedBit(contents, i);
    i = quoted > start ? quoted : scanPlainBit(contents, i);
    bits.push({ text: contents.slice(start, i), start: offset + start, end: offset + i });
  }
  return bits;
}

/** `[^\s'"]*(?:(?:"…"|'…')[^\s'"]*)+`: returns the end, or `start` when there is no closed quote. */
function scanQuotedBit(s: string, start: number): number {
  let i = start;
  let sawQuote = false;
  for (;;) {
    while (i < s.length && !isSpace(s.charCodeAt(i)) && s[i] !== '"' && s[i] !== "'") i++;
    if (i >= s.length || (s[i] !== '"' && s[i] !== "'")) return sawQuote ? i : start;
    const closeAt = closingQuote(s, i);
    if (closeAt === -1) return sawQuote ? i : start;
    sawQuote = true;
    i = closeAt + 1;
  }
}

function scanPlainBit(s: string, start: number): number {
  let i = start;
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Index of the quote closing the one at `open` (backslash escapes skip a character), or -1. */
function closingQuote(s: string, open: number): number {
  const quote = s[open];
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === quote) return i;
  }
  return -1;
}

/** Python's `\s` for str patterns, close enough for template tags. */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0x85 ||
    code === 0x1c ||
    code === 0x1d ||
    code === 0x1e ||
    code === 0x1f
  );
}

/**
 * `Token.split_contents()`: smart_split plus gluing of `_("…")` translation bits that smart_split cut
 * at spaces.
 */
export function splitContents(contents: string, offset = 0): Bit[] {
  const raw = smartSplit(contents, offset);
  const result: Bit[] = [];
  for (let k = 0; k < raw.length; k++) {
    let bit = raw[k];
    if (bit.text.startsWith('_("') || bit.text.startsWith("_('")) {
      const sentinel = bit.text[2] + ')';
      const first = bit;
      while (!bit.text.endsWith(sentinel) && k + 1 < raw.length) bit = raw[++k];
      bit = { text: contents.slice(first.start - offset, bit.end - offset), start: first.start, end: bit.end };
    }
    result.push(bit);
  }
  return result;
}
