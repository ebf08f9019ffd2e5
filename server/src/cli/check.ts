import { promises as fs } from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { UserError } from '../engine/model';
import { DEFAULT_SETTINGS, DjangoStaticSettings } from '../protocol';
import { createLanguageService } from '../service';
import { languageIdFor } from '../workspace/diagnosticsPublisher';
import { ProjectManager, WorkspaceProject } from '../workspace/projectManager';
import { describeOutside } from '../workspace/templateCoverage';
import { describeUnknownSources, unknownSources } from '../engine/unknownSources';
import { TemplateCoverage } from '../workspace/templates';
import { allowFlags, learnOptions, ParsedArgs, rootFlag, stringFlag } from './args';
import { plural } from '../text';
import { toSarif } from './sarif';
import { projectSettingsFindings } from './settingsFindings';
import { SettingsFinding } from '../engine/settingsChecks';
import { version } from '../../../package.json';
import { addTemplatePaths, assetCheck, layoutCheck, referenceCheck, TemplatePaths } from './checkAssets';

/** One finding, positions 1-based as editors and compilers print them. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: SeverityName;
  code: string;
  message: string;
  /** Set for findings on a settings file: the setting, and Django's own id for the same problem. */
  settings?: { setting: string; djangoId?: string };
}

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

const SEVERITY_NAMES: Record<DiagnosticSeverity, SeverityName> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** Exit code when a project has template-looking files but TEMPLATES covered none of them: nothing was checked. */
export const EXIT_NOTHING_CHECKED = 4;

/**
 * `django-static check`: the editor's diagnostics for every template of every project below the root.
 * Exit code 1 when there is at least one error, so it can gate CI; 4 when a project with template-looking
 * files had none checked (a silent "0 errors" would be a lie).
 */
export async function runCheck(args: ParsedArgs): Promise<number> {
  allowFlags(args, ['format', 'fail-on', 'project']);
  const format = stringFlag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'github' && format !== 'sarif') {
    throw new UserError(`Unknown format '${format}': use --format text, json, github or sarif.`);
  }
  const failOn = stringFlag(args, 'fail-on') ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning') throw new UserError(`Unknown --fail-on '${failOn}': use error or warning.`);
  const root = path.resolve(rootFlag(args));
  await requireFolder(root);
  const options = learnOptions(args);
  const settings: DjangoStaticSettings = {
    ...DEFAULT_SETTINGS,
    mode: options.mode ?? 'auto',
    pythonPath: options.python ?? '',
    settingsModule: options.settings ?? '',
    timeoutSeconds: options.timeoutMs ? options.timeoutMs / 1000 : DEFAULT_SETTINGS.timeoutSeconds,
  };
  const debug = !!process.env.DJANGO_STATIC_DEBUG;
  const manager = new ProjectManager({
    roots: [root],
    settings,
    trusted: true,
    log: (message) => debug && process.stderr.write(`${message}\n`),
    // --mode django means Django mode or nothing: the editor's fallback to static mode would hide the failure.
    strictMode: true,
  });
  await manager.learnAll();
  manager.dispose();
  if (settings.mode === 'django' && manager.failures.length > 0) {
    throw new UserError(manager.failures.map((f) => `${relative(f.projectDir) || '.'}: ${f.message}`).join(' '));
  }
  if (manager.projects.length === 0) {
    const reasons = manager.failures.map((f) => `${f.managePy ?? f.projectDir}: ${f.message}`);
    throw new UserError(reasons.length ? `No project could be learned. ${reasons.join(' ')}` : noProjectMessage(root));
  }

  const service = createLanguageService();
  const findings: Finding[] = [];
  let templateCount = 0;
  const checkedByProject = new Map<WorkspaceProject, Set<string>>();
  // check --project: every template's literal paths and which templates build paths from variables.
  const templatePaths = new Map<WorkspaceProject, TemplatePaths>();
  for (const project of manager.projects) {
    const paths: TemplatePaths = { named: [], dynamicTemplates: [] };
    templatePaths.set(project, paths);
    const ctx = { model: project.model, index: project.index, settings, manifest: project.manifest };
    const checked = new Set<string>();
    checkedByProject.set(project, checked);
    for (const file of project.templates) {
      const doc = await readDocument(file);
      if (!doc) continue;
      templateCount++;
      checked.add(file);
      let diagnostics: Diagnostic[];
      try {
        diagnostics = service.doValidation(doc, ctx);
      } catch (err) {
        process.stderr.write(`django-static: checking ${relative(file)} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        continue;
      }
      for (const d of diagnostics) findings.push(toFinding(file, d));
      if (args.flags.has('project')) addTemplatePaths(paths, file, service.parseTemplate(doc));
    }
    for (const f of await projectSettingsFindings(project)) findings.push(settingsFinding(f));
  }
  let assetFiles = 0;
  for (const project of manager.projects) {
    const assets = assetCheck(project.model, project.index, relative);
    findings.push(...assets.findings);
    assetFiles += assets.files;
    if (args.flags.has('project')) {
      findings.push(...layoutCheck(project.model, project.index, relative));
      findings.push(...referenceCheck(project.model, project.index, templatePaths.get(project)!, assets.prediction, relative));
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const counts = countBySeverity(findings);

  const coverage = manager.projects.map((p) => projectCoverage(p, checkedByProject.get(p) ?? new Set()));
  const unchecked = coverage.filter((c) => c.checked === 0 && c.outside.count > 0);
  if (format === 'sarif') {
    process.stdout.write(`${JSON.stringify(toSarif(findings, version), null, 2)}\n`);
  } else if (format === 'json') {
    const projects = manager.projects.map((p, i) => ({ ...projectInfo(p), coverage: coverage[i] }));
    process.stdout.write(
      `${JSON.stringify({ projects, findings, summary: { templates: templateCount, assetFiles, ...counts } }, null, 2)}\n`,
    );
  } else {
    manager.projects.forEach((p, i) => {
      for (const text of coverageLines(p, coverage[i])) process.stderr.write(`${text}\n`);
    });
    for (const failure of manager.failures) process.stderr.write(`${relative(failure.projectDir)}: not checked: ${failure.message}\n`);
    const line =
      format === 'github' ? githubAnnotation : (f: Finding) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`;
    for (const f of findings) process.stdout.write(`${line(f)}\n`);
    const settingsFiles = new Set(findings.filter((f) => f.settings).map((f) => f.file)).size;
    process.stdout.write(
      `${summaryLine(counts, templateCount, manager.projects.length, assetFiles, settingsFiles)}${modeNote(manager.projects)}\n`,
    );
  }
  if (format === 'sarif') {
    manager.projects.forEach((p, i) => {
      for (const text of coverageLines(p, coverage[i])) process.stderr.write(`${text}\n`);
    });
  }
  for (const c of unchecked) {
    process.stderr.write(
      `django-static: nothing was checked in ${c.project}: it has ${c.outside.count} template-looking file${c.outside.count === 1 ? '' : 's'} (${describeOutside(c.outside)}) but TEMPLATES covers none of them; exit code ${EXIT_NOTHING_CHECKED}.\n`,
    );
  }
  if (unchecked.length) return EXIT_NOTHING_CHECKED;
  return counts.error > 0 || (failOn === 'warning' && counts.warning > 0) ? 1 : 0;
}

interface ProjectCoverage {
  project: string;
  found: number;
  checked: number;
  engines: Array<{
    engine: string;
    backend: string;
    found: number;
    checked: number;
    loaders: string[];
    unknownLoaders: string[];
    fallbackScan: string | null;
  }>;
  fallback: string | null;
  outside: TemplateCoverage['outside'];
}

/** Templates found and checked per engine, from the workspace's coverage and what this run really read. */
function projectCoverage(p: WorkspaceProject, checked: Set<string>): ProjectCoverage {
  const engines = p.coverage.engines.map((e, i) => {
    const files = p.templates.filter((t) => p.coverage.owners.get(t) === i);
    return {
      engine: e.label,
      backend: e.backend,
      found: e.found,
      checked: files.filter((f) => checked.has(f)).length,
      loaders: e.loaders,
      unknownLoaders: e.unknownLoaders,
      fallbackScan: e.fallbackScan,
    };
  });
  return {
    project: relative(p.location.projectDir) || '.',
    found: p.templates.length,
    checked: checked.size,
    engines,
    fallback: p.coverage.fallback,
    outside: p.coverage.outside,
  };
}

/** The per-project lines on stderr: mode and why, templates per engine, fallbacks, and what TEMPLATES leaves out. */
function coverageLines(p: WorkspaceProject, c: ProjectCoverage): string[] {
  const lines: string[] = [];
  const perEngine = c.engines.map((e) => `${e.engine} ${e.found} found, ${e.checked} checked`).join('; ');
  lines.push(
    `${c.project}: ${p.model.mode} mode (${p.model.modeReason}), ${c.checked} of ${c.found} templates checked${perEngine ? ` (${perEngine})` : ''}`,
  );
  for (const e of c.engines)
    if (e.fallbackScan) lines.push(`${c.project}: ${e.engine}: also scanned the project's templates/ folders, because ${e.fallbackScan}`);
  if (c.fallback) lines.push(`${c.project}: scanned every templates/ folder, because ${c.fallback}`);
  const unknown = unknownSources(p.model);
  if (unknown.length) {
    lines.push(
      `${c.project}: not known to static mode, so paths they may provide are reported as information (unknown-source), not errors: ${describeUnknownSources(unknown)}`,
    );
  }
  if (c.outside.count) {
    lines.push(
      `${c.project}: ${c.outside.count} template-looking file${c.outside.count === 1 ? '' : 's'} outside what TEMPLATES covers, not checked: ${describeOutside(c.outside)}`,
    );
  }
  return lines;
}

/** The summary says when a project was read without running Django, and why. */
function modeNote(projects: readonly WorkspaceProject[]): string {
  const statics = projects.filter((p) => p.model.mode === 'static');
  if (statics.length === 0) return '';
  if (projects.length === 1) {
    const unknown = unknownSources(statics[0].model);
    const sources = unknown.length ? ` Not known: ${describeUnknownSources(unknown)}.` : '';
    return ` Django was not run: ${statics[0].model.modeReason}${sources}`;
  }
  return ` ${statics.length} of ${projects.length} projects read in static mode (see above).`;
}

/** A --root that does not exist, or is a file, is said as such (not as "no project found"). */
async function requireFolder(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    throw new UserError(`The folder ${dir} does not exist; pass the project folder with --root.`);
  }
  if (!stat.isDirectory()) throw new UserError(`${dir} is not a folder; pass the project folder with --root.`);
}

function noProjectMessage(root: string): string {
  return `No Django project (manage.py) found below ${root}. A project without manage.py can be checked with --settings MODULE (the dotted settings module, importable from --root).`;
}

async function readDocument(file: string): Promise<TextDocument | undefined> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return TextDocument.create(URI.file(file).toString(), languageIdFor(file), 0, text);
  } catch (err) {
    process.stderr.write(`django-static: cannot read ${relative(file)}: ${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
}

function toFinding(file: string, d: Diagnostic): Finding {
  // The first line of a multi-line message is the one-line summary a terminal wants.
  return {
    file: relative(file),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY_NAMES[d.severity ?? DiagnosticSeverity.Error],
    code: String(d.code ?? 'unknown'),
    message: (typeof d.message === 'string' ? d.message : d.message.value).split('\n')[0],
  };
}

function settingsFinding(f: SettingsFinding): Finding {
  return {
    file: relative(f.file),
    line: f.line + 1,
    column: f.startCharacter + 1,
    endLine: f.line + 1,
    endColumn: f.endCharacter + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    settings: { setting: f.setting, ...(f.djangoId ? { djangoId: f.djangoId } : {}) },
  };
}

/**
 * A GitHub Actions workflow command, so findings show on the pull request's lines. Hints and information
 * become notices. Property values and messages are escaped as the runner expects.
 */
function githubAnnotation(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const data = (value: string) => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (value: string) => data(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const where = `file=${property(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn}`;
  return `::${level} ${where},title=${property(`django-static ${f.code}`)}::${data(f.message)}`;
}

function countBySeverity(findings: Finding[]): Record<SeverityName, number> {
  const counts: Record<SeverityName, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function summaryLine(counts: Record<SeverityName, number>, templates: number, projects: number, assetFiles = 0, settingsFiles = 0): string {
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.information) parts.push(plural(counts.information, 'information', 'information'));
  if (counts.hint) parts.push(plural(counts.hint, 'hint'));
  const assets = assetFiles ? ` and ${plural(assetFiles, 'CSS/JS file')} with references` : '';
  const settings = settingsFiles ? ` and ${plural(settingsFiles, 'settings file')}` : '';
  return `${parts.join(', ')} in ${plural(templates, 'template')}${assets}${settings} (${plural(projects, 'project')}).`;
}

function projectInfo(p: WorkspaceProject): Record<string, unknown> {
  return {
    projectDir: p.location.projectDir,
    managePy: p.location.managePy,
    mode: p.model.mode,
    modeReason: p.model.modeReason,
    templates: p.templates.length,
  };
}

function relative(file: string): string {
  return path.relative(process.cwd(), file);
}
