/**
 * The "Static Files" view in the explorer: the active project's collected namespace as collectstatic will
 * write it, folder by folder. Each file names the source that wins and how many later sources it shadows;
 * "Show Shadowed Copies" lists every source of a path in finder order. The project's findings show as
 * decorations (badge and colour) on the files they are about and on the folders above them; the view can
 * narrow to the files with problems or to the ones the active template references. The server lists one
 * folder when it is expanded (`listFolder`), at most a few hundred children each, the rest left to Find
 * Static File: a monorepo's million files never cross the wire. New diagnostics list the shown folders again.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plural } from '../../server/src/text';
import { FolderListing, Methods, ProjectSummary, StaticFileItem, StaticFilesFilter } from '../../server/src/protocol';
import { Ctx } from './ctx';
import { Counts, describeCounts, FolderNode, Node, RowCache, total } from './staticFilesTree';

export const STATIC_FILES_VIEW = 'djangoStatic.staticFiles';
/** Rows carry URIs of this scheme so that only they get the findings' decorations (not the Explorer). */
const ROW_SCHEME = 'django-static-files';
const FILTER_CONTEXT = 'djangoStatic.staticFiles.filtered';
/** Diagnostics arrive in bursts while the workspace is checked: the rows are listed again once it is quiet. */
const FINDINGS_QUIET_MS = 500;

export class StaticFilesView implements vscode.TreeDataProvider<Node>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rows = new RowCache();
  private project: ProjectSummary | undefined;
  /** The top folder's last listing: its counts describe the whole project. */
  private top: FolderListing | undefined;
  private stale = true;
  private filter: StaticFilesFilter = { kind: 'all' };
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
      if (this.view.visible && !this.stale && this.project) this.changed.fire(undefined);
    }, FINDINGS_QUIET_MS);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node && node.kind !== 'folder') return [];
    if (!node) {
      this.stale = false;
      this.project = this.ctx.activeProject;
      if (!this.project) {
        this.rows.clear();
        this.top = undefined;
        this.view.badge = undefined;
        this.view.message = this.ctx.failure ?? 'No Django project has been learned yet.';
        this.view.description = undefined;
        return [];
      }
    }
    const listing = await this.list(node?.row.path ?? '');
    if (!listing) return [];
    if (!node) {
      this.top = listing;
      this.decorations.clear();
      this.describe();
    }
    const children = this.rows.children(listing, node);
    for (const child of children) if (child.kind !== 'more') this.decorate(child.row.path, child.row.findings);
    this.decorationsChanged.fire(undefined);
    return children;
  }

  /** One folder of the active project under the current filter; null when the server has no answer. */
  private async list(folder: string): Promise<FolderListing | null> {
    const project = this.project;
    if (!project) return null;
    // An older server has no listFolder request: the view then stays empty rather than failing.
    return this.ctx.request(Methods.listFolder, { projectDir: project.projectDir, folder, filter: this.filter }).catch(() => null);
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  private describe(): void {
    const top = this.top;
    const project = this.project;
    if (!top || !project) return;
    const { fileCount, shadowingCount: shadowing, findings } = top.folder;
    const counts = describeCounts(findings);
    this.view.description = `${path.basename(project.projectDir)}: ${plural(fileCount, 'file')}${shadowing ? `, ${shadowing} shadowing` : ''}${counts ? `; ${counts}` : ''}`;
    // The badge shows on the explorer's icon too, so shadowed paths are noticed without opening the view.
    this.view.badge = shadowing
      ? { value: shadowing, tooltip: `${plural(shadowing, 'collected path')} shadowing later copies` }
      : undefined;
    if (fileCount === 0) this.view.message = `collectstatic would write nothing for ${project.projectDir}.`;
    else if (this.filter.kind === 'problems')
      this.view.message = top.shownCount ? 'Files with findings or shadowed copies.' : 'No file has findings or shadowed copies.';
    else if (this.filter.kind === 'references') this.view.message = this.filterNote;
    else this.view.message = undefined;
  }

  private decorate(dest: string, counts: Counts): void {
    const key = rowUri(dest).toString();
    if (total(counts)) this.decorations.set(key, counts);
    else this.decorations.delete(key);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== ROW_SCHEME) return undefined;
    const counts = this.decorations.get(uri.toString());
    if (!counts) return undefined;
    const worst = counts.errors ? counts.errors : counts.warnings ? counts.warnings : counts.others;
    const color = counts.errors ? 'list.errorForeground' : counts.warnings ? 'list.warningForeground' : undefined;
    return new vscode.FileDecoration(worst > 99 ? '99+' : String(worst), describeCounts(counts), color && new vscode.ThemeColor(color));
  }

  private async setFilter(filter: StaticFilesFilter, note?: string): Promise<void> {
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
    const absPaths = [...new Set(links.flatMap((l) => (l.target?.scheme === 'file' ? [l.target.fsPath] : [])))];
    const missing = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === 'django-static' && d.code === 'missing-file').length;
    const filter: StaticFilesFilter = { kind: 'references', absPaths };
    this.project = this.ctx.activeProject;
    this.filter = filter;
    const paths = (await this.list(''))?.shownPaths ?? [];
    const name = vscode.workspace.asRelativePath(doc.uri);
    const note = `${plural(paths.length, 'static file')} referenced by ${name}${missing ? `; ${plural(missing, 'path')} no file serves (see Problems)` : ''}. Show all files to clear.`;
    await this.setFilter(filter, note);
    await vscode.commands.executeCommand(`${STATIC_FILES_VIEW}.focus`);
    for (const [i, dest] of paths.entries()) {
      const file = await this.rowOf(dest);
      if (file) await this.view.reveal(file, { select: i === 0, focus: false, expand: true }).then(undefined, () => undefined);
    }
    return paths;
  }

  /** The row of a shown file, listing the folders on its way as the view would when they are expanded. */
  private async rowOf(dest: string): Promise<Node | undefined> {
    let parent: FolderNode | undefined;
    const parts = dest.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const id = i === parts.length ? `file:${dest}` : `folder:${parts.slice(0, i).join('/')}`;
      let node = this.rows.get(id);
      if (!node || node.parent !== parent) {
        const listing = await this.list(parent?.row.path ?? '');
        if (!listing) return undefined;
        this.rows.children(listing, parent);
        node = this.rows.get(id);
      }
      if (!node) return undefined;
      if (node.kind === 'file') return node;
      if (node.kind !== 'folder') return undefined;
      parent = node;
    }
    return undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`… ${node.count} more — Find Static File to search`, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('search');
      item.tooltip = `${plural(node.count, 'more entry', 'more entries')} in ${node.folder || 'the top folder'}: too many to list here; Find Static File searches them all.`;
      item.command = {
        command: 'djangoStatic.findStaticFile',
        title: 'Find Static File',
        arguments: [node.folder ? `${node.folder}/` : ''],
      };
      return item;
    }
    const expand = this.filter.kind === 'all' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const findings = describeCounts(node.row.findings);
    if (node.kind === 'folder') {
      const { row } = node;
      const item = new vscode.TreeItem(row.name, expand);
      item.id = node.id;
      item.resourceUri = rowUri(row.path);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = row.shadowingCount
        ? `${plural(row.fileCount, 'file')}, ${row.shadowingCount} shadowing`
        : plural(row.fileCount, 'file');
      if (findings) item.tooltip = `${row.path}/: ${findings} in the project's findings about paths below it`;
      item.contextValue = 'staticFolder';
      return item;
    }
    const file = node.row;
    const item = new vscode.TreeItem(file.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const uri = vscode.Uri.file(file.absPath);
    item.resourceUri = rowUri(file.path);
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
function rowUri(dest: string): vscode.Uri {
  return vscode.Uri.from({ scheme: ROW_SCHEME, path: `/${dest}` });
}

/** "Show Shadowed Copies": every source of the path in finder order; picking one opens it. */
export function showShadowedCopies(ctx: Ctx) {
  return async (node?: { row?: StaticFileItem }): Promise<string[] | undefined> => {
    const project = ctx.activeProject;
    const file = node?.row && 'absPath' in node.row ? node.row : undefined;
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
