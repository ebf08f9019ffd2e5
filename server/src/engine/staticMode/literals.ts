/** Python number and string literal decoding (the parser gives only their source text). */

export interface StringLiteral {
  /** Lower-case prefix letters (`r`, `b`, `f`, `rb`, ...). */
  prefix: string;
  /** Length of the opening (and closing) quote: 1 or 3. */
  quoteLength: number;
  /** Source text between the quotes. */
  body: string;
}

/** Splits a string literal's source into prefix, quotes and body; null when it is not a complete literal. */
export function splitStringLiteral(text: string): StringLiteral | null {
  const match = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!match) return null;
  const prefix = match[1].toLowerCase();
  const quote = match[2];
  if (text.length < prefix.length + quote.length * 2 || !text.endsWith(quote)) return null;
  return { prefix, quoteLength: quote.length, body: text.slice(prefix.length + quote.length, text.length - quote.length) };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decodes backslash escapes the way Python does for a non-raw str literal (unknown escapes stay as written). */
export function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === '\n') {
      i++;
    } else if (next === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + width;
      } else {
        out += ch;
      }
    } else {
      out += ch;
    }
  }
  return out;
}

/** The value of a str literal's source text, or null for bytes and malformed literals. */
export function parseStringLiteral(text: string): string | null {
  const literal = splitStringLiteral(text);
  if (!literal || literal.prefix.includes('b') || literal.prefix.includes('f')) return null;
  return literal.prefix.includes('r') ? literal.body : decodeEscapes(literal.body);
}

/** An int or float literal's value and kind, or null when it is not one static mode reads (complex). */
export function parseNumberLiteral(text: string): { kind: 'int' | 'float'; value: number } | null {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return null;
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 16) };
  if (/^0[oO][0-7]+$/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 8) };
  if (/^0[bB][01]+$/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 2) };
  if (/^[0-9]+$/.test(clean)) return { kind: 'int', value: parseInt(clean, 10) };
  const value = Number(clean);
  return Number.isNaN(value) ? null : { kind: 'float', value };
}
