// Status bar item: active project, mode, file and duplicate counts; a click opens the report, or, when
// Django mode failed, the actions that fix it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeMode, escapeMarkdown, markdownCode, plural } from '../../server/src/text';
import { readSettings } from './config';
import { Ctx } from './ctx';
import { djangoModeFailure, MODE_ACTIONS } from './modeStatus';
import type { ProjectSummary } from '../../server/src/protocol';

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
      const failed = djangoModeFailure(project, readSettings().mode, vscode.workspace.isTrusted);
      // The static reading answers first; say so until Django mode's answer replaces it.
      const mode = project.refining ? `${project.mode}, Django mode $(sync~spin)` : failed ? 'static (Django mode failed)' : project.mode;
      // What collectstatic copies, as the report's "collected" count; ignored files are said in the tooltip.
      const collected = project.collectedCount ?? project.fileCount;
      this.item.text = `${failed ? '$(warning)' : '$(file-symlink-directory)'} ${name}: ${mode} · ${plural(collected, 'file')}${dup}`;
      const tooltip = new vscode.MarkdownString(
        [
          `**Django Static Files**${restricted}`,
          `Project: ${markdownCode(project.projectDir)}`,
          failed
            ? `$(warning) Django mode failed, so settings are read without running them (approximate): ${escapeMarkdown(failed)}\n\n${MODE_ACTIONS.map((a) => `[${a.title}](command:${a.command})`).join(' · ')}`
            : escapeMarkdown(describeMode(project.mode, project.modeReason)),
          `Python: ${project.python ? markdownCode(project.python) : 'not used'} · Django ${project.djangoVersion ?? 'unknown'}`,
          `STATIC_URL: ${project.staticUrl === null ? 'unset' : markdownCode(project.staticUrl)} · STATIC_ROOT: ${project.staticRoot === null ? 'unset' : markdownCode(project.staticRoot)}`,
          `${plural(collected, 'static file')} collected${collected !== project.fileCount ? ` (findstatic finds ${project.fileCount}: collectstatic's ignore patterns skip ${project.fileCount - collected})` : ''}, ${plural(project.duplicateCount, 'duplicate path')}`,
          project.templateCount !== undefined
            ? `${plural(project.templateCount, 'template')} checked${project.uncoveredTemplateCount ? `; ${plural(project.uncoveredTemplateCount, 'template-looking file')} outside what TEMPLATES covers` : ''}`
            : '',
          referenceLine(project.referenceFindings),
          project.unknownSources?.length ? `Not known to static mode: ${escapeMarkdown(project.unknownSources.join(', '))}` : '',
          this.ctx.projects.length > 1 ? `${this.ctx.projects.length} projects; run *Select Django Project* to switch.` : '',
          failed ? 'Click for these actions.' : 'Click for the report.',
        ]
          .filter(Boolean)
          .join('\n\n'),
        true,
      );
      tooltip.isTrusted = { enabledCommands: MODE_ACTIONS.map((a) => a.command) };
      this.item.tooltip = tooltip;
      this.item.command = failed ? 'djangoStatic.djangoModeActions' : 'djangoStatic.showReport';
      this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else if (this.ctx.failure) {
      this.item.text = '$(error) Django Static Files';
      this.item.tooltip = this.ctx.failure;
      this.item.command = 'djangoStatic.showOutput';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.item.text = this.ctx.running
        ? `$(file-symlink-directory) Django Static Files${restricted}`
        : '$(loading~spin) Django Static Files';
      this.item.tooltip = this.ctx.running ? 'No Django project learned yet.' : 'Learning the Django project…';
      this.item.command = 'djangoStatic.showReport';
      this.item.backgroundColor = undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The findings that need every reference, as the summary counts them (see the report for the files). */
function referenceLine(found: ProjectSummary['referenceFindings']): string {
  if (found === undefined) return '';
  if (found === null) return 'Case mismatches and unreferenced files: pending (the workspace check is still running)';
  const unreferenced =
    found.unreferenced === null
      ? 'unreferenced files not known (CSS/JS references unknown)'
      : plural(found.unreferenced, 'static file') + ' no reference names';
  return `${plural(found.caseMismatches, 'reference')} differing in case from the file on disk · ${unreferenced}`;
}
