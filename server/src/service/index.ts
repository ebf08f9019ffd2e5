/**
 * The protocol-free language service for Django/Jinja2 templates: pure functions over a TextDocument and
 * the project's static index, in the style of vscode-css-languageservice. Every entry point catches its
 * own failures, so bad input yields an empty answer rather than an exception.
 */
import { settingsCodeActions, settingsCodeLenses, settingsDiagnostics, settingsHover } from './settingsDocument';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, Location, Position } from 'vscode-languageserver-types';
import { codeActions } from './codeActions';
import { CompletionDefaults, doComplete, resolveCompletionItem } from './completion';
import { assetReading, AssetReading } from '../engine/assets';
import { destinationOfFile, jinjaByEngine } from './context';
import { definitionFor } from './definition';
import { referencesTo, servedPath, servedPathAt } from './references';
import { editsForMoves, planRename, renameTarget } from './rename';
import type { LanguageService, ServiceContext } from './types';
import { validate } from './diagnostics';
import { IndexQuestions } from './indexQuestions';
import { prepareSuggestions } from './suggest';
import { hoverFor } from './hover';
import { documentLinks } from './links';
import { lookupPathOf, referenceAt } from './resolve';
import { createModelCache, DocumentModelCache } from './modelCache';
import { parseUri } from './uris';
import { claimedKind, isAssetKind, readerFor } from './readers';
import { DocumentKind, DocumentModel, MAX_REFERENCES_PER_DOCUMENT, scanFull } from './templateModel';

export type {
  DocumentModel,
  DocumentFacts,
  DocumentKind,
  ReferenceSyntax,
  TemplateModel,
  StaticReference,
  LoadTag,
  UrlAttribute,
  TemplateFlavor,
  PositionAt,
} from './templateModel';
export { READERS, readerFor, claimedKind, isAssetKind } from './readers';
export type { DocumentReader } from './readers';
export { DIAGNOSTIC_SOURCE, DEFAULT_SEVERITY } from './diagnostics';
export { assetDiagnostics } from './assetDiagnostics';
export { DIAGNOSTIC_CODES, ALL_DIAGNOSTIC_CODES } from './diagnosticCodes';
export type { DiagnosticCodeInfo, SeverityName } from './diagnosticCodes';
export type { DiagnosticCode, DiagnosticData } from './diagnostics';
export { renderStaticUrl, storageUrl, pythonUrljoin, pythonQuote } from './staticUrl';
export type { PathMove, ServiceContext, LanguageService, Validation } from './types';
export { IndexQuestions } from './indexQuestions';
export { createModelCache, MODEL_CACHE_LIMIT } from './modelCache';
export { parseUri } from './uris';
export type { DocumentModelCache } from './modelCache';
export type { StaticDelta } from './indexQuestions';

/** Characters that should open the completion list inside a static path. */
export const COMPLETION_TRIGGER_CHARACTERS = ["'", '"', '/'];

const TEMPLATE_LANGUAGES = new Set([
  'html',
  'django-html',
  'django-txt',
  'htmldjango',
  'jinja',
  'jinja-html',
  'jinja2',
  'jinja-xml',
  'j2',
  'djhtml',
]);
const TEMPLATE_EXTENSIONS = /\.(html?|jinja2?|j2|djhtml)$/i;

/**
 * True for template files by language id, or, given a path or URI, by extension (.html, .htm, .txt under a
 * `templates` folder, .jinja, .jinja2, .j2, .djhtml).
 */
export function isTemplateLanguage(languageId: string, uriOrPath?: string): boolean {
  if (TEMPLATE_LANGUAGES.has(languageId.toLowerCase())) return true;
  const candidate = uriOrPath ?? (languageId.includes('.') ? languageId : '');
  if (!candidate) return false;
  return TEMPLATE_EXTENSIONS.test(candidate) || /(^|[/\\])templates[/\\](.+[/\\])?[^/\\]+\.txt$/i.test(candidate);
}

/** True for documents the service reads: templates, and whatever kind a reader claims (service/readers.ts). */
export function readsDocument(languageId: string, uri: string): boolean {
  return isTemplateLanguage(languageId, uri) || claimedKind(languageId, uri) !== undefined;
}

/**
 * The part of the LSP client capabilities the service adapts its answers to (structurally compatible with
 * the protocol's `ClientCapabilities`, so a server passes the client's `initialize` capabilities as they are).
 */
export interface ClientCapabilities {
  textDocument?: {
    completion?: {
      completionList?: {
        /** Properties the client fills in from `CompletionList.itemDefaults` (LSP 3.17), e.g. 'editRange', 'data'. */
        itemDefaults?: string[];
      };
    };
  };
}

export interface LanguageServiceOptions {
  /** What the client supports; without it, answers use only what every client understands. */
  clientCapabilities?: ClientCapabilities;
  /** Where parsed models are kept (the server owns it and removes closed and deleted documents); else a private one. */
  models?: DocumentModelCache;
}

/** From this many paths up, did-you-mean's tables are built ahead of a workspace check (see prepareValidation). */
const PREPARED_INDEX_SIZE = 100_000;

export function createLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const completionDefaults = completionDefaultsOf(options.clientCapabilities);
  const models = options.models ?? createModelCache();

  function parse(doc: TextDocument, flavor: DocumentKind, asset?: AssetReading): DocumentModel {
    return models.get(doc, flavor, () => parseSafely(doc, flavor, asset), asset?.key);
  }

  /**
   * The kind a reader claims by language id or extension, else the project's engines'. CSS and JS are read
   * relative to their destination in the project's sources: without a project (or outside every source) they
   * have no references.
   */
  function templateFor(doc: TextDocument, ctx?: ServiceContext): DocumentModel {
    let flavor = claimedKind(doc.languageId, doc.uri);
    if (flavor && isAssetKind(flavor)) return parse(doc, flavor, ctx ? readingOf(doc, ctx) : undefined);
    if (!flavor && ctx) flavor = jinjaByEngine(ctx.model, fsPathOf(doc.uri)) ? 'jinja' : 'django';
    return parse(doc, flavor ?? 'django');
  }

  function readingOf(doc: TextDocument, ctx: ServiceContext): AssetReading | undefined {
    const name = destinationOfFile(ctx.index, fsPathOf(doc.uri));
    return (name !== null && assetReading(ctx.model, name)) || undefined;
  }

  /** CSS and JS get their diagnostics from the replay of the whole project (workspace/assetPublisher.ts). */
  function checkedHere(doc: TextDocument, ctx: ServiceContext): DocumentModel | null {
    const model = templateFor(doc, ctx);
    return isAssetKind(model.flavor) ? null : model;
  }

  /** This version's model in whichever flavour a project-aware call already chose (a Jinja2 engine's .html). */
  function latest(doc: TextDocument): DocumentModel {
    return models.peek(doc) ?? templateFor(doc);
  }

  function isSettings(doc: TextDocument, ctx: ServiceContext): boolean {
    return templateFor(doc, ctx).flavor === 'python-settings';
  }

  function settingsValidation(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
    return ctx.settingsFacts ? settingsDiagnostics(fsPathOf(doc.uri), ctx.settingsFacts(), ctx.settings?.severity, doc.getText()) : [];
  }

  function atReference(doc: TextDocument, pos: Position, ctx: ServiceContext) {
    return referenceAt(templateFor(doc, ctx).references, doc.offsetAt(pos));
  }

  return {
    parseTemplate: (doc) => guard(() => latest(doc), emptyTemplate(doc)),
    doComplete: (doc, pos, ctx) =>
      guard(() => doComplete(doc, pos, ctx, templateFor(doc, ctx), completionDefaults), { isIncomplete: false, items: [] }),
    resolveCompletionItem: (item, ctx) => guard(() => resolveCompletionItem(item, ctx), item),
    findDefinition: (doc, pos, ctx) =>
      guard(() => {
        const ref = atReference(doc, pos, ctx);
        return ref && ref.kind === 'literal' ? definitionFor(ref, ctx) : [];
      }, []),
    doHover: (doc, pos, ctx) =>
      guard(() => {
        if (isSettings(doc, ctx))
          return ctx.settingsFacts ? settingsHover(fsPathOf(doc.uri), pos, ctx.settingsFacts(), doc.getText()) : null;
        const model = templateFor(doc, ctx);
        const ref = referenceAt(model.references, doc.offsetAt(pos));
        return ref ? hoverFor(ref, ctx, model.asset && { reading: model.asset, file: fsPathOf(doc.uri) }) : null;
      }, null),
    findDocumentLinks: (doc, ctx) => guard(() => documentLinks(templateFor(doc, ctx), ctx), []),
    doValidation: (doc, ctx) =>
      guard(() => {
        if (isSettings(doc, ctx)) return settingsValidation(doc, ctx);
        const model = checkedHere(doc, ctx);
        return model ? validate(model, ctx) : [];
      }, []),
    doValidationWithDependencies: (doc, ctx) => {
      const asked = new IndexQuestions();
      if (isSettings(doc, ctx)) return { diagnostics: guard(() => settingsValidation(doc, ctx), []), asked };
      return {
        diagnostics: guard(() => {
          const model = checkedHere(doc, ctx);
          return model ? validate(model, ctx, asked) : [];
        }, []),
        asked,
      };
    },
    prepareValidation: function* (ctx) {
      if (ctx.index.size >= PREPARED_INDEX_SIZE) yield* prepareSuggestions(ctx.index);
    },
    getCodeActions: (doc, range, context, ctx) =>
      guard(
        () =>
          isSettings(doc, ctx)
            ? ctx.settingsFacts
              ? settingsCodeActions(fsPathOf(doc.uri), doc.uri, range, ctx.settingsFacts(), doc.getText())
              : []
            : codeActions(doc, range, context, ctx, templateFor(doc, ctx)),
        [],
      ),
    provideCodeLenses: (doc, ctx) =>
      guard(
        () =>
          isSettings(doc, ctx) && ctx.settingsFacts
            ? settingsCodeLenses(fsPathOf(doc.uri), ctx.settingsFacts(), ctx.model.projectDir, doc.getText())
            : [],
        [],
      ),
    referencedPaths: (doc, ctx) =>
      guard(() => {
        const paths = new Set<string>();
        for (const ref of (ctx ? templateFor(doc, ctx) : latest(doc)).references) {
          const path = servedPath(ref);
          if (path !== null) paths.add(path);
        }
        return [...paths];
      }, []),
    referencedPathAt: (doc, pos, ctx) => guard(() => servedPathAt(templateFor(doc, ctx), doc.offsetAt(pos)), null),
    prepareRename: (doc, pos, ctx) =>
      guard(() => {
        const plan = planRename(doc, pos, templateFor(doc, ctx), ctx);
        if (!plan) return null;
        return plan.kind === 'refused' ? { message: plan.message } : { range: plan.range, placeholder: plan.placeholder };
      }, null),
    planRename: (doc, pos, newName, ctx) =>
      guard(() => {
        const plan = planRename(doc, pos, templateFor(doc, ctx), ctx);
        if (!plan) return null;
        if (plan.kind === 'refused') return { message: plan.message };
        const target = renameTarget(plan, newName, ctx);
        if ('message' in target) return target;
        return { move: { from: plan.from, to: target.to, fromAbs: plan.fromAbs }, toAbs: target.toAbs };
      }, null),
    editsForMoves: (doc, moves, ctx) => guard(() => editsForMoves(doc, templateFor(doc, ctx), moves, ctx), []),
    findReferencesTo: (doc, path, ctx) =>
      guard(() => referencesTo(templateFor(doc, ctx), path).map((range) => Location.create(doc.uri, range)), []),
  };
}

function completionDefaultsOf(capabilities: ClientCapabilities | undefined): CompletionDefaults {
  const supported = capabilities?.textDocument?.completion?.completionList?.itemDefaults ?? [];
  return { editRange: supported.includes('editRange'), data: supported.includes('data') };
}

function emptyTemplate(doc: TextDocument, flavor: DocumentKind = 'django'): DocumentModel {
  return { uri: doc?.uri ?? '', version: doc?.version ?? 0, flavor, references: [], loads: [], urlAttributes: [], skipped: [] };
}

function parseSafely(doc: TextDocument, flavor: DocumentKind, asset?: AssetReading): DocumentModel {
  const template = emptyTemplate(doc, flavor);
  if (asset) template.asset = asset;
  try {
    const text = doc.getText();
    const positionAt = (offset: number) => doc.positionAt(offset);
    const reader = readerFor(flavor);
    if (!reader) return template;
    const scanned = reader.read(text, asset ? { positionAt, asset } : { positionAt });
    // Bounded work per document: a 10 MB one-line template with 250k references took 6.8 s and 853 MB.
    if (scanFull(scanned)) template.truncated = { kept: MAX_REFERENCES_PER_DOCUMENT };
    template.references = scanned.references.slice(0, MAX_REFERENCES_PER_DOCUMENT);
    template.loads = scanned.loads;
    template.urlAttributes = scanned.urlAttributes.slice(0, MAX_REFERENCES_PER_DOCUMENT);
    template.skipped = scanned.skipped;
    template.extendsRange = scanned.extendsRange;
  } catch {
    // Unreadable input: an empty model answers every feature with nothing.
  }
  return template;
}

function fsPathOf(uri: string): string {
  try {
    return parseUri(uri).fsPath;
  } catch {
    return uri;
  }
}

function guard<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}

// Re-exported for callers that need the same path rules (CLI check, LSP glue).
export { lookupPathOf };
