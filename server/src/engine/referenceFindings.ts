/**
 * Project findings that need every reference at once (templates' `{% static %}` paths and what CSS/JS
 * post-processing resolves): references whose case differs from the file on disk, which work on macOS and
 * Windows and 404 on Linux, and the project's own static files that nothing names. Templates that build paths
 * from variables are named in every such finding: what they render is not known, so "unreferenced" is a lead,
 * not a verdict. Output is bounded; third-party apps' files are left out (their templates are not read).
 */
import * as path from 'path';
import { FolderListing, StaticIndexApi, StaticSource } from './indexTypes';
import { ProjectModel } from './model';
import { CollectTree, collectTreeOf } from './collectTree';
import { joinRel, parentRel } from './paths';
import { atOnce } from './slices';

export const REFERENCE_CODES = {
  caseMismatch: 'static-case-mismatch',
  unreferenced: 'static-unreferenced',
} as const;

/** One static path a template or a CSS/JS file names, where it names it. */
export interface NamedPath {
  /** The destination path asked for (normalised, as the index names paths). */
  path: string;
  /** The template or CSS/JS file, and the 0-based line (computed only for a finding). */
  file: string;
  line: () => number;
}

/** Every reference of the project, and what could not be known. */
export interface ReferenceSurvey {
  named: NamedPath[];
  /** Templates with `{% static %}` paths built from variables (absolute paths). */
  dynamicTemplates: string[];
  /** Why CSS/JS references are not known (the storage could not be read...), or null. */
  assetsUnknown: string | null;
}

export interface ReferenceFinding {
  code: (typeof REFERENCE_CODES)[keyof typeof REFERENCE_CODES];
  severity: 'warning' | 'information';
  file: string;
  line: number;
  message: string;
  /** On the finding that counts the files not listed: how many. */
  more?: number;
}

/** At most this many unreferenced files are listed one by one; one more finding counts the rest. */
export const MAX_UNREFERENCED_LISTED = 50;

export function referenceFindings(model: ProjectModel, index: StaticIndexApi, survey: ReferenceSurvey): ReferenceFinding[] {
  return atOnce(referenceSteps(model, index, survey, () => collectTreeOf(index)));
}

/**
 * The same findings for the server, in slices (see inSlices): at 1M files and 2,000 templates the case
 * lookups alone ran half a second in one go. `tree` is the index's collect tree, asked for only when the
 * unreferenced files are listed.
 */
export function* referenceSteps(
  model: ProjectModel,
  index: StaticIndexApi,
  survey: ReferenceSurvey,
  tree: () => CollectTree,
): Generator<void, ReferenceFinding[]> {
  const out: ReferenceFinding[] = [];
  const named = new Set<string>();
  const reported = new Set<string>();
  // Each distinct path is looked up once: a project's references name the same files many times. The
  // lookups of the index's last run are kept where its changes since cannot have moved them.
  const spelling = carriedLookups(index);
  const listings = new Map<string, FolderListing>();
  for (const n of survey.named) {
    named.add(n.path);
    let onDisk = spelling.get(n.path);
    if (!spelling.has(n.path)) {
      onDisk = index.get(n.path) || index.isFolder(n.path) ? n.path : spelledOnDisk(index, n.path, listings);
      spelling.set(n.path, onDisk);
      yield;
    }
    const line = onDisk && onDisk !== n.path ? n.line() : -1;
    if (line < 0 || reported.has(`${n.file}:${line}:${n.path}`)) continue;
    reported.add(`${n.file}:${line}:${n.path}`);
    named.add(onDisk!);
    out.push({
      code: REFERENCE_CODES.caseMismatch,
      severity: 'warning',
      file: n.file,
      line,
      message: `'${n.path}' differs only in case from '${onDisk!}' on disk: it works on macOS and Windows (their file systems ignore case) and is a 404 on Linux, where most servers run. Write '${onDisk!}'.`,
    });
  }
  if (!survey.assetsUnknown) out.push(...(yield* unreferenced(model, tree(), survey, named)));
  return out;
}

/**
 * Per index, what the last run found each named path spelled as on disk (itself, another case, or nothing),
 * and the index generation it answers for. After a change at 1M files the run looked up every distinct path
 * again (half a second, and the garbage of a provider per path) for the one file that came or went.
 */
const lastLookups = new WeakMap<StaticIndexApi, { generation: number; spelling: Map<string, string | undefined> }>();

/**
 * The last run's lookups still true now: a path's answer moves only with a change at the same path in any
 * case (a file, or another spelling of it) or below it (a folder). None when the index cannot say what changed.
 */
function carriedLookups(index: StaticIndexApi): Map<string, string | undefined> {
  if (index.generation === undefined) return new Map();
  const last = lastLookups.get(index);
  const changes = last && index.changesSince ? index.changesSince(last.generation) : null;
  const spelling = new Map<string, string | undefined>();
  lastLookups.set(index, { generation: index.generation, spelling });
  if (!last || !changes) return spelling;
  const touched = new Set<string>();
  for (const change of changes) {
    for (let at = change.path.toLowerCase(); at !== '' && !touched.has(at); at = parentRel(at)) touched.add(at);
  }
  for (const [named, found] of last.spelling) if (!touched.has(named.toLowerCase())) spelling.set(named, found);
  return spelling;
}

/**
 * The index's path that differs from `wanted` in case only, found folder by folder (a table of every path in
 * lower case cost seconds at 1,000,000 files). When several spellings match, the first in the index's own
 * order, as a scan of every path would answer.
 */
function spelledOnDisk(index: StaticIndexApi, wanted: string, listings: Map<string, FolderListing>): string | undefined {
  const parts = wanted.toLowerCase().split('/');
  const found: string[] = [];
  const search = (folder: string, depth: number): void => {
    if (found.length > 1) return;
    let listing = listings.get(folder);
    if (!listing) listings.set(folder, (listing = index.listChildren(folder)));
    const part = parts[depth];
    const join = (name: string): string => (folder ? `${folder}/${name}` : name);
    if (depth === parts.length - 1) {
      for (const name of listing.files) if (name.toLowerCase() === part && index.get(join(name))) found.push(join(name));
      return;
    }
    for (const child of listing.folders) if (child.name.toLowerCase() === part) search(join(child.name), depth + 1);
  };
  search('', 0);
  if (found.length <= 1) return found[0];
  const lower = wanted.toLowerCase();
  for (const p of index.allPaths()) if (p.toLowerCase() === lower) return p;
  return undefined;
}

function* unreferenced(
  model: ProjectModel,
  tree: CollectTree,
  survey: ReferenceSurvey,
  named: Set<string>,
): Generator<void, ReferenceFinding[]> {
  const project = path.resolve(model.projectDir);
  const inside = project + path.sep;
  const ours = (abs: string) => abs.startsWith(inside) || path.resolve(abs).startsWith(inside);
  const dynamic = survey.dynamicTemplates.map((t) => path.relative(project, t) || t).sort();
  const caveat = dynamic.length
    ? ` ${dynamic.length === 1 ? '1 template builds' : `${dynamic.length} templates build`} static paths from variables (${dynamic.slice(0, 3).join(', ')}${dynamic.length > 3 ? ', …' : ''}), which may name it; Python code (static(), form Media) is not read either.`
    : ' Python code (static(), form Media) is not read: check there before deleting it.';
  // Whether a source's files are the project's, once per source: a path test per file cost more than the rest.
  const sourceIsOurs = new Map<StaticSource, boolean | null>();
  const oursBySource = (source: StaticSource): boolean | null => {
    let known = sourceIsOurs.get(source);
    if (known === undefined) {
      const root = source.root === null ? null : path.resolve(source.root);
      // null: ask per file (a custom finder's files, or a source whose root holds the project).
      known = root === null || (project + path.sep).startsWith(root + path.sep) ? null : ours(root + path.sep);
      sourceIsOurs.set(source, known);
    }
    return known;
  };
  // The named paths by folder, so the million files are compared by name, a folder at a time.
  const namedIn = new Map<string, Set<string>>();
  for (const p of named) {
    const folder = parentRel(p);
    let names = namedIn.get(folder);
    if (!names) namedIn.set(folder, (names = new Set()));
    names.add(p.slice(p.lastIndexOf('/') + 1));
  }
  // The first few by path and a count of the rest, without sorting every file (a million at monorepo scale).
  const first: Array<{ path: string; absPath: string }> = [];
  let total = 0;
  for (const at of tree.folders.values()) {
    if (at.parts.length === 0) continue;
    const here = namedIn.get(at.path);
    tree.forEachName(at, (part, name) => {
      // A source map is fetched by the browser's developer tools for the file it maps.
      if (here && (here.has(name) || (name.endsWith('.map') && here.has(name.slice(0, -4))))) return;
      if (!(oursBySource(part.source) ?? ours(part.absPath(name)))) return;
      total++;
      const dest = joinRel(at.path, name);
      if (first.length === MAX_UNREFERENCED_LISTED && dest >= first[first.length - 1].path) return;
      let i = first.length;
      while (i > 0 && first[i - 1].path > dest) i--;
      first.splice(i, 0, { path: dest, absPath: part.absPath(name) });
      if (first.length > MAX_UNREFERENCED_LISTED) first.pop();
    });
    yield;
  }
  const out: ReferenceFinding[] = first.map((w) => ({
    code: REFERENCE_CODES.unreferenced,
    severity: 'information',
    file: w.absPath,
    line: 0,
    message: `No template, CSS or JS reference names '${w.path}'.${caveat}`,
  }));
  const more = total - first.length;
  if (more > 0) {
    out.push({
      code: REFERENCE_CODES.unreferenced,
      severity: 'information',
      file: model.projectDir,
      line: 0,
      message: `… and ${more} more static files that no template, CSS or JS reference names (${MAX_UNREFERENCED_LISTED} listed).`,
      more,
    });
  }
  return out;
}
