/**
 * The few Python functions HashedFilesMixin leans on (urllib.parse, posixpath, str.strip, json.dumps), ported
 * to give the same strings for the same input. The manifest names and failure messages we predict are made of
 * their results, so an approximation here would be a wrong prediction there. Ported from CPython 3.11, the
 * interpreter every tested Django runs on.
 */

/** `str.isspace()` characters: what Python's `\s`, `str.strip()` and `str.split()` use on text. */
export const PY_SPACE =
  ' \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
/** A regex character class for PY_SPACE (Python's `\s` on str). */
export const PY_SPACE_CLASS = '[ \\t\\n\\r\\f\\v\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.includes(s[start])) start++;
  while (end > start && PY_SPACE.includes(s[end - 1])) end--;
  return s.slice(start, end);
}

export interface SplitResult {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;
// WHATWG C0 controls and space are stripped from the front; tab, CR and LF are removed everywhere.
const LEADING_C0 = /^[\x00-\x20]+/;

/** urllib.parse.urlsplit (allow_fragments=True). Raises like Python for an unbalanced IPv6 bracket. */
export function urlsplit(url: string): SplitResult {
  url = url.replace(LEADING_C0, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url[0]) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.slice(0, 2) === '//') {
    let delim = url.length;
    for (const c of '/?#') {
      const at = url.indexOf(c, 2);
      if (at >= 0) delim = Math.min(delim, at);
    }
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    if (netloc.includes('[') !== netloc.includes(']')) throw new PythonError('ValueError', 'Invalid IPv6 URL');
  }
  const hash = url.indexOf('#');
  if (hash >= 0) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    query = url.slice(q + 1);
    url = url.slice(0, q);
  }
  return { scheme, netloc, path: url, query, fragment };
}

const USES_NETLOC = new Set([
  '',
  'ftp',
  'http',
  'gopher',
  'nntp',
  'telnet',
  'imap',
  'wais',
  'file',
  'mms',
  'https',
  'shttp',
  'snews',
  'prospero',
  'rtsp',
  'rtspu',
  'rsync',
  'svn',
  'svn+ssh',
  'sftp',
  'nfs',
  'git',
  'git+ssh',
  'ws',
  'wss',
]);

/** urllib.parse.urlunsplit (3.11). */
export function urlunsplit(parts: SplitResult): string {
  let { path: url } = parts;
  const { scheme, netloc, query, fragment } = parts;
  if (netloc || (scheme && USES_NETLOC.has(scheme) && url.slice(0, 2) !== '//')) {
    if (url && url[0] !== '/') url = `/${url}`;
    url = `//${netloc}${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url = `${url}?${query}`;
  if (fragment) url = `${url}#${fragment}`;
  return url;
}

/** urllib.parse.urldefrag: `[url without fragment, fragment]`. */
export function urldefrag(url: string): [string, string] {
  if (!url.includes('#')) return [url, ''];
  // urlparse/urlunparse split `;params` off the last segment and put them back: the same string.
  const s = urlsplit(url);
  return [urlunsplit({ ...s, fragment: '' }), s.fragment];
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** urllib.parse.unquote (UTF-8, errors='replace'): runs of %XX become bytes, decoded together. */
export function unquote(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8.decode(bytes);
  });
}

// posixpath.normpath and a two-part posixpath.join are the path module's (one copy for every layer).
export { normpath, join as pjoin } from '../paths';

/** posixpath.dirname. */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

/** posixpath.split. */
export function psplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, p.slice(i)];
}

/** posixpath.splitext: the dot of an extension is not a leading dot of the name. */
export function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  if (dot > sep) {
    let i = sep + 1;
    while (i < dot) {
      if (p[i] !== '.') return [p.slice(0, dot), p.slice(dot)];
      i++;
    }
  }
  return [p, ''];
}

/** A Python exception as Django raises it: `ValueError: The file ...`. */
export class PythonError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** json.dumps with Python's defaults (`", "` and `": "`, ensure_ascii) for strings and flat string maps. */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
