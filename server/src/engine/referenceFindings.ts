/**
 * Project findings that need every reference at once (templates' `{% static %}` paths and what CSS/JS
 * post-processing resolves): references whose case differs from the file on disk, which work on macOS and
 * Windows and 404 on Linux, and the project's own static files that nothing names. Templates that build paths
 * from variables are named in every such finding: what they render is not known, so "unreferenced" is a lead,
 * not a verdict. Output is bounded; third-party apps' files are left out (their templates are not read).
 */
import * as path from 'path';
import { StaticIndexApi } from './indexTypes';
import { ProjectModel } from './model';

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
  const out: ReferenceFinding[] = [];
  let lower: Map<string, string> | undefined;
  const lowerCase = (): Map<string, string> => {
    if (lower) return lower;
    lower = new Map();
    for (const p of index.allPaths()) if (!lower.has(p.toLowerCase())) lower.set(p.toLowerCase(), p);
    return lower;
  };
  const named = new Set<string>();
  const reported = new Set<string>();
  for (const n of survey.named) {
    named.add(n.path);
    if (index.get(n.path) || index.isFolder(n.path)) continue;
    const onDisk = lowerCase().get(n.path.toLowerCase());
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
  out.push(...unreferenced(model, index, survey, named));
  return out;
}

function unreferenced(model: ProjectModel, index: StaticIndexApi, survey: ReferenceSurvey, named: Set<string>): ReferenceFinding[] {
  if (survey.assetsUnknown) return [];
  const project = path.resolve(model.projectDir);
  const ours = (abs: string) => path.resolve(abs).startsWith(project + path.sep);
  const dynamic = survey.dynamicTemplates.map((t) => path.relative(project, t) || t).sort();
  const caveat = dynamic.length
    ? ` ${dynamic.length === 1 ? '1 template builds' : `${dynamic.length} templates build`} static paths from variables (${dynamic.slice(0, 3).join(', ')}${dynamic.length > 3 ? ', …' : ''}), which may name it; Python code (static(), form Media) is not read either.`
    : ' Python code (static(), form Media) is not read: check there before deleting it.';
  const out: ReferenceFinding[] = [];
  let more = 0;
  const winners = index.collectWinners().filter((w) => ours(w.absPath));
  winners.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const w of winners) {
    // A source map is fetched by the browser's developer tools for the file it maps.
    if (named.has(w.path) || (w.path.endsWith('.map') && named.has(w.path.slice(0, -4)))) continue;
    if (out.length >= MAX_UNREFERENCED_LISTED) {
      more++;
      continue;
    }
    out.push({
      code: REFERENCE_CODES.unreferenced,
      severity: 'information',
      file: w.absPath,
      line: 0,
      message: `No template, CSS or JS reference names '${w.path}'.${caveat}`,
    });
  }
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
