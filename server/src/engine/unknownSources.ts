/**
 * Sources of static files whose contents cannot be known: a STATICFILES_DIRS (or STATICFILES_FINDERS,
 * INSTALLED_APPS) static mode could not read, an app it could not locate, a custom finder that failed. A path
 * can be called missing only when no such source could hold it; these are said once per project (check's
 * summary, info, the report) and findings only name the one that may hold the path.
 */
import type { ProjectModel } from './model';
import { lostReadings } from './readings';

export interface UnknownSource {
  kind: 'setting' | 'app' | 'finder';
  /** In words: `STATICFILES_DIRS (settings.py line 12)`, `app 'debug_toolbar'`, a finder's class. */
  label: string;
  /** For apps: the folder names its files conventionally start with (`debug_toolbar/…`). */
  namespaces?: string[];
  /** Where the unread setting is written, when known. */
  file?: string;
  line?: number;
  reason: string;
}

/**
 * Third-party finders known to serve only their own folder: django-compressor's finder serves its output under
 * COMPRESS_OUTPUT_DIR (`CACHE/` by default) and lists nothing, so it does not make every other miss uncertain.
 */
const FINDER_NAMESPACES: Record<string, string[]> = {
  'compressor.finders.CompressorFinder': ['CACHE'],
};

/** Settings whose loss makes any path possibly provided. */
const SOURCE_SETTINGS = /^(STATICFILES_DIRS|STATICFILES_FINDERS)\b/;

export function unknownSources(model: ProjectModel): UnknownSource[] {
  const sources: UnknownSource[] = [];
  const seenSettings = new Set<string>();
  const lost = new Set(lostReadings(model));
  // Past the first point a file's reading was lost, its later ones add nothing: one label per file.
  const lostFiles = new Set<string>();
  for (const problem of model.problems) {
    if (lost.has(problem) && problem.file) {
      if (lostFiles.has(problem.file)) continue;
      lostFiles.add(problem.file);
      const label = `the settings past ${shortFile(problem.file, model.projectDir)}${problem.line !== undefined ? ` line ${problem.line + 1}` : ''}`;
      sources.push({ kind: 'setting', label, file: problem.file, line: problem.line, reason: problem.message });
      continue;
    }
    if (problem.kind !== 'setting-unreadable') continue;
    const setting = SOURCE_SETTINGS.exec(problem.message)?.[1];
    if (!setting) continue;
    const where = problem.file
      ? `${shortFile(problem.file, model.projectDir)}${problem.line !== undefined ? ` line ${problem.line + 1}` : ''}`
      : '';
    const label = where ? `${setting} (${where})` : setting;
    if (seenSettings.has(label)) continue;
    seenSettings.add(label);
    sources.push({ kind: 'setting', label, file: problem.file, line: problem.line, reason: problem.message });
  }
  for (const finder of model.finders) {
    if (finder.kind === 'app') {
      for (const app of finder.apps) {
        if (app.path !== null) continue;
        const namespaces = [...new Set([app.label, app.name.split('.').pop() ?? app.name])];
        sources.push({ kind: 'app', label: `app '${app.label}'`, namespaces, reason: app.notLocatedReason ?? 'not located' });
      }
    } else if (finder.kind === 'custom' && finder.error) {
      const namespaces = FINDER_NAMESPACES[finder.className];
      sources.push({ kind: 'finder', label: finder.className, reason: finder.error, ...(namespaces ? { namespaces } : {}) });
    }
  }
  return sources;
}

/** The unknown source that may provide `destination`, or null when every source that could is known. */
export function possibleProvider(sources: readonly UnknownSource[], destination: string): UnknownSource | null {
  const byNamespace = sources.find((s) => s.namespaces?.some((ns) => destination.startsWith(`${ns}/`)));
  if (byNamespace) return byNamespace;
  // An unread STATICFILES_DIRS entry or a finder that could not list may hold any path; an unlocated app
  // conventionally holds only its own namespace, so it does not make every miss uncertain.
  return sources.find((s) => s.kind !== 'app' && !s.namespaces) ?? null;
}

/** The unknown sources in words for a one-line summary: settings first (they make any path uncertain), then at most `limit` in all. */
export function describeUnknownSources(sources: readonly UnknownSource[], limit = 6): string {
  const ordered = [...sources.filter((s) => s.kind !== 'app'), ...sources.filter((s) => s.kind === 'app')];
  const named = ordered
    .slice(0, limit)
    .map((s) => s.label)
    .join(', ');
  return ordered.length > limit ? `${named} and ${ordered.length - limit} more (django-static info lists them)` : named;
}

function shortFile(file: string, projectDir: string): string {
  return file.startsWith(`${projectDir}/`) ? file.slice(projectDir.length + 1) : file;
}
