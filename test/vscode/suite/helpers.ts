// Shared helpers for the extension-host tests: activation, waiting, the demo workspace's paths.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoStaticApi } from '../../../client/src/extension';
import type { ProjectSummary } from '../../../server/src/protocol';

export const EXTENSION_ID = 'django-static-files.django-static-files';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the demo workspace open');
  return folder.uri.fsPath;
}

export function wsPath(...parts: string[]): string {
  return path.join(workspaceRoot(), ...parts);
}

let activated: Promise<{ api: DjangoStaticApi; projects: readonly ProjectSummary[] }> | undefined;

/** Activates the extension and waits for the server to report the demo project. */
export function activateAndLearn(): Promise<{ api: DjangoStaticApi; projects: readonly ProjectSummary[] }> {
  activated ??= (async () => {
    const extension = vscode.extensions.getExtension<DjangoStaticApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const api = await extension.activate();
    await api.ready();
    const projects = await api.whenProjects(45000);
    assert.ok(projects.length > 0, 'the language server reported no project');
    return { api, projects };
  })();
  return activated;
}

export async function openDoc(...parts: string[]): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(wsPath(...parts)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Polls `probe` until it returns a truthy value or the time is up. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Position just after the first occurrence of `needle` (plus `offset`) in the document. */
export function positionAfter(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = doc.getText().indexOf(needle);
  assert.ok(index >= 0, `'${needle}' not found in ${doc.uri.fsPath}`);
  return doc.positionAt(index + needle.length + offset);
}

/** Every file below `dir`, as sorted `/`-separated relative paths. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    if (!fs.existsSync(current)) return;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
