// Which Django project a command acts on, even before (or without) the language server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ctx } from './ctx';

export interface CommandProject {
  projectDir: string;
  managePy: string;
  folder: vscode.WorkspaceFolder | undefined;
  /** The interpreter the server learned the project with, if any. */
  serverPython: string | null;
  staticRoot: string | null;
}

const MANAGE_PY_EXCLUDES = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.tox/**}';

export async function findManagePyFiles(): Promise<string[]> {
  const uris = await vscode.workspace.findFiles('**/manage.py', MANAGE_PY_EXCLUDES, 200);
  return uris.map((u) => u.fsPath).sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || a.localeCompare(b));
}

/** The active project with a manage.py; asks when the workspace holds several and none was chosen. */
export async function commandProject(ctx: Ctx, managePyHint?: string): Promise<CommandProject | undefined> {
  const fromServer = managePyHint ? ctx.projects.find((p) => p.managePy === managePyHint) : ctx.activeProject;
  if (fromServer?.managePy) return toProject(fromServer.managePy, fromServer.python, fromServer.staticRoot);
  const chosen = managePyHint ?? ctx.selectedManagePy;
  if (chosen) return toProject(resolveManagePy(chosen), null, null);
  const all = await findManagePyFiles();
  if (all.length === 0) return undefined;
  if (all.length === 1) return toProject(all[0], null, null);
  const picked = await pickManagePy(all);
  if (!picked) return undefined;
  await ctx.selectManagePy(picked);
  return toProject(picked, null, null);
}

export async function pickManagePy(all: string[], current?: string): Promise<string | undefined> {
  const items = all.map((file) => ({
    label: path.basename(path.dirname(file)),
    description: vscode.workspace.asRelativePath(file, true),
    detail: file === current ? 'current project' : undefined,
    file,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Select Django Project',
    placeHolder: 'The manage.py the Django Static commands use',
  });
  return picked?.file;
}

function resolveManagePy(value: string): string {
  if (path.isAbsolute(value)) return value;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, value) : value;
}

function toProject(managePy: string, serverPython: string | null, staticRoot: string | null): CommandProject {
  return {
    projectDir: path.dirname(managePy),
    managePy,
    folder: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(managePy)),
    serverPython,
    staticRoot,
  };
}
