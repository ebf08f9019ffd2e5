/**
 * The "Static Files" view in the explorer: the active project's collected namespace as collectstatic will
 * write it, folder by folder. Each file names the source that wins and how many later sources it shadows;
 * "Show Shadowed Copies" lists every source of a path in finder order. The data is the server's
 * (`listFiles`, `fileSources`), rebuilt only while the view is visible, since a big project has 100k rows.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plural } from '../../server/src/text';
import { Methods, ProjectSummary, StaticFileItem } from '../../server/src/protocol';
import { Ctx } from './ctx';

export const STATIC_FILES_VIEW = 'djangoStatic.staticFiles';

interface FolderNode {
  kind: 'folder';
  name: string;
  /** Destination folder path, `/`-separated. */
  path: string;
  folders: Map<string, FolderNode>;
  files: FileNode[];
  fileCount: number;
  shadowingCount: number;
}

interface FileNode {
  kind: 'file';
  name: string;
  file: StaticFileItem;
}

type Node = FolderNode | FileNode;

/** Folder tree of the collected destinations; counts include every file below a folder. */
export function buildTree(files: readonly StaticFileItem[]): FolderNode {
  const root: FolderNode = { kind: 'folder', name: '', path: '', folders: new Map(), files: [], fileCount: 0, shadowingCount: 0 };
  for (const file of files) {
    const parts = file.path.split('/');
    const name = parts.pop() ?? file.path;
    let folder = root;
    const chain = [root];
    for (const part of parts) {
      let next = folder.folders.get(part);
      if (!next) {
        next = {
          kind: 'folder',
          name: part,
          path: folder.path ? `${folder.path}/${part}` : part,
          folders: new Map(),
          files: [],
          fileCount: 0,
          shadowingCount: 0,
        };
        folder.folders.set(part, next);
      }
      folder = next;
      chain.push(folder);
    }
    folder.files.push({ kind: 'file', name, file });
    for (const f of chain) {
      f.fileCount++;
      if (file.shadowed) f.shadowingCount++;
    }
  }
  return root;
}

function childrenOf(folder: FolderNode): Node[] {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...[...folder.folders.values()].sort(byName), ...[...folder.files].sort(byName)];
}

export class StaticFilesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private root: FolderNode | undefined;
  private project: ProjectSummary | undefined;
  private stale = true;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(STATIC_FILES_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      ctx.onDidChangeProjects(() => this.invalidate()),
      vscode.window.onDidChangeActiveTextEditor(() => {
        if (this.ctx.activeProject?.projectDir !== this.project?.projectDir) this.invalidate();
      }),
      this.view.onDidChangeVisibility((e) => e.visible && this.stale && this.changed.fire(undefined)),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private invalidate(): void {
    this.stale = true;
    if (this.view.visible) this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.kind === 'folder' ? childrenOf(node) : [];
    if (this.stale || !this.root) await this.load();
    return this.root ? childrenOf(this.root) : [];
  }

  private async load(): Promise<void> {
    this.stale = false;
    const project = this.ctx.activeProject;
    this.project = project;
    if (!project) {
      this.root = undefined;
      this.view.badge = undefined;
      this.view.message = this.ctx.failure ?? 'No Django project has been learned yet.';
      this.view.description = undefined;
      return;
    }
    const files = await this.ctx.request(Methods.listFiles, { projectDir: project.projectDir }).catch(() => [] as StaticFileItem[]);
    this.root = buildTree(files);
    this.view.message = files.length ? undefined : `collectstatic would write nothing for ${project.projectDir}.`;
    const shadowing = this.root.shadowingCount;
    this.view.description = `${path.basename(project.projectDir)}: ${plural(files.length, 'file')}${shadowing ? `, ${shadowing} shadowing` : ''}`;
    // The badge shows on the explorer's icon too, so shadowed paths are noticed without opening the view.
    this.view.badge = shadowing
      ? { value: shadowing, tooltip: `${plural(shadowing, 'collected path')} shadowing later copies` }
      : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `folder:${node.path}`;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = node.shadowingCount
        ? `${plural(node.fileCount, 'file')}, ${node.shadowingCount} shadowing`
        : plural(node.fileCount, 'file');
      item.contextValue = 'staticFolder';
      return item;
    }
    const { file } = node;
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = `file:${file.path}`;
    const uri = vscode.Uri.file(file.absPath);
    item.resourceUri = uri;
    item.description = file.shadowed ? `${file.source} · shadows ${file.shadowed}` : file.source;
    if (file.shadowed) item.iconPath = new vscode.ThemeIcon('copy', new vscode.ThemeColor('list.warningForeground'));
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${file.path}** is collected from \`${file.source}\`\n\n`);
    tooltip.appendText(file.absPath);
    if (file.shadowed)
      tooltip.appendMarkdown(`\n\nAlso provided by ${plural(file.shadowed, 'later source')}, which collectstatic ignores.`);
    item.tooltip = tooltip;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    item.contextValue = file.shadowed ? 'staticFile.shadowed' : 'staticFile';
    return item;
  }
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
