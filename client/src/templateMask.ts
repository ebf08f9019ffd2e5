/**
 * The HTML a template's markup reads as once its template syntax is gone, for VS Code's HTML language
 * server (which answers only `html` documents): `{% … %}`, `{{ … }}` and `{# … #}` become spaces of the same
 * length, so every offset, line and column stays the template's. Script and style code that held template
 * syntax is blanked too: the HTML server checks it as JavaScript or CSS and would report the holes as errors.
 * No vscode import, so the unit tests run it directly.
 */

/** The masked text and the template constructs it blanked, as sorted `[start, end)` offsets. */
export interface MaskedTemplate {
  text: string;
  constructs: Array<[number, number]>;
}

// A construct may span lines (Jinja2 allows it) but never another opener: `{% sta` being typed must not
// swallow the markup up to the next tag's `%}`.
const CONSTRUCT = /\{%(?:(?!\{[%{#])[\s\S])*?%\}|\{\{(?:(?!\{[%{#])[\s\S])*?\}\}|\{#(?:(?!\{[%{#])[\s\S])*?#\}/g;
const CODE_ELEMENT = /(<(script|style)\b[^>]*>)([\s\S]*?)(?=<\/\2\s*>)/gi;
const CODE_ATTRIBUTE = /(\s(?:style|on[a-z]+)\s*=\s*)("[^"]*"|'[^']*')/gi;

/** Spaces for every character but line breaks, which stay so lines and columns do not move. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

export function maskTemplate(source: string): MaskedTemplate {
  const constructs: Array<[number, number]> = [];
  let text = source.replace(CONSTRUCT, (match, offset: number) => {
    constructs.push([offset, offset + match.length]);
    return blank(match);
  });
  if (constructs.length === 0) return { text, constructs };
  const holds = (start: number, end: number) => constructs.some(([s, e]) => s < end && e > start);
  text = text.replace(CODE_ELEMENT, (match, open: string, _name: string, body: string, offset: number) => {
    const start = offset + open.length;
    return holds(start, start + body.length) ? open + blank(body) : match;
  });
  text = text.replace(CODE_ATTRIBUTE, (match, name: string, value: string, offset: number) => {
    const start = offset + name.length;
    return holds(start, start + value.length) ? name + value[0] + blank(value.slice(1, -1)) + value[0] : match;
  });
  return { text, constructs };
}

/**
 * The text with each construct replaced by a word `_djs<n>_`, and script or style code holding template syntax
 * by one comment `/*_djs<n>_*\/` (the formatter leaves it alone, and the HTML server sees no broken code in it);
 * undefined when the text holds such words already.
 */
export function tokenized(source: string): { text: string; constructs: string[] } | undefined {
  if (/_djs\d+_/.test(source)) return undefined;
  const constructs: string[] = [];
  const word = (kept: string) => `_djs${constructs.push(kept) - 1}_`;
  const text = source
    .replace(CODE_ELEMENT, (match, open: string, _name: string, body: string) =>
      new RegExp(CONSTRUCT.source).test(body) ? `${open}/*${word(body)}*/` : match,
    )
    .replace(CONSTRUCT, word);
  return { text, constructs };
}

/** The constructs put back; undefined unless every word is there exactly once. */
export function untokenized(text: string, constructs: readonly string[]): string | undefined {
  const seen = new Set<number>();
  let intact = true;
  const result = text.replace(/\/\*_djs(\d+)_\*\/|_djs(\d+)_/g, (word, inComment: string | undefined, bare: string | undefined) => {
    const i = Number(inComment ?? bare);
    if (i >= constructs.length || seen.has(i)) intact = false;
    seen.add(i);
    return constructs[i] ?? word;
  });
  return intact && seen.size === constructs.length ? result : undefined;
}

/** True when `offset` is strictly inside a template construct: HTML has nothing to say there. */
export function inConstruct(masked: MaskedTemplate, offset: number): boolean {
  let low = 0;
  let high = masked.constructs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [start, end] = masked.constructs[mid];
    if (offset <= start) high = mid - 1;
    else if (offset >= end) low = mid + 1;
    else return true;
  }
  return false;
}

/** Block tags with an end tag, Django's and Jinja2's; their bodies fold like elements do. */
const BLOCK_TAGS = new Set([
  'autoescape',
  'block',
  'blocktrans',
  'blocktranslate',
  'call',
  'comment',
  'filter',
  'for',
  'if',
  'ifchanged',
  'macro',
  'raw',
  'spaceless',
  'verbatim',
  'with',
]);

/** Zero-based `[startLine, endLine]` of each multi-line block, the end tag's line left visible. */
export function blockFolds(source: string): Array<[number, number]> {
  const folds: Array<[number, number]> = [];
  const open: Array<{ name: string; line: number }> = [];
  let line = 0;
  let scanned = 0;
  const lineAt = (offset: number) => {
    for (; scanned < offset; scanned++) if (source.charCodeAt(scanned) === 10) line++;
    return line;
  };
  for (const match of source.matchAll(/\{%-?\s*(end)?([a-z]+)\b/g)) {
    const [, end, name] = match;
    const at = lineAt(match.index ?? 0);
    if (!end) {
      if (BLOCK_TAGS.has(name)) open.push({ name, line: at });
      continue;
    }
    const index = open.map((o) => o.name).lastIndexOf(name);
    if (index < 0) continue;
    const start = open[index].line;
    open.length = index;
    if (at - 1 > start) folds.push([start, at - 1]);
  }
  return folds.sort((a, b) => a[0] - b[0]);
}

/** HTML's void elements: no end tag to close. */
const VOID_ELEMENTS = new Set('area base br col embed hr img input keygen link meta param source track wbr'.split(' '));
const START_TAG_BEFORE = /<([A-Za-z][\w.:-]*)(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*>$/;

/**
 * The element whose start tag ends right before `offset` (`<div class="a">|`), when it needs an end tag: what
 * HTML's auto-closing closes. (HTML's server only offers that as a completion when `html.autoClosingTags` is
 * off, so it is read here from the masked text, where template syntax cannot fake a tag.)
 */
export function startTagBefore(masked: MaskedTemplate, offset: number): string | undefined {
  const match = START_TAG_BEFORE.exec(masked.text.slice(Math.max(0, offset - 4000), offset));
  const tag = match?.[1];
  return tag && !VOID_ELEMENTS.has(tag.toLowerCase()) ? tag : undefined;
}
