/**
 * HashedFilesMixin.post_process, replayed: the first pass over every collected file (deepest folders first),
 * then up to `max_post_process_passes` passes over the adjustable ones until no hashed name changes. What it
 * yields is what collectstatic does: the first failure it meets, "Max post-process passes exceeded" for an
 * import cycle, or the `paths` of staticfiles.json. Hashes are taken lazily: a file nothing references and no
 * manifest asks for is never read.
 */
import { createHash } from 'crypto';
import { AssetBehaviour } from '../djangoVersion';
import { PatternGroup, matchesGlob } from './patterns';
import { normpath, psplit, pyStrip, PythonError, splitext, unquote, urldefrag, urlsplit, urlunsplit } from './python';
import { AssetReference, rewriteFile } from './rewrite';

/** One file collectstatic copies, in the order it collects them. */
export interface CollectedFile {
  /** Destination path (prefix included). */
  name: string;
  /** The winning source file. */
  absPath: string;
}

/** How the simulated storage reads files: the collected copies, and anything else already in STATIC_ROOT. */
export interface RootReader {
  /** Bytes of a collected file's source (null when it cannot be read). */
  readSource(absPath: string): Buffer | null;
  /** A path below STATIC_ROOT that collectstatic does not write but that is there already (an earlier run). */
  statLeftover(rel: string): { isDir: boolean; bytes: () => Buffer | null } | null;
}

export interface PostProcessInput {
  files: CollectedFile[];
  django: AssetBehaviour;
  groups: PatternGroup[];
  staticUrl: string;
  /** Absolute STATIC_ROOT (null: unset; references still resolve against the collected names). */
  staticRoot: string | null;
  maxPasses: number;
  /** `<module.Class object at 0x…>` as the storage's repr prints in Django's message. */
  storageRepr: string;
  reader: RootReader;
  /** Compute every file's hashed name for the manifest (otherwise only what references need). */
  manifest: boolean;
}

/** One reference of one file, in the order collectstatic meets them. */
export interface FileReference extends AssetReference {
  file: CollectedFile;
}

export interface PostProcessResult {
  /** Every reference of every adjustable file, as the first pass met them. */
  references: FileReference[];
  /** Adjustable files that are not UTF-8 (Django raises UnicodeDecodeError). */
  undecodable: CollectedFile[];
  /** Collected files whose source cannot be read (a broken link): collectstatic fails copying them. */
  unreadable: CollectedFile[];
  /** Leftover STATIC_ROOT files some reference resolved to (present only because an earlier run left them). */
  leftovers: Set<string>;
  /** Files whose hashed name still changed in the last pass: the run ends in "Max post-process passes exceeded". */
  unresolved: string[] | null;
  /** staticfiles.json's paths in insertion order, when the run would get that far. */
  paths: Array<[string, string]> | null;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex').slice(0, 12);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const clean = (name: string): string => name.replace(/\\/g, '/');

export function postProcess(input: PostProcessInput): PostProcessResult {
  const { files, reader } = input;
  const root = input.staticRoot ?? '/STATIC_ROOT';
  const byName = new Map(files.map((f) => [f.name, f]));
  const dirs = new Set<string>();
  for (const f of files) for (let d = f.name; d.includes('/');) dirs.add((d = d.slice(0, d.lastIndexOf('/'))));
  const adjustable = new Set(files.filter((f) => input.groups.some((g) => matchesGlob(f.name, g.glob))).map((f) => f.name));
  const depth = (n: string): number => {
    let d = 1;
    for (let i = n.indexOf('/'); i >= 0; i = n.indexOf('/', i + 1)) d++;
    return d;
  };
  const order = files
    .map((f, i) => ({ f, i, d: depth(f.name) }))
    .sort((a, b) => b.d - a.d || a.i - b.i)
    .map((x) => x.f);
  const hashedFiles = new Map<string, string>();
  const leftovers = new Set<string>();
  const sourceCache = new Map<string, Buffer | null>();
  const unreadable: CollectedFile[] = [];
  const source = (f: CollectedFile): Buffer | null => {
    if (!sourceCache.has(f.name)) {
      const bytes = reader.readSource(f.absPath);
      if (!bytes) unreadable.push(f);
      sourceCache.set(f.name, bytes);
    }
    return sourceCache.get(f.name)!;
  };

  /** FileSystemStorage.exists/open on STATIC_ROOT through safe_join: a file's bytes, a folder, or nothing. */
  const lookup = (filename: string): { bytes: Buffer } | 'dir' | null => {
    const final = normpath(filename.startsWith('/') ? filename : `${root}/${filename}`);
    if (final === root) return 'dir';
    if (!final.startsWith(`${root}/`)) {
      throw new PythonError(
        'SuspiciousFileOperation',
        `The joined path (${final}) is located outside of the base path component (${root})`,
      );
    }
    const rel = final.slice(root.length + 1);
    const f = byName.get(rel);
    if (f) {
      const bytes = source(f);
      return bytes ? { bytes } : null;
    }
    if (dirs.has(rel)) return 'dir';
    const left = reader.statLeftover(rel);
    if (!left) return null;
    leftovers.add(rel);
    if (left.isDir) return 'dir';
    const bytes = left.bytes();
    return bytes ? { bytes } : null;
  };

  /** HashedFilesMixin.hashed_name. */
  const hashedName = (name: string, content?: Buffer): string => {
    const parsed = urlsplit(unquote(name));
    const cleanName = pyStrip(parsed.path);
    if (!content) {
      const found = lookup(cleanName);
      if (!found) throw new PythonError('ValueError', `The file '${cleanName}' could not be found with ${input.storageRepr}.`);
      if (found === 'dir') return name;
      content = found.bytes;
    }
    const [dir, filename] = psplit(cleanName);
    const [stem, ext] = splitext(filename);
    const hashed = `${stem}.${md5(content)}${ext}`;
    let joined = dir ? (dir.endsWith('/') ? dir + hashed : `${dir}/${hashed}`) : hashed;
    // The @font-face hack: `font.eot?#iefix` keeps its `?`.
    if (name.includes('?#') && !parsed.query) joined += '?';
    return urlunsplit({ ...parsed, path: joined });
  };

  /** `_url(_stored_name, name, force=True, hashed_files)`: only its last path segment is used by the converter. */
  const hashedUrl = (name: string): string => {
    const [cleanName, fragment] = urldefrag(name);
    let hashed: string;
    if (urlsplit(cleanName).path.endsWith('/')) hashed = name;
    else {
      const normal = normpath(cleanName);
      hashed = hashedFiles.get(clean(normal)) ?? clean(hashedName(normal));
    }
    // FileSystemStorage.url quotes the name (`?` and `#` become part of the path) and urljoin drops dot segments.
    let url = `/${clean(hashed).replace(/^\/+/, '')}`;
    if (/\/\.\.?$/.test(url)) url = url.replace(/[^/]*$/, '');
    if (name.includes('?#')) url += '?';
    if (fragment) url += `#${fragment}`;
    return unquote(url);
  };

  const references: FileReference[] = [];
  const undecodable: CollectedFile[] = [];
  const texts = new Map<string, string | null>();
  const text = (f: CollectedFile): string | null => {
    if (!texts.has(f.name)) {
      const bytes = source(f);
      let decoded: string | null = null;
      try {
        decoded = bytes ? utf8.decode(bytes) : null;
      } catch {
        undecodable.push(f);
      }
      texts.set(f.name, decoded);
    }
    return texts.get(f.name)!;
  };
  const ctx = { django: input.django, staticUrl: input.staticUrl, groups: input.groups };

  /** What each file's rewrite asked the storage, and got: when every answer is the same again, so is its text. */
  const asked = new Map<string, Array<[string, string]>>();
  // Answers hold until a hashed name changes (then all are asked again: a name may stand behind several URLs).
  const answers = new Map<string, string>();
  const setHashed = (key: string, value: string): void => {
    if (hashedFiles.get(key) !== value) answers.clear();
    hashedFiles.set(key, value);
  };
  const answer = (name: string): string => {
    let got = answers.get(name);
    if (got !== undefined) return got;
    try {
      got = `=${hashedUrl(name)}`;
    } catch (err) {
      if (!(err instanceof PythonError)) throw err;
      got = `!${err.type}: ${err.message}`;
    }
    answers.set(name, got);
    return got;
  };

  /** One file of one pass; true when its hashed name changed. */
  const processOne = (f: CollectedFile, first: boolean): boolean => {
    const key = clean(f.name);
    const content = text(f);
    if (content === null) return false;
    const previous = asked.get(f.name);
    if (!first && previous && previous.every(([name, got]) => answer(name) === got)) return false;
    // The first pass's change is not looked at (Django ignores it), so the original's hash is not taken.
    const before = first ? null : hashedFiles.get(key);
    const heard: Array<[string, string]> = [];
    const recording = (name: string): string => {
      const got = answer(name);
      heard.push([name, got]);
      if (got.startsWith('!')) {
        const colon = got.indexOf(': ');
        throw new PythonError(got.slice(1, colon), got.slice(colon + 2));
      }
      return got.slice(1);
    };
    const result = rewriteFile(ctx, f.name, content, recording, first);
    asked.set(f.name, heard);
    if (first) for (const r of result.references) references.push({ ...r, file: f });
    const after = clean(hashedName(f.name, Buffer.from(result.text, 'utf8')));
    setHashed(key, after);
    return before !== after;
  };

  for (const f of order) {
    if (adjustable.has(f.name)) processOne(f, true);
    else if (input.manifest) {
      const bytes = source(f);
      if (bytes) setHashed(clean(f.name), clean(hashedName(f.name, bytes)));
    }
  }
  let unresolved: string[] | null = null;
  const adjustableOrder = order.filter((f) => adjustable.has(f.name));
  for (let pass = 0; pass < input.maxPasses; pass++) {
    const changed = adjustableOrder.filter((f) => processOne(f, false)).map((f) => f.name);
    unresolved = changed.length ? changed : null;
    if (!unresolved) break;
  }
  const failed = references.some((r) => r.outcome.kind === 'failed') || undecodable.length > 0 || unreadable.length > 0;
  let paths: Array<[string, string]> | null = null;
  if (input.manifest && !failed && !unresolved) {
    paths = order.filter((f) => hashedFiles.has(clean(f.name))).map((f) => [clean(f.name), hashedFiles.get(clean(f.name))!]);
  }
  return { references, undecodable, unreadable, leftovers, unresolved: unresolved ? [...unresolved].sort() : null, paths };
}

/** Python's default string order (code points), which `sorted()` uses for the manifest hash. */
export function pyCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}
