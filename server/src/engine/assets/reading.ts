/**
 * One CSS or JS file's references as the project's storage reads them, for the editor: the replay's own
 * patterns and `url_converter`, without hashing. Nothing is looked up here: the caller asks its index about
 * the name each reference looks up, so an open document is read alone, not with the whole project.
 */
import { behaviourOf } from '../djangoVersion';
import { ProjectModel } from '../model';
import { matchesGlob, patternsFor, ReferenceKind } from './patterns';
import { normpath, pyStrip, unquote, urldefrag, urlsplit } from './python';
import { rewriteFile, RewriteContext, SkipReason, targetOf } from './rewrite';
import { storageTraits, StorageTraits } from './storage';

export type { SkipReason } from './rewrite';

/** How the project's storage reads the file collected as `name`. */
export interface AssetReading {
  /** The file's destination path (prefix included). */
  name: string;
  rewrite: RewriteContext;
  traits: StorageTraits;
  /** Changes whenever what the file's references mean does (for caches of parsed documents). */
  key: string;
}

/** One reference of the file, with what the storage does with it. */
export interface ReadReference {
  kind: ReferenceKind;
  /** The URL as Django's pattern captured it (quotes and spaces included when the pattern takes them). */
  url: string;
  /** UTF-16 offsets of the URL in the text (the whole match when the URL came from an earlier pattern's rewrite). */
  start: number;
  end: number;
  /** Set when collectstatic leaves the URL as written. */
  skipped?: SkipReason;
  /** Otherwise the name it looks up below STATIC_ROOT (may climb out or be absolute: Django then raises). */
  lookupPath?: string;
}

interface ProjectReading {
  traits: StorageTraits;
  rewrite: RewriteContext;
}

/** Per model: the storage is read once (static mode reads a subclass's source) and the patterns compiled once. */
const readings = new WeakMap<ProjectModel, ProjectReading | null>();

function projectReading(model: ProjectModel): ProjectReading | null {
  let reading = readings.get(model);
  if (reading === undefined) {
    const traits = storageTraits(model);
    const django = behaviourOf(model.djangoVersion).assets;
    // Unknown is not missing: a class with its own patterns matches what we cannot say, and without
    // STATIC_URL Django stops before post-processing.
    reading =
      traits.customPatterns || !model.staticUrl
        ? null
        : {
            traits,
            rewrite: { django, staticUrl: model.staticUrl, groups: patternsFor(django, traits.hashes === true && traits.jsModuleImports) },
          };
    readings.set(model, reading);
  }
  return reading;
}

/** How the storage reads the file collected as `name`, or null when it reads no references there (or we cannot tell). */
export function assetReading(model: ProjectModel, name: string): AssetReading | null {
  const project = projectReading(model);
  if (!project || !project.rewrite.groups.some((g) => matchesGlob(name, g.glob))) return null;
  const { traits, rewrite } = project;
  const key = [name, model.djangoVersion, rewrite.staticUrl, traits.className, traits.hashes, traits.jsModuleImports].join('\0');
  return { name, rewrite, traits, key };
}

/** Every reference the storage's patterns find in `text`, in the order post-processing meets them. */
export function readAssetReferences(reading: AssetReading, text: string): ReadReference[] {
  // The identity stands in for the hashed name: the patterns after the first see the URLs as written.
  const { references } = rewriteFile(reading.rewrite, reading.name, text, (target) => target);
  return references.map((r) => {
    const base = { kind: r.kind, url: r.url, start: r.start, end: r.end };
    if (r.outcome.kind === 'skipped') return { ...base, skipped: r.outcome.reason };
    return { ...base, lookupPath: lookedUp(r.outcome.target) };
  });
}

/**
 * The folder below STATIC_ROOT that a URL typed up to its last slash (`../img/`, `/static/`, ``) names, or
 * null when the storage would leave such a URL alone (a scheme, outside STATIC_URL) or it leaves the root.
 */
export function assetFolderOf(reading: AssetReading, folderPart: string): string | null {
  // A file name after the slash makes it a URL the converter takes (an empty one is a fragment-only URL).
  const found = targetOf(reading.rewrite, reading.name, `${folderPart}x`);
  if (found.kind !== 'target') return null;
  const file = lookedUp(unquote(found.target));
  if (file.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(file)) return null;
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The name `_url` → `hashed_name` looks up for a converter's target: defragged, normalised, unquoted, stripped. */
function lookedUp(target: string): string {
  return pyStrip(urlsplit(unquote(normpath(urldefrag(target)[0]))).path);
}
