/**
 * The project model: everything the engine learned about one Django project, in Django's terms.
 * Produced by either Django mode (running the project's interpreter) or static mode (reading settings
 * without executing them). Both modes fill the same shape so the index, CLI and language service never
 * care which one ran.
 */
import * as path from 'node:path';

/** How the project was learned. */
export type LearnMode = 'django' | 'static';

/** Options shared by every front (CLI flags, LSP settings). */
export interface LearnOptions {
  /** Force a mode; `auto` tries Django mode first and falls back to static mode with a reason. */
  mode?: LearnMode | 'auto';
  /** Explicit interpreter; tried first. */
  python?: string;
  /** Explicit settings module (`--settings`). */
  settings?: string;
  /** Extra environment variables for the helper (merged over `.env`). */
  env?: Record<string, string>;
  /** Helper timeout in milliseconds (default 15000). */
  timeoutMs?: number;
  /** When false, nothing from the workspace is executed (untrusted workspace): static mode only. */
  allowExecute?: boolean;
}

/** One STATICFILES_DIRS entry, in settings order, de-duplicated on the exact (prefix, root) pair. */
export interface StaticDirEntry {
  /** '' for a plain entry. */
  prefix: string;
  /** The root exactly as written in settings (findstatic -v2 prints it this way). */
  rootAsWritten: string;
  /** Absolute, normalised root. */
  root: string;
  /**
   * The prefix collectstatic's list() uses for this entry: Django keys one storage per root, so the
   * last entry with the same root wins (see reference §1.2).
   */
  listPrefix: string;
}

/** One app with a `static/` folder as AppDirectoriesFinder sees it, or an app we could not locate. */
export interface AppEntry {
  /** Dotted module name (`django.contrib.admin`). */
  name: string;
  /** App label (`admin`). */
  label: string;
  /** Absolute app folder, or null when not located. */
  path: string | null;
  /** Absolute `<path>/static` when it is a directory; null otherwise (Django skips the app). */
  staticDir: string | null;
  /** Absolute `<path>/templates` when it is a directory. */
  templatesDir: string | null;
  /** Why the app could not be located (static mode, third-party app without a known site-packages). */
  notLocatedReason?: string;
}

/** A file a custom finder's list() yields (Django mode only). */
export interface CustomFinderFile {
  /** Destination path, `/`-separated, prefix included. */
  path: string;
  /** Absolute source file, when the storage is local. */
  absPath: string | null;
}

export type FinderEntry =
  | { kind: 'filesystem'; className: string; dirs: StaticDirEntry[] }
  | { kind: 'app'; className: string; apps: AppEntry[] }
  | { kind: 'custom'; className: string; files: CustomFinderFile[]; error?: string };

export interface TemplateEngine {
  /** Dotted backend path. */
  backend: string;
  /** True when the engine's templates use Jinja2's grammar (Django's Jinja2 backend, django-jinja). */
  jinja: boolean;
  /** Absolute DIRS. */
  dirs: string[];
  appDirs: boolean;
  /** OPTIONS['builtins'] (libraries usable without `{% load %}`). */
  builtins: string[];
  /** The engine's alias (NAME, else the backend's module name), as `django.template.engines` keys it. */
  name?: string;
  /**
   * Folders the engine's file loaders search, in order, absolute: what each filesystem/app_directories loader's
   * `get_dirs()` returns (inside cached.Loader too), or a Jinja2 FileSystemLoader's search path. Absent in
   * models built without it: DIRS, then the apps' `templates/` when APP_DIRS is on.
   */
  searchDirs?: string[];
  /** The loader chain as Django builds it, e.g. `cached.Loader(filesystem.Loader, app_directories.Loader)`. */
  loaders?: string[];
  /** Loaders whose templates cannot be listed (custom loaders), by dotted name. */
  unknownLoaders?: string[];
  /** django-jinja: the template names the engine takes (`match_extension`, `match_regex`); others fall through. */
  match?: { extension: string | null; regex: string | null };
  /** Why the project's own `templates/` folders are scanned for this engine as well (a custom loader, an unreadable DIRS). */
  fallbackScan?: string;
}

/** A Django system check message (staticfiles E001–E005, W004) or one of ours. */
export interface CheckMessage {
  id: string;
  level: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
}

/** Something the engine could not read or locate, in words a user can act on. */
export interface Problem {
  /** Short machine-readable kind, e.g. `setting-unreadable`, `app-not-located`, `python-timeout`. */
  kind: string;
  message: string;
  /** File and 0-based line the problem is about, when known. */
  file?: string;
  line?: number;
}

/** A place a front-end build writes static files to (or .gitignore ignores): a missing path there is "not built yet". */
export type BuildOutput =
  | { kind: 'path'; /** Absolute folder or file. */ path: string; /** Where it was read, in words. */ from: string; command: string | null }
  | { kind: 'gitignore'; /** The folder of the .gitignore. */ base: string; pattern: string; from: string; command: string | null };

/** What Django mode reads from the staticfiles storage class (see engine/assets/storage.ts). */
export interface StorageClassReport {
  /** A HashedFilesMixin subclass. */
  hashes: boolean;
  /** `support_js_module_import_aggregation`. */
  jsModuleImports: boolean;
  /** `max_post_process_passes`. */
  maxPasses: number;
  /** `patterns` differs from HashedFilesMixin's. */
  customPatterns: boolean;
  /** `method in module.Class` for post-processing methods defined outside django.contrib.staticfiles. */
  overrides: string[];
  /** The class's MRO, dotted. */
  mro: string[];
}

/** Everything learned about one project. */
export interface ProjectModel {
  /** Directory holding manage.py (or the root when there is none). */
  projectDir: string;
  managePy: string | null;
  settingsModule: string | null;
  /** Settings files read (static mode) or reported by Python (`__file__` of the module chain). */
  settingsFiles: string[];
  mode: LearnMode;
  /** Why this mode was chosen, in one sentence. */
  modeReason: string;
  /** Interpreter used (Django mode) or the one used to locate site-packages (static mode). */
  python: string | null;
  djangoVersion: string | null;
  staticUrl: string | null;
  /** Absolute STATIC_ROOT or null when unset. */
  staticRoot: string | null;
  /** Dotted staticfiles storage backend class. */
  storage: string;
  /** True when the storage hashes names (ManifestStaticFilesStorage or a HashedFilesMixin subclass). */
  manifestStorage: boolean;
  /** The storage class's post-processing attributes, read from the class itself (Django mode only). */
  storageClass?: StorageClassReport;
  debug: boolean | null;
  staticfilesInstalled: boolean;
  /** The staticfiles app's ignore_patterns (default `['CVS', '.*', '*~']`). */
  ignorePatterns: string[];
  /** STATICFILES_FINDERS in order. */
  finders: FinderEntry[];
  templates: TemplateEngine[];
  checks: CheckMessage[];
  problems: Problem[];
  /** Front-end build outputs and .gitignore'd paths below the project (filled when the project is loaded). */
  buildOutputs?: BuildOutput[];
}

export const DEFAULT_IGNORE_PATTERNS = ['CVS', '.*', '*~'];
export const FILESYSTEM_FINDER = 'django.contrib.staticfiles.finders.FileSystemFinder';
export const APP_DIRECTORIES_FINDER = 'django.contrib.staticfiles.finders.AppDirectoriesFinder';

/** Raised for input the user must fix (bad flags, no project); fronts print the message, no stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Whether `file` (absolute, resolved) is one of the settings files the model was read from. */
export function isSettingsFile(model: ProjectModel, file: string): boolean {
  return model.settingsFiles.some((s) => path.resolve(s) === file);
}

/** The static source folders in finder order: STATICFILES_DIRS roots, then apps' static folders (a shared root once per source). */
export function sourceFolders(model: ProjectModel): string[] {
  const roots: string[] = [];
  for (const finder of model.finders) {
    if (finder.kind === 'filesystem') for (const dir of finder.dirs) roots.push(dir.root);
    else if (finder.kind === 'app') for (const app of finder.apps) if (app.staticDir) roots.push(app.staticDir);
  }
  return roots;
}

/** Folders that hold static files rather than code or templates: the sources and STATIC_ROOT. */
export function staticFolders(model: ProjectModel): string[] {
  return model.staticRoot ? [...sourceFolders(model), model.staticRoot] : sourceFolders(model);
}
