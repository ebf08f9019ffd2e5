/**
 * CSS and JS references as the project's staticfiles storage post-processes them: which would fail
 * collectstatic, which import cycles end it, and the staticfiles.json it would write. The public face of
 * engine/assets; fronts (check, manifest, the language service) read only this.
 */
import * as fs from 'fs';
import * as path from 'path';
import { behaviourOf } from '../djangoVersion';
import { CollectedFolderPart, StaticIndexApi } from '../indexTypes';
import { ProjectModel } from '../model';
import { joinRel, relativeInside } from '../paths';
import { settingUnread } from '../readings';
import { assetFindingSteps, describeFailure, normalTarget } from './findings';
import type { NamedPath } from '../referenceFindings';
import { lineAt } from '../staticMode/syntax';
import { inCollectOrder } from './collectOrder';
import { matchesGlob, patternsFor } from './patterns';
import { CollectedFile, md5, postProcessSteps, PostProcessResult, pyCompare, RootReader, withHash } from './postProcess';
import { atOnce } from '../slices';
import { pyJsonString } from './python';
import { StorageTraits, storageTraits } from './storage';

export { AssetFinding, ASSET_CODES, assetFindingSteps } from './findings';
export { StorageTraits } from './storage';

/** What was predicted for one project. */
export interface AssetPrediction {
  traits: StorageTraits;
  /** Why nothing was predicted (unknown storage, custom patterns, no STATIC_URL), or null. */
  unknown: string | null;
  result: PostProcessResult | null;
  files: CollectedFile[];
  /** The storage's repr as Django's messages print it. */
  storageRepr: string;
  /** The model and index generation it was made from (a later prediction may start from it). */
  model: ProjectModel;
  generation: number | undefined;
}

export interface PredictOptions {
  /** Compute every file's hashed name (for `manifest`). */
  manifest?: boolean;
  /**
   * Walk the sources to replay collectstatic's order (default true). Without it the manifest's keys come in the
   * index's order and a chain of @imports deeper than the passes may be judged in another order than Django's.
   */
  collectOrder?: boolean;
  /** Read a source file (default: from disk); the language service passes open documents' text. */
  readSource?: (absPath: string) => Buffer | null;
  /**
   * An earlier prediction for the same project and the source files whose content changed since (absolute
   * paths). When no file came or went in between, only what the change reaches is replayed again.
   */
  previous?: AssetPrediction;
  changed?: Iterable<string>;
}

function readFile(absPath: string): Buffer | null {
  try {
    return fs.readFileSync(absPath);
  } catch {
    return null;
  }
}

/**
 * Replays collectstatic's post-processing for the project as it is now. A storage that does not hash is
 * replayed with Django's default patterns anyway: its missing references are what browsers will 404 on.
 */
export function predictAssets(model: ProjectModel, index: StaticIndexApi, options: PredictOptions = {}): AssetPrediction {
  return atOnce(predictSteps(model, index, options));
}

/**
 * predictAssets in steps (the server runs them in slices, see engine/slices.ts). The index is read a folder at
 * a time across pauses, so a file that comes or goes meanwhile makes the result not to be used (the server
 * drops it and replays again); continuing `options.previous` takes over its records (see postProcessSteps).
 */
export function* predictSteps(model: ProjectModel, index: StaticIndexApi, options: PredictOptions = {}): Generator<void, AssetPrediction> {
  const prior = reusable(model, index, options);
  const traits = prior?.traits ?? storageTraits(model);
  const storageRepr = `<${traits.className} object at 0x…>`;
  const generation = index.generation;
  const django = behaviourOf(model.djangoVersion).assets;
  const groups = patternsFor(django, traits.hashes === true && traits.jsModuleImports);
  const manifest = options.manifest === true && traits.hashes === true;
  // The manifest's key order, and whether a long @import chain settles within the passes, follow the order
  // collectstatic walks the folders in (the file system's); a missing file fails in any order. Without a
  // manifest only the post-processed files' order matters: folders that lead to none are not read.
  let files = prior?.files;
  if (!files) {
    const winners = yield* collectedFiles(index);
    const adjustable = manifest ? undefined : (name: string) => groups.some((g) => matchesGlob(name, g.glob));
    files = options.collectOrder === false ? winners : yield* inCollectOrder(index, winners, adjustable);
  }
  const base = { traits, storageRepr, files, model, generation };
  const unknown = unknownReason(model, traits);
  if (unknown) return { ...base, unknown, result: null };
  const root = model.staticRoot ? path.resolve(model.staticRoot) : null;
  const reader: RootReader = {
    readSource: options.readSource ?? readFile,
    statLeftover: (rel) => {
      if (!root) return null;
      const abs = path.join(root, rel);
      try {
        const isDir = fs.statSync(abs).isDirectory();
        return { isDir, bytes: () => readFile(abs) };
      } catch {
        return null;
      }
    },
  };
  const result = yield* postProcessSteps({
    files,
    django,
    groups,
    staticUrl: model.staticUrl!,
    staticRoot: root,
    maxPasses: traits.maxPasses,
    storageRepr,
    reader,
    manifest,
    prior: prior?.result?.memory,
    changed: prior ? names(prior, index, options.changed ?? []) : undefined,
  });
  return { ...base, unknown: null, result };
}

/**
 * What collectstatic copies, the first source's copy of each name, in the index's order: collectWinners()
 * a folder at a time (a pause after each), since building that table at once takes 0.3 s at 100k files.
 */
function* collectedFiles(index: StaticIndexApi): Generator<void, CollectedFile[]> {
  const out: CollectedFile[] = [];
  const seen = new Set<string>();
  for (const part of index.collectedFolders()) {
    for (const name of part.names) {
      const dest = joinRel(part.folder, name);
      if (seen.has(dest)) continue;
      seen.add(dest);
      out.push(new Collected(dest, part, name));
    }
    yield;
  }
  return out;
}

/**
 * A collected file whose absolute path is built when asked: each prediction keeps every collected file, and
 * their paths built at once were 10 MB at 100k files.
 */
class Collected implements CollectedFile {
  constructor(
    readonly name: string,
    private readonly part: CollectedFolderPart,
    private readonly base: string,
  ) {}

  get absPath(): string {
    return this.part.absPath(this.base);
  }
}

/** The previous prediction when it can be continued: same model, no file came or went, a replay to start from. */
function reusable(model: ProjectModel, index: StaticIndexApi, options: PredictOptions): AssetPrediction | null {
  const p = options.previous;
  if (!p?.result || p.model !== model || options.manifest) return null;
  if (p.generation === undefined || index.generation === undefined || !index.changesSince) return null;
  const moved = index.changesSince(p.generation);
  return moved !== null && moved.length === 0 ? p : null;
}

/** The collected names of changed source files (shadowed copies and other files are nobody's concern). */
function names(p: AssetPrediction, index: StaticIndexApi, changed: Iterable<string>): string[] {
  const { byName, files } = p.result!.memory;
  const custom = index.sources.some((s) => s.root === null);
  const out: string[] = [];
  for (const abs of changed) {
    const name = index.sources
      .map((s) => (s.root === null ? null : relativeInside(s.root, abs)))
      .map((rel, i) => (rel === null ? null : joinRel(index.sources[i].listPrefix, rel)))
      .find((dest) => dest !== null && byName.get(dest)?.absPath === abs);
    // A custom finder's files are wherever it says: looked for among all.
    const found = name ?? (custom ? files.find((f) => f.absPath === abs)?.name : undefined);
    if (found !== undefined) out.push(found);
  }
  return out;
}

function unknownReason(model: ProjectModel, traits: StorageTraits): string | null {
  if (traits.hashes === null)
    return `The staticfiles storage ${traits.className} could not be read (${traits.readFrom}), so what collectstatic does to CSS and JS is not predicted.`;
  if (traits.customPatterns) return `The storage ${traits.className} defines its own patterns; CSS and JS references are not predicted.`;
  if (!model.staticUrl && settingUnread(model, 'STATIC_URL'))
    return 'STATIC_URL could not be read without running the settings (the report says where), so references cannot be resolved.';
  if (!model.staticUrl) return 'STATIC_URL is not set, so references cannot be resolved (collectstatic would stop on it first).';
  return null;
}

/** Findings (one per breaking reference, cycle edge, unreadable file) for the prediction. */
export function assetFindings(prediction: AssetPrediction, readText: (absPath: string) => string | null = defaultText) {
  return atOnce(assetFindingSteps(prediction, readText));
}

function defaultText(absPath: string): string | null {
  const b = readFile(absPath);
  return b ? b.toString('utf8') : null;
}

/** The static paths the CSS/JS references name (the ones post-processing resolves), lines read only when asked. */
export function assetNamedPaths(prediction: AssetPrediction, readText: (absPath: string) => string | null = defaultText): NamedPath[] {
  const starts = new Map<string, number[]>();
  const lineOf = (absPath: string, offset: number): number => {
    let s = starts.get(absPath);
    if (!s) {
      s = [0];
      for (const m of (readText(absPath) ?? '').matchAll(/\r\n|\r|\n/g)) s.push(m.index + m[0].length);
      starts.set(absPath, s);
    }
    return lineAt(s, offset);
  };
  return (prediction.result?.references ?? []).flatMap((r): NamedPath[] =>
    r.outcome.kind === 'skipped'
      ? []
      : [{ path: normalTarget(r.outcome.target), file: r.file.absPath, line: () => lineOf(r.file.absPath, r.start) }],
  );
}

/** Changes exactly when what assetNamedPaths answers may change (paths, files, places), without reading a file. */
export function assetNamedKey(prediction: AssetPrediction): string {
  const parts = [prediction.unknown ?? ''];
  for (const r of prediction.result?.references ?? [])
    if (r.outcome.kind !== 'skipped') parts.push(`${r.file.absPath}\0${r.start}\0${r.outcome.target}`);
  return parts.join('\n');
}

/** staticfiles.json as Django writes it: json.dumps of the paths, the version and (4.2+) the hash. */
export function manifestJson(prediction: AssetPrediction, djangoVersion: string | null): string | null {
  const paths = prediction.result?.paths;
  if (!paths) return null;
  const django = behaviourOf(djangoVersion).assets;
  const dict = (entries: Array<[string, string]>): string =>
    `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonString(v)}`).join(', ')}}`;
  let out = `{"paths": ${dict(paths)}, "version": "${django.manifestVersion}"`;
  if (django.manifestHash) {
    const sorted = [...paths].sort((a, b) => pyCompare(a[0], b[0]) || pyCompare(a[1], b[1]));
    const list = `[${sorted.map(([k, v]) => `[${pyJsonString(k)}, ${pyJsonString(v)}]`).join(', ')}]`;
    out += `, "hash": "${md5(Buffer.from(list, 'utf8'))}"`;
  }
  return `${out}}`;
}

/** The staticfiles.json the next collectstatic writes, entry by entry (hashing only the files asked about). */
export interface PredictedManifest {
  /** Why the next collectstatic writes no manifest (its first failure), or null when it gets that far. */
  failure: string | null;
  /** The hashed name the manifest maps a collected name to; undefined when the manifest has no entry for it. */
  entry(name: string): string | undefined;
}

const manifests = new WeakMap<AssetPrediction, PredictedManifest>();

/**
 * The manifest a prediction implies, or null when the storage does not hash or nothing was predicted.
 * CSS and JS take their names from the replay; any other file is hashed from its bytes when first asked.
 */
export function predictedManifest(p: AssetPrediction, readSource: (absPath: string) => Buffer | null = readFile): PredictedManifest | null {
  const result = p.result;
  if (!result || p.traits.hashes !== true) return null;
  const cached = manifests.get(p);
  if (cached) return cached;
  const memory = result.memory;
  const failed = result.references.find((r) => r.outcome.kind === 'failed');
  const failure = failed
    ? `${failed.file.name}: ${describeFailure(failed)}`
    : result.undecodable.length
      ? `${result.undecodable[0].name}: UnicodeDecodeError`
      : result.unreadable.length
        ? `${result.unreadable[0].name} cannot be read`
        : result.unresolved
          ? `RuntimeError: Max post-process passes exceeded (${result.unresolved.join(', ')})`
          : null;
  const names = new Map<string, string | undefined>();
  const manifest: PredictedManifest = {
    failure,
    entry(name) {
      if (failure !== null) return undefined;
      if (names.has(name)) return names.get(name);
      const file = memory.byName.get(name);
      let hashed: string | undefined;
      if (file && memory.adjustable.has(name)) hashed = memory.history.get(name)?.at(-1)?.[1];
      else if (file) {
        const bytes = readSource(file.absPath);
        hashed = bytes ? withHash(name, bytes) : undefined;
      }
      names.set(name, hashed);
      return hashed;
    },
  };
  manifests.set(p, manifest);
  return manifest;
}

export { describeFailure };
export { AssetReading, assetFolderOf, assetReading, ReadReference, readAssetReferences, SkipReason } from './reading';
