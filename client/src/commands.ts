// Every command as a small factory over the context, registered from one table in extension.ts.
import * as vscode from 'vscode';
import { Methods, StaticFileItem } from '../../server/src/protocol';
import { collectStatic, CollectArgs } from './collect';
import { Ctx } from './ctx';
import { findManagePyFiles, pickManagePy } from './project';
import { ReportProvider } from './report';
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
};

function findStaticFile(ctx: Ctx) {
  return async (): Promise<StaticFileItem | undefined> => {
    const project = ctx.activeProject;
    if (!project) return notReady(ctx);
    type Item = vscode.QuickPickItem & { file: StaticFileItem };
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = `Find Static File (${project.fileCount} in ${project.projectDir})`;
    quickPick.placeholder = 'Destination path, as used in {% static %}';
    quickPick.matchOnDescription = true;
    quickPick.busy = true;
    quickPick.show();
    try {
      const files = await ctx.request(Methods.listFiles, { projectDir: project.projectDir });
      quickPick.items = (files ?? []).map((file) => ({
        label: file.path,
        description: file.shadowed ? `${file.source} $(warning) shadows ${file.shadowed}` : file.source,
        detail: file.shadowed ? `Also provided by ${file.shadowed} later source${file.shadowed === 1 ? '' : 's'}; collectstatic keeps this one.` : undefined,
        file,
      }));
    } catch (err) {
      quickPick.hide();
      void vscode.window.showErrorMessage(`Find Static File: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      quickPick.busy = false;
    }
    const picked = await new Promise<Item | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
    });
    quickPick.dispose();
    if (picked) await vscode.window.showTextDocument(vscode.Uri.file(picked.file.absPath), { preview: true });
    return picked?.file;
  };
}

function showReport(ctx: Ctx) {
  return async (): Promise<vscode.Uri> => {
    const project = ctx.activeProject;
    const uri = ReportProvider.uriFor(project?.projectDir ?? '');
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
    }
    return uri;
  };
}

function reindex(ctx: Ctx) {
  return () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Django Static: reindexing' }, async () => {
      try {
        const projects = await ctx.reindex();
        const files = projects.reduce((n, p) => n + p.fileCount, 0);
        vscode.window.setStatusBarMessage(`Django Static: ${projects.length} project(s), ${files} static files`, 4000);
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

function notReady(ctx: Ctx): undefined {
  const message = ctx.failure ?? 'No Django project has been learned yet; try again once the status bar shows the project.';
  void vscode.window.showWarningMessage(message, 'Show Output').then((b) => b && ctx.output.show(true));
  return undefined;
}
