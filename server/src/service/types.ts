/**
 * The service's public types, in a leaf module: features import `ServiceContext` from here, never from the
 * barrel (index.ts) that imports them.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentLink,
  Hover,
  Location,
  Position,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import type { PredictedManifest } from '../engine/assets';
import { StaticIndexApi } from '../engine/indexTypes';
import { ProjectModel } from '../engine/model';
import { DjangoStaticSettings } from '../protocol';
import type { IndexQuestions } from './indexQuestions';
import { DocumentModel } from './templateModel';
import type { SettingsFacts } from './settingsDocument';

/** A destination path moving (a folder moves everything below it), and the file or folder on disk that moves. */
export interface PathMove {
  from: string;
  to: string;
  fromAbs: string;
}

/** A document's diagnostics and what they depend on in the index. */
export interface Validation {
  diagnostics: Diagnostic[];
  asked: IndexQuestions;
}

/** Everything a feature needs about the project the document belongs to. */
export interface ServiceContext {
  model: ProjectModel;
  index: StaticIndexApi;
  settings: DjangoStaticSettings;
  /** Parsed staticfiles.json manifest (STATIC_ROOT) paths map, if present: original → hashed. */
  manifest?: Map<string, string>;
  /** The staticfiles.json the next collectstatic would write (engine/assets' replay), when the storage hashes. */
  predictedManifest?: PredictedManifest;
  /**
   * The project's settings findings and lenses, for its Python settings documents: a function, so they are
   * computed (the settings read again) only when such a document asks.
   */
  settingsFacts?: () => SettingsFacts;
}

export interface LanguageService {
  /** Parse once per uri+version (cache inside). Never throws. */
  parseTemplate(doc: TextDocument): DocumentModel;
  /**
   * Moves the edit range and the folder's data into `itemDefaults` when the client supports them. The
   * items may be shared between answers: treat them as read-only.
   */
  doComplete(doc: TextDocument, pos: Position, ctx: ServiceContext): CompletionList;
  /**
   * Fills in what `doComplete` leaves out of the list (file documentation). Expects the item as the client
   * sends it back, with any `itemDefaults.data` applied. Never throws.
   */
  resolveCompletionItem(item: CompletionItem, ctx: ServiceContext): CompletionItem;
  /** Winner first, then shadowed copies. */
  findDefinition(doc: TextDocument, pos: Position, ctx: ServiceContext): Location[];
  doHover(doc: TextDocument, pos: Position, ctx: ServiceContext): Hover | null;
  findDocumentLinks(doc: TextDocument, ctx: ServiceContext): DocumentLink[];
  doValidation(doc: TextDocument, ctx: ServiceContext): Diagnostic[];
  /** `doValidation` and the index questions it asked (the workspace re-checks the document when a change touches them). */
  doValidationWithDependencies(doc: TextDocument, ctx: ServiceContext): Validation;
  /**
   * Builds, a few milliseconds per step, what validating against a big index would otherwise build inside the
   * first validation that needs it (did-you-mean's tables: seconds at 1,000,000 files). The caller yields
   * between steps; nothing is built for a small index.
   */
  prepareValidation(ctx: ServiceContext): Generator<void>;
  getCodeActions(doc: TextDocument, range: Range, context: CodeActionContext, ctx: ServiceContext): CodeAction[];
  /** Code lenses of a Python settings document (none for other documents). */
  provideCodeLenses(doc: TextDocument, ctx: ServiceContext): CodeLens[];
  /**
   * Static paths the document references (for re-validating only affected documents after a file change).
   * CSS and JS need `ctx` (their destination) unless a call with it read this version already.
   */
  referencedPaths(doc: TextDocument, ctx?: ServiceContext): string[];
  /** The static path (as `referencedPaths` names it) under the cursor, or null outside a literal path. */
  referencedPathAt(doc: TextDocument, pos: Position, ctx: ServiceContext): string | null;
  /** Where the document references `path` (a path as `referencedPaths` names it). */
  findReferencesTo(doc: TextDocument, path: string, ctx: ServiceContext): Location[];
  /** The path under the cursor as it can be renamed, a reason it cannot, or null outside a literal path. */
  prepareRename(doc: TextDocument, pos: Position, ctx: ServiceContext): { range: Range; placeholder: string } | { message: string } | null;
  /** The file move renaming the path under the cursor to `newName` means, or why it cannot happen. */
  planRename(
    doc: TextDocument,
    pos: Position,
    newName: string,
    ctx: ServiceContext,
  ): { move: PathMove; toAbs: string } | { message: string } | null;
  /** Edits keeping the document's paths on files that move (only paths the moving file alone serves). */
  editsForMoves(doc: TextDocument, moves: readonly PathMove[], ctx: ServiceContext): TextEdit[];
}
