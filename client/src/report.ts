/**
 * The Static Files Report as a read-only virtual document (`django-static-report:`), rendered in the
 * Markdown preview when available. Its content is the server's ProjectSummary.reportMarkdown.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ctx } from './ctx';

export const REPORT_SCHEME = 'django-static-report';

export class ReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly open = new Set<string>();

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      ctx.onDidChangeProjects(() => {
        for (const uri of this.open) this.changed.fire(vscode.Uri.parse(uri));
      }),
    );
  }

  static uriFor(projectDir: string): vscode.Uri {
    return vscode.Uri.from({
      scheme: REPORT_SCHEME,
      path: `/${path.basename(projectDir) || 'project'}/Static Files Report.md`,
      query: projectDir,
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.open.add(uri.toString());
    const project = this.ctx.projects.find((p) => p.projectDir === uri.query) ?? this.ctx.activeProject;
    if (!project) {
      return [
        '# Django Static Files',
        '',
        this.ctx.failure ?? 'No Django project has been learned yet. Run **Django Static: Reindex** once the language server is ready.',
      ].join('\n');
    }
    return project.reportMarkdown || `# ${project.projectDir}\n\nThe server sent no report for this project.`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
