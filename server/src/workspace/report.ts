import * as path from 'path';
import { CollectStats, StaticSource } from '../engine/indexTypes';
import { FinderEntry, ProjectModel } from '../engine/model';
import { settingUnread } from '../engine/readings';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { sourceShares } from '../engine/sourceShares';
import { ProjectSummary, StaticFileFindings, StaticFileItem, StaticFileSource, StaticFilesReport } from '../protocol';
import { WorkspaceProject } from './projectManager';
import { describeOutside } from './templateCoverage';
import { unknownSources } from '../engine/unknownSources';
import { layoutFindings } from '../engine/staticLayout';
import { AssetPrediction, assetNamedPaths } from '../engine/assets';
import {
  MAX_UNREFERENCED_LISTED,
  REFERENCE_CODES,
  ReferenceFinding,
  ReferenceSurvey,
  referenceFindings,
  referenceSteps,
} from '../engine/referenceFindings';
import { collectTreeFor } from '../engine/collectTree';
import { inSlices } from '../engine/slices';
import type { TemplateSurvey } from './diagnosticsPublisher';
import { describeMode, escapeMarkdown, markdownCode, plural } from '../text';

/** How many duplicates the report lists before summarising the rest. */
const MAX_DUPLICATES_LISTED = 50;
/** How many paths each list of a report filtered to one source shows before summarising the rest. */
const MAX_SOURCE_PATHS_LISTED = 500;

/**
 * What the workspace check recorded for the findings that need every reference: the templates' survey (null
 * until every template was checked) and the last CSS/JS replay (undefined before it; a sentence when the
 * server does not replay the project).
 */
export interface ReferenceRecords {
  templates: TemplateSurvey | null;
  assets: AssetPrediction | string | undefined;
}

/** The reference findings, as `check --project` computes them, or null while a record is pending. */
interface ReferenceOutcome {
  findings: ReferenceFinding[];
  /** Why unreferenced files are not listed (CSS/JS references unknown), or null. */
  assetsUnknown: string | null;
}

/** The survey the reference findings read, and why CSS/JS references are unknown; null while a record is pending. */
function surveyOf(records: ReferenceRecords | undefined): { survey: ReferenceSurvey; assetsUnknown: string | null } | null {
  if (!records?.templates || records.assets === undefined) return null;
  const assets = records.assets;
  const assetsUnknown = typeof assets === 'string' ? assets : assets.unknown;
  const named = typeof assets === 'string' ? records.templates.named : [...records.templates.named, ...assetNamedPaths(assets)];
  return { survey: { named, dynamicTemplates: records.templates.dynamicTemplates, assetsUnknown }, assetsUnknown };
}

function referenceOutcome(project: WorkspaceProject, records: ReferenceRecords | undefined): ReferenceOutcome | null {
  const read = surveyOf(records);
  return read && { findings: referenceFindings(project.model, project.index, read.survey), assetsUnknown: read.assetsUnknown };
}

/** How long the server's summary work runs before other messages get through. */
const SUMMARY_SLICE_MS = 10;

/**
 * summarize() for the server: the collect counts and the reference findings (the case lookups, the
 * unreferenced-files pass over the collect tree) run in slices with the event loop free between them.
 * Undefined once `stale()` says the records or the index changed meanwhile.
 */
export async function summarizeInSlices(
  project: WorkspaceProject,
  records: ReferenceRecords | undefined,
  stale: () => boolean,
): Promise<ProjectSummary | undefined> {
  const { model, index } = project;
  const generation = index.generation;
  const moved = () => stale() || index.generation !== generation;
  // The counts first (a pass over every collected folder), so that summaryWith only reads them.
  if (!(await inSlices(countsThen(index), SUMMARY_SLICE_MS, moved))) return undefined;
  const read = surveyOf(records);
  if (!read) return summaryWith(project, null);
  const tree = read.assetsUnknown ? null : await collectTreeFor(index);
  if (moved()) return undefined;
  const findings = await inSlices(
    referenceSteps(model, index, read.survey, () => tree!),
    SUMMARY_SLICE_MS,
    moved,
  );
  return findings && summaryWith(project, { findings, assetsUnknown: read.assetsUnknown });
}

function* countsThen(index: WorkspaceProject['index']): Generator<void, true> {
  yield* index.collectStatsSteps(MAX_DUPLICATES_LISTED);
  return true;
}

export function summarize(project: WorkspaceProject, records?: ReferenceRecords): ProjectSummary {
  return summaryWith(project, referenceOutcome(project, records));
}

function summaryWith(project: WorkspaceProject, references: ReferenceOutcome | null): ProjectSummary {
  const { model, index } = project;
  const stats = index.collectStats(MAX_DUPLICATES_LISTED);
  return {
    projectDir: model.projectDir,
    managePy: model.managePy,
    mode: model.mode,
    modeReason: model.modeReason,
    refining: project.stage !== 'final',
    python: model.python,
    djangoVersion: model.djangoVersion,
    staticUrl: model.staticUrl,
    staticRoot: model.staticRoot,
    storage: model.storage,
    fileCount: index.size,
    collectedCount: stats.collected,
    duplicateCount: stats.duplicateCount,
    templateCount: project.templates.length,
    uncoveredTemplateCount: project.coverage.outside.count,
    unknownSources: unknownSources(model).map((u) => u.label),
    referenceFindings: references && {
      caseMismatches: references.findings.filter((f) => f.code === REFERENCE_CODES.caseMismatch).length,
      unreferenced: references.assetsUnknown
        ? null
        : references.findings.filter((f) => f.code === REFERENCE_CODES.unreferenced).reduce((n, f) => n + (f.more ?? 1), 0),
    },
    reportMarkdown: reportMarkdown(project, stats, references),
  };
}

/** Every collected path with its winner, for the Find Static File picker. */
export function listStaticFiles(project: WorkspaceProject): StaticFileItem[] {
  const items = project.index
    .collectWinners()
    .map((w) => ({ path: w.path, absPath: w.absPath, source: w.source.shortLabel, shadowed: w.copies - 1 }));
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The sources collectstatic sees for one destination, in finder order; the first is the one it copies. */
export function fileSources(project: WorkspaceProject, destination: string): StaticFileSource[] {
  const providers = project.index.get(destination)?.providers.filter((p) => !p.ignored) ?? [];
  return providers.map((p, i) => ({ absPath: p.absPath, source: p.source.shortLabel, collected: i === 0 }));
}

/**
 * Published diagnostics counted per static file: template findings by the path they are about
 * (`data.path`), CSS/JS findings by the file they are in. Findings about no path (a missing `{% load %}`)
 * are left out: no file shows them.
 */
export function countFindings(published: Iterable<{ file: string; templates: Diagnostic[]; assets: Diagnostic[] }>): StaticFileFindings[] {
  const byPath = new Map<string, StaticFileFindings>();
  const byFile = new Map<string, StaticFileFindings>();
  const add = (counts: StaticFileFindings, d: Diagnostic) => {
    if (d.severity === DiagnosticSeverity.Error) counts.errors++;
    else if (d.severity === DiagnosticSeverity.Warning) counts.warnings++;
    else counts.others++;
  };
  const entry = (map: Map<string, StaticFileFindings>, key: string, make: () => StaticFileFindings) => {
    let counts = map.get(key);
    if (!counts) map.set(key, (counts = make()));
    return counts;
  };
  for (const { file, templates, assets } of published) {
    for (const d of templates) {
      const path = (d.data as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string')
        add(
          entry(byPath, path, () => ({ path, errors: 0, warnings: 0, others: 0 })),
          d,
        );
    }
    for (const d of assets)
      add(
        entry(byFile, file, () => ({ absPath: file, errors: 0, warnings: 0, others: 0 })),
        d,
      );
  }
  return [...byPath.values(), ...byFile.values()];
}

/**
 * The report of `project`, filtered to the source with `sourceOrder` when there is one: what it provides,
 * the copies it hides and those of its own hidden by earlier sources. An order the project no longer has
 * (the settings changed since the lens was drawn) gives the whole report, saying so.
 */
export function projectReport(
  project: Pick<WorkspaceProject, 'model' | 'index'>,
  wholeMarkdown: string,
  sourceOrder?: number | null,
): StaticFilesReport {
  const projectDir = project.model.projectDir;
  if (sourceOrder === undefined || sourceOrder === null) return { projectDir, markdown: wholeMarkdown, filteredTo: null };
  const source = project.index.sources.find((s) => s.order === sourceOrder);
  if (!source) {
    const note = `> The source this report was to be filtered to (number ${sourceOrder + 1} in finder order) is no longer one of the project's: showing everything.`;
    return { projectDir, markdown: `${note}\n\n${wholeMarkdown}`, filteredTo: null };
  }
  return { projectDir, markdown: sourceReportMarkdown(project, source), filteredTo: source.label };
}

function sourceReportMarkdown(project: Pick<WorkspaceProject, 'model' | 'index'>, source: StaticSource): string {
  const share = sourceShares(project.index).get(source.order)!;
  const hidden = share.shadows.reduce((n, s) => n + s.hidden.length, 0);
  const lines: string[] = [`# Django Static Files: ${escapeMarkdown(project.model.projectDir)}`, ''];
  lines.push(`**Filtered to** ${escapeMarkdown(source.label)}: source ${source.order + 1} in finder order.`, '');
  lines.push(
    `- provides ${plural(share.provides.length, 'file')} to collectstatic`,
    `- shadows ${plural(hidden, 'copy', 'copies')} of later sources (${plural(share.shadows.length, 'path')})`,
    `- shadowed by earlier sources at ${plural(share.shadowedBy.length, 'path')}`,
    '',
  );
  const capped = <T>(items: T[], line: (item: T) => string): string[] => {
    const shown = items.slice(0, MAX_SOURCE_PATHS_LISTED).map(line);
    if (items.length > shown.length) shown.push(`- … and ${items.length - shown.length} more`);
    return shown.length ? shown : ['- none'];
  };
  const losing = new Set(share.shadowedBy.map((s) => s.path));
  lines.push(`## Files it provides (${share.provides.length})`, '');
  lines.push(...capped(share.provides, (p) => `- ${code(p)}${losing.has(p) ? ' (shadowed: not collected from here)' : ''}`), '');
  lines.push(`## What it shadows (${share.shadows.length})`, '');
  for (const line of capped(share.shadows, (s) => `- ${code(s.path)}: collected from here; hidden: ${s.hidden.map(where).join(', ')}`))
    lines.push(line);
  lines.push('', `## What shadows it (${share.shadowedBy.length})`, '');
  lines.push(
    ...capped(share.shadowedBy, (s) => `- ${code(s.path)}: ${where(s.winner)} is collected instead of ${code(s.own.absPath)}`),
    '',
  );
  return lines.join('\n');
}

function where(provider: { absPath: string; source: StaticSource }): string {
  return `${code(provider.absPath)} (${escapeMarkdown(provider.source.label)})`;
}

function reportMarkdown(project: WorkspaceProject, stats: CollectStats, references: ReferenceOutcome | null): string {
  const { model, index } = project;
  const lines: string[] = [];
  // Everything from the project is escaped: a message naming `__init__` must not turn bold.
  lines.push(`# Django Static Files: ${escapeMarkdown(model.projectDir)}`, '');
  lines.push(`- **Mode:** ${escapeMarkdown(describeMode(model.mode, model.modeReason))}`);
  if (model.managePy) lines.push(`- **manage.py:** ${code(model.managePy)}`);
  lines.push(
    `- **Settings:** ${code(model.settingsModule)}${model.settingsFiles.length ? ` (${model.settingsFiles.map(code).join(', ')})` : ''}`,
  );
  lines.push(`- **Python:** ${code(model.python)}, **Django:** ${model.djangoVersion ?? 'unknown'}`);
  lines.push(
    `- **STATIC_URL:** ${setting(model, 'STATIC_URL', model.staticUrl)}, **STATIC_ROOT:** ${setting(model, 'STATIC_ROOT', model.staticRoot)}`,
  );
  lines.push(`- **Storage:** ${code(model.storage)}${model.manifestStorage ? ' (hashed names via manifest)' : ''}`);
  if (project.manifest) lines.push(`- **Manifest:** ${project.manifest.size} entries in STATIC_ROOT/staticfiles.json`);
  lines.push(`- **Ignore patterns:** ${model.ignorePatterns.map(code).join(', ')}`);
  // Said here once rather than on every hover.
  lines.push(
    '- **Served:** by the development server only with DEBUG=True (or `runserver --insecure`); in production from STATIC_ROOT, after collectstatic',
  );
  lines.push('');

  const counts = new Map(stats.perSource.map((count, order) => [order, count]));
  lines.push('## Finders and locations, in the order Django consults them', '');
  model.finders.forEach((finder, i) => {
    lines.push(`${i + 1}. ${code(finder.className)}`);
    for (const line of finderLocations(finder, index.sources, counts)) lines.push(`   - ${line}`);
  });
  lines.push('');

  lines.push('## Counts', '');
  lines.push(`- ${index.size} static paths findable, ${stats.collected} collected by collectstatic`);
  lines.push(`- ${plural(stats.duplicateCount, 'path')} provided by more than one location`);
  lines.push(`- ${plural(project.templates.length, 'template')} in the workspace`);
  const unknown = unknownSources(model);
  if (unknown.length)
    lines.push(
      `- **not known to static mode** (paths they may provide are information, not errors): ${escapeMarkdown(unknown.map((u) => u.label).join(', '))}`,
    );
  lines.push(`- learned and indexed in ${project.learnMs} ms`);
  lines.push('');

  lines.push('## Templates, engine by engine in TEMPLATES order', '');
  for (const engine of project.coverage.engines) {
    lines.push(
      `- ${escapeMarkdown(engine.label)}: ${plural(engine.found, 'template')}${engine.loaders.length ? ` (loaders: ${engine.loaders.map(code).join(', ')})` : ''}`,
    );
    for (const folder of engine.folders) lines.push(`  - ${code(folder)}`);
    if (engine.fallbackScan)
      lines.push(`  - also scanned the project's \`templates/\` folders, because ${escapeMarkdown(engine.fallbackScan)}`);
  }
  if (project.coverage.engines.length === 0) lines.push('- no engine');
  if (project.coverage.fallback) lines.push(`- every \`templates/\` folder scanned, because ${escapeMarkdown(project.coverage.fallback)}`);
  const outside = project.coverage.outside;
  if (outside.count)
    lines.push(
      `- **not covered by TEMPLATES, not checked:** ${plural(outside.count, 'template-looking file')} (${escapeMarkdown(describeOutside(outside))})`,
    );
  lines.push('');

  if (stats.duplicateCount > 0) {
    lines.push('## Duplicates (first location wins)', '');
    for (const entry of stats.duplicates) {
      const [winner, ...shadowed] = entry.providers.filter((p) => !p.ignored);
      if (!winner) continue;
      lines.push(`- ${code(entry.path)}: **winner** ${code(winner.absPath)} (${escapeMarkdown(winner.source.label)})`);
      for (const loser of shadowed) lines.push(`  - shadowed: ${code(loser.absPath)} (${escapeMarkdown(loser.source.label)})`);
    }
    if (stats.duplicateCount > stats.duplicates.length) lines.push(`- … and ${stats.duplicateCount - stats.duplicates.length} more`);
    lines.push('');
  }

  lines.push(...projectFindingLines(project, references));

  const notLocated = model.finders.flatMap((f) => (f.kind === 'app' ? f.apps.filter((a) => a.path === null) : []));
  if (notLocated.length > 0 || model.problems.length > 0) {
    lines.push('## Not located or not understood', '');
    for (const app of notLocated) lines.push(`- app ${code(app.name)}: ${escapeMarkdown(app.notLocatedReason ?? 'not located')}`);
    for (const problem of model.problems) {
      const where = problem.file ? ` (${code(`${problem.file}${problem.line !== undefined ? `:${problem.line + 1}` : ''}`)})` : '';
      lines.push(`- ${problem.kind}: ${escapeMarkdown(problem.message)}${where}`);
    }
    lines.push('');
  }
  if (model.checks.length > 0) {
    lines.push('## System checks', '');
    for (const check of model.checks)
      lines.push(
        `- ${check.level} ${check.id}: ${escapeMarkdown(check.message)}${check.hint ? ` (hint: ${escapeMarkdown(check.hint)})` : ''}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}

function finderLocations(finder: FinderEntry, sources: readonly StaticSource[], counts: Map<number, number>): string[] {
  const countOf = (source: StaticSource | undefined): string =>
    source ? `, ${plural(counts.get(source.order) ?? 0, 'file')} collected` : '';
  switch (finder.kind) {
    case 'filesystem':
      if (finder.dirs.length === 0) return ['no STATICFILES_DIRS'];
      return finder.dirs.map((dir, i) => {
        const source = sources.find((s) => s.finder === 'filesystem' && s.root === dir.root && s.prefix === dir.prefix);
        const prefix = dir.prefix ? ` prefix ${code(dir.prefix)}` : '';
        return `STATICFILES_DIRS[${i}]${prefix} → ${code(dir.root)}${countOf(source)}`;
      });
    case 'app':
      return finder.apps.map((app) => {
        if (app.path === null) return `app ${code(app.label)}: not located (${escapeMarkdown(app.notLocatedReason ?? 'unknown')})`;
        if (app.staticDir === null) return `app ${code(app.label)}: no static folder`;
        const source = sources.find((s) => s.finder === 'app' && s.root === app.staticDir);
        return `app ${code(app.label)} → ${code(app.staticDir)}${countOf(source)}`;
      });
    case 'custom':
      return [`${plural(finder.files.length, 'file')} listed${finder.error ? `; error: ${escapeMarkdown(finder.error)}` : ''}`];
  }
}

function code(value: string | null | undefined): string {
  return value ? markdownCode(value) : '_unset_';
}

/** A setting's value; unread is not unset (see settingUnread). */
function setting(model: ProjectModel, name: string, value: string | null): string {
  return value === null && settingUnread(model, name) ? '_not read (see Problems)_' : code(value);
}

/** How many layout findings the report lists before counting the rest. */
const MAX_LAYOUT_LISTED = 20;

/**
 * The layout findings (cheap: a folder listing per app), then those that need every reference, from what the
 * workspace check recorded: pending until it has read every template and replayed the CSS and JS.
 */
function projectFindingLines(project: WorkspaceProject, references: ReferenceOutcome | null): string[] {
  const found = layoutFindings(project.model, project.index);
  const lines = ['## Project findings', ''];
  if (found.length === 0)
    lines.push('- layout: no file outside its app folder, no folder reached twice, STATIC_ROOT apart from the sources');
  for (const f of found.slice(0, MAX_LAYOUT_LISTED)) lines.push(`- ${code(f.code)} ${code(f.path)}: ${escapeMarkdown(f.message)}`);
  if (found.length > MAX_LAYOUT_LISTED) lines.push(`- … and ${found.length - MAX_LAYOUT_LISTED} more`);
  if (!references) {
    lines.push(
      `- references whose case differs from the file on disk (${code(REFERENCE_CODES.caseMismatch)}) and static files no reference names (${code(REFERENCE_CODES.unreferenced)}): pending, the workspace check has not read every template and CSS/JS file yet`,
      '',
    );
    return lines;
  }
  const where = (f: ReferenceFinding): string =>
    f.more !== undefined
      ? ''
      : ` ${code(`${path.relative(project.model.projectDir, f.file) || f.file}${f.code === REFERENCE_CODES.caseMismatch ? `:${f.line + 1}` : ''}`)}`;
  const cases = references.findings.filter((f) => f.code === REFERENCE_CODES.caseMismatch);
  if (cases.length === 0) lines.push(`- ${code(REFERENCE_CODES.caseMismatch)}: no reference differs in case from the file on disk`);
  // As many as the unreferenced list: a case mismatch per reference could otherwise run to thousands.
  for (const f of cases.slice(0, MAX_UNREFERENCED_LISTED)) lines.push(`- ${code(f.code)}${where(f)}: ${escapeMarkdown(f.message)}`);
  if (cases.length > MAX_UNREFERENCED_LISTED) lines.push(`- … and ${cases.length - MAX_UNREFERENCED_LISTED} more`);
  const unreferenced = references.findings.filter((f) => f.code === REFERENCE_CODES.unreferenced);
  if (references.assetsUnknown)
    lines.push(
      `- ${code(REFERENCE_CODES.unreferenced)}: not listed, CSS and JS references are not known (${escapeMarkdown(references.assetsUnknown)})`,
    );
  else if (unreferenced.length === 0)
    lines.push(`- ${code(REFERENCE_CODES.unreferenced)}: every static file of the project is named by a reference`);
  for (const f of unreferenced) lines.push(`- ${code(f.code)}${where(f)}: ${escapeMarkdown(f.message)}`);
  lines.push('');
  return lines;
}
