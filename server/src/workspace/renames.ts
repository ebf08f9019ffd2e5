/**
 * Renaming static files from the editor: `textDocument/rename` on a `{% static %}` path renames the file
 * and rewrites every path that served it; `workspace/willRenameFiles` rewrites the paths when the user
 * moves a file or folder in the file explorer. Paths in templates are only rewritten with the user's
 * confirmation: the explorer edits are marked `needsConfirmation`, and a client that cannot ask gets none.
 */
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
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
import { LanguageService, PathMove, ServiceContext } from '../service';
import { WorkspaceProject } from './projectManager';
import { isInside } from './templates';

/** What renames need from the rest of the server. */
export interface RenameHost {
  service: LanguageService;
  projectFor(file: string): WorkspaceProject | undefined;
  contextFor(uri: string): ServiceContext | undefined;
  /** Open documents as the editor has them, closed ones read from disk, that reference a path `matches` accepts. */
  documentsReferencing(matches: (path: string) => boolean): Promise<TextDocument[]>;
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
    const sources = project.index.sources.filter((s) => s.root !== null);
    const destIn = (source: (typeof sources)[number], abs: string): string => {
      const rel = path.relative(source.root!, abs).split(path.sep).join('/');
      return source.prefix ? (rel ? `${source.prefix}/${rel}` : source.prefix) : rel;
    };
    const moves: PathMove[] = [];
    for (const source of sources) {
      if (!isInside(oldAbs, source.root!) || oldAbs === source.root) continue;
      const target = isInside(newAbs, source.root!) ? source : sources.find((s) => isInside(newAbs, s.root!) && newAbs !== s.root);
      if (!target) continue;
      const from = destIn(source, oldAbs);
      const to = destIn(target, newAbs);
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
    for (const doc of await this.host.documentsReferencing(below)) {
      const ctx = this.host.contextFor(doc.uri);
      if (!ctx) continue;
      const edits: TextEdit[] = this.host.service.editsForMoves(doc, moves, ctx);
      if (edits.length === 0) continue;
      count += edits.length;
      const id = OptionalVersionedTextDocumentIdentifier.create(doc.uri, this.host.openVersion(doc.uri) ?? null);
      documentChanges.push(TextDocumentEdit.create(id, confirm ? edits.map((e) => AnnotatedTextEdit.replace(e.range, e.newText, ANNOTATION_ID)) : edits));
    }
    if (!confirm || count === 0) return { documentChanges };
    const files = documentChanges.length;
    const annotation = ChangeAnnotation.create(
      'Update {% static %} paths',
      true,
      `${count} path${count === 1 ? '' : 's'} in ${files} template${files === 1 ? '' : 's'} served by the moved file${moves.length === 1 ? '' : 's'}`,
    );
    return { documentChanges, annotations: { [ANNOTATION_ID]: annotation } };
  }
}
