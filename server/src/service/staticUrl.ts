/**
 * The URL `{% static %}` renders, built as Django builds it (reference §4.3): Python's `quote` and
 * `urljoin` ported exactly, because JS's URL class collapses `//` and resolves `..` differently.
 */
import { ProjectModel } from '../engine/model';

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** `urllib.parse.quote(s, safe)` on UTF-8 bytes. */
export function pythonQuote(s: string, safe = '/'): string {
  let out = '';
  for (const ch of s) {
    if (ch.length === 1 && (ALWAYS_SAFE.test(ch) || safe.includes(ch))) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** `urllib.parse.unquote`: decodes %XX sequences as UTF-8, leaving malformed ones alone. */
export function pythonUnquote(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    return bytes.toString('utf8');
  });
}

interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

/** `urllib.parse.urlsplit` for the shapes STATIC_URL and quoted names take. */
export function urlSplit(url: string): SplitUrl {
  let rest = url;
  let scheme = '';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
    rest = end === -1 ? '' : rest.slice(2 + end);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  return { scheme, netloc, path: rest, query, fragment };
}

const USES_NETLOC = new Set([
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

function urlUnsplit(u: SplitUrl): string {
  let url = u.path;
  if (u.netloc || (u.scheme && USES_NETLOC.has(u.scheme) && !url.startsWith('//'))) {
    if (url && !url.startsWith('/')) url = '/' + url;
    url = '//' + u.netloc + url;
  }
  if (u.scheme) url = u.scheme + ':' + url;
  if (u.query) url += '?' + u.query;
  if (u.fragment) url += '#' + u.fragment;
  return url;
}

/** `urllib.parse.urljoin(base, url)` for hierarchical schemes (http, https, and scheme-less paths). */
export function pythonUrljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const b = urlSplit(base);
  const u = urlSplit(url);
  if (u.scheme && u.scheme !== b.scheme) return url;
  const scheme = u.scheme || b.scheme;
  if (u.netloc) return urlUnsplit({ ...u, scheme });
  const netloc = b.netloc;
  if (!u.path) {
    return urlUnsplit({ scheme, netloc, path: b.path, query: u.query || b.query, fragment: u.fragment });
  }
  const baseParts = b.path.split('/');
  if (baseParts[baseParts.length - 1] !== '') baseParts.pop();
  let segments: string[];
  if (u.path.startsWith('/')) {
    segments = u.path.split('/');
  } else {
    segments = baseParts.concat(u.path.split('/'));
    // Python filters empty middle segments so re-joining never yields redundant slashes.
    segments = [segments[0], ...segments.slice(1, -1).filter(Boolean), ...(segments.length > 1 ? [segments[segments.length - 1]] : [])];
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === '..') resolved.pop();
    else if (seg !== '.') resolved.push(seg);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return urlUnsplit({ scheme, netloc, path: resolved.join('/') || '/', query: u.query, fragment: u.fragment });
}

/** STATIC_URL as FileSystemStorage uses it: trailing `/` added, script prefix `/` for a relative value. */
export function effectiveStaticUrl(staticUrl: string): string {
  let base = staticUrl.endsWith('/') ? staticUrl : staticUrl + '/';
  if (!base.startsWith('/') && !/^https?:\/\//.test(base)) base = '/' + base;
  return base;
}

/** `FileSystemStorage.url(name)`: `\`→`/`, quote with Django's safe set, strip leading `/`, urljoin. */
export function storageUrl(staticUrl: string, name: string): string {
  const encoded = pythonQuote(name.replace(/\\/g, '/'), "/~!*()'").replace(/^\/+/, '');
  return pythonUrljoin(effectiveStaticUrl(staticUrl), encoded);
}

/** The result of rendering `{% static name %}` for one configuration. */
export type RenderedUrl = { kind: 'url'; url: string; note?: string } | { kind: 'error'; message: string };

/**
 * What `{% static name %}` renders with the project's settings and the given DEBUG value.
 * `manifest` is STATIC_ROOT/staticfiles.json's paths map when it was read.
 */
export function renderStaticUrl(model: ProjectModel, name: string, debug: boolean, manifest?: Map<string, string>): RenderedUrl {
  if (model.staticUrl === null || model.staticUrl === undefined) {
    return {
      kind: 'error',
      message: model.staticfilesInstalled
        ? "ImproperlyConfigured: You're using the staticfiles app without having set the required STATIC_URL setting."
        : 'STATIC_URL is not set: the tag renders `None` joined with the path.',
    };
  }
  if (!model.staticfilesInstalled) {
    const base = effectiveStaticUrl(model.staticUrl);
    return { kind: 'url', url: pythonUrljoin(base, pythonQuote(name)) };
  }
  if (!model.manifestStorage) return { kind: 'url', url: storageUrl(model.staticUrl, name) };
  return hashedStorageUrl(model.staticUrl, name, debug, manifest);
}

/** `urllib.parse.urldefrag`. */
function urlDefrag(url: string): [string, string] {
  if (!url.includes('#')) return [url, ''];
  const parts = urlSplit(url);
  return [urlUnsplit({ ...parts, fragment: '' }), parts.fragment];
}

/** `HashedFilesMixin._url` with `ManifestFilesMixin.stored_name` (`manifest_strict=True`). */
function hashedStorageUrl(staticUrl: string, name: string, debug: boolean, manifest?: Map<string, string>): RenderedUrl {
  let hashedName = name;
  let fragment = '';
  let note: string | undefined;
  if (!debug) {
    const [cleanName, frag] = urlDefrag(name);
    fragment = frag;
    if (!urlSplit(cleanName).path.endsWith('/')) {
      const stored = storedName(cleanName, manifest);
      if (stored.kind === 'error') return stored;
      hashedName = stored.url;
      note = 'from staticfiles.json';
    }
  }
  let finalUrl = storageUrl(staticUrl, hashedName);
  // Django's @font-face hack: `font.eot?#iefix` keeps its `?`.
  const queryFragment = name.includes('?#');
  if (fragment || queryFragment) {
    const parts = urlSplit(finalUrl);
    if (fragment && !parts.fragment) parts.fragment = fragment;
    if (queryFragment && !parts.query) parts.path += '?';
    finalUrl = urlUnsplit(parts);
  }
  return { kind: 'url', url: pythonUnquote(finalUrl), note };
}

function storedName(name: string, manifest?: Map<string, string>): RenderedUrl {
  const parsed = urlSplit(pythonUnquote(name));
  const key = parsed.path.trim();
  const hashed = manifest?.get(key);
  if (hashed === undefined) {
    const why = manifest ? '' : ' (no staticfiles.json in STATIC_ROOT yet: run collectstatic)';
    return { kind: 'error', message: `ValueError: Missing staticfiles manifest entry for '${key}'${why}` };
  }
  const unparsed = { ...parsed, path: hashed };
  if (name.includes('?#') && !parsed.query) unparsed.path += '?';
  return { kind: 'url', url: urlUnsplit(unparsed) };
}
