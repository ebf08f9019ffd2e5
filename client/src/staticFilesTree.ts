/**
 * The Static Files view's model: the collected destinations as a folder tree, the project's findings
 * counted on each file and folder, and the filters (files with problems; the paths a template references).
 * No vscode import, so the unit tests build it directly.
 */
import type { StaticFileFindings, StaticFileItem } from '../../server/src/protocol';
import { plural } from '../../server/src/text';

/** Findings counted on a file, or on a folder for everything below it. */
export interface Counts {
  errors: number;
  warnings: number;
  others: number;
}

export interface FolderNode {
  kind: 'folder';
  name: string;
  /** Destination folder path, `/`-separated. */
  path: string;
  parent: FolderNode | undefined;
  folders: Map<string, FolderNode>;
  files: FileNode[];
  fileCount: number;
  shadowingCount: number;
  /** Findings about any path below, files that do not exist included (a missing `css/sites.css` counts on `css`). */
  findings: Counts;
}

export interface FileNode {
  kind: 'file';
  name: string;
  parent: FolderNode;
  file: StaticFileItem;
  findings: Counts;
}

export type Node = FolderNode | FileNode;

const none = (): Counts => ({ errors: 0, warnings: 0, others: 0 });

export function total(c: Counts): number {
  return c.errors + c.warnings + c.others;
}

function folder(name: string, path: string, parent: FolderNode | undefined): FolderNode {
  return { kind: 'folder', name, path, parent, folders: new Map(), files: [], fileCount: 0, shadowingCount: 0, findings: none() };
}

/** Folder tree of the collected destinations; counts include every file below a folder. */
export function buildTree(files: readonly StaticFileItem[], findings: readonly StaticFileFindings[] = []): FolderNode {
  const root = folder('', '', undefined);
  const byPath = new Map<string, FileNode>();
  const byAbsPath = new Map<string, FileNode>();
  for (const file of files) {
    const parts = file.path.split('/');
    const name = parts.pop() ?? file.path;
    let at = root;
    for (const part of parts) {
      let next = at.folders.get(part);
      if (!next) at.folders.set(part, (next = folder(part, at.path ? `${at.path}/${part}` : part, at)));
      at = next;
    }
    const node: FileNode = { kind: 'file', name, parent: at, file, findings: none() };
    at.files.push(node);
    byPath.set(file.path, node);
    byAbsPath.set(file.absPath, node);
    for (let f: FolderNode | undefined = at; f; f = f.parent) {
      f.fileCount++;
      if (file.shadowed) f.shadowingCount++;
    }
  }
  for (const counts of findings) {
    const node =
      counts.path !== undefined ? byPath.get(counts.path) : counts.absPath !== undefined ? byAbsPath.get(counts.absPath) : undefined;
    if (node) add(node.findings, counts);
    const start = node?.parent ?? (counts.path !== undefined ? deepestFolder(root, counts.path) : undefined);
    for (let f = start; f; f = f.parent) add(f.findings, counts);
  }
  return root;
}

function add(to: Counts, from: Counts): void {
  to.errors += from.errors;
  to.warnings += from.warnings;
  to.others += from.others;
}

/** The deepest existing folder on the way to `path` (the root when not even its first folder exists). */
function deepestFolder(root: FolderNode, path: string): FolderNode {
  let at = root;
  for (const part of path.split('/').slice(0, -1)) {
    const next = at.folders.get(part);
    if (!next) break;
    at = next;
  }
  return at;
}

/** What the view shows: everything, the files with findings or shadowed copies, or the paths one template references. */
export type Filter = { kind: 'all' } | { kind: 'problems' } | { kind: 'references'; absPaths: ReadonlySet<string> };

function shown(file: FileNode, filter: Filter): boolean {
  if (filter.kind === 'problems') return total(file.findings) > 0 || file.file.shadowed > 0;
  if (filter.kind === 'references') return filter.absPaths.has(file.file.absPath);
  return true;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A folder's children under the filter: folders first, empty ones left out. */
export function childrenOf(at: FolderNode, filter: Filter): Node[] {
  const folders = [...at.folders.values()].filter((f) => filter.kind === 'all' || hasShown(f, filter)).sort(byName);
  return [...folders, ...at.files.filter((f) => shown(f, filter)).sort(byName)];
}

function hasShown(at: FolderNode, filter: Filter): boolean {
  return at.files.some((f) => shown(f, filter)) || [...at.folders.values()].some((f) => hasShown(f, filter));
}

/** The files of the tree under the filter, in tree order. */
export function shownFiles(at: FolderNode, filter: Filter): FileNode[] {
  return childrenOf(at, filter).flatMap((n) => (n.kind === 'file' ? [n] : shownFiles(n, filter)));
}

/** "2 errors, 1 warning" (empty when there are none). */
export function describeCounts(c: Counts): string {
  const parts: string[] = [];
  if (c.errors) parts.push(plural(c.errors, 'error'));
  if (c.warnings) parts.push(plural(c.warnings, 'warning'));
  if (c.others) parts.push(plural(c.others, 'note'));
  return parts.join(', ');
}
