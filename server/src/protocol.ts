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
export interface StaticFileFindings extends FindingCounts {
  path?: string;
  absPath?: string;
}

/** Findings counted on a file, or on a folder for every path below it (missing files included). */
export interface FindingCounts {
  errors: number;
  warnings: number;
  /** Information and hints. */
  others: number;
}

/**
 * Which files the Static Files view shows: every collected one, those with findings or shadowed copies, or
 * the ones collected from these files (what the active template's `{% static %}` paths serve).
 */
export type StaticFilesFilter = { kind: 'all' } | { kind: 'problems' } | { kind: 'references'; absPaths: string[] };

/** Params of `listFolder`. */
export interface ListFolderParams {
  projectDir: string;
  /** Destination folder, `/`-separated, '' for the top level. */
  folder: string;
  /** Default: every file. */
  filter?: StaticFilesFilter;
  /** At most this many children, folders first (default and maximum: the server's cap, 500). */
  limit?: number;
}

/** A folder row of the Static Files view. */
export interface StaticFolderRow {
  name: string;
  /** Destination path, `/`-separated ('' for the top level). */
  path: string;
  /** Collected files below it, whatever the filter. */
  fileCount: number;
  /** Of those, the ones shadowing later copies. */
  shadowingCount: number;
  findings: FindingCounts;
}

/** A file row of the Static Files view: the collected file and the findings about its path or in it. */
export interface StaticFileRow extends StaticFileItem {
  name: string;
  findings: FindingCounts;
}

/**
 * One folder's children in the Static Files view, under a filter: its folders, then its files, each by
 * name, together at most the limit; `more` counts what the limit left out.
 */
export interface FolderListing {
  /** The folder itself, counted as a row (the top level's counts describe the whole project). */
  folder: StaticFolderRow;
  folders: StaticFolderRow[];
  files: StaticFileRow[];
  /** Children the filter shows that the limit left out. */
  more: number;
  /** Files the filter shows below the folder. */
  shownCount: number;
  /** With the references filter: the destination paths shown (as many as the absolute paths asked about, at most). */
  shownPaths?: string[];
}

/** Params of `searchFiles`. */
export interface SearchFilesParams {
  projectDir: string;
  /** What the user typed: a destination path or part of it; empty lists the project's own files first. */
  query: string;
  /** At most this many items (default and maximum: the server's cap, 200). */
  limit?: number;
}

/** Find Static File's answer to one query: the best matches, best first. */
export interface SearchFilesResult {
  items: StaticFileItem[];
  /** How many collected files match the query (the items being the best of them). */
  matchCount: number;
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
  /** Only the paths later sources also provide (what Collect's duplicate report needs): as many as there are duplicates. */
  shadowedOnly?: boolean;
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
  /**
   * Client → server: every collected path of one project with its winner (a million items in a big monorepo:
   * the editor's views use `listFolder` and `searchFiles` instead).
   */
  export const listFiles = new RequestType<ListFilesParams, StaticFileItem[], void>('djangoStatic/listFiles');
  /** Client → server: one folder's children in the collect view, filtered and capped; null when no project is learned. */
  export const listFolder = new RequestType<ListFolderParams, FolderListing | null, void>('djangoStatic/listFolder');
  /** Client → server: the collected files best matching a query, for Find Static File as the user types. */
  export const searchFiles = new RequestType<SearchFilesParams, SearchFilesResult, void>('djangoStatic/searchFiles');
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
