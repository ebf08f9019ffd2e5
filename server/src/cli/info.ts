/**
 * `django-static info [--json]`: how the project was learned and what the index sees: mode and why, Django
 * version, finders and their locations in order with file counts, STATIC_URL / STATIC_ROOT / storage,
 * duplicates, anything not located, problems and checks.
 */
import { ProjectModel } from '../engine/model';
import { StaticIndexApi, StaticSource } from '../engine/indexTypes';
import { StaticIndex } from '../engine/staticIndex';
import { loadProject } from '../engine/project';
import { describeOutside } from '../workspace/templateCoverage';
import { settingUnread } from '../engine/readings';
import { unknownSources } from '../engine/unknownSources';
import { discoverTemplatesWithCoverage, TemplateCoverage } from '../workspace/templates';
import { allowFlags, learnOptions, ParsedArgs, rootFlag } from './args';

/** Everything `info` reports, in the shape `--json` prints. */
export interface ProjectInfo {
  projectDir: string;
  managePy: string | null;
  settingsModule: string | null;
  mode: string;
  modeReason: string;
  python: string | null;
  djangoVersion: string | null;
  staticUrl: string | null;
  staticRoot: string | null;
  storage: string;
  debug: boolean | null;
  staticfilesInstalled: boolean;
  /** Of STATIC_URL, STATIC_ROOT and INSTALLED_APPS, those static mode could not read: unset means unknown there. */
  unread: string[];
  ignorePatterns: string[];
  finders: Array<{ className: string; kind: string; error?: string; locations: LocationInfo[]; appsWithoutStatic?: string[] }>;
  destinationCount: number;
  collectedCount: number;
  duplicateCount: number;
  duplicates: Array<{ path: string; sources: string[] }>;
  notLocated: Array<{ app: string; reason: string }>;
  /** Sources whose files are unknown: paths they may provide are information, not missing. */
  unknownSources: string[];
  problems: Array<{ kind: string; message: string; file?: string; line?: number }>;
  checks: ProjectModel['checks'];
  /** Templates per engine and what TEMPLATES leaves out (absent when not computed). */
  templates?: {
    engines: Array<{
      engine: string;
      backend: string;
      found: number;
      folders: string[];
      loaders: string[];
      unknownLoaders: string[];
      fallbackScan: string | null;
    }>;
    fallback: string | null;
    outside: TemplateCoverage['outside'];
  };
}

interface LocationInfo {
  label: string;
  root: string | null;
  rootAsWritten: string | null;
  prefix: string;
  /** Set when collectstatic uses another prefix for this root (Django's storage-per-root quirk). */
  collectPrefix?: string;
  files: number;
  exists: boolean;
}

export async function runInfo(args: ParsedArgs): Promise<number> {
  allowFlags(args, ['json']);
  const { model, index } = await loadProject(rootFlag(args), learnOptions(args));
  const { coverage } = await discoverTemplatesWithCoverage(model, { templateGlobs: [], ignoreGlobs: [] }, [model.projectDir]);
  const info = describeProject(model, index, coverage);
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
  return 0;
}

export function describeProject(model: ProjectModel, index: StaticIndexApi, coverage?: TemplateCoverage): ProjectInfo {
  const concrete = index instanceof StaticIndex ? index : null;
  const sourcesByRoot = new Map<string, StaticSource[]>();
  for (const s of index.sources) if (s.root) sourcesByRoot.set(s.root, [...(sourcesByRoot.get(s.root) ?? []), s]);
  const locationOf = (s: StaticSource): LocationInfo => ({
    label: s.label,
    root: s.root,
    rootAsWritten: s.rootAsWritten,
    prefix: s.prefix,
    ...(s.listPrefix !== s.prefix ? { collectPrefix: s.listPrefix } : {}),
    files: concrete ? concrete.fileCount(s) : 0,
    exists: concrete ? !concrete.missingRoots().includes(s) : true,
  });
  let next = 0;
  const finders = model.finders.map((finder) => {
    if (finder.kind === 'filesystem') {
      const locations = finder.dirs.map(() => locationOf(index.sources[next++]));
      return { className: finder.className, kind: finder.kind, locations };
    }
    if (finder.kind === 'app') {
      const withStatic = finder.apps.filter((a) => a.staticDir);
      const locations = withStatic.map(() => locationOf(index.sources[next++]));
      const appsWithoutStatic = finder.apps.filter((a) => !a.staticDir && a.path).map((a) => a.label);
      return { className: finder.className, kind: finder.kind, locations, appsWithoutStatic };
    }
    const locations = [locationOf(index.sources[next++])];
    return { className: finder.className, kind: finder.kind, locations, ...(finder.error ? { error: finder.error } : {}) };
  });
  const duplicates = index.duplicates().map((d) => ({ path: d.path, sources: d.providers.map((p) => p.source.label) }));
  const notLocated = model.finders.flatMap((f) =>
    f.kind === 'app' ? f.apps.filter((a) => !a.path).map((a) => ({ app: a.name, reason: a.notLocatedReason ?? 'not located' })) : [],
  );
  // A stopped walk is already a model problem (loadProject).
  const walkProblems = concrete
    ? concrete.problems
        .filter((p) => !model.problems.some((m) => m.message === p.message))
        .map((p) => ({ kind: p.kind, message: p.message }))
    : [];
  const missing = concrete
    ? concrete.missingRoots().map((s) => ({ kind: 'root-missing', message: `${s.label}: the folder does not exist.` }))
    : [];
  return {
    projectDir: model.projectDir,
    managePy: model.managePy,
    settingsModule: model.settingsModule,
    mode: model.mode,
    modeReason: model.modeReason,
    python: model.python,
    djangoVersion: model.djangoVersion,
    staticUrl: model.staticUrl,
    staticRoot: model.staticRoot,
    storage: model.storage,
    debug: model.debug,
    staticfilesInstalled: model.staticfilesInstalled,
    unread: INFO_SETTINGS.filter((name) => settingUnread(model, name)),
    ignorePatterns: model.ignorePatterns,
    finders,
    destinationCount: index.size,
    collectedCount: index.collectMap().size,
    duplicateCount: duplicates.length,
    duplicates,
    notLocated,
    unknownSources: unknownSources(model).map((u) => u.label),
    problems: [...model.problems, ...missing, ...walkProblems],
    checks: model.checks,
    ...(coverage
      ? {
          templates: {
            engines: coverage.engines.map((e) => ({
              engine: e.label,
              backend: e.backend,
              found: e.found,
              folders: e.folders,
              loaders: e.loaders,
              unknownLoaders: e.unknownLoaders,
              fallbackScan: e.fallbackScan,
            })),
            fallback: coverage.fallback,
            outside: coverage.outside,
          },
        }
      : {}),
  };
}

const INFO_SETTINGS = ['STATIC_URL', 'STATIC_ROOT', 'INSTALLED_APPS'];

/** "(not set)" only when the setting really is unset: an unreadable one says so. */
function settingText(value: string | null, name: string, info: ProjectInfo): string {
  if (value !== null) return value;
  return info.unread.includes(name) ? '(could not be read; see Problems)' : '(not set)';
}

const MAX_DUPLICATES_SHOWN = 20;

export function formatInfo(info: ProjectInfo): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  line(`Project:      ${info.projectDir}`);
  if (info.managePy) line(`manage.py:    ${info.managePy}`);
  line(`Settings:     ${info.settingsModule ?? '(unknown)'}`);
  line(`Mode:         ${info.mode} (${info.modeReason})`);
  line(`Django:       ${info.djangoVersion ?? '(unknown)'}${info.python ? ` via ${info.python}` : ''}`);
  line(`STATIC_URL:   ${settingText(info.staticUrl, 'STATIC_URL', info)}`);
  line(`STATIC_ROOT:  ${settingText(info.staticRoot, 'STATIC_ROOT', info)}`);
  line(`Storage:      ${info.storage}`);
  if (!info.staticfilesInstalled && !info.unread.includes('INSTALLED_APPS'))
    line('Warning:      django.contrib.staticfiles is not in INSTALLED_APPS.');
  line(`Ignored by collectstatic: ${info.ignorePatterns.map((p) => `'${p}'`).join(', ') || '(nothing)'}`);
  line();
  line('Finders, in the order Django consults them:');
  info.finders.forEach((f, i) => {
    line(`  ${i + 1}. ${f.className}${f.error ? ` (failed: ${f.error})` : ''}`);
    for (const loc of f.locations) {
      const notes = [`${loc.files} file${loc.files === 1 ? '' : 's'}`];
      if (!loc.exists) notes.push('missing');
      if (loc.collectPrefix !== undefined) notes.push(`collectstatic uses prefix '${loc.collectPrefix}' for this root`);
      const where = loc.root && !loc.label.includes(loc.root) ? ` → ${loc.root}` : '';
      line(`     ${loc.label}${where} (${notes.join(', ')})`);
    }
    if (f.locations.length === 0) line('     (no locations)');
    if (f.appsWithoutStatic?.length) line(`     apps without static/: ${f.appsWithoutStatic.join(', ')}`);
  });
  line();
  line(`Destination paths: ${info.destinationCount} found by findstatic, ${info.collectedCount} collected by collectstatic`);
  line(`Duplicates:   ${info.duplicateCount}`);
  for (const d of info.duplicates.slice(0, MAX_DUPLICATES_SHOWN)) {
    line(`  ${d.path}: ${d.sources[0]} wins over ${d.sources.slice(1).join(', ')}`);
  }
  if (info.duplicates.length > MAX_DUPLICATES_SHOWN) line(`  … and ${info.duplicates.length - MAX_DUPLICATES_SHOWN} more`);
  if (info.templates) {
    line('Templates, engine by engine in TEMPLATES order:');
    for (const e of info.templates.engines) {
      line(`  ${e.engine}: ${e.found} template${e.found === 1 ? '' : 's'}${e.loaders.length ? ` (loaders: ${e.loaders.join(', ')})` : ''}`);
      for (const folder of e.folders) line(`     ${folder}`);
      if (e.fallbackScan) line(`     also scanned the project's templates/ folders, because ${e.fallbackScan}`);
    }
    if (info.templates.engines.length === 0) line('  (no engine)');
    if (info.templates.fallback) line(`  Scanned every templates/ folder, because ${info.templates.fallback}`);
    const outside = info.templates.outside;
    if (outside.count)
      line(
        `  Not covered by TEMPLATES: ${outside.count} template-looking file${outside.count === 1 ? '' : 's'} (${describeOutside(outside)})`,
      );
  }
  if (info.unknownSources.length) {
    line(`Not known:    ${info.unknownSources.join(', ')} (paths they may provide are reported as unknown-source, not missing)`);
  }
  if (info.notLocated.length) {
    line('Not located:');
    for (const n of info.notLocated) line(`  ${n.app}: ${n.reason}`);
  }
  // Apps that could not be located are listed under "Not located" already: each problem is said once.
  const problems = info.problems.filter((p) => p.kind !== 'app-not-located');
  if (problems.length) {
    line('Problems:');
    for (const p of problems) line(`  ${p.message}${p.file ? ` (${p.file}${p.line !== undefined ? `:${p.line + 1}` : ''})` : ''}`);
  }
  if (info.checks.length) {
    line('Checks:');
    for (const c of info.checks) line(`  ${c.level.toUpperCase()} ${c.id}: ${c.message}${c.hint ? ` (${c.hint})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
