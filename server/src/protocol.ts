/**
 * Custom requests, notifications and settings shared by the VS Code client and the language server.
 * Only plain types and method names live here, so the client can import it without pulling in the engine.
 */

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
/**
 * V8 flags for the server process. V8 sizes the heap for throughput and, with memory to spare, let the
 * server reach 200 MB while holding 60 MB of live data at 100k files; the server idles between short
 * bursts, so a heap that stays near its live size is worth a little speed (115 MB in the benchmark).
 * The client passes them when it starts the server; the server also sets them itself for other clients.
 */
export const SERVER_V8_FLAGS = ['--optimize-for-size'];

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
  python: string | null;
  djangoVersion: string | null;
  staticUrl: string | null;
  staticRoot: string | null;
  storage: string;
  fileCount: number;
  duplicateCount: number;
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

export namespace Methods {
  /** Client → server: re-learn every project and rebuild the index. */
  export const reindex = 'djangoStatic/reindex';
  /** Client → server: summaries of the learned projects. Result: ProjectSummary[]. */
  export const projects = 'djangoStatic/projects';
  /** Client → server: every collected path with its winner. Params: { projectDir }. Result: StaticFileItem[]. */
  export const listFiles = 'djangoStatic/listFiles';
  /** Client → server: choose the active project. Params: { managePy }. */
  export const selectProject = 'djangoStatic/selectProject';
  /** Server → client notification: a project was (re)learned. Params: ProjectSummary[]. */
  export const projectsChanged = 'djangoStatic/projectsChanged';
}
