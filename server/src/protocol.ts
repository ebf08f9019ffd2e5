/**
 * Custom requests, notifications and settings shared by the VS Code client and the language server.
 * Only plain types and typed method names live here, so the client can import it without pulling in the engine.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol/node';

/** Severity a user can give each diagnostic code; `off` hides it. */
export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** Settings under the `djangoStatic` section. */
export interface DjangoStaticSettings {
  /** Interpreter path; empty = discover. */
  pythonPath: string;
  mode: 'auto' | 'django' | 'static';
  /** Settings module (`DJANGO_SETTINGS_MODULE`); empty = discover. */
  settingsModule: string;
  /** manage.py to use when a workspace holds several; empty = discover. */
  managePyPath: string;
  /** The same as managePyPath under the name users see (VS Code titles a setting after its key); wins when set. */
  project?: string;
  /** Extra environment for the Python helper. */
  env: Record<string, string>;
  /** Extra template globs, relative to the project. */
  templateGlobs: string[];
  /** Globs excluded from template scanning and static indexing. */
  ignoreGlobs: string[];
  /** Per-diagnostic-code severity overrides. */
  severity: Record<string, SeveritySetting>;
  /** Helper timeout in seconds. */
  timeoutSeconds: number;
}

export const DEFAULT_SETTINGS: DjangoStaticSettings = {
  pythonPath: '',
  mode: 'auto',
  settingsModule: '',
  managePyPath: '',
  env: {},
  templateGlobs: [],
  ignoreGlobs: ['**/node_modules/**', '**/.git/**'],
  severity: {},
  timeoutSeconds: 15,
};

/** Initialization options the client passes to the server. */
export { SERVER_V8_FLAGS } from './launch/serverFlags';

export interface InitializationOptions {
  settings: DjangoStaticSettings;
  /** False in an untrusted workspace: the server never runs the project's Python. */
  trusted: boolean;
}

/** Summary of one learned project, for the status bar and the report. */
export interface ProjectSummary {
  projectDir: string;
  managePy: string | null;
  mode: 'django' | 'static';
  modeReason: string;
  /** True while this is the static reading served until Django mode's answer replaces it. */
  refining?: boolean;
  python: string | null;
  djangoVersion: string | null;
  staticUrl: string | null;
  staticRoot: string | null;
  storage: string;
  /** Destination paths findstatic finds, ignored files included. */
  fileCount: number;
  /** Of those, the files collectstatic copies (its ignore patterns skip the rest); optional: older servers omit it. */
  collectedCount?: number;
  duplicateCount: number;
  /** Templates checked, and template-looking files TEMPLATES leaves out (optional: older servers omit them). */
  templateCount?: number;
  uncoveredTemplateCount?: number;
  /** Sources static mode could not read or locate, in words; said once here instead of on every finding. */
  unknownSources?: string[];
  /**
   * The findings that need every reference (optional: older servers omit it): null until the workspace check
   * and the CSS/JS replay have run; `unreferenced` null when CSS/JS references are not known.
   */
  referenceFindings?: { caseMismatches: number; unreferenced: number | null } | null;
  /** Markdown report: finders and locations in order, counts, duplicates, anything not located. */
  reportMarkdown: string;
}

/** One row of the Find Static File quick pick. */
export interface StaticFileItem {
  path: string;
  /** Winner's absolute path. */
  absPath: string;
  source: string;
  shadowed: number;
}

/** One source providing a collected path, for the Static Files view's "Show Shadowed Copies". */
export interface StaticFileSource {
  absPath: string;
  /** Short label of the source (`assets/`, an app label, `pre → prefixed/`). */
  source: string;
  /** True for the copy collectstatic writes (the first in finder order). */
  collected: boolean;
}

/** Params of `fileSources`. */
export interface FileSourcesParams {
  projectDir: string;
  /** Destination path, as `listFiles` gives it. */
  path: string;
}

/**
 * How many of the project's findings are about one static file, for the Static Files view's badges: the
 * template findings on `{% static %}` paths serving `path` (missing ones too), or the CSS/JS findings in the
 * file at `absPath`. Exactly one of the two is set.
 */
export interface StaticFileFindings {
  path?: string;
  absPath?: string;
  errors: number;
  warnings: number;
  /** Information and hints. */
  others: number;
}

/** Params of `findings`. */
export interface FindingsParams {
  projectDir: string;
}

/** Params of `selectProject`. */
export interface SelectProjectParams {
  managePy: string;
}

/** Params of `listFiles`. */
export interface ListFilesParams {
  projectDir: string;
}

/** Params of `templateEngine`. */
export interface TemplateEngineParams {
  uri: string;
}

/** Which kind of engine loads a template: Django's own template language or Jinja2's. */
export type TemplateEngineKind = 'django' | 'jinja2';

/** Params of `projectEnvironment`. */
export interface ProjectEnvironmentParams {
  projectDir: string;
}

/**
 * Params of `report`; also what a settings code lens passes to the client's `djangoStatic.showReport`
 * command, so a click opens the report filtered to the lens's source.
 */
export interface ReportParams {
  /** The project (default: the active one). */
  projectDir?: string;
  /** Only what this source (`StaticSource.order`) provides, shadows and is shadowed by; null or absent: everything. */
  sourceOrder?: number | null;
}

/** The Static Files Report, as Markdown. */
export interface StaticFilesReport {
  projectDir: string;
  markdown: string;
  /** The source the report is filtered to, in words (`STATICFILES_DIRS[0] → /abs/assets`); null for the whole project. */
  filteredTo: string | null;
}

/** Params of `projectsChanged`. */
export interface ProjectsChangedParams {
  projects: ProjectSummary[];
}

/** The custom requests and notifications, typed for both ends (as rust-analyzer's lsp_ext.ts). */
export namespace Methods {
  /** Client → server: re-learn every project and rebuild the index; answers the new summaries. */
  export const reindex = new RequestType0<ProjectSummary[], void>('djangoStatic/reindex');
  /** Client → server: summaries of the learned projects. */
  export const projects = new RequestType0<ProjectSummary[], void>('djangoStatic/projects');
  /** Client → server: every collected path of one project with its winner. */
  export const listFiles = new RequestType<ListFilesParams, StaticFileItem[], void>('djangoStatic/listFiles');
  /** Client → server: every source providing one collected path, in finder order (the collected one first). */
  export const fileSources = new RequestType<FileSourcesParams, StaticFileSource[], void>('djangoStatic/fileSources');
  /** Client → server: the findings last published for the project's templates and static files, counted per file. */
  export const findings = new RequestType<FindingsParams, StaticFileFindings[], void>('djangoStatic/findings');
  /** Client → server: choose the active project; false when no learned project has that manage.py. */
  export const selectProject = new RequestType<SelectProjectParams, boolean, void>('djangoStatic/selectProject');
  /** Client → server: the engine that loads this file; null when it is no template of a learned project. */
  export const templateEngine = new RequestType<TemplateEngineParams, TemplateEngineKind | null, void>('djangoStatic/templateEngine');
  /**
   * Client → server: the variables a project's Python gets over the editor's environment (its `.env`, then
   * its folder's `djangoStatic.env`), exactly as learning uses them; Collect runs manage.py with them.
   */
  export const projectEnvironment = new RequestType<ProjectEnvironmentParams, Record<string, string>, void>(
    'djangoStatic/projectEnvironment',
  );
  /** Client → server: the report of one project, whole or filtered to one source; null when no project is learned. */
  export const report = new RequestType<ReportParams, StaticFilesReport | null, void>('djangoStatic/report');
  /** Server → client: a project was (re)learned or its file counts changed. */
  export const projectsChanged = new NotificationType<ProjectsChangedParams>('djangoStatic/projectsChanged');
}
