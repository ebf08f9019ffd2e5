/**
 * The URL `{% static %}` renders, built as Django builds it (reference §4.3): Python's `quote` and
 * `urljoin` ported exactly, because JS's URL class collapses `//` and resolves `..` differently. `urlsplit` and
 * `unquote` are the engine's ports, which the manifest prediction uses too.
 */
import { PythonError, unquote, urldefrag, urlsplit, urlunsplit } from '../engine/assets/python';
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

/** `urllib.parse.urljoin(base, url)` for hierarchical schemes (http, https, and scheme-less paths). */
export function pythonUrljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const b = urlsplit(base);
  const u = urlsplit(url);
  if (u.scheme && u.scheme !== b.scheme) return url;
  const scheme = u.scheme || b.scheme;
  if (u.netloc) return urlunsplit({ ...u, scheme });
  const netloc = b.netloc;
  if (!u.path) {
    return urlunsplit({ scheme, netloc, path: b.path, query: u.query || b.query, fragment: u.fragment });
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
  return urlunsplit({ scheme, netloc, path: resolved.join('/') || '/', query: u.query, fragment: u.fragment });
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

/** What the URL needs of a manifest: its entry for a name (staticfiles.json read, or the one predicted). */
export type ManifestLookup = Pick<ReadonlyMap<string, string>, 'get'>;

/** The result of rendering `{% static name %}` for one configuration. */
export type RenderedUrl = { kind: 'url'; url: string; note?: string } | { kind: 'error'; message: string };

/**
 * What `{% static name %}` renders with the project's settings and the given DEBUG value.
 * `manifest` is STATIC_ROOT/staticfiles.json's paths map when it was read.
 */
export function renderStaticUrl(model: ProjectModel, name: string, debug: boolean, manifest?: ManifestLookup): RenderedUrl {
  try {
    return render(model, name, debug, manifest);
  } catch (error) {
    // urlsplit raises as Python does (an unbalanced IPv6 bracket): the tag raises the same error when it renders.
    if (error instanceof PythonError) return { kind: 'error', message: `${error.type}: ${error.message}` };
    throw error;
  }
}

function render(model: ProjectModel, name: string, debug: boolean, manifest?: ManifestLookup): RenderedUrl {
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

/** `HashedFilesMixin._url` with `ManifestFilesMixin.stored_name` (`manifest_strict=True`). */
function hashedStorageUrl(staticUrl: string, name: string, debug: boolean, manifest?: ManifestLookup): RenderedUrl {
  let hashedName = name;
  let fragment = '';
  let note: string | undefined;
  if (!debug) {
    const [cleanName, frag] = urldefrag(name);
    fragment = frag;
    if (!urlsplit(cleanName).path.endsWith('/')) {
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
    const parts = urlsplit(finalUrl);
    if (fragment && !parts.fragment) parts.fragment = fragment;
    if (queryFragment && !parts.query) parts.path += '?';
    finalUrl = urlunsplit(parts);
  }
  return { kind: 'url', url: unquote(finalUrl), note };
}

function storedName(name: string, manifest?: ManifestLookup): RenderedUrl {
  const parsed = urlsplit(unquote(name));
  const key = parsed.path.trim();
  const hashed = manifest?.get(key);
  if (hashed === undefined) {
    const why = manifest ? '' : ' (no staticfiles.json in STATIC_ROOT yet: run collectstatic)';
    return { kind: 'error', message: `ValueError: Missing staticfiles manifest entry for '${key}'${why}` };
  }
  const unparsed = { ...parsed, path: hashed };
  if (name.includes('?#') && !parsed.query) unparsed.path += '?';
  return { kind: 'url', url: urlunsplit(unparsed) };
}
