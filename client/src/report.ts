/**
 * The Static Files Report in a webview panel: the server's Markdown (`djangoStatic/report`), whole or
 * filtered to one source, rendered by VS Code's own Markdown renderer. A filtered report carries a bar saying
 * what it is filtered to, with a button that shows everything (the Markdown preview runs no command links).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Methods, ReportParams, StaticFilesReport } from '../../server/src/protocol';
import { Ctx } from './ctx';

/** What the panel shows now (returned by the command, for tests). */
export interface ShownReport extends StaticFilesReport {
  /** The panel's HTML, bar and all. */
  html: string;
}

const VIEW_TYPE = 'djangoStatic.report';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: ReportParams = {};
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    // New counts or a new reading: the report shown is redrawn with the same project and filter.
    this.disposables.push(ctx.onDidChangeProjects(() => void (this.panel && this.show(this.shown, false))));
  }

  /** Shows the report of `params.projectDir` (default: the active project), filtered to `params.sourceOrder` if given. */
  async show(params: ReportParams, reveal = true): Promise<ShownReport> {
    const projectDir = params.projectDir ?? this.ctx.activeProject?.projectDir;
    this.shown = { projectDir, sourceOrder: params.sourceOrder ?? null };
    const report = await this.fetch(this.shown);
    const panel = this.ensurePanel(reveal);
    panel.title = report.filteredTo ? `Static Files Report: ${shortLabel(report.filteredTo)}` : 'Static Files Report';
    const html = page(panel.webview, await render(report.markdown), report);
    panel.webview.html = html;
    return { ...report, html };
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private async fetch(params: ReportParams): Promise<StaticFilesReport> {
    const none = (why: string): StaticFilesReport => ({
      projectDir: params.projectDir ?? '',
      markdown: `# Django Static Files\n\n${why}`,
      filteredTo: null,
    });
    if (!this.ctx.running || this.ctx.projects.length === 0)
      return none(
        this.ctx.failure ?? 'No Django project has been learned yet. Run **Django Static: Reindex** once the language server is ready.',
      );
    try {
      return (await this.ctx.request(Methods.report, params)) ?? none('The server has no learned project for this report.');
    } catch (err) {
      return none(`The server could not make the report: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private ensurePanel(reveal: boolean): vscode.WebviewPanel {
    if (this.panel) {
      if (reveal) this.panel.reveal(undefined, false);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Static Files Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [],
    });
    panel.webview.onDidReceiveMessage((message: { command?: string }) => {
      if (message?.command === 'showAll') void this.show({ projectDir: this.shown.projectDir });
    });
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
    return panel;
  }
}

/** HTML from VS Code's Markdown renderer (the built-in Markdown extension), else the text as it is. */
async function render(markdown: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
    if (typeof html === 'string') return html;
  } catch {
    // The Markdown extension is disabled: the plain text still reads well.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

function page(webview: vscode.Webview, body: string, report: StaticFilesReport): string {
  const nonce = [...Array(24)].map(() => Math.floor(Math.random() * 36).toString(36)).join('');
  const bar = report.filteredTo
    ? `<div class="filter" role="status">Filtered to <strong>${escapeHtml(report.filteredTo)}</strong> — <button id="show-all" type="button">Show all</button></div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { padding: 0 20px 20px; line-height: 1.5; }
code { font-family: var(--vscode-editor-font-family); }
.filter { position: sticky; top: 0; padding: 6px 10px; margin: 0 -10px; background: var(--vscode-editorWidget-background); border-bottom: 1px solid var(--vscode-widget-border, transparent); }
.filter button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 2px 10px; cursor: pointer; }
.filter button:hover { background: var(--vscode-button-hoverBackground); }
</style></head>
<body>${bar}${body}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('show-all')?.addEventListener('click', () => vscode.postMessage({ command: 'showAll' }));
</script></body></html>`;
}

/** `STATICFILES_DIRS[0] → /abs/assets` → `assets`; `app 'blog'` stays. */
function shortLabel(label: string): string {
  const arrow = label.lastIndexOf(' → ');
  return arrow >= 0 ? path.basename(label.slice(arrow + 3)) : label;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
