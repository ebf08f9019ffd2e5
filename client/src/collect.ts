/**
 * Collect Static Files and Clear and Collect: run the project's `manage.py collectstatic` with the
 * resolved interpreter, stream its output, turn duplicates into Problems entries and failures into one
 * clear message, then reindex.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { plural } from '../../server/src/text';
import { checkClearSafety } from './clientSafety';
import { clearConfirmation, scanStaticRoot } from './clearScan';
import {
  CollectOutcome,
  parseCollectOutput,
  parseFindstaticOutput,
  parseSettingsProbe,
  ProbedSettings,
  SETTINGS_PROBE_CODE,
} from './collectOutput';
import { Methods } from '../../server/src/protocol';
import { Ctx } from './ctx';
import { djangoModeFailure, MODE_ACTIONS } from './modeStatus';
import { readSettings } from './config';
import { commandProject, CommandProject } from './project';
import { Interpreter } from './interpreter';
import { runPython, RunResult } from './process';

export interface CollectArgs {
  /** Project to collect (defaults to the active one). */
  managePy?: string;
  /**
   * Test-only: answer the Clear and Collect confirmation without showing the dialog. Honoured only when
   * the extension runs under a test runner (ExtensionMode.Test).
   */
  confirm?: boolean;
  /** Run even though the language server could not start Django for this project ("Run Anyway"). */
  force?: boolean;
}

export type CollectStatus =
  'done' | 'failed' | 'cancelled' | 'declined' | 'refused' | 'untrusted' | 'no-project' | 'no-interpreter' | 'django-failed';

/** What a collect command did; returned to callers (tests, other commands). */
export interface CollectResult {
  status: CollectStatus;
  message: string;
  /** Clear and Collect: the confirmation text and how many files it said would be deleted. */
  confirmation?: string;
  filesToDelete?: number;
  staticRoot?: string;
  /** The interpreter that ran manage.py and where it came from. */
  interpreter?: Interpreter;
  outcome?: CollectOutcome;
}

const FINDSTATIC_BATCH = 100;
const CONFIRM_BUTTON = 'Delete and Collect';

export async function collectStatic(ctx: Ctx, clear: boolean, args: CollectArgs = {}): Promise<CollectResult> {
  const title = clear ? 'Clear and Collect Static Files' : 'Collect Static Files';
  if (!vscode.workspace.isTrusted) {
    const message = `${title} is unavailable in Restricted Mode: it runs the project's Python (manage.py collectstatic). Trust this workspace to use it.`;
    void vscode.window
      .showWarningMessage(message, 'Manage Workspace Trust')
      .then((b) => b && vscode.commands.executeCommand('workbench.trust.manage'));
    return { status: 'untrusted', message };
  }
  const project = await commandProject(ctx, args.managePy);
  if (!project) {
    const message = `${title}: no manage.py found in this workspace.`;
    void vscode.window.showErrorMessage(message);
    return { status: 'no-project', message };
  }
  const djangoFailed = !args.force && djangoFailure(ctx, project.managePy);
  if (djangoFailed) {
    const message = `${title}: Django could not be started for ${project.projectDir} (${djangoFailed}), so collectstatic would fail the same way. Select an interpreter with the project's packages, or fix the settings, then retry.`;
    const actions = [...MODE_ACTIONS.map((a) => a.title), 'Run Anyway'];
    void vscode.window.showWarningMessage(message, ...actions).then((picked) => {
      if (picked === 'Run Anyway')
        return vscode.commands.executeCommand(clear ? 'djangoStatic.clearAndCollect' : 'djangoStatic.collectStatic', {
          managePy: project.managePy,
          force: true,
        });
      const action = MODE_ACTIONS.find((a) => a.title === picked);
      return action && vscode.commands.executeCommand(action.command);
    });
    return { status: 'django-failed', message };
  }
  const python = await ctx.interpreter.resolve(project.folder, project.projectDir, project.serverPython);
  if (!python) {
    const message = `${title}: no Python interpreter that can import Django was found. Set djangoStatic.pythonPath or select an interpreter with the Python extension.`;
    void vscode.window
      .showErrorMessage(message, 'Open Settings')
      .then((b) => b && vscode.commands.executeCommand('workbench.action.openSettings', 'djangoStatic.pythonPath'));
    return { status: 'no-interpreter', message };
  }
  const env = await projectEnv(ctx, project);
  const out = ctx.collectOutput;
  out.appendLine(`\n[${new Date().toLocaleTimeString()}] ${title} in ${project.projectDir} (Python: ${python.path}, ${python.source})`);

  let confirmation: string | undefined;
  let filesToDelete: number | undefined;
  let staticRoot: string | undefined;
  if (clear) {
    const probe = await probeSettings(python.path, project, env);
    if ('error' in probe) return fail(ctx, title, 'failed', `${title}: could not read STATIC_ROOT from Django: ${probe.error}`);
    // Symlinks resolved everywhere: a STATIC_ROOT that is a link to a source folder is that source folder.
    const root = probe.staticRoot ? realpath(probe.staticRoot) : null;
    const scan = root ? await scanStaticRoot(root) : undefined;
    const safety = checkClearSafety({
      staticRoot: root,
      projectDir: realpath(project.projectDir),
      staticfilesDirs: probe.staticfilesDirs.map(realpath),
      homeDir: realpath(os.homedir()),
      apps: probe.apps.map((a) => ({ label: a.label, path: realpath(a.path) })),
      templateDirs: probe.templateDirs.map(realpath),
      settingsDir: probe.settingsDir ? realpath(probe.settingsDir) : null,
      pythonPrefixes: probe.pythonPrefixes.map(realpath),
      scan,
    });
    if (!safety.ok) return fail(ctx, title, 'refused', `${title} refused: ${safety.reason}`);
    staticRoot = safety.staticRoot;
    filesToDelete = scan?.files ?? 0;
    confirmation = clearConfirmation(staticRoot, scan);
    const detail = 'collectstatic --clear deletes everything in STATIC_ROOT before copying. This cannot be undone.';
    const answer =
      ctx.extension.extensionMode === vscode.ExtensionMode.Test && typeof args.confirm === 'boolean'
        ? args.confirm
        : (await vscode.window.showWarningMessage(confirmation, { modal: true, detail }, CONFIRM_BUTTON)) === CONFIRM_BUTTON;
    out.appendLine(`${confirmation} ${answer ? 'Confirmed.' : 'Declined; nothing was deleted.'}`);
    if (!answer)
      return {
        status: 'declined',
        message: 'Clear and Collect was cancelled; nothing was deleted.',
        confirmation,
        filesToDelete,
        staticRoot,
      };
  }

  const commandArgs = [project.managePy, 'collectstatic', '--noinput', ...(clear ? ['--clear'] : [])];
  out.show(true); // stream where the user can see it, without taking focus
  out.appendLine(`$ ${python.path} ${commandArgs.map(quote).join(' ')}`);
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Django Static: ${title}`, cancellable: true },
    (progress, token) => {
      let lines = 0;
      return runPython(python.path, commandArgs, {
        cwd: project.projectDir,
        env,
        onStdout: (chunk) => {
          out.append(chunk);
          lines += chunk.split('\n').length - 1;
          progress.report({ message: `${plural(lines, 'line')} of output…` });
        },
        onStderr: (chunk) => out.append(chunk),
        onCancellable: (cancel) => token.onCancellationRequested(cancel),
      });
    },
  );
  const outcome = parseCollectOutput(run.stdout, run.stderr, run.exitCode);
  const reported = await reportDuplicates(ctx, python.path, project, env, outcome.duplicates);
  void ctx.reindex().catch((e) => ctx.log(`Reindex after collect failed: ${e}`));

  if (run.cancelled)
    return fail(ctx, title, 'cancelled', `${title} was cancelled; STATIC_ROOT may be partly updated.`, {
      outcome,
      confirmation,
      filesToDelete,
      staticRoot,
    });
  if (run.spawnError) return fail(ctx, title, 'failed', `${title}: could not run ${python.path}: ${run.spawnError}`, { outcome });
  if (outcome.failure)
    return fail(ctx, title, 'failed', `${title} failed: ${outcome.failure.message}`, { outcome, confirmation, filesToDelete, staticRoot });
  const where = reported < outcome.duplicates.length ? 'the Static Files view' : 'Problems';
  const duplicateNote = outcome.duplicates.length ? ` ${plural(outcome.duplicates.length, 'duplicate path')} ignored (see ${where}).` : '';
  const message = `${outcome.summary?.line ?? 'collectstatic finished.'}${duplicateNote}`;
  void vscode.window.showInformationMessage(message, 'Open Output').then((b) => b && out.show(true));
  return { status: 'done', message, outcome, confirmation, filesToDelete, staticRoot, interpreter: python };
}

/** Why the language server could not run Django for this project, when it tried and failed. */
function djangoFailure(ctx: Ctx, managePy: string): string | undefined {
  const learned = ctx.projects.find((p) => p.managePy === managePy);
  return learned && djangoModeFailure(learned, readSettings().mode, vscode.workspace.isTrusted);
}

function fail(ctx: Ctx, title: string, status: CollectStatus, message: string, extra: Partial<CollectResult> = {}): CollectResult {
  ctx.collectOutput.appendLine(message);
  const show = status === 'cancelled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(message, 'Open Output').then((b) => b && ctx.collectOutput.show(true));
  return { status, message, ...extra };
}

/**
 * Environment for manage.py: the project's variables as the server learns with them (`.env`, then
 * `djangoStatic.env`) over the editor's environment, and the settings module. Without a server, only the
 * setting's variables, and the output says `.env` was not read.
 */
export async function projectEnv(ctx: Ctx, project: CommandProject): Promise<NodeJS.ProcessEnv> {
  const settings = readSettings(project.folder);
  let variables: Record<string, string>;
  try {
    variables = await ctx.request(Methods.projectEnvironment, { projectDir: project.projectDir });
  } catch (err) {
    ctx.collectOutput.appendLine(
      `The language server could not say the project's environment (${err instanceof Error ? err.message : String(err)}): running without its .env.`,
    );
    variables = settings.env;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...variables, PYTHONUNBUFFERED: '1' };
  if (settings.settingsModule) env.DJANGO_SETTINGS_MODULE = settings.settingsModule;
  return env;
}

async function probeSettings(python: string, project: CommandProject, env: NodeJS.ProcessEnv): Promise<ProbedSettings | { error: string }> {
  const timeoutMs = readSettings(project.folder).timeoutSeconds * 1000;
  const run = await runPython(python, [project.managePy, 'shell', '-c', SETTINGS_PROBE_CODE], { cwd: project.projectDir, env, timeoutMs });
  const probed = parseSettingsProbe(run.stdout);
  if (probed) return probed;
  return { error: describeFailure(run) };
}

function describeFailure(run: RunResult): string {
  if (run.spawnError) return run.spawnError;
  if (run.timedOut) return 'timed out';
  const outcome = parseCollectOutput('', run.stderr, run.exitCode === 0 ? 1 : run.exitCode);
  return outcome.failure?.message ?? `exit code ${run.exitCode}`;
}

/**
 * One Problems entry per file collectstatic ignored, on the ignored file, pointing at the file that won;
 * `findstatic` (real Django) says which files share each duplicate destination path, in finder order.
 * Duplicates the language server already knows are left to it (its `shadowed` findings and the Static
 * Files view), so one duplicate is not said twice. Answers how many destinations got entries here.
 */
async function reportDuplicates(ctx: Ctx, python: string, project: CommandProject, env: NodeJS.ProcessEnv, all: string[]): Promise<number> {
  ctx.collectDiagnostics.clear();
  const known = await ctx.request(Methods.listFiles, { projectDir: project.projectDir, shadowedOnly: true }).then(
    (files) => new Set(files.filter((f) => f.shadowed > 0).map((f) => f.path)),
    () => new Set<string>(),
  );
  const duplicates = all.filter((d) => !known.has(d));
  if (duplicates.length === 0) return 0;
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const add = (file: string, d: vscode.Diagnostic) => byFile.set(file, [...(byFile.get(file) ?? []), d]);
  const unique = [...new Set(duplicates)];
  const located = new Map<string, string[]>();
  for (let i = 0; i < unique.length; i += FINDSTATIC_BATCH) {
    const run = await runPython(python, [project.managePy, 'findstatic', ...unique.slice(i, i + FINDSTATIC_BATCH)], {
      cwd: project.projectDir,
      env,
      timeoutMs: 60000,
    });
    for (const [p, matches] of parseFindstaticOutput(run.stdout)) located.set(p, matches);
  }
  const top = new vscode.Range(0, 0, 0, 0);
  for (const destination of unique) {
    const matches = located.get(destination) ?? [];
    const [winner, ...ignored] = matches;
    if (!winner || ignored.length === 0) {
      const d = new vscode.Diagnostic(
        top,
        `collectstatic found more than one file for '${destination}' and kept only the first.`,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'collectstatic';
      add(project.managePy, d);
      continue;
    }
    for (const file of ignored) {
      const d = new vscode.Diagnostic(
        top,
        `collectstatic ignores this file: '${destination}' is collected from ${winner}, which its finder lists first.`,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'collectstatic';
      d.code = 'duplicate-destination';
      d.relatedInformation = [
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(vscode.Uri.file(winner), top),
          `'${destination}' is collected from here`,
        ),
      ];
      add(file, d);
    }
  }
  for (const [file, diagnostics] of byFile) ctx.collectDiagnostics.set(vscode.Uri.file(file), diagnostics);
  return unique.length;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
