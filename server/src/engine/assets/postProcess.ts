/**
 * HashedFilesMixin.post_process, replayed: the first pass over every collected file (deepest folders first),
 * then up to `max_post_process_passes` passes over the adjustable ones until no hashed name changes. What it
 * yields is what collectstatic does: the first failure it meets, "Max post-process passes exceeded" for an
 * import cycle, or the `paths` of staticfiles.json. Hashes are taken lazily: a file nothing references and no
 * manifest asks for is never read.
 *
 * The replay records what each file's rewrite looked up and every hashed name's history (pass by pass), so a
 * later replay after some files changed (`prior` + `changed`) re-runs only those files and the files that
 * looked them up, transitively, answering every other lookup from the history: the same result as a whole
 * replay, since a file's passes depend only on the files it reaches.
 */
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
  /** An earlier replay of the same collected files (same names, same sources) and the names whose content changed since. */
  prior?: ReplayMemory;
  changed?: Iterable<string>;
}

/**
 * What one replay recorded, for the next one. `steps` number the moments of the run: file i of the collect
 * order in pass p (0 = the first pass) is step p × files + i.
 */
export interface ReplayMemory {
  files: CollectedFile[];
  byName: Map<string, CollectedFile>;
  dirs: Set<string>;
  adjustable: Set<string>;
  /** Deepest folders first, as post_process walks them; `position` is each name's index in it. */
  order: CollectedFile[];
  adjustableOrder: CollectedFile[];
  position: Map<string, number>;
  /** What findings derive from the collected names, built once for every replay of the same files. */
  derived: { lowerCase?: Map<string, string>; names?: Set<string> };
  /** Per file, its first pass's references. */
  references: Map<string, FileReference[]>;
  /** Per file, the collected names its rewrites looked up (the dependencies), and the other way round. */
  looked: Map<string, Set<string>>;
  lookedUpBy: Map<string, Set<string>>;
  /** Per name, [step, hashed name] each time its hashed name was set, in step order. */
  history: Map<string, Array<[number, string]>>;
  /** Per later pass, the files whose hashed name changed in it. */
  changedIn: string[][];
  undecodable: Set<string>;
  /** Per file being processed, what it found unreadable, and the leftovers it used. */
  unreadableBy: Map<string, CollectedFile[]>;
  leftoversBy: Map<string, Set<string>>;
  /** Files the last replay re-ran (all of them for a whole replay). */
  replayed: number;
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
  /** What the next replay after a change starts from. */
  memory: ReplayMemory;
}

/**
 * The first 12 hex digits of the md5, as HashedFilesMixin.file_hash and the manifest's hash take them.
 * crypto is loaded on first use: most starts never hash, and loading it is a part of the start-up.
 */
export const md5 = (b: Buffer): string =>
  (require('node:crypto') as typeof import('node:crypto')).createHash('md5').update(b).digest('hex').slice(0, 12);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const clean = (name: string): string => name.replace(/\\/g, '/');

/** Files between two pauses where a step costs a glob match or a map entry per file. */
export const FILES_PER_STEP = 2048;

/** The collected files' structures a replay walks, built once per set of collected files (pausing between parts). */
function* layout(files: CollectedFile[], groups: PatternGroup[]) {
  const byName = new Map<string, CollectedFile>();
  const dirs = new Set<string>();
  const adjustable = new Set<string>();
  // Deepest folders first, in collect order within a depth (a stable sort by depth, without comparing).
  const byDepth: CollectedFile[][] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    byName.set(f.name, f);
    let depth = 1;
    for (let at = f.name.lastIndexOf('/'); at > 0; at = f.name.lastIndexOf('/', at - 1)) {
      depth++;
      const dir = f.name.slice(0, at);
      if (dirs.has(dir)) {
        for (let j = dir.indexOf('/'); j >= 0; j = dir.indexOf('/', j + 1)) depth++;
        break;
      }
      dirs.add(dir);
    }
    (byDepth[depth] ??= []).push(f);
    if (groups.some((g) => matchesGlob(f.name, g.glob))) adjustable.add(f.name);
    if (i % FILES_PER_STEP === FILES_PER_STEP - 1) yield;
  }
  const order: CollectedFile[] = [];
  for (let d = byDepth.length - 1; d > 0; d--) for (const f of byDepth[d] ?? []) order.push(f);
  yield;
  const position = new Map<string, number>();
  const adjustableOrder: CollectedFile[] = [];
  for (let i = 0; i < order.length; i++) {
    position.set(order[i].name, i);
    if (adjustable.has(order[i].name)) adjustableOrder.push(order[i]);
    if (i % FILES_PER_STEP === FILES_PER_STEP - 1) yield;
  }
  return { files, byName, dirs, adjustable, order, adjustableOrder, position, derived: {} };
}

/** HashedFilesMixin.hashed_name of a file whose content is known: the md5's first 12 digits before the extension. */
export function withHash(name: string, content: Buffer): string {
  const parsed = urlsplit(unquote(name));
  const [dir, filename] = psplit(pyStrip(parsed.path));
  const [stem, ext] = splitext(filename);
  const hashed = `${stem}.${md5(content)}${ext}`;
  let joined = dir ? (dir.endsWith('/') ? dir + hashed : `${dir}/${hashed}`) : hashed;
  // The @font-face hack: `font.eot?#iefix` keeps its `?`.
  if (name.includes('?#') && !parsed.query) joined += '?';
  return urlunsplit({ ...parsed, path: joined });
}

/** Adds (or removes) `file`'s lookups to the name → files that looked it up map. */
function linkLookups(lookedUpBy: Map<string, Set<string>>, file: string, names: Iterable<string>, add: boolean): void {
  for (const n of names) {
    let by = lookedUpBy.get(n);
    if (add) {
      if (!by) lookedUpBy.set(n, (by = new Set()));
      by.add(file);
    } else by?.delete(file);
  }
}

/** The names a change reaches: the changed files and every file that looked one of them up, transitively. */
function reached(prior: ReplayMemory, changed: Iterable<string>): Set<string> {
  const lookedUpBy = prior.lookedUpBy;
  const out = new Set<string>();
  const todo = [...changed].filter((n) => prior.byName.has(n));
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (out.has(n)) continue;
    out.add(n);
    for (const by of lookedUpBy.get(n) ?? []) if (!out.has(by)) todo.push(by);
  }
  return out;
}

/** The hashed name `history` held just before `step` (undefined: not set yet). */
function valueBefore(history: Array<[number, string]> | undefined, step: number): string | undefined {
  if (!history) return undefined;
  for (let i = history.length - 1; i >= 0; i--) if (history[i][0] < step) return history[i][1];
  return undefined;
}

/**
 * The replay, in steps: a pause after each file a pass processes (see engine/slices.ts). A replay continuing
 * `prior` takes over its records: abandoned midway, `prior` is no longer to be continued.
 */
export function* postProcessSteps(input: PostProcessInput): Generator<void, PostProcessResult> {
  const { reader, prior } = input;
  const root = input.staticRoot ?? '/STATIC_ROOT';
  const structure = prior ?? (yield* layout(input.files, input.groups));
  const { byName, dirs, adjustable, order, position } = structure;
  // A whole replay re-runs every file; after a change, only what the change reaches (the rest answers from history).
  const live = prior ? reached(prior, input.changed ?? []) : null;
  const isLive = (name: string): boolean => live === null || live.has(name);
  const N = order.length;
  let step = 0;
  let owner = '';

  const current = new Map<string, string>();
  // Continuing a replay takes over its records (the earlier prediction is not to be continued again): what the
  // files re-run recorded is dropped, the rest kept.
  const history = prior?.history ?? new Map<string, Array<[number, string]>>();
  const looked = prior?.looked ?? new Map<string, Set<string>>();
  const lookedUpBy = prior?.lookedUpBy ?? new Map<string, Set<string>>();
  const references = prior?.references ?? new Map<string, FileReference[]>();
  const undecodable = prior?.undecodable ?? new Set<string>();
  const unreadableBy = prior?.unreadableBy ?? new Map<string, CollectedFile[]>();
  const leftoversBy = prior?.leftoversBy ?? new Map<string, Set<string>>();
  for (const k of live ?? []) {
    history.delete(k);
    linkLookups(lookedUpBy, k, looked.get(k) ?? [], false);
    looked.delete(k);
    references.delete(k);
    undecodable.delete(k);
    unreadableBy.delete(k);
    leftoversBy.delete(k);
  }
  // Steps at which a name the replay does not re-run got a new hashed name: cached answers end there.
  const foreignChanges: number[] = [];
  if (prior) {
    for (const h of history.values()) h.forEach(([at, v], i) => (i === 0 || h[i - 1][1] !== v) && foreignChanges.push(at));
    foreignChanges.sort((a, b) => a - b);
  }
  let nextForeign = 0;

  const hashedOf = (key: string): string | undefined => (isLive(key) ? current.get(key) : valueBefore(history.get(key), step));
  const sourceCache = new Map<string, Buffer | null>();
  const source = (f: CollectedFile): Buffer | null => {
    if (!sourceCache.has(f.name)) {
      const bytes = reader.readSource(f.absPath);
      if (!bytes) {
        const list = unreadableBy.get(owner) ?? [];
        list.push(f);
        unreadableBy.set(owner, list);
      }
      sourceCache.set(f.name, bytes);
    }
    return sourceCache.get(f.name)!;
  };
  /** The names the answer being computed looked up (kept with it: a cached answer looked them up too). */
  let lookedNow: string[] = [];
  const look = (name: string): void => void lookedNow.push(name);
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
    look(rel);
    const f = byName.get(rel);
    if (f) {
      const bytes = source(f);
      return bytes ? { bytes } : null;
    }
    if (dirs.has(rel)) return 'dir';
    const left = reader.statLeftover(rel);
    if (!left) return null;
    const used = leftoversBy.get(owner) ?? new Set<string>();
    leftoversBy.set(owner, used.add(rel));
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
    return withHash(name, content);
  };

  /** `_url(_stored_name, name, force=True, hashed_files)`: only its last path segment is used by the converter. */
  const hashedUrl = (name: string): string => {
    const [cleanName, fragment] = urldefrag(name);
    let hashed: string;
    if (urlsplit(cleanName).path.endsWith('/')) hashed = name;
    else {
      const normal = normpath(cleanName);
      look(clean(normal));
      hashed = hashedOf(clean(normal)) ?? clean(hashedName(normal));
    }
    // FileSystemStorage.url quotes the name (`?` and `#` become part of the path) and urljoin drops dot segments.
    let url = `/${clean(hashed).replace(/^\/+/, '')}`;
    if (/\/\.\.?$/.test(url)) url = url.replace(/[^/]*$/, '');
    if (name.includes('?#')) url += '?';
    if (fragment) url += `#${fragment}`;
    return unquote(url);
  };

  const texts = new Map<string, string | null>();
  const text = (f: CollectedFile): string | null => {
    if (!texts.has(f.name)) {
      const bytes = source(f);
      let decoded: string | null = null;
      try {
        decoded = bytes ? utf8.decode(bytes) : null;
      } catch {
        undecodable.add(f.name);
      }
      texts.set(f.name, decoded);
    }
    return texts.get(f.name)!;
  };
  const ctx = { django: input.django, staticUrl: input.staticUrl, groups: input.groups };

  /** What each file's rewrite asked the storage, and got: when every answer is the same again, so is its text. */
  const asked = new Map<string, Array<[string, string]>>();
  // Answers hold until a hashed name changes (then all are asked again: a name may stand behind several URLs).
  const answers = new Map<string, { got: string; looked: string[] }>();
  const setHashed = (key: string, value: string): void => {
    if (current.get(key) !== value) answers.clear();
    current.set(key, value);
    const h = history.get(key);
    if (h) h.push([step, value]);
    else history.set(key, [[step, value]]);
  };
  /** Moves the replay to file `i` of pass `pass`; answers cached before a foreign name changed are dropped. */
  const at = (pass: number, i: number): void => {
    step = pass * N + i;
    const passed = nextForeign;
    while (nextForeign < foreignChanges.length && foreignChanges[nextForeign] < step) nextForeign++;
    if (nextForeign > passed) answers.clear();
  };
  const answer = (name: string): string => {
    let cached = answers.get(name);
    if (!cached) {
      lookedNow = [];
      let got: string;
      try {
        got = `=${hashedUrl(name)}`;
      } catch (err) {
        if (!(err instanceof PythonError)) throw err;
        got = `!${err.type}: ${err.message}`;
      }
      answers.set(name, (cached = { got, looked: lookedNow }));
    }
    let deps = looked.get(owner);
    if (!deps) looked.set(owner, (deps = new Set()));
    for (const n of cached.looked) deps.add(n);
    return cached.got;
  };

  /** One file of one pass; true when its hashed name changed. */
  const processOne = (f: CollectedFile, first: boolean): boolean => {
    const key = clean(f.name);
    owner = f.name;
    if (first) looked.delete(f.name);
    const content = text(f);
    if (content === null) return false;
    const previous = asked.get(f.name);
    if (!first && previous && previous.every(([name, got]) => answer(name) === got)) return false;
    // The first pass's change is not looked at (Django ignores it), so the original's hash is not taken.
    const before = first ? null : current.get(key);
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
    if (first)
      references.set(
        f.name,
        result.references.map((r) => ({ ...r, file: f })),
      );
    const after = clean(hashedName(f.name, Buffer.from(result.text, 'utf8')));
    setHashed(key, after);
    return before !== after;
  };

  const inOrder =
    live === null ? order : [...live].map((n) => byName.get(n)!).sort((a, b) => position.get(a.name)! - position.get(b.name)!);
  const passOrder = inOrder.filter((f) => adjustable.has(f.name));
  for (const f of inOrder) {
    at(0, position.get(f.name)!);
    owner = f.name;
    if (adjustable.has(f.name)) processOne(f, true);
    else if (input.manifest) {
      const bytes = source(f);
      if (bytes) setHashed(clean(f.name), clean(hashedName(f.name, bytes)));
    } else continue;
    yield;
  }
  let unresolved: string[] | null = null;
  const changedIn: string[][] = [];
  for (let pass = 0; pass < input.maxPasses; pass++) {
    const changed: string[] = [];
    for (const f of passOrder) {
      at(pass + 1, position.get(f.name)!);
      if (processOne(f, false)) changed.push(f.name);
      yield;
    }
    // Files not re-run changed in this pass exactly as they did before.
    for (const n of prior?.changedIn[pass] ?? []) if (!isLive(n)) changed.push(n);
    changedIn.push(changed);
    unresolved = changed.length ? changed : null;
    if (!unresolved) break;
  }
  const byOrder = (names: Iterable<string>): CollectedFile[] =>
    [...new Set(names)].map((n) => byName.get(n)!).sort((a, b) => position.get(a.name)! - position.get(b.name)!);
  const allReferences = structure.adjustableOrder.flatMap((f) => references.get(f.name) ?? []);
  const undecodableFiles = byOrder(undecodable);
  const unreadable = byOrder([...unreadableBy.values()].flatMap((l) => l.map((f) => f.name)));
  const leftovers = new Set([...leftoversBy.values()].flatMap((s) => [...s]));
  const failed = allReferences.some((r) => r.outcome.kind === 'failed') || undecodableFiles.length > 0 || unreadable.length > 0;
  const finalName = (key: string): string | undefined => (isLive(key) ? current.get(key) : history.get(key)?.at(-1)?.[1]);
  let paths: Array<[string, string]> | null = null;
  if (input.manifest && !failed && !unresolved) {
    paths = order.flatMap((f): Array<[string, string]> => {
      const hashed = finalName(clean(f.name));
      return hashed === undefined ? [] : [[clean(f.name), hashed]];
    });
  }
  for (const k of live ?? looked.keys()) linkLookups(lookedUpBy, k, looked.get(k) ?? [], true);
  const memory: ReplayMemory = {
    ...structure,
    references,
    looked,
    lookedUpBy,
    history,
    changedIn,
    undecodable,
    unreadableBy,
    leftoversBy,
    replayed: live === null ? N : live.size,
  };
  return {
    references: allReferences,
    undecodable: undecodableFiles,
    unreadable,
    leftovers,
    unresolved: unresolved ? [...unresolved].sort() : null,
    paths,
    memory,
  };
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
