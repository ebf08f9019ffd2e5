// Every command as a small factory over the context, registered from one table in extension.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PVSC_EXTENSION_ID } from '@vscode/python-extension';
import { plural } from '../../server/src/text';
import { ReportParams } from '../../server/src/protocol';
import { collectStatic, CollectArgs } from './collect';
import { readSettings } from './config';
import { Ctx } from './ctx';
import { findStaticFile } from './findStaticFile';
import { djangoModeFailure, MODE_ACTIONS } from './modeStatus';
import { findManagePyFiles, pickManagePy } from './project';
import { ReportPanel, ShownReport } from './report';
import { showShadowedCopies } from './staticFilesView';

// VS Code passes each command what its caller chose (a Uri, a tree item, nothing), so the arguments are untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

export const COMMANDS: Record<string, CommandFactory> = {
  'djangoStatic.collectStatic': (ctx) => (args?: CollectArgs) => collectStatic(ctx, false, args),
  'djangoStatic.clearAndCollect': (ctx) => (args?: CollectArgs) => collectStatic(ctx, true, args),
  'djangoStatic.findStaticFile': findStaticFile,
  'djangoStatic.showReport': showReport,
  'djangoStatic.reindex': reindex,
  'djangoStatic.selectProject': selectProject,
  'djangoStatic.showShadowedCopies': showShadowedCopies,
  'djangoStatic.showOutput': (ctx) => () => ctx.output.show(true),
  'djangoStatic.restartServer': (ctx) => () => ctx.restart('requested by the user'),
  'djangoStatic.selectInterpreter': () => selectInterpreter,
  'djangoStatic.djangoModeActions': djangoModeActions,
};

/** The Python extension's picker when it is installed (the server follows its choice), else the setting. */
async function selectInterpreter(): Promise<void> {
  const hasPicker =
    !!vscode.extensions.getExtension(PVSC_EXTENSION_ID) && (await vscode.commands.getCommands(true)).includes('python.setInterpreter');
  if (hasPicker) await vscode.commands.executeCommand('python.setInterpreter');
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'djangoStatic.pythonPath');
}

/** Why Django mode failed for the active project, with the actions that fix it (the status bar's click). */
function djangoModeActions(ctx: Ctx) {
  return async (): Promise<string | undefined> => {
    const project = ctx.activeProject;
    const reason = project && djangoModeFailure(project, readSettings().mode, vscode.workspace.isTrusted);
    if (!reason) return vscode.commands.executeCommand('djangoStatic.showReport').then(() => undefined);
    const titles = MODE_ACTIONS.map((a) => a.title);
    const picked = await vscode.window.showWarningMessage(
      `Django mode failed for ${path.basename(project.projectDir)}: ${reason} Settings are read without running them (approximate).`,
      ...titles,
    );
    const action = MODE_ACTIONS.find((a) => a.title === picked);
    if (action) await vscode.commands.executeCommand(action.command);
    return action?.command;
  };
}

/** One report panel; a settings code lens passes `{ projectDir, sourceOrder }` to open it filtered to its source. */
function showReport(ctx: Ctx) {
  const panel = new ReportPanel(ctx);
  ctx.extension.subscriptions.push(panel);
  return (args?: unknown): Promise<ShownReport> => panel.show(reportParams(args));
}

/** Whatever the caller passed (a lens's arguments, a Uri from a menu, nothing) as report params. */
function reportParams(args: unknown): ReportParams {
  if (!args || typeof args !== 'object') return {};
  const { projectDir, sourceOrder } = args as Record<string, unknown>;
  return {
    ...(typeof projectDir === 'string' && projectDir ? { projectDir } : {}),
    ...(typeof sourceOrder === 'number' && Number.isInteger(sourceOrder) ? { sourceOrder } : {}),
  };
}

function reindex(ctx: Ctx) {
  return () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Django Static: reindexing' }, async () => {
      try {
        const projects = await ctx.reindex();
        const files = projects.reduce((n, p) => n + (p.collectedCount ?? p.fileCount), 0);
        vscode.window.setStatusBarMessage(
          `Django Static Files: ${plural(projects.length, 'project')}, ${plural(files, 'static file')}`,
          4000,
        );
        return projects;
      } catch (err) {
        void vscode.window.showErrorMessage(`Reindex failed: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }
    });
}

function selectProject(ctx: Ctx) {
  return async (managePy?: string): Promise<string | undefined> => {
    const all = await findManagePyFiles();
    for (const p of ctx.projects) if (p.managePy && !all.includes(p.managePy)) all.push(p.managePy);
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Select Django Project: no manage.py found in this workspace.');
      return undefined;
    }
    const chosen = typeof managePy === 'string' ? managePy : await pickManagePy(all, ctx.activeProject?.managePy ?? undefined);
    if (chosen) await ctx.selectManagePy(chosen);
    return chosen;
  };
}
