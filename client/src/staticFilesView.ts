/**
 * The "Static Files" view in the explorer: the active project's collected namespace as collectstatic will
 * write it, folder by folder. Each file names the source that wins and how many later sources it shadows;
 * "Show Shadowed Copies" lists every source of a path in finder order. The project's findings show as
 * decorations (badge and colour) on the files they are about and on the folders above them; the view can
 * narrow to the files with problems or to the ones the active template references. The data is the
 * server's (`listFiles`, `fileSources`, `findings`), rebuilt only while the view is visible, since a big
 * project has 100k rows; new diagnostics ask for the findings again, not for the files.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plural } from '../../server/src/text';
import { Methods, ProjectSummary, StaticFileFindings, StaticFileItem } from '../../server/src/protocol';
import { Ctx } from './ctx';
import { buildTree, childrenOf, Counts, describeCounts, Filter, FolderNode, Node, shownFiles, total } from './staticFilesTree';

export const STATIC_FILES_VIEW = 'djangoStatic.staticFiles';
/** Rows carry URIs of this scheme so that only they get the findings' decorations (not the Explorer). */
const ROW_SCHEME = 'django-static-files';
const FILTER_CONTEXT = 'djangoStatic.staticFiles.filtered';
/** Diagnostics arrive in bursts while the workspace is checked: the counts are asked for once it is quiet. */
const FINDINGS_QUIET_MS = 500;

export class StaticFilesView implements vscode.TreeDataProvider<Node>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private root: FolderNode | undefined;
  private files: StaticFileItem[] = [];
  private project: ProjectSummary | undefined;
  private stale = true;
  private filter: Filter = { kind: 'all' };
  /** What the references filter names: the template and how many of its paths no file serves. */
  private filterNote: string | undefined;
  private readonly decorations = new Map<string, Counts>();
  private findingsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(STATIC_FILES_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.decorationsChanged,
      vscode.window.registerFileDecorationProvider(this),
      ctx.onDidChangeProjects(() => this.invalidate()),
      vscode.window.onDidChangeActiveTextEditor(() => {
        if (this.ctx.activeProject?.projectDir !== this.project?.projectDir) this.invalidate();
      }),
      vscode.languages.onDidChangeDiagnostics(() => this.findingsChanged()),
      this.view.onDidChangeVisibility((e) => e.visible && this.stale && this.changed.fire(undefined)),
      vscode.commands.registerCommand('djangoStatic.showProblemsOnly', () => this.setFilter({ kind: 'problems' })),
      vscode.commands.registerCommand('djangoStatic.showAllStaticFiles', () => this.setFilter({ kind: 'all' })),
      vscode.commands.registerCommand('djangoStatic.revealTemplateReferences', () => this.revealTemplateReferences()),
    );
  }

  dispose(): void {
    clearTimeout(this.findingsTimer);
    for (const d of this.disposables) d.dispose();
  }

  private invalidate(): void {
    this.stale = true;
    if (this.view.visible) this.changed.fire(undefined);
  }

  private findingsChanged(): void {
    clearTimeout(this.findingsTimer);
    this.findingsTimer = setTimeout(() => {
      if (!this.view.visible || this.stale || !this.project) return;
      const project = this.project;
      void this.ctx
        .request(Methods.findings, { projectDir: project.projectDir })
        .catch(() => [] as StaticFileFindings[])
        .then((findings) => {
          if (this.stale || this.project !== project) return;
          this.show(buildTree(this.files, findings));
          this.changed.fire(undefined);
        });
    }, FINDINGS_QUIET_MS);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.kind === 'folder' ? childrenOf(node, this.filter) : [];
    if (this.stale || !this.root) await this.load();
    return this.root ? childrenOf(this.root, this.filter) : [];
  }

  getParent(node: Node): Node | undefined {
    return node.parent && node.parent.path !== '' ? node.parent : undefined;
  }

  private async load(): Promise<void> {
    this.stale = false;
    const project = this.ctx.activeProject;
    this.project = project;
    if (!project) {
      this.root = undefined;
      this.files = [];
      this.view.badge = undefined;
      this.view.message = this.ctx.failure ?? 'No Django project has been learned yet.';
      this.view.description = undefined;
      return;
    }
    const params = { projectDir: project.projectDir };
    const [files, findings] = await Promise.all([
      this.ctx.request(Methods.listFiles, params).catch(() => [] as StaticFileItem[]),
      // An older server has no findings request: the view then shows no badges rather than failing.
      this.ctx.request(Methods.findings, params).catch(() => [] as StaticFileFindings[]),
    ]);
    this.files = files;
    this.show(buildTree(files, findings));
  }

  private show(root: FolderNode): void {
    this.root = root;
    this.setDecorations(root);
    this.describe();
  }

  private describe(): void {
    const root = this.root;
    const project = this.project;
    if (!root || !project) return;
    const shadowing = root.shadowingCount;
    const counts = describeCounts(root.findings);
    this.view.description = `${path.basename(project.projectDir)}: ${plural(root.fileCount, 'file')}${shadowing ? `, ${shadowing} shadowing` : ''}${counts ? `; ${counts}` : ''}`;
    // The badge shows on the explorer's icon too, so shadowed paths are noticed without opening the view.
    this.view.badge = shadowing
      ? { value: shadowing, tooltip: `${plural(shadowing, 'collected path')} shadowing later copies` }
      : undefined;
    if (root.fileCount === 0) this.view.message = `collectstatic would write nothing for ${project.projectDir}.`;
    else if (this.filter.kind === 'problems')
      this.view.message = shownFiles(root, this.filter).length
        ? 'Files with findings or shadowed copies.'
        : 'No file has findings or shadowed copies.';
    else if (this.filter.kind === 'references') this.view.message = this.filterNote;
    else this.view.message = undefined;
  }

  private setDecorations(root: FolderNode): void {
    this.decorations.clear();
    const walk = (at: FolderNode) => {
      if (total(at.findings)) this.decorations.set(rowUri(at).toString(), at.findings);
      for (const f of at.files) if (total(f.findings)) this.decorations.set(rowUri(f).toString(), f.findings);
      for (const child of at.folders.values()) walk(child);
    };
    walk(root);
    this.decorationsChanged.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== ROW_SCHEME) return undefined;
    const counts = this.decorations.get(uri.toString());
    if (!counts) return undefined;
    const worst = counts.errors ? counts.errors : counts.warnings ? counts.warnings : counts.others;
    const color = counts.errors ? 'list.errorForeground' : counts.warnings ? 'list.warningForeground' : undefined;
    return new vscode.FileDecoration(worst > 99 ? '99+' : String(worst), describeCounts(counts), color && new vscode.ThemeColor(color));
  }

  private async setFilter(filter: Filter, note?: string): Promise<void> {
    this.filter = filter;
    this.filterNote = note;
    await vscode.commands.executeCommand('setContext', FILTER_CONTEXT, filter.kind !== 'all');
    this.describe();
    this.changed.fire(undefined);
  }

  /**
   * Narrows the view to the static files the active template's `{% static %}` paths serve (its document
   * links name them) and reveals them; the paths no file serves are counted from its missing-file findings.
   */
  private async revealTemplateReferences(): Promise<string[]> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Open a template to reveal the static files it references.');
      return [];
    }
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri)) ?? [];
    const absPaths = new Set(links.flatMap((l) => (l.target?.scheme === 'file' ? [l.target.fsPath] : [])));
    const missing = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === 'django-static' && d.code === 'missing-file').length;
    if (this.stale || !this.root) await this.load();
    const root = this.root;
    const filter: Filter = { kind: 'references', absPaths };
    const files = root ? shownFiles(root, filter) : [];
    const name = vscode.workspace.asRelativePath(doc.uri);
    const note = `${plural(files.length, 'static file')} referenced by ${name}${missing ? `; ${plural(missing, 'path')} no file serves (see Problems)` : ''}. Show all files to clear.`;
    await this.setFilter(filter, note);
    await vscode.commands.executeCommand(`${STATIC_FILES_VIEW}.focus`);
    for (const [i, file] of files.entries()) {
      await this.view.reveal(file, { select: i === 0, focus: false, expand: true }).then(undefined, () => undefined);
    }
    return files.map((f) => f.file.path);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const expand = this.filter.kind === 'all' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const findings = describeCounts(node.findings);
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.name, expand);
      item.id = `folder:${node.path}`;
      item.resourceUri = rowUri(node);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = node.shadowingCount
        ? `${plural(node.fileCount, 'file')}, ${node.shadowingCount} shadowing`
        : plural(node.fileCount, 'file');
      if (findings) item.tooltip = `${node.path}/: ${findings} in the project's findings about paths below it`;
      item.contextValue = 'staticFolder';
      return item;
    }
    const { file } = node;
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = `file:${file.path}`;
    const uri = vscode.Uri.file(file.absPath);
    item.resourceUri = rowUri(node);
    item.description = file.shadowed ? `${file.source} · shadows ${file.shadowed}` : file.source;
    if (file.shadowed) item.iconPath = new vscode.ThemeIcon('copy', new vscode.ThemeColor('list.warningForeground'));
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${file.path}** is collected from \`${file.source}\`\n\n`);
    tooltip.appendText(file.absPath);
    if (file.shadowed)
      tooltip.appendMarkdown(`\n\nAlso provided by ${plural(file.shadowed, 'later source')}, which collectstatic ignores.`);
    if (findings) tooltip.appendMarkdown(`\n\nFindings: ${findings} (see Problems).`);
    item.tooltip = tooltip;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    item.contextValue = file.shadowed ? 'staticFile.shadowed' : 'staticFile';
    return item;
  }
}

/** The row's own URI: its destination path, so the file icon theme still knows the file by its name. */
function rowUri(node: Node): vscode.Uri {
  const dest = node.kind === 'folder' ? node.path : node.file.path;
  return vscode.Uri.from({ scheme: ROW_SCHEME, path: `/${dest}` });
}

/** "Show Shadowed Copies": every source of the path in finder order; picking one opens it. */
export function showShadowedCopies(ctx: Ctx) {
  return async (node?: { file?: StaticFileItem }): Promise<string[] | undefined> => {
    const project = ctx.activeProject;
    const file = node?.file;
    if (!project || !file) return undefined;
    const sources = await ctx.request(Methods.fileSources, { projectDir: project.projectDir, path: file.path });
    type Item = vscode.QuickPickItem & { absPath: string };
    const items: Item[] = sources.map((s) => ({
      label: s.source,
      description: s.collected ? 'collected' : 'shadowed: never served or collected',
      detail: s.absPath,
      absPath: s.absPath,
    }));
    void vscode.window
      .showQuickPick(items, { title: `${file.path}: ${plural(sources.length, 'source')} in finder order`, matchOnDetail: true })
      .then((picked) => picked && vscode.window.showTextDocument(vscode.Uri.file(picked.absPath), { preview: true }));
    return sources.map((s) => s.absPath);
  };
}
