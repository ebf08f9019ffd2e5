/**
 * Python-compatible `fnmatch.fnmatchcase`, as Django's collectstatic uses it for ignore patterns:
 * `*` crosses `/` and matches a leading dot, `?` is one character, `[seq]`/`[!seq]` are classes, always
 * case-sensitive. The translation follows CPython 3.11's `fnmatch.translate` step by step, including its
 * handling of hyphens and empty ranges inside classes.
 */
import { normpath } from './paths';

const cache = new Map<string, RegExp>();

/** The anchored regular expression for one fnmatch pattern. */
export function translate(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${translateBody(pattern)})$`, 'su');
    cache.set(pattern, re);
  }
  return re;
}

export function fnmatchcase(name: string, pattern: string): boolean {
  return translate(pattern).test(name);
}

/** A predicate matching any of `patterns`, each first passed through normpath as collectstatic does. */
export function compileIgnorePatterns(patterns: readonly string[]): (name: string) => boolean {
  const tests = [...new Set(patterns.map((p) => normpath(p)))].map(compileOne);
  if (tests.length === 0) return () => false;
  // A loop, not `tests.some((t) => t(name))`: that made a closure per call, asked once per file by every
  // pass over the collected files (111 MB of garbage per pass at 1M files).
  return (name) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](name)) return true;
    return false;
  };
}

/**
 * The patterns that can match a whole relative path (`css/x.css`) where neither the file name nor a folder
 * name on the way matches (collectstatic tests all three), or null when there is none: a pattern without
 * `/` that is a plain name, `*tail`, `head*` or `*inner*` (the defaults `CVS`, `.*`, `*~`) matches a path
 * only through one of its names, so the index need not build each path to test it.
 */
export function compilePathOnlyPatterns(patterns: readonly string[]): ((path: string) => boolean) | null {
  const special = /[*?[]/;
  const local = (p: string) =>
    !p.includes('/') &&
    (!special.test(p) ||
      (p.startsWith('*') && !special.test(p.slice(1))) ||
      (p.endsWith('*') && !special.test(p.slice(0, -1))) ||
      (p.length > 2 && p.startsWith('*') && p.endsWith('*') && !special.test(p.slice(1, -1))));
  const rest = [...new Set(patterns.map((p) => normpath(p)))].filter((p) => !local(p));
  return rest.length ? compileIgnorePatterns(rest) : null;
}

/** Plain string tests for the shapes of the default patterns (`CVS`, `.*`, `*~`); a regex otherwise. */
function compileOne(pattern: string): (name: string) => boolean {
  const special = /[*?[]/;
  const inner = pattern.slice(1, -1);
  if (!special.test(pattern)) return (name) => name === pattern;
  if (pattern.startsWith('*') && !special.test(pattern.slice(1))) {
    const tail = pattern.slice(1);
    return (name) => name.endsWith(tail);
  }
  if (pattern.endsWith('*') && !special.test(pattern.slice(0, -1))) {
    const head = pattern.slice(0, -1);
    return (name) => name.startsWith(head);
  }
  if (pattern.length > 2 && pattern.startsWith('*') && pattern.endsWith('*') && !special.test(inner)) {
    return (name) => name.includes(inner);
  }
  const re = translate(pattern);
  return (name) => re.test(name);
}

function escapeChar(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

function translateBody(pattern: string): string {
  const pat = Array.from(pattern); // code points, like Python's str indexing
  const n = pat.length;
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    const c = pat[i++];
    if (c === '*') {
      if (out[out.length - 1] !== '.*') out.push('.*');
    } else if (c === '?') {
      out.push('.');
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out.push(escapeChar('['));
      } else {
        out.push(translateClass(pat, i, j));
        i = j + 1;
      }
    } else {
      out.push(escapeChar(c));
    }
  }
  return out.join('');
}

/** The class between `pat[start]` and `pat[end]` (exclusive), as CPython splits it into range chunks. */
function translateClass(pat: string[], start: number, end: number): string {
  const slice = (a: number, b: number) => pat.slice(a, b);
  let chunks: string[][];
  const stuff = slice(start, end);
  if (!stuff.includes('-')) {
    chunks = [stuff];
  } else {
    chunks = [];
    let i = start;
    let k = pat[start] === '!' ? start + 2 : start + 1;
    for (;;) {
      k = indexOf(pat, '-', k, end);
      if (k < 0) break;
      chunks.push(slice(i, k));
      i = k + 1;
      k = k + 3;
    }
    const last = slice(i, end);
    if (last.length) chunks.push(last);
    else chunks[chunks.length - 1].push('-');
    // Remove empty ranges (a later start than end): invalid in a regex, CPython drops them.
    for (let m = chunks.length - 1; m > 0; m--) {
      const prev = chunks[m - 1];
      if (prev.length === 0 || chunks[m].length === 0) continue;
      if (prev[prev.length - 1].codePointAt(0)! > chunks[m][0].codePointAt(0)!) {
        chunks[m - 1] = prev.slice(0, -1).concat(chunks[m].slice(1));
        chunks.splice(m, 1);
      }
    }
  }
  const flat = chunks.flat();
  if (flat.length === 0) return '(?!)';
  if (flat.length === 1 && flat[0] === '!') return '.';
  let negate = false;
  if (chunks[0][0] === '!') {
    negate = true;
    chunks[0] = chunks[0].slice(1);
  }
  // Chunks are joined by range hyphens; every character inside a chunk is literal.
  const body = chunks.map((chunk) => chunk.map(escapeChar).join('')).join('-');
  return `[${negate ? '^' : ''}${body}]`;
}

function indexOf(arr: string[], value: string, from: number, to: number): number {
  for (let i = Math.max(from, 0); i < to; i++) if (arr[i] === value) return i;
  return -1;
}

/** Which relative paths a walk leaves out (the user's `ignoreGlobs`), cheap to ask per entry. */
export interface PathFilter {
  /** True when a folder (`rel`, its last segment `name`) and everything below it are left out. */
  skipsFolder(rel: string, name: string): boolean;
  /** True when a file is left out; null when no glob can match a file outside skipped folders. */
  skipsFile: ((rel: string) => boolean) | null;
}

/**
 * A filter for editor-style globs (`**\/node_modules/**`) over `/`-separated relative paths: `**` spans
 * folders, `*` and `?` stay inside one segment. Globs of the form `**\/NAME/**` become a folder-name check so
 * the common defaults cost nothing per file. Used for the user's `ignoreGlobs`, never for Django's patterns.
 */
export function compileGlobs(globs: readonly string[]): PathFilter | null {
  if (globs.length === 0) return null;
  const folderNames = new Set<string>();
  const regexes: RegExp[] = [];
  for (const glob of globs) {
    const m = /^\*\*\/([^*?[\]/]+)\/\*\*$/.exec(glob);
    if (m) folderNames.add(m[1]);
    else regexes.push(new RegExp(`^${globBody(glob)}$`, 'su'));
  }
  const anyRegex = (rel: string) => regexes.some((r) => r.test(rel));
  return {
    skipsFolder: (rel, name) => folderNames.has(name) || anyRegex(rel),
    skipsFile: regexes.length ? anyRegex : null,
  };
}

function globBody(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 3;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '(?:/.*)?';
      i += 3;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 2;
    } else if (glob[i] === '*') {
      out += '[^/]*';
      i++;
    } else if (glob[i] === '?') {
      out += '[^/]';
      i++;
    } else {
      out += escapeChar(glob[i]);
      i++;
    }
  }
  return out;
}
