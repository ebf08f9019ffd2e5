import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  AppEntry,
  CheckMessage,
  CustomFinderFile,
  DEFAULT_IGNORE_PATTERNS,
  FinderEntry,
  Problem,
  ProjectModel,
  StorageClassReport,
  StaticDirEntry,
  TemplateEngine,
} from './model';
import { projectEnvironment } from './dotenv';
import { runProcess } from './processes';

export const DEFAULT_TIMEOUT_MS = 15000;

/** What Django mode needs: a located project, a settings module and an interpreter that imports Django. */
export interface DjangoModeInput {
  projectDir: string;
  /**
   * When set, manage.py runs first, as `manage.py findstatic` would, so its sys.path and environment set-up
   * apply; the helper takes over where it hands over to Django's command line.
   */
  managePy: string | null;
  /** Null lets manage.py choose (its setdefault call may be computed); the report says which one it used. */
  settingsModule: string | null;
  python: string;
  /** Extra environment, merged over process.env and the project's `.env`. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export type DjangoModeResult = { ok: true; model: ProjectModel } | { ok: false; reason: string; problem: Problem };

/**
 * Runs the bundled helper with the project's interpreter and turns its report into a ProjectModel.
 * Never throws for project failures: a failing settings file, a crash or a timeout comes back as a reason.
 */
export async function runDjangoMode(input: DjangoModeInput): Promise<DjangoModeResult> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const helper = helperScriptPath();
  if (!helper) return failure('helper-missing', 'the bundled helper introspect.py could not be found');
  const env: NodeJS.ProcessEnv = {
    ...(await projectEnvironment(input.projectDir, input.env)),
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  if (input.settingsModule) env.DJANGO_SETTINGS_MODULE = input.settingsModule;
  const args = input.managePy ? [helper, '--manage', input.managePy] : [helper];
  const result = await runProcess(input.python, args, { cwd: input.projectDir, env, timeoutMs });
  if (result.spawnError) return failure('python-failed', `${input.python} could not be started (${result.spawnError})`);
  if (result.timedOut) {
    return escapedNote(
      failure('python-timeout', `running the settings took longer than ${formatSeconds(timeoutMs)} and was stopped`),
      result.escaped,
    );
  }
  if (result.outputLimit)
    return escapedNote(
      failure('python-failed', 'the Django helper printed more output than a report can hold and was stopped'),
      result.escaped,
    );
  const report = parseReport(result.stdout);
  if (!report) {
    const detail = lastLines(result.stderr) || `exit code ${result.code ?? result.signal}`;
    return failure('python-failed', `the Django helper gave no report (${detail})`);
  }
  if (isErrorReport(report)) {
    const { type, message, file, line } = report.error;
    const failed = failure('settings-failed', `running the settings failed: ${type}: ${firstLine(message)}`);
    if (!failed.ok && typeof file === 'string') {
      failed.problem.file = file;
      if (typeof line === 'number' && line >= 1) failed.problem.line = line - 1;
    }
    return escapedNote(failed, result.escaped);
  }
  const model = toProjectModel(report, input);
  return escapedNote({ ok: true, model }, result.escaped);
}

/**
 * Says when the settings started processes that left the helper's process group (a daemon): they were
 * ended, but a settings module doing that is worth knowing about.
 */
function escapedNote(result: DjangoModeResult, escaped: number[] | undefined): DjangoModeResult {
  if (!escaped?.length) return result;
  const problem: Problem = {
    kind: 'python-escaped',
    message: `Running the settings started ${escaped.length === 1 ? 'a process' : `${escaped.length} processes`} (pid ${escaped.join(', ')}) that left the helper's process group; ${escaped.length === 1 ? 'it was' : 'they were'} stopped when the helper finished.`,
  };
  if (result.ok) result.model.problems.push(problem);
  else result.problem.message += ` ${problem.message}`;
  return result;
}

function failure(kind: string, reason: string): DjangoModeResult {
  return { ok: false, reason, problem: { kind, message: capitalise(reason) + '.' } };
}

/** The helper script: beside the bundle (`dist/python/`), else found by walking up to `server/python/`. */
export function helperScriptPath(): string | null {
  const bundled = path.join(__dirname, 'python', 'introspect.py');
  if (existsSync(bundled)) return bundled;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'server', 'python', 'introspect.py');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

interface ErrorReport {
  /** `file`/`line` (1-based): the innermost frame inside the project, when the error arose there. */
  error: { type: string; message: string; traceback?: string; file?: unknown; line?: unknown };
}

type Report = Record<string, unknown>;

function parseReport(stdout: string): Report | null {
  // The helper prints exactly one JSON line; take the last non-empty line in case something slipped through.
  const line = stdout.trim().split('\n').pop();
  if (!line) return null;
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Report) : null;
  } catch {
    return null;
  }
}

function isErrorReport(report: Report): report is Report & ErrorReport {
  const error = report.error as ErrorReport['error'] | undefined;
  return !!error && typeof error === 'object' && typeof error.type === 'string';
}

function toProjectModel(report: Report, input: DjangoModeInput): ProjectModel {
  const version = str(report.djangoVersion);
  const problems = arr(report.problems)
    .map(toProblem)
    .filter((p): p is Problem => p !== null);
  const storageClass = toStorageClass(report.storageClass);
  return {
    projectDir: input.projectDir,
    managePy: input.managePy,
    settingsModule: str(report.settingsModule) ?? input.settingsModule,
    settingsFiles: arr(report.settingsFiles).filter(isString),
    mode: 'django',
    modeReason: `Ran Django ${version ?? '(unknown version)'} with ${input.python}.`,
    python: input.python,
    djangoVersion: version,
    staticUrl: str(report.staticUrl),
    staticRoot: str(report.staticRoot),
    storage: str(report.storage) ?? 'django.contrib.staticfiles.storage.StaticFilesStorage',
    manifestStorage: report.manifestStorage === true,
    debug: typeof report.debug === 'boolean' ? report.debug : null,
    staticfilesInstalled: report.staticfilesInstalled === true,
    ignorePatterns: Array.isArray(report.ignorePatterns) ? report.ignorePatterns.filter(isString) : [...DEFAULT_IGNORE_PATTERNS],
    finders: arr(report.finders)
      .map(toFinder)
      .filter((f): f is FinderEntry => f !== null),
    templates: arr(report.templates)
      .map(toTemplateEngine)
      .filter((t): t is TemplateEngine => t !== null),
    checks: arr(report.checks)
      .map(toCheck)
      .filter((c): c is CheckMessage => c !== null),
    problems,
    // Absent rather than undefined when the helper could not describe the class, as static mode leaves it.
    ...(storageClass ? { storageClass } : {}),
  };
}

function toStorageClass(value: unknown): StorageClassReport | undefined {
  const raw = obj(value);
  if (!raw || typeof raw.hashes !== 'boolean') return undefined;
  return {
    hashes: raw.hashes,
    jsModuleImports: raw.jsModuleImports === true,
    maxPasses: typeof raw.maxPasses === 'number' ? raw.maxPasses : 5,
    customPatterns: raw.customPatterns === true,
    overrides: arr(raw.overrides).filter(isString),
    mro: arr(raw.mro).filter(isString),
  };
}

function toFinder(value: unknown): FinderEntry | null {
  const raw = obj(value);
  const className = str(raw?.className);
  if (!raw || !className) return null;
  if (raw.kind === 'filesystem') {
    const dirs = arr(raw.dirs).map((d): StaticDirEntry | null => {
      const dir = obj(d);
      const root = str(dir?.root);
      if (!dir || !root) return null;
      const prefix = str(dir.prefix) ?? '';
      return { prefix, rootAsWritten: str(dir.rootAsWritten) ?? root, root, listPrefix: str(dir.listPrefix) ?? prefix };
    });
    return { kind: 'filesystem', className, dirs: dirs.filter((d): d is StaticDirEntry => d !== null) };
  }
  if (raw.kind === 'app') {
    const apps = arr(raw.apps).map((a): AppEntry | null => {
      const app = obj(a);
      const name = str(app?.name);
      if (!app || !name) return null;
      return {
        name,
        label: str(app.label) ?? name.split('.').pop()!,
        path: str(app.path),
        staticDir: str(app.staticDir),
        templatesDir: str(app.templatesDir),
      };
    });
    return { kind: 'app', className, apps: apps.filter((a): a is AppEntry => a !== null) };
  }
  const files = arr(raw.files).map((f): CustomFinderFile | null => {
    const file = obj(f);
    const filePath = str(file?.path);
    return file && filePath ? { path: filePath, absPath: str(file.absPath) } : null;
  });
  const entry: FinderEntry = { kind: 'custom', className, files: files.filter((f): f is CustomFinderFile => f !== null) };
  const error = str(raw.error);
  if (error) entry.error = error;
  return entry;
}

function toTemplateEngine(value: unknown): TemplateEngine | null {
  const raw = obj(value);
  const backend = str(raw?.backend);
  if (!raw || !backend) return null;
  const engine: TemplateEngine = {
    backend,
    jinja: raw.jinja === true,
    dirs: arr(raw.dirs).filter(isString),
    appDirs: raw.appDirs === true,
    builtins: arr(raw.builtins).filter(isString),
  };
  const name = str(raw.name);
  if (name) engine.name = name;
  if (Array.isArray(raw.searchDirs)) engine.searchDirs = raw.searchDirs.filter(isString);
  if (Array.isArray(raw.loaders)) engine.loaders = raw.loaders.filter(isString);
  const unknownLoaders = arr(raw.unknownLoaders).filter(isString);
  if (unknownLoaders.length) engine.unknownLoaders = unknownLoaders;
  const fallbackScan = str(raw.fallbackScan);
  if (fallbackScan) engine.fallbackScan = fallbackScan;
  const match = obj(raw.match);
  if (match) engine.match = { extension: str(match.extension), regex: str(match.regex) };
  return engine;
}

function toCheck(value: unknown): CheckMessage | null {
  const raw = obj(value);
  const message = str(raw?.message);
  if (!raw || message === null) return null;
  const level = raw.level === 'error' || raw.level === 'warning' ? raw.level : 'info';
  const check: CheckMessage = { id: str(raw.id) ?? '', level, message };
  const hint = str(raw.hint);
  if (hint) check.hint = hint;
  return check;
}

function toProblem(value: unknown): Problem | null {
  const raw = obj(value);
  const message = str(raw?.message);
  return raw && message ? { kind: str(raw.kind) ?? 'python', message } : null;
}

function obj(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').trim();
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-1).join(' ').trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 10 || Number.isInteger(seconds) ? Math.round(seconds) : seconds.toFixed(1)} s`;
}
