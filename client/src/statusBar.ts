// Status bar item: active project, mode, file and duplicate counts; a click opens the report.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ctx } from './ctx';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('djangoStatic.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly ctx: Ctx) {
    this.item.name = 'Django Static Files';
    this.item.command = 'djangoStatic.showReport';
    this.disposables.push(
      ctx.onDidChangeProjects(() => this.update()),
      ctx.onDidChangeState(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  update(): void {
    const project = this.ctx.activeProject;
    const restricted = vscode.workspace.isTrusted ? '' : ' (Restricted Mode)';
    if (project) {
      const name = path.basename(project.projectDir);
      const dup = project.duplicateCount ? `, $(warning) ${project.duplicateCount}` : '';
      // The static reading answers first; say so until Django mode's answer replaces it.
      const mode = project.refining ? `${project.mode}, Django mode $(sync~spin)` : project.mode;
      this.item.text = `$(file-symlink-directory) ${name}: ${mode} · ${project.fileCount} files${dup}`;
      this.item.tooltip = new vscode.MarkdownString(
        [
          `**Django Static Files**${restricted}`,
          `Project: \`${project.projectDir}\``,
          `Mode: ${project.mode} (${project.modeReason})`,
          `Python: ${project.python ?? 'not used'} · Django ${project.djangoVersion ?? 'unknown'}`,
          `STATIC_URL: \`${project.staticUrl ?? 'unset'}\` · STATIC_ROOT: \`${project.staticRoot ?? 'unset'}\``,
          `${project.fileCount} static files, ${project.duplicateCount} duplicate paths`,
          project.templateCount !== undefined
            ? `${project.templateCount} templates checked${project.uncoveredTemplateCount ? `; ${project.uncoveredTemplateCount} template-looking files outside what TEMPLATES covers` : ''}`
            : '',
          project.unknownSources?.length ? `Not known to static mode: ${project.unknownSources.join(', ')}` : '',
          this.ctx.projects.length > 1 ? `${this.ctx.projects.length} projects; run *Select Django Project* to switch.` : '',
          'Click for the report.',
        ].filter(Boolean).join('\n\n'),
      );
      this.item.backgroundColor = undefined;
    } else if (this.ctx.failure) {
      this.item.text = '$(error) Django Static';
      this.item.tooltip = this.ctx.failure;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.item.text = this.ctx.running ? `$(file-symlink-directory) Django Static${restricted}` : '$(loading~spin) Django Static';
      this.item.tooltip = this.ctx.running ? 'No Django project learned yet.' : 'Learning the Django project…';
      this.item.backgroundColor = undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
