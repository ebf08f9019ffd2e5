/**
 * The Static Files view's rows, made from the server's folder listings (`listFolder`) one folder at a time.
 * Each row stays one object for as long as the view shows its path, as VS Code's reveal needs. No vscode
 * import, so the unit tests build it directly.
 */
import type { FindingCounts, FolderListing, StaticFileRow, StaticFolderRow } from '../../server/src/protocol';
import { plural } from '../../server/src/text';

export type Counts = FindingCounts;

export interface FolderNode {
  kind: 'folder';
  id: string;
  row: StaticFolderRow;
  parent: FolderNode | undefined;
}

export interface FileNode {
  kind: 'file';
  id: string;
  row: StaticFileRow;
  parent: FolderNode | undefined;
}

/** Stands for the children a folder's listing left out. */
export interface MoreNode {
  kind: 'more';
  id: string;
  /** The folder's destination path. */
  folder: string;
  count: number;
  parent: FolderNode | undefined;
}

export type Node = FolderNode | FileNode | MoreNode;

export function total(c: Counts): number {
  return c.errors + c.warnings + c.others;
}

/** The rows made so far, by id: a listing's children reuse the rows already shown for the same paths. */
export class RowCache {
  private readonly nodes = new Map<string, Node>();

  clear(): void {
    this.nodes.clear();
  }

  get(id: string): Node | undefined {
    return this.nodes.get(id);
  }

  /** The children of `parent` (undefined: the top level) as its listing gives them, folders first, then files. */
  children(listing: FolderListing, parent: FolderNode | undefined): Node[] {
    const out: Node[] = [];
    for (const row of listing.folders) out.push(this.keep({ kind: 'folder', id: `folder:${row.path}`, row, parent }));
    for (const row of listing.files) out.push(this.keep({ kind: 'file', id: `file:${row.path}`, row, parent }));
    if (listing.more > 0) {
      const folder = listing.folder.path;
      out.push(this.keep({ kind: 'more', id: `more:${folder}`, folder, count: listing.more, parent }));
    }
    return out;
  }

  private keep<N extends Node>(fresh: N): N {
    const known = this.nodes.get(fresh.id);
    if (known && known.kind === fresh.kind) return Object.assign(known, fresh) as N;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }
}

/** "2 errors, 1 warning" (empty when there are none). */
export function describeCounts(c: Counts): string {
  const parts: string[] = [];
  if (c.errors) parts.push(plural(c.errors, 'error'));
  if (c.warnings) parts.push(plural(c.warnings, 'warning'));
  if (c.others) parts.push(plural(c.others, 'note'));
  return parts.join(', ');
}
