/**
 * Renaming static files from the editor: `textDocument/rename` on a `{% static %}` path renames the file
 * and rewrites every path that served it; `workspace/willRenameFiles` rewrites the paths when the user
 * moves a file or folder in the file explorer. Paths in templates are only rewritten with the user's
 * confirmation: the explorer edits are marked `needsConfirmation`, and a client that cannot ask gets none.
 */
import {
  AnnotatedTextEdit,
  ChangeAnnotation,
  OptionalVersionedTextDocumentIdentifier,
  RenameFile,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { PathMove } from '../service';
import { StaticSource } from '../engine/indexTypes';
import { destinationIn, WorkspaceProject } from './projectManager';
import { lastSegment, ReferencesHost } from './references';
import { isInside } from '../engine/paths';

/** What renames need from the rest of the server: what references need, and where files and open documents are. */
export interface RenameHost extends ReferencesHost {
  projectFor(file: string): WorkspaceProject | undefined;
  /** The editor's version of an open document. */
  openVersion(uri: string): number | undefined;
}

/** The client abilities the edits rely on. */
export interface RenameSupport {
  /** `workspace.workspaceEdit.documentChanges` with the `rename` resource operation. */
  fileRenames: boolean;
  /** `workspace.workspaceEdit.changeAnnotationSupport`: the client can ask before applying edits. */
  confirmation: boolean;
}

const ANNOTATION_ID = 'djangoStatic.staticPaths';
/** A rename we answered renames the file itself; the client may then ask about that very file move. */
const OWN_RENAME_WINDOW_MS = 10_000;

export class StaticRenames {
  private ownRename: { oldUri: string; newUri: string; at: number } | undefined;

  constructor(private readonly host: RenameHost) {}

  /**
   * The edit for renaming the path at the cursor: every template path that served the file, then the file
   * itself. The user typed the new name, so the edits are not marked for confirmation (editors offer a preview).
   */
  async renameEdit(move: PathMove, toAbs: string): Promise<WorkspaceEdit> {
    const oldUri = URI.file(move.fromAbs).toString();
    const newUri = URI.file(toAbs).toString();
    const edits = await this.templateEdits([move], false);
    this.ownRename = { oldUri, newUri, at: Date.now() };
    return { documentChanges: [...edits.documentChanges, RenameFile.create(oldUri, newUri, { overwrite: false, ignoreIfExists: false })] };
  }

  /** Template edits for files and folders the user is moving; null when nothing needs to change. */
  async willRenameFiles(files: ReadonlyArray<{ oldUri: string; newUri: string }>, support: RenameSupport): Promise<WorkspaceEdit | null> {
    if (!support.confirmation) return null;
    const own = this.ownRename;
    if (own && Date.now() - own.at < OWN_RENAME_WINDOW_MS && files.some((f) => f.oldUri === own.oldUri && f.newUri === own.newUri)) {
      this.ownRename = undefined;
      return null; // the rename request already carried the template edits
    }
    const moves = files.flatMap((f) => this.movesFor(URI.parse(f.oldUri).fsPath, URI.parse(f.newUri).fsPath));
    if (moves.length === 0) return null;
    const edits = await this.templateEdits(moves, true);
    return edits.documentChanges.length > 0 ? { documentChanges: edits.documentChanges, changeAnnotations: edits.annotations } : null;
  }

  /**
   * Destination paths a file or folder move changes: per source holding the old location, the path it
   * will have in the source holding the new one. A move out of every static folder changes no path (the
   * templates' diagnostics will say what went missing).
   */
  private movesFor(oldAbs: string, newAbs: string): PathMove[] {
    const project = this.host.projectFor(oldAbs);
    if (!project) return [];
    const sources = project.index.sources.filter((s): s is StaticSource & { root: string } => s.root !== null);
    const moves: PathMove[] = [];
    for (const source of sources) {
      if (!isInside(source.root, oldAbs) || oldAbs === source.root) continue;
      const target = isInside(source.root, newAbs) ? source : sources.find((s) => isInside(s.root, newAbs) && newAbs !== s.root);
      if (!target) continue;
      const from = destinationIn(source.root, source.prefix, oldAbs);
      const to = destinationIn(target.root, target.prefix, newAbs);
      if (from !== to) moves.push({ from, to, fromAbs: oldAbs });
    }
    return moves;
  }

  private async templateEdits(
    moves: readonly PathMove[],
    confirm: boolean,
  ): Promise<{ documentChanges: TextDocumentEdit[]; annotations?: { [id: string]: ChangeAnnotation } }> {
    const below = (ref: string) => moves.some((m) => ref === m.from || ref.startsWith(`${m.from}/`));
    const documentChanges: TextDocumentEdit[] = [];
    let count = 0;
    for (const doc of await this.host.documentsReferencing(
      below,
      moves.map((m) => lastSegment(m.from)),
    )) {
      const ctx = this.host.contextFor(doc.uri);
      if (!ctx) continue;
      const edits: TextEdit[] = this.host.service.editsForMoves(doc, moves, ctx);
      if (edits.length === 0) continue;
      count += edits.length;
      const id = OptionalVersionedTextDocumentIdentifier.create(doc.uri, this.host.openVersion(doc.uri) ?? null);
      documentChanges.push(
        TextDocumentEdit.create(id, confirm ? edits.map((e) => AnnotatedTextEdit.replace(e.range, e.newText, ANNOTATION_ID)) : edits),
      );
    }
    if (!confirm || count === 0) return { documentChanges };
    const files = documentChanges.length;
    const annotation = ChangeAnnotation.create(
      'Update static paths',
      true,
      `${count} path${count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (templates, CSS, JS) served by the moved file${moves.length === 1 ? '' : 's'}`,
    );
    return { documentChanges, annotations: { [ANNOTATION_ID]: annotation } };
  }
}
