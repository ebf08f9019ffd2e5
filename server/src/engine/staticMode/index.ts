import * as fs from 'node:fs';
import * as path from 'node:path';
import { behaviourOf, parseMajorMinor } from '../djangoVersion';
import { findDjangoPin } from './djangoPins';
import { isDirectory } from './pyPath';
import {
  AppEntry,
  FinderEntry,
  ProjectModel,
  DEFAULT_IGNORE_PATTERNS,
  FILESYSTEM_FINDER,
  APP_DIRECTORIES_FINDER,
  UserError,
  Problem,
} from '../model';
import { readInstalledApps } from './apps';
import { Interpreter, ModuleState } from './interpreter';
import { ModuleResolver, withPthFolders } from './settingsFiles';
import {
  CUSTOM_FINDER_ERROR,
  DEFAULT_FINDERS,
  DEFAULT_STORAGE,
  fileSystemChecks,
  storagesChecks,
  fileSystemDirs,
  isManifestStorage,
  SettingsReader,
  WATCHED_SETTINGS,
} from './toModel';
import { readTemplates } from './templateSettings';
import { isSequence } from './values';

/** What static mode needs to read a project's settings without executing them. */
export interface StaticLearnInput {
  projectDir: string;
  managePy: string | null;
  /** Dotted settings module, e.g. `demo.settings`. */
  settingsModule: string;
  /** Interpreter whose site-packages locate third-party and django.contrib apps (not executed here). */
  python: string | null;
  /** site-packages folders to locate apps outside the workspace (may be empty). */
  sitePackages: string[];
  /** The repository's own package folders (repositoryPackageRoots): searched after site-packages, the user's code. */
  repositoryRoots?: string[];
  /** Why static mode was chosen, copied into the model. */
  modeReason: string;
}

/**
 * Folders manage.py adds to sys.path (src/ and apps/ layouts): a `sys.path.insert/append(...)` call whose
 * string literals, joined to manage.py's folder, name an existing folder. Read as text, never run.
 */
export function managePySysPath(managePy: string | null): string[] {
  if (!managePy) return [];
  let source: string;
  try {
    source = fs.readFileSync(managePy, 'utf8');
  } catch {
    return [];
  }
  const folders: string[] = [];
  for (const call of source.matchAll(/sys\.path\.(?:insert|append)\(([^\n]*)\)/g)) {
    const parts = [...call[1].matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]);
    if (!parts.length) continue;
    const folder = path.resolve(path.dirname(managePy), ...parts);
    if (isDirectory(folder) && !folders.includes(folder)) folders.push(folder);
  }
  return folders;
}

/**
 * Reads settings through a real Python parser (never executes them) and fills the same model Django mode
 * does. Throws UserError only when the settings module has no file under the project folder; anything
 * else it cannot read becomes a Problem and Django's default.
 */
export async function learnStatic(input: StaticLearnInput): Promise<ProjectModel> {
  const projectDir = path.resolve(input.projectDir);
  const resolver = new ModuleResolver(
    [projectDir, ...managePySysPath(input.managePy)],
    withPthFolders(input.sitePackages.map((folder) => path.resolve(folder))),
    input.repositoryRoots ?? [],
  );
  const location = resolver.resolve(input.settingsModule);
  if (!location || !location.file || !location.inProject) {
    const asPath = input.settingsModule.split('.').join(path.sep);
    throw new UserError(
      `Settings module '${input.settingsModule}' was not found: neither ${asPath}.py nor ${path.join(asPath, '__init__.py')} exists under ${projectDir}.`,
    );
  }

  try {
    return readProject(input, projectDir, resolver);
  } catch (error) {
    // A last resort: static mode must never take the editor down, whatever the settings hold.
    return {
      ...defaultModel(input, projectDir, [location.file]),
      problems: [
        {
          kind: 'static-mode-failed',
          message: `Static mode could not read the settings (${error instanceof Error ? error.message : String(error)}); Django's defaults are shown.`,
          file: location.file,
        },
      ],
    };
  }
}

function defaultModel(input: StaticLearnInput, projectDir: string, settingsFiles: string[]): ProjectModel {
  return {
    projectDir,
    managePy: input.managePy,
    settingsModule: input.settingsModule,
    settingsFiles,
    mode: 'static',
    modeReason: input.modeReason,
    python: input.python,
    djangoVersion: null,
    staticUrl: null,
    staticRoot: null,
    storage: DEFAULT_STORAGE,
    manifestStorage: false,
    debug: false,
    staticfilesInstalled: false,
    ignorePatterns: [...DEFAULT_IGNORE_PATTERNS],
    finders: [
      { kind: 'filesystem', className: FILESYSTEM_FINDER, dirs: [] },
      { kind: 'app', className: APP_DIRECTORIES_FINDER, apps: [] },
    ],
    templates: [],
    checks: [],
    problems: [],
  };
}

function readProject(input: StaticLearnInput, projectDir: string, resolver: ModuleResolver): ProjectModel {
  const interpreter = new Interpreter({
    cwd: projectDir,
    resolver,
    watchedNames: WATCHED_SETTINGS,
    sitePackagesKnown: input.sitePackages.length > 0,
    extraSysPath: managePySysPath(input.managePy),
  });
  const settings = interpreter.importSettings(input.settingsModule)!;
  const settingsFiles = starImportChain(settings, interpreter);
  const versionProblems: Problem[] = [];
  const djangoVersion = chooseVersion(readDjangoVersion(interpreter), projectDir, versionProblems);
  const reader = new SettingsReader(settings.namespace, projectDir);

  const installedApps = reader.stringList('INSTALLED_APPS') ?? [];
  const apps = readInstalledApps({
    entries: installedApps,
    interpreter,
    resolver,
    djangoVersion: djangoVersion?.majorMinor ?? null,
    settingsSpot: spotOf(reader, 'INSTALLED_APPS'),
    searchedSitePackages: input.sitePackages.join(', '),
    cwd: projectDir,
  });
  const staticfilesInstalled = apps.apps.some((app) => app.name === 'django.contrib.staticfiles');

  const staticRoot = reader.staticRoot();
  const django = behaviourOf(djangoVersion?.majorMinor ?? null);
  const storage = reader.storage(django);
  const finderProblems: Problem[] = [];
  const finderNames = reader.stringList('STATICFILES_FINDERS') ?? DEFAULT_FINDERS;
  const finders = finderNames.map((className) => finderEntry(className, reader, apps.apps, finderProblems));
  const checks = staticfilesInstalled
    ? [...(finderNames.includes(FILESYSTEM_FINDER) ? fileSystemChecks(reader, staticRoot, django) : []), ...storagesChecks(reader, django)]
    : [];

  const model: ProjectModel = {
    ...defaultModel(input, projectDir, settingsFiles),
    djangoVersion: djangoVersion?.text ?? null,
    staticUrl: reader.staticUrl(django),
    staticRoot,
    storage,
    manifestStorage: isManifestStorage(storage),
    debug: reader.debug(),
    staticfilesInstalled,
    ignorePatterns: apps.ignorePatterns ?? [...DEFAULT_IGNORE_PATTERNS],
    finders,
    templates: readTemplates(reader, apps.apps, djangoVersion?.majorMinor ?? null),
    checks,
    problems: [],
  };
  model.problems = sortProblems(
    dedupeProblems([...versionProblems, ...interpreter.problems, ...reader.problems, ...apps.problems, ...finderProblems]),
    settingsFiles,
  );
  return model;
}

function finderEntry(className: string, reader: SettingsReader, apps: AppEntry[], problems: Problem[]): FinderEntry {
  if (className === FILESYSTEM_FINDER) {
    return { kind: 'filesystem', className, dirs: fileSystemDirs(reader) };
  }
  if (className === APP_DIRECTORIES_FINDER) return { kind: 'app', className, apps };
  const binding = reader.binding('STATICFILES_FINDERS');
  problems.push({
    kind: 'custom-finder',
    message: `The finder ${className} in STATICFILES_FINDERS is not one of Django's two built-in finders: ${CUSTOM_FINDER_ERROR}.`,
    ...(binding ? { file: binding.file, line: binding.line } : {}),
  });
  return { kind: 'custom', className, files: [], error: CUSTOM_FINDER_ERROR };
}

function spotOf(reader: SettingsReader, name: string): { file: string; line: number } | null {
  const binding = reader.binding(name);
  return binding ? { file: binding.file, line: binding.line } : null;
}

/** The settings file, then files it star-imports, depth first (what Django mode reports). */
function starImportChain(settings: ModuleState, interpreter: Interpreter): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = (state: ModuleState | undefined) => {
    if (!state || seen.has(state.name)) return;
    seen.add(state.name);
    files.push(state.file, ...state.included);
    for (const imported of state.starImports) visit(interpreter.modules.get(imported));
  };
  visit(settings);
  return files;
}

/** Django's version from `django/__init__.py`'s VERSION tuple (read, not imported). */
type FoundVersion = { text: string; majorMinor: [number, number]; file?: string };

/** System folders whose Django is the machine's, not necessarily the project's (no virtualenv was found). */
const SYSTEM_SITE = /^\/usr\/(local\/)?lib(64)?\/python3[^/]*\/(dist|site)-packages\//;

/**
 * The located django package's version, unless it is the system's own and the project's dependency files
 * pin another series; the pins also stand in when no django package was located. Either way the user is
 * told where a pinned version came from.
 */
function chooseVersion(located: FoundVersion | null, projectDir: string, problems: Problem[]): FoundVersion | null {
  if (located && !(located.file && SYSTEM_SITE.test(located.file))) return located;
  const pin = findDjangoPin(projectDir);
  const majorMinor = parseMajorMinor(pin?.version);
  if (!pin || !majorMinor) return located;
  if (located && located.majorMinor.join('.') === majorMinor.join('.')) return located;
  const where = `${path.relative(projectDir, pin.file) || pin.file} line ${pin.line + 1}`;
  problems.push({
    kind: 'django-version-from-pins',
    message: located
      ? `Django ${pin.version} is taken from ${where}: the only django package found is the system's ${located.text} at ${path.dirname(located.file!)}, not the project's.`
      : `The django package was not located, so its version is taken from ${where}: Django ${pin.version}.`,
    file: pin.file,
    line: pin.line,
  });
  return { text: pin.version, majorMinor };
}

function readDjangoVersion(interpreter: Interpreter): FoundVersion | null {
  const django = interpreter.importModule('django', true);
  const version = django?.namespace.get('VERSION')?.value;
  if (!version || !isSequence(version) || version.items.length < 5) return null;
  const [major, minor, micro, release, serial] = version.items;
  if (major.kind !== 'int' || minor.kind !== 'int' || micro.kind !== 'int' || release.kind !== 'str' || serial.kind !== 'int') return null;
  // django.utils.version.get_version: X.Y[.Z] plus a/b/rc<serial> for pre-releases.
  let text = micro.value === 0 ? `${major.value}.${minor.value}` : `${major.value}.${minor.value}.${micro.value}`;
  const suffix: Record<string, string> = { alpha: 'a', beta: 'b', rc: 'rc' };
  if (release.value === 'alpha' && serial.value === 0) text += '.dev';
  else if (suffix[release.value]) text += `${suffix[release.value]}${serial.value}`;
  return { text, majorMinor: [major.value, minor.value], file: django?.file };
}

/** Settings files in chain order, then by line, so problems read top to bottom; the rest keep their order. */
function sortProblems(problems: Problem[], settingsFiles: string[]): Problem[] {
  const rank = (problem: Problem) => {
    const index = problem.file ? settingsFiles.indexOf(problem.file) : -1;
    return index < 0 ? settingsFiles.length : index;
  };
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => rank(a.problem) - rank(b.problem) || (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
}

function dedupeProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.kind}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
