import { fsAsync as fs } from './fsAsync';
import * as path from 'node:path';
import { LearnOptions, Problem, ProjectModel, UserError } from './model';
import { findEnclosingProject, findProjects, projectAt, ProjectLocation } from './discover';
import {
  describeAttempts,
  findInterpreter,
  InterpreterAttempt,
  repositoryPackageRoots,
  sitePackagesOf,
  sitePackagesWithoutRunning,
} from './interpreter';
import { runDjangoMode } from './djangoMode';
import { projectEnvironment } from './dotenv';
import { learnStatic } from './staticMode/index';

/**
 * Learns the project at or below `root`: Django mode when allowed and possible, else static mode, with the
 * reason recorded in the model. Throws UserError only for what the user must fix (no project, a forced
 * Django mode that cannot run).
 */
export async function learnProject(root: string, options: LearnOptions = {}): Promise<ProjectModel> {
  const absRoot = path.resolve(root);
  await requireFolder(absRoot);
  // A manage.py right in the root is the one findProjects lists first: no walk of the tree is needed for it.
  const location =
    (await projectAt(absRoot, options.settings)) ??
    (await findProjects(absRoot, options.settings))[0] ??
    (await findEnclosingProject(absRoot, options.settings));
  if (!location)
    throw new UserError(
      `No manage.py found below ${absRoot}. A project without manage.py can be read with --settings MODULE (the dotted settings module, importable from --root).`,
    );
  return learnLocation(location, absRoot, options);
}

/** Learns one located project (the workspace may hold several); a guessed settings module is said first. */
export async function learnLocation(location: ProjectLocation, root: string, options: LearnOptions = {}): Promise<ProjectModel> {
  const model = await learnWithSettings(location, root, options);
  if (location.settingsGuessed) model.problems.unshift(guessedSettings(location));
  return model;
}

function guessedSettings(location: ProjectLocation): Problem {
  const where = location.managePy ? path.basename(location.managePy) : 'The project';
  const others = location.settingsGuessed!.filter((m) => m !== location.settingsModule);
  return {
    kind: 'settings-module-guessed',
    message: `${where} does not set DJANGO_SETTINGS_MODULE, and neither do the environment nor the project's .env: ${location.settingsModule} was guessed${others.length ? ` (the others: ${others.join(', ')})` : ''}. Set djangoStatic.settingsModule (or pass --settings) to the module you run.`,
    ...(location.managePy ? { file: location.managePy, line: 0 } : {}),
  };
}

async function learnWithSettings(location: ProjectLocation, root: string, options: LearnOptions): Promise<ProjectModel> {
  const mode = options.mode ?? 'auto';
  const mayRun = options.allowExecute !== false;
  // Without a settings module only manage.py itself can say which one it uses: that needs Django mode.
  if (!location.settingsModule && (mode === 'static' || !mayRun || !location.managePy)) withSettings(location);

  if (mode === 'static') return learnStaticMode(withSettings(location), root, options, 'Static mode was requested.');
  if (!mayRun) {
    if (mode === 'django') throw new UserError('Django mode needs a trusted workspace: this one is not trusted, so no Python is run.');
    return learnStaticMode(withSettings(location), root, options, 'Static mode: the workspace is not trusted.');
  }

  const interpreter = await findInterpreter(location.projectDir, options.python, root);
  if (options.python && !interpreter.python) throw unusablePython(interpreter.attempts);
  if (!interpreter.python) {
    const reason = `no Python with Django found (tried ${describeAttempts(interpreter.attempts)})`;
    if (mode === 'django') throw new UserError(`Django mode failed: ${reason}.`);
    return learnStaticMode(withSettings(location, reason), root, options, `Static mode: ${reason}.`);
  }

  const result = await runDjangoMode({
    projectDir: location.projectDir,
    managePy: location.managePy,
    settingsModule: location.settingsModule,
    python: interpreter.python,
    env: options.env,
    timeoutMs: options.timeoutMs,
  });
  if (result.ok) return result.model;
  if (!location.settingsModule && /settings are not configured/.test(result.reason)) {
    throw new UserError(`Could not tell the settings module of ${location.managePy} (manage.py does not set one); pass --settings.`);
  }
  if (mode === 'django') throw new UserError(`Django mode failed with ${interpreter.python}: ${result.reason}.`);
  const fallback = withSettings(location, `Django mode failed: ${result.reason}`);
  const model = await learnStaticMode(fallback, root, options, `Static mode: ${result.reason}.`, interpreter.python);
  model.problems.unshift(result.problem);
  return model;
}

/** An explicit interpreter that cannot import Django is an error in every mode, never replaced by another one. */
function unusablePython(attempts: InterpreterAttempt[]): UserError {
  const attempt = attempts[0];
  return new UserError(
    `The interpreter ${attempt?.python ?? '(none)'} cannot be used${attempt?.reason ? `: ${attempt.reason}` : ''}; it is not replaced by another one (fix the path, or leave it out to let the project's own be found).`,
  );
}

interface LocatedProject extends ProjectLocation {
  settingsModule: string;
}

/** The location with its settings module, or a UserError asking for --settings (with why Django mode couldn't tell). */
function withSettings(location: ProjectLocation, why?: string): LocatedProject {
  if (location.settingsModule) return { ...location, settingsModule: location.settingsModule };
  const where = location.managePy ?? location.projectDir;
  throw new UserError(`Could not tell the settings module of ${where}${why ? ` (${why})` : ''}; pass --settings.`);
}

async function learnStaticMode(
  location: LocatedProject,
  root: string,
  options: LearnOptions,
  modeReason: string,
  knownPython?: string,
): Promise<ProjectModel> {
  const mayRun = options.allowExecute !== false;
  let python: string | null = knownPython ?? null;
  if (!python && mayRun && options.mode === 'static') {
    // Static mode by choice still benefits from the interpreter's site-packages (running it runs no project code).
    const choice = await findInterpreter(location.projectDir, options.python, root);
    if (options.python && !choice.python) throw unusablePython(choice.attempts);
    python = choice.python;
  }
  let sitePackages = python && mayRun ? await sitePackagesOf(python) : [];
  if (sitePackages.length === 0) sitePackages = await sitePackagesWithoutRunning(location.projectDir, root);
  // PYTHONPATH comes before site-packages on sys.path, as Python puts it (the helper's env wins over ours).
  const pythonPath = ((await projectEnvironment(location.projectDir, options.env)).PYTHONPATH ?? '')
    .split(path.delimiter)
    .filter((p) => p !== '');
  sitePackages = [...new Set([...pythonPath.map((p) => path.resolve(location.projectDir, p)), ...sitePackages])];
  return learnStatic({
    projectDir: location.projectDir,
    managePy: location.managePy,
    settingsModule: location.settingsModule,
    python,
    sitePackages,
    // The repository's own packages come last: an installed copy in site-packages is what Python imports first.
    repositoryRoots: await repositoryPackageRoots(location.projectDir),
    modeReason,
  });
}

async function requireFolder(dir: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await fs.stat(dir)).isDirectory();
  } catch {
    throw new UserError(`The folder ${dir} does not exist.`);
  }
  if (!isDir) throw new UserError(`${dir} is not a folder; pass the project folder with --root.`);
}
