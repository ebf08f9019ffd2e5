/**
 * The language server: a thin LSP adapter over the protocol-free language service (`service/`) and the
 * workspace layer (`workspace/`). Started by dist/server.js (VS Code, stdio or IPC) and `django-static lsp --stdio`.
 */
import { settingsFactsOf } from './workspace/settingsFacts';
import { format } from 'util';
import {
  CancellationToken,
  CodeActionKind,
  CodeLens,
  CompletionItem,
  CompletionList,
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeConfigurationParams,
  DidChangeWatchedFilesParams,
  DidChangeWatchedFilesNotification,
  Disposable,
  FileChangeType,
  FileSystemWatcher,
  InitializeParams,
  InitializeResult,
  ErrorCodes,
  Location,
  PrepareRenameParams,
  RenameFilesParams,
  RenameParams,
  ResponseError,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentChangeEvent,
  TextDocuments,
  TextDocumentSyncKind,
  WorkspaceFolder,
  WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { createLanguageService, createModelCache, LanguageService, parseUri, readsDocument, ServiceContext } from './service';
import {
  DEFAULT_SETTINGS,
  DjangoStaticSettings,
  FolderListing,
  InitializationOptions,
  ListFilesParams,
  ListFolderParams,
  Methods,
  ProjectSummary,
  ReportParams,
  SearchFilesParams,
  SearchFilesResult,
  StaticFileItem,
  StaticFileFindings,
  StaticFileSource,
  StaticFilesReport,
  TemplateEngineKind,
} from './protocol';
import { projectVariables } from './engine/dotenv';
import { collectTreeFor } from './engine/collectTree';
import { jinjaByEngine } from './service/context';
import { ProjectManager, templateSet, WorkspaceChange, WorkspaceProject } from './workspace/projectManager';
import {
  ReferenceRecords,
  countFindings,
  fileSources,
  listStaticFiles,
  projectReport,
  summarize,
  summarizeInSlices,
} from './workspace/report';
import { listFolder, searchFiles, shadowedFiles } from './workspace/staticFiles';
import { assetDocumentsReferencing } from './workspace/assetDocuments';
import { findAllReferences } from './workspace/references';
import { RenameHost, RenameSupport, StaticRenames } from './workspace/renames';
import { FileChange, TreeWatcher, WatchTarget } from './workspace/watcher';
import { DiagnosticsPublisher, ProgressHandle } from './workspace/diagnosticsPublisher';
import { AssetPublisher } from './workspace/assetPublisher';
import { PredictedManifest, predictedManifest } from './engine/assets';
import { hotPathsRan, launchState } from './launch/hotPaths';
import { applyServerFlags } from './launch/walkFlags';
import { StdioMessageWriter } from './stdioWriter';
import { inSlices } from './engine/slices';
import { isSettingsFile } from './engine/model';

/** How VS Code and every other client start it; other transports keep the library's own reader and writer. */
const OVER_STDIO = process.argv.includes('--stdio');

/** Requests slower than this are logged, to make a sluggish project visible in the output channel. */
const SLOW_REQUEST_MS = 200;
/** How long after `initialized` firstAnswer waits for a request to answer before settling anyway. */
const FIRST_ANSWER_WAIT_MS = 300;
/** Slices of a settings file's collect counts (as the summary's). */
const SETTINGS_COUNT_SLICE_MS = 10;
/** Static changes quiet this long before the projects are summarised again for the client. */
const ANNOUNCE_QUIET_MS = 1500;
/** ...but no longer than this after the first unannounced change. */
const ANNOUNCE_MAX_WAIT_MS = 10_000;

/** File operations the server takes part in: every file, since static folders are only known once learned. */
const EVERY_FILE = { filters: [{ scheme: 'file', pattern: { glob: '**/*' } }] };

let running: Connection | undefined;

/** Starts the server once per process (the module starts it on load; the CLI asks for the same one). */
export function startServer(): Connection {
  if (running) return running;
  // Too late for the heap's initial sizing, but it still steers growth (130 MB rather than 200 at 100k).
  applyServerFlags();
  const connection = OVER_STDIO ? stdioConnection() : createConnection(ProposedFeatures.all);
  running = connection;
  // A stray rejected promise must cost one log line, never the server process.
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  new DjangoStaticServer(connection).listen();
  return connection;
}

/**
 * Over stdio (how VS Code and every other client start it) with a writer that sends each message at once (see
 * stdioWriter.ts). stdin stays a stream, so the library still exits when the client goes; console output,
 * which the library redirects only when it opens stdio itself, goes to the client's log, never into the protocol.
 */
function stdioConnection(): Connection {
  // The library takes a MessageWriter where its overloads say stream: it wraps only what is a stream.
  const writer = new StdioMessageWriter(process.stdout) as unknown as NodeJS.WritableStream;
  const connection = createConnection(ProposedFeatures.all, process.stdin, writer);
  const to =
    (send: (message: string) => void) =>
    (...args: unknown[]): void =>
      send(format(...args));
  console.log = console.info = console.debug = to((m) => connection.console.log(m));
  console.warn = to((m) => connection.console.warn(m));
  console.error = console.trace = to((m) => connection.console.error(m));
  return connection;
}

interface ClientSupport {
  configuration: boolean;
  dynamicConfiguration: boolean;
  dynamicWatchers: boolean;
  relativePatterns: boolean;
  workspaceFolders: boolean;
  renames: RenameSupport;
}

class DjangoStaticServer {
  private readonly documents = new TextDocuments(TextDocument);
  /** Created in `initialize`, shaped by what the client supports. */
  private service!: LanguageService;
  /** Parsed documents by uri and version: entries go when a document closes or its file is deleted. */
  private readonly models = createModelCache();
  private settings: DjangoStaticSettings = DEFAULT_SETTINGS;
  /** Each workspace folder's own djangoStatic.* (every setting is resource-scoped), by folder. */
  private scoped = new Map<string, DjangoStaticSettings>();
  private trusted = true;
  private roots: string[] = [];
  private support: ClientSupport = {
    configuration: false,
    dynamicConfiguration: false,
    dynamicWatchers: false,
    relativePatterns: false,
    workspaceFolders: false,
    renames: { fileRenames: false, confirmation: false },
  };
  /** What references and renames need from the server, shared by both. */
  private templateHost!: RenameHost;
  private renames!: StaticRenames;
  private manager: ProjectManager | undefined;
  /** Settles once `initialized` created the manager (it first pulls the settings from the client). */
  private readonly managerStarted: Promise<ProjectManager | undefined>;
  private managerCreated: (manager: ProjectManager | undefined) => void = () => undefined;
  private diagnostics!: DiagnosticsPublisher;
  private assets!: AssetPublisher;
  /** What each publisher last said per uri: one notification carries both (a CSS file can be read as both). */
  private readonly published = new Map<string, { templates: Diagnostic[]; assets: Diagnostic[] }>();
  /** Publishes so far: what findingsOf counted stays valid until the next. */
  private publishes = 0;
  private readonly findingsCache = new WeakMap<WorkspaceProject, { publishes: number; findings: StaticFileFindings[] }>();
  private ownWatcher: TreeWatcher | undefined;
  private clientWatchers: Disposable | undefined;
  private watchKey = '';
  private summaryCache = new WeakMap<WorkspaceProject, ProjectSummary>();
  /** Moves on whenever a cached summary is dropped, so a summary made in slices meanwhile is not kept. */
  private summaryEpoch = 0;
  private readonly shownFailures = new Set<string>();
  private announceTimer: NodeJS.Timeout | undefined;
  private announcePendingSince: number | undefined;
  private lastCompletionUri: string | undefined;
  /** What the latest completion was answered from: a reading still walked is not a workspace project yet. */
  private lastCompletionCtx: ServiceContext | undefined;
  private readonly answeredFrom = new WeakMap<WorkspaceProject, boolean>();
  /** Set once a request was answered from a project: the start-up's functions have all run by then. */
  private answered = false;
  /**
   * Settles once the first answer went out, or FIRST_ANSWER_WAIT_MS after `initialized`: what the client
   * is asked for only then (a progress token, a registration) takes an id from node's crypto, whose loading
   * cost the first answer about 10 ms.
   */
  private readonly firstAnswer: Promise<void>;
  private firstAnswerSent: () => void = () => undefined;
  /** Set when the client sent something (over stdio), for the workspace check to let it go first. */
  private inputArrived = false;
  /** What projectsChanged said last; undefined until it was first sent (an empty list is news too). */
  private announced: ProjectSummary[] | undefined;

  constructor(private readonly connection: Connection) {
    this.managerStarted = new Promise((resolve) => (this.managerCreated = resolve));
    this.firstAnswer = new Promise((resolve) => (this.firstAnswerSent = resolve));
  }

  listen(): void {
    const { connection, documents } = this;
    if (OVER_STDIO) process.stdin.on('data', () => (this.inputArrived = true));
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() =>
      this.initialized().catch((err) => {
        this.managerCreated(undefined);
        this.log(`Start-up failed: ${messageOf(err)}`);
      }),
    );
    connection.onShutdown(() => this.dispose());

    connection.onCompletion(
      this.guarded('completion', CompletionList.create([], false), async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token, true);
        if (!found) return CompletionList.create([], this.manager?.busy ?? true);
        if (token.isCancellationRequested) return CompletionList.create([], false);
        this.lastCompletionUri = params.textDocument.uri;
        this.lastCompletionCtx = found.ctx.index.reading ? found.ctx : undefined;
        return this.service.doComplete(found.doc, params.position, found.ctx);
      }),
    );
    // Resolve carries no document: the items being resolved come from the latest completion request.
    connection.onCompletionResolve((item: CompletionItem): CompletionItem => {
      try {
        const uri = this.lastCompletionUri;
        const ctx = (uri === undefined ? undefined : this.contextFor(uri)) ?? this.lastCompletionCtx;
        return ctx ? this.service.resolveCompletionItem(item, ctx) : item;
      } catch (err) {
        this.log(`completion resolve failed: ${messageOf(err)}`);
        return item;
      }
    });
    connection.onDefinition(
      this.guarded('definition', [], async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token, true);
        return found ? this.service.findDefinition(found.doc, params.position, found.ctx) : [];
      }),
    );
    connection.onReferences(
      this.guarded('references', [] as Location[], async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token);
        return found
          ? findAllReferences(this.templateHost, found.doc, params.position, found.ctx, params.context.includeDeclaration, token)
          : [];
      }),
    );
    connection.onPrepareRename(
      this.guarded('prepareRename', null, async (params: PrepareRenameParams, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token);
        const answer = found ? this.service.prepareRename(found.doc, params.position, found.ctx) : null;
        if (answer && 'message' in answer) throw new ResponseError(ErrorCodes.InvalidRequest, answer.message);
        return answer;
      }),
    );
    connection.onRenameRequest(
      this.guarded('rename', null, async (params: RenameParams, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token);
        const plan = found ? this.service.planRename(found.doc, params.position, params.newName, found.ctx) : null;
        if (!plan) return null;
        if ('message' in plan) throw new ResponseError(ErrorCodes.InvalidRequest, plan.message);
        if (!this.support.renames.fileRenames) {
          throw new ResponseError(
            ErrorCodes.InvalidRequest,
            'This editor cannot rename files through a language server; rename the file itself.',
          );
        }
        return this.renames.renameEdit(plan.move, plan.toAbs);
      }),
    );
    // The editor's own file events follow later; a rename it reports is applied now, so the paths just
    // rewritten never show as missing in between.
    connection.workspace.onDidRenameFiles((params: RenameFilesParams) =>
      this.applyFileChanges(
        params.files.flatMap((f): FileChange[] => [
          { path: URI.parse(f.oldUri).fsPath, kind: 'deleted' },
          { path: URI.parse(f.newUri).fsPath, kind: 'created' },
        ]),
      ),
    );
    connection.workspace.onWillRenameFiles(
      this.guarded('willRenameFiles', null, (params: RenameFilesParams) =>
        this.renames.willRenameFiles(params.files, this.support.renames),
      ),
    );
    connection.onHover(
      this.guarded('hover', null, async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token, true);
        return found ? this.service.doHover(found.doc, params.position, found.ctx) : null;
      }),
    );
    connection.onCodeLens(
      this.guarded('codeLens', [] as CodeLens[], async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token);
        return found ? this.service.provideCodeLenses(found.doc, found.ctx) : [];
      }),
    );
    connection.onDocumentLinks(
      this.guarded('documentLinks', [], async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token, true);
        return found ? this.service.findDocumentLinks(found.doc, found.ctx) : [];
      }),
    );
    connection.onCodeAction(
      this.guarded('codeAction', [], async (params, token) => {
        const found = await this.documentAndContext(params.textDocument.uri, token);
        return found ? this.service.getCodeActions(found.doc, params.range, params.context, found.ctx) : [];
      }),
    );

    connection.onRequest(
      Methods.reindex,
      this.guarded('reindex', [] as ProjectSummary[], async () => {
        await this.manager?.learnAll();
        return this.summaries();
      }),
    );
    connection.onRequest(
      Methods.projects,
      this.guarded('projects', [] as ProjectSummary[], () => this.summaries()),
    );
    connection.onRequest(
      Methods.listFiles,
      this.guarded('listFiles', [] as StaticFileItem[], (params: ListFilesParams | undefined) => {
        const project = this.projectByDir(params?.projectDir);
        if (!project) return [];
        return params?.shadowedOnly === true ? shadowedFiles(project.index) : listStaticFiles(project);
      }),
    );
    connection.onRequest(
      Methods.report,
      this.guarded('report', null as StaticFilesReport | null, (params: ReportParams | undefined) => {
        const project = this.projectByDir(params?.projectDir);
        return project ? projectReport(project, this.summaryOf(project).reportMarkdown, params?.sourceOrder) : null;
      }),
    );
    connection.onRequest(
      Methods.templateEngine,
      this.guarded('templateEngine', null as TemplateEngineKind | null, (params: { uri?: string } | undefined) => {
        const file = params?.uri ? fsPathOf(params.uri) : undefined;
        const project = file ? this.manager?.projects.find((p) => templateSet(p).has(file)) : undefined;
        if (!file || !project) return null;
        return jinjaByEngine(project.model, file) ? 'jinja2' : 'django';
      }),
    );
    connection.onRequest(
      Methods.fileSources,
      this.guarded('fileSources', [] as StaticFileSource[], (params: { projectDir?: string; path?: string } | undefined) => {
        const project = this.projectByDir(params?.projectDir);
        return project && params?.path ? fileSources(project, params.path) : [];
      }),
    );
    connection.onRequest(
      Methods.findings,
      this.guarded('findings', [] as StaticFileFindings[], (params: { projectDir?: string } | undefined) => {
        const project = this.projectByDir(params?.projectDir);
        return project ? this.findingsOf(project) : [];
      }),
    );
    connection.onRequest(
      Methods.listFolder,
      this.guarded('listFolder', null as FolderListing | null, async (params: ListFolderParams | undefined) => {
        const project = this.projectByDir(params?.projectDir);
        if (!project) return null;
        const folder = typeof params?.folder === 'string' ? params.folder : '';
        const tree = await collectTreeFor(project.index);
        return listFolder(project.index, { ...params!, folder }, this.findingsOf(project), tree);
      }),
    );
    connection.onRequest(
      Methods.searchFiles,
      this.guarded(
        'searchFiles',
        { items: [], matchCount: 0 } as SearchFilesResult,
        async (params: SearchFilesParams | undefined, token) => {
          const project = this.projectByDir(params?.projectDir);
          if (!project) return { items: [], matchCount: 0 };
          const query = typeof params?.query === 'string' ? params.query : '';
          const found = await searchFiles(
            project.index,
            project.model.projectDir,
            query,
            params?.limit,
            () => token.isCancellationRequested,
          );
          return found ?? { items: [], matchCount: 0 };
        },
      ),
    );
    connection.onRequest(
      Methods.projectEnvironment,
      this.guarded('projectEnvironment', {} as Record<string, string>, (params: { projectDir?: string } | undefined) =>
        params?.projectDir ? projectVariables(params.projectDir, this.settingsOf(params.projectDir).env) : {},
      ),
    );
    connection.onRequest(
      Methods.selectProject,
      this.guarded('selectProject', false, (params: { managePy?: string } | undefined) => {
        const selected = !!params?.managePy && !!this.manager?.select(params.managePy);
        if (selected) this.diagnostics.validateOpenDocuments();
        return selected;
      }),
    );

    connection.onDidChangeConfiguration((params: DidChangeConfigurationParams) =>
      this.configurationChanged(params.settings).catch((err) => this.log(`Applying settings failed: ${messageOf(err)}`)),
    );
    connection.onDidChangeWatchedFiles((params: DidChangeWatchedFilesParams) => {
      const changes: FileChange[] = [];
      for (const event of params.changes) {
        const uri = URI.parse(event.uri);
        if (uri.scheme !== 'file') continue;
        const kind = event.type === FileChangeType.Created ? 'created' : event.type === FileChangeType.Deleted ? 'deleted' : 'changed';
        changes.push({ path: uri.fsPath, kind });
      }
      this.applyFileChanges(changes);
    });

    documents.onDidOpen((e: TextDocumentChangeEvent<TextDocument>) => {
      this.diagnostics.schedule(e.document.uri, 0);
      if (isAsset(e.document.uri)) this.assets.sync();
    });
    documents.onDidChangeContent((e: TextDocumentChangeEvent<TextDocument>) => {
      this.diagnostics.schedule(e.document.uri, 80);
      if (isAsset(e.document.uri)) this.assets.schedule(300, [fsPathOf(e.document.uri) ?? e.document.uri]);
    });
    documents.onDidClose((e: TextDocumentChangeEvent<TextDocument>) => {
      this.models.remove(e.document.uri);
      // Unsaved text no longer counts, and a third-party file's diagnostics go with the editor.
      if (isAsset(e.document.uri)) this.assets.schedule(0, [fsPathOf(e.document.uri) ?? e.document.uri]);
      this.diagnostics.documentClosed(e.document.uri, this.isWorkspaceTemplate(e.document.uri));
    });

    documents.listen(connection);
    connection.listen();
  }

  // --- life cycle ---------------------------------------------------------------------------------

  private initialize(params: InitializeParams): InitializeResult {
    const options = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    this.settings = mergeSettings(options.settings);
    this.trusted = options.trusted !== false;
    this.roots = workspaceRoots(params);
    const caps = params.capabilities;
    this.service = createLanguageService({ clientCapabilities: caps, models: this.models });
    this.diagnostics = new DiagnosticsPublisher({
      service: this.service,
      publish: (uri, diagnostics) => this.publish(uri, 'templates', diagnostics),
      openDocument: (uri) => this.documents.get(uri),
      openUris: () => this.documents.keys(),
      contextFor: (uri) => this.contextFor(uri),
      doneWith: (uri) => this.models.remove(uri),
      prepare: (uri) => {
        const project = this.manager?.projectFor(fsPathOf(uri));
        return project && this.settingsCounted(uri, project);
      },
      beginProgress: (title) => this.beginProgress(title),
      log: (m) => this.log(m),
      inputArrived: () => {
        const arrived = this.inputArrived;
        this.inputArrived = false;
        return arrived;
      },
      referencesChanged: (uri) => this.referencesChanged(uri === undefined ? undefined : this.projectsWithTemplate(uri)),
    });
    this.assets = new AssetPublisher({
      // A whole-project replay from a preview would be redone from the final reading moments later.
      projects: () => (this.manager?.projects ?? []).filter((p) => p.stage === 'final'),
      settingsOf: (dir) => this.settingsOf(dir),
      roots: () => this.roots,
      openText: (file) => this.documents.get(URI.file(file).toString())?.getText(),
      publish: (uri, diagnostics) => this.publish(uri, 'assets', diagnostics),
      log: (m) => this.log(m),
      replayed: (changed) => this.referencesChanged(changed),
    });
    this.support = {
      configuration: !!caps.workspace?.configuration,
      dynamicConfiguration: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
      dynamicWatchers: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
      relativePatterns: !!caps.workspace?.didChangeWatchedFiles?.relativePatternSupport,
      workspaceFolders: !!caps.workspace?.workspaceFolders,
      renames: {
        fileRenames:
          !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('rename'),
        confirmation: !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.changeAnnotationSupport,
      },
    };
    this.templateHost = {
      service: this.service,
      projectFor: (file) => this.manager?.projectFor(file),
      contextFor: (uri) => this.contextFor(uri),
      documentsReferencing: async (matches, names) => {
        // Templates from the publisher's record, CSS/JS from the sources (an open CSS file is in both).
        const found = await this.diagnostics.documentsReferencing(matches);
        const uris = new Set(found.map((d) => d.uri));
        const assets = assetDocumentsReferencing(
          {
            service: this.service,
            projects: () => this.manager?.projects ?? [],
            roots: () => this.roots,
            openDocument: (uri) => this.documents.get(uri),
            contextFor: (uri) => this.contextFor(uri),
          },
          matches,
          names,
        );
        return [...found, ...assets.filter((d) => !uris.has(d.uri))];
      },
      openVersion: (uri) => this.documents.get(uri)?.version,
    };
    this.renames = new StaticRenames(this.templateHost);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ["'", '"', '/', '%'], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          // Every file move is offered to us; moves outside the static folders answer nothing.
          fileOperations: { willRename: EVERY_FILE, didRename: EVERY_FILE },
        },
      },
      serverInfo: { name: 'django-static', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    const cache = launchState()?.cache;
    // process.uptime, not performance.now: the first use of `performance` loads node's perf_hooks (3 ms).
    this.log(`Started in ${Math.round(process.uptime() * 1000)} ms${cache ? ` (code cache: ${cache})` : ''}.`);
    setTimeout(this.firstAnswerSent, FIRST_ANSWER_WAIT_MS).unref();
    if (this.support.configuration) await this.pullSettings();
    const manager = new ProjectManager({
      roots: this.roots,
      settings: this.settings,
      trusted: this.trusted,
      log: (m) => this.log(m),
      staticFirst: true,
    });
    manager.updateSettings(this.settings, this.trusted, this.scoped);
    this.manager = manager;
    manager.onDidChange((change) => this.workspaceChanged(change));
    this.managerCreated(manager);
    if (this.support.dynamicConfiguration) void this.firstAnswer.then(() => this.registerForSettings());
    if (this.support.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event: WorkspaceFoldersChangeEvent) => {
        const removed = new Set(event.removed.map((f: WorkspaceFolder) => fsPathOf(f.uri)));
        const added = event.added.map((f: WorkspaceFolder) => fsPathOf(f.uri)).filter((p): p is string => !!p);
        this.roots = [...this.roots.filter((r) => !removed.has(r)), ...added];
        manager.setRoots(this.roots);
        // The new folders' own settings first: they choose the interpreter their projects are learned with.
        const pulled = this.support.configuration ? this.pullSettings() : Promise.resolve();
        void pulled.then(() => {
          manager.updateSettings(this.settings, this.trusted, this.scoped);
          return manager.learnAll();
        });
      });
    }
    // Learning runs in the background: requests about a project being learned wait for it.
    void manager.learnAll();
  }

  /** After the first answer (see firstAnswer): settings changed before the client took it are pulled again. */
  private registerForSettings(): void {
    this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'djangoStatic' }).then(
      () => this.configurationChanged(undefined).catch((err) => this.log(`Applying settings failed: ${messageOf(err)}`)),
      (err) => this.log(`Registering for settings changes failed: ${messageOf(err)}`),
    );
  }

  private dispose(): void {
    clearTimeout(this.announceTimer);
    this.ownWatcher?.dispose();
    this.clientWatchers?.dispose();
    this.manager?.dispose();
    this.diagnostics.dispose();
    this.assets.dispose();
  }

  // --- settings -----------------------------------------------------------------------------------

  /** Pulls the unscoped settings and each workspace folder's (with the folder as scope) into this.settings/scoped. */
  private async pullSettings(): Promise<void> {
    try {
      const roots = [...this.roots];
      const items = [
        { section: 'djangoStatic' },
        ...roots.map((root) => ({ scopeUri: URI.file(root).toString(), section: 'djangoStatic' })),
      ];
      const pulled = (await this.connection.workspace.getConfiguration(items)) as Array<Partial<DjangoStaticSettings> | null>;
      this.settings = mergeSettings({ ...this.settings, ...(pulled[0] ?? {}) });
      this.scoped = new Map(roots.map((root, i) => [root, mergeSettings({ ...this.settings, ...(pulled[i + 1] ?? {}) })]));
    } catch (err) {
      this.log(`Reading the djangoStatic settings failed: ${messageOf(err)}`);
    }
  }

  /** The settings for a file or folder: its workspace folder's own, else the unscoped ones. */
  private settingsOf(fsPath: string): DjangoStaticSettings {
    return this.manager?.settingsOf(fsPath) ?? this.settings;
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    const previous = [this.settings, ...this.scoped.values()];
    if (this.support.configuration) await this.pullSettings();
    else {
      const section = (pushed as { djangoStatic?: Partial<DjangoStaticSettings> } | null)?.djangoStatic;
      if (section) this.settings = mergeSettings({ ...this.settings, ...section });
    }
    if (!this.manager) return;
    this.manager.updateSettings(this.settings, this.trusted, this.scoped);
    const current = [this.settings, ...this.scoped.values()];
    const rest = (all: DjangoStaticSettings[]) => JSON.stringify(all.map(({ severity: _severity, ...other }) => other));
    const severities = (all: DjangoStaticSettings[]) => JSON.stringify(all.map((s) => s.severity));
    if (rest(previous) !== rest(current)) void this.manager.learnAll();
    else if (severities(previous) !== severities(current)) this.checkWorkspace();
  }

  // --- workspace events ---------------------------------------------------------------------------

  private workspaceChanged(change: WorkspaceChange): void {
    switch (change.kind) {
      case 'learning':
        this.diagnostics.beginLearning();
        return;
      case 'walking':
        // The editor watches the folders being walked (events meanwhile are applied when it ends). Our own
        // watcher would walk the same folders beside the walk: it starts once the project is indexed.
        // After the first answer (see firstAnswer): the registration's id loads node's crypto.
        if (this.support.dynamicWatchers) void this.firstAnswer.then(() => this.updateWatching());
        return;
      case 'learned': {
        if (change.listing) {
          // A first reading answers now; its summary (a walk of the whole index) waits for its templates.
          this.updateWatching();
          this.diagnostics.validateOpenDocuments();
          return;
        }
        if (change.preview) for (const project of change.projects) if (project.stage !== 'final') this.forgetSummary(project);
        this.announceProjects();
        for (const failure of change.failures) {
          const text = `Django Static Files could not learn ${failure.managePy ?? failure.projectDir}: ${failure.message}`;
          // Once per distinct failure: saving a still-broken settings file should not pop it up again.
          if (this.shownFailures.has(text)) continue;
          this.shownFailures.add(text);
          // A notification, not a request: nothing to await, nothing that can reject.
          void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
        }
        this.updateWatching();
        // A first reading shows in the open documents at once; the whole workspace is checked once, from
        // the final reading (`refined`): the check is not done twice, nor slowed by the learning behind it.
        if (change.preview) this.diagnostics.validateOpenDocuments();
        else if (!change.refined) this.checkWorkspace();
        return;
      }
      case 'refined':
        this.announceProjects();
        this.updateWatching();
        // Open documents whose diagnostics did not change are not published again (see the publisher).
        this.checkWorkspace();
        this.log(
          `${change.project.model.mode === 'django' ? 'Django' : 'Static'} mode's reading of ${change.project.location.projectDir} replaced the first static one: ` +
            (change.everything
              ? 're-checking every template.'
              : `${change.added.length} paths added, ${change.removed.length} removed or changed.`),
        );
        return;
      case 'static':
        this.forgetSummary(change.project);
        this.diagnostics.validateAffected(change.destPaths, change);
        this.assets.schedule();
        this.announceProjectsSoon();
        return;
      case 'templates':
        this.forgetSummary(change.project);
        for (const file of change.removed) this.models.remove(URI.file(file).toString());
        this.diagnostics.templatesRemoved(change.removed.map((f) => URI.file(f).toString()));
        this.diagnostics.templatesAdded(change.added.map((f) => URI.file(f).toString()));
        for (const file of change.changed) this.diagnostics.schedule(URI.file(file).toString(), 0);
        this.updateWatching();
        return;
      case 'manifest':
        this.forgetSummary(change.project);
        this.updateWatching(true); // STATIC_ROOT may have just been created
        // Which paths the manifest lacks (not-in-manifest) changes with every collectstatic.
        this.diagnostics.validateAffected(null);
        this.assets.schedule();
        return;
    }
  }

  /**
   * Every template, then the CSS/JS references: one after the other, since both run on this thread and the
   * templates are what the editor shows first.
   */
  private checkWorkspace(): void {
    void this.diagnostics.validateEverything(this.allTemplateUris()).finally(() => this.assets.schedule());
  }

  /**
   * File counts changed: tell the client (status bar, report). A summary walks the whole index (about
   * 20 ms at 100k files) and the client redraws on each, so it waits until changes have been quiet for a
   * while instead of following every saved file; a long burst still announces now and then.
   */
  private announceProjectsSoon(): void {
    clearTimeout(this.announceTimer);
    this.announcePendingSince ??= Date.now();
    const waited = Date.now() - this.announcePendingSince;
    this.announceTimer = setTimeout(
      () => {
        this.announceTimer = undefined;
        this.announcePendingSince = undefined;
        void this.summarizeThenAnnounce();
      },
      Math.max(0, Math.min(ANNOUNCE_QUIET_MS, ANNOUNCE_MAX_WAIT_MS - waited)),
    );
  }

  /**
   * The reference findings' records of `projects` (undefined: every project) changed (see report.ts): their
   * summaries are made again, when quiet; the others' stay, with the unreferenced-files pass over every path.
   */
  private referencesChanged(projects?: WorkspaceProject[]): void {
    if (projects?.length === 0) return;
    if (projects) for (const project of projects) this.forgetSummary(project);
    else this.forgetSummary();
    this.announceProjectsSoon();
  }

  private projectsWithTemplate(uri: string): WorkspaceProject[] {
    const file = fsPathOf(uri);
    return (this.manager?.projects ?? []).filter((p) => file !== null && templateSet(p).has(file));
  }

  private forgetSummary(project?: WorkspaceProject): void {
    this.summaryEpoch++;
    if (project) this.summaryCache.delete(project);
    else this.summaryCache = new WeakMap();
  }

  /**
   * The summaries not cached made in slices (at 1M files their reference findings ran up to 1.6 s in one
   * go, with completion waiting), then announced; a change meanwhile announces again, later.
   */
  private async summarizeThenAnnounce(): Promise<void> {
    const epoch = this.summaryEpoch;
    const stale = () => this.summaryEpoch !== epoch;
    try {
      for (const project of this.manager?.projects ?? []) {
        if (this.summaryCache.has(project)) continue;
        const summary = await summarizeInSlices(project, this.recordsOf(project), stale);
        if (!summary || stale()) {
          this.announceProjectsSoon();
          return;
        }
        this.summaryCache.set(project, summary);
      }
    } catch (err) {
      this.log(`Summarizing the projects failed: ${messageOf(err)}`);
    }
    this.announceProjects();
  }

  /** Tells the client the projects, unless it was told exactly these already (the end of a refined learn). */
  private announceProjects(): void {
    const summaries = this.summaries();
    const last = this.announced;
    if (last && summaries.length === last.length && summaries.every((s, i) => s === last[i])) return;
    this.announced = summaries;
    void this.connection.sendNotification(Methods.projectsChanged, { projects: summaries });
  }

  private applyFileChanges(changes: FileChange[]): void {
    if (changes.length === 0 || !this.manager) return;
    // New content in a CSS/JS file changes its references, in any static file the hashed names (the hover's
    // predicted manifest); the index only sees files come and go. Templates and Python are nobody's input.
    const edited = changes
      .filter((c) => c.kind === 'changed' && !c.path.endsWith('.py') && !this.isWorkspaceTemplate(URI.file(c.path).toString()))
      .map((c) => c.path);
    if (edited.length) this.assets.schedule(undefined, edited);
    this.manager.applyFileChanges(changes).catch((err) => this.log(`Applying file changes failed: ${messageOf(err)}`));
  }

  /** Asks the client to watch for us when it can; otherwise watches with our own watcher. */
  private updateWatching(force = false): void {
    if (!this.manager) return;
    const targets = this.manager.watchTargets();
    const key = JSON.stringify(targets);
    if (key === this.watchKey && !force) return;
    this.watchKey = key;
    if (this.support.dynamicWatchers) {
      const watchers = targets.map((t) => this.clientWatcher(t));
      watchers.push({ globPattern: '**/manage.py' });
      const previous = this.clientWatchers;
      this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).then(
        (registration) => {
          this.clientWatchers = registration;
          previous?.dispose();
        },
        (err) => this.log(`Registering file watchers failed: ${messageOf(err)}`),
      );
      return;
    }
    if (!this.ownWatcher) {
      this.ownWatcher = new TreeWatcher((changes) => this.applyFileChanges(changes), {
        skipDirNames: skippedFolderNames(this.settings.ignoreGlobs),
        log: (m) => this.log(m),
      });
    }
    const watcher = this.ownWatcher;
    const started = Date.now();
    watcher.setTargets(targets).then(
      () => this.log(`Watching ${watcher.watchedFolderCount} folders for changes (set up in ${Date.now() - started} ms).`),
      (err) => this.log(`Watching files failed: ${messageOf(err)}`),
    );
  }

  private clientWatcher(target: WatchTarget): FileSystemWatcher {
    const pattern = target.recursive ? '**/*' : '*';
    if (this.support.relativePatterns) return { globPattern: { baseUri: URI.file(target.dir).toString(), pattern } };
    return { globPattern: `${target.dir.split('\\').join('/')}/${pattern}` };
  }

  /** Work-done progress, or a silent handle when the client shows none or does not answer within a second. */
  private async beginProgress(title: string): Promise<ProgressHandle> {
    const silent: ProgressHandle = { report: () => undefined, done: () => undefined };
    await this.firstAnswer;
    try {
      const created = this.connection.window.createWorkDoneProgress();
      const reporter = await Promise.race([created, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000))]);
      if (!reporter) return silent; // the checks must not wait on a client that never answers
      reporter.begin(title, 0, undefined, false);
      return { report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done() };
    } catch {
      return silent;
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  /** Sends the templates' and the assets' diagnostics of `uri` together, each part as its publisher last said. */
  private publish(uri: string, part: 'templates' | 'assets', diagnostics: Diagnostic[]): void {
    this.publishes++;
    const both = { ...(this.published.get(uri) ?? NOTHING_PUBLISHED), [part]: diagnostics };
    if (both.templates.length || both.assets.length) this.published.set(uri, both);
    else this.published.delete(uri);
    // Most files have findings of one part only: that list is sent as it is, not copied.
    const all = !both.assets.length ? both.templates : !both.templates.length ? both.assets : [...both.templates, ...both.assets];
    void this.connection.sendDiagnostics({ uri, diagnostics: all });
  }

  /**
   * The findings last published for the project's files, counted per static file (see countFindings); kept
   * until the next publish, since the view asks for every folder it shows (100 ms at 2,000 templates).
   */
  private findingsOf(project: WorkspaceProject): StaticFileFindings[] {
    const cached = this.findingsCache.get(project);
    if (cached?.publishes === this.publishes) return cached.findings;
    const mine = [];
    for (const [uri, both] of this.published) {
      const file = fsPathOf(uri);
      if (file && this.manager?.projectFor(file) === project) mine.push({ file, ...both });
    }
    const findings = countFindings(mine);
    this.findingsCache.set(project, { publishes: this.publishes, findings });
    return findings;
  }

  /** Summaries are cached per project object: a re-learn makes a new object, static changes drop the entry. */
  private summaries(): ProjectSummary[] {
    return (this.manager?.projects ?? []).map((project) => this.summaryOf(project));
  }

  private summaryOf(project: WorkspaceProject): ProjectSummary {
    let summary = this.summaryCache.get(project);
    if (!summary) {
      summary = summarize(project, this.recordsOf(project));
      this.summaryCache.set(project, summary);
    }
    return summary;
  }

  private recordsOf(project: WorkspaceProject): ReferenceRecords {
    return { templates: this.diagnostics.referenceSurvey(templateSet(project)), assets: this.assets?.replayOf(project) };
  }

  private projectByDir(projectDir: string | undefined): WorkspaceProject | undefined {
    if (!this.manager) return undefined;
    if (!projectDir) return this.manager.selected();
    return this.manager.projects.find((p) => p.location.projectDir === projectDir || p.model.projectDir === projectDir);
  }

  /** For diagnostics: none from a static reading that may miss sources, so nothing shows as missing wrongly. */
  private contextFor(uri: string): ServiceContext | undefined {
    const project = this.manager?.projectFor(fsPathOf(uri));
    return project && project.stage !== 'held' ? this.contextOf(project) : undefined;
  }

  private contextOf(project: WorkspaceProject): ServiceContext {
    return {
      model: project.model,
      index: project.index,
      settings: this.settingsOf(project.location.projectDir),
      manifest: project.manifest,
      predictedManifest: this.predictedManifestOf(project),
      settingsFacts: () => settingsFactsOf(project, this.diagnostics.templatesUsingStatic(templateSet(project))),
    };
  }

  /** The manifest the last CSS/JS replay predicts for the project (none before the first replay). */
  private predictedManifestOf(project: WorkspaceProject): PredictedManifest | undefined {
    const prediction = this.assets?.predictionOf(project);
    return (prediction && predictedManifest(prediction)) ?? undefined;
  }

  /**
   * For requests: waits while the document's project is being learned (see projectForRequest). `whileWalking`:
   * the request's answer is one document's lookups, which a reading whose index is still walked answers right
   * (references and renames need every template, so they wait).
   */
  private async documentAndContext(
    uri: string,
    token: CancellationToken,
    whileWalking = false,
  ): Promise<{ doc: TextDocument; ctx: ServiceContext } | undefined> {
    const doc = this.documents.get(uri);
    if (!doc || !readsDocument(doc.languageId, uri)) return undefined;
    // A request sent right after `initialized` may come before the settings were pulled.
    const manager = this.manager ?? (await this.managerStarted);
    if (!manager) return undefined;
    const project = await manager.projectForRequest(fsPathOf(uri), token, learnTimeoutMs(this.settings), whileWalking);
    if (!project || token.isCancellationRequested) return undefined;
    const counting = this.settingsCounted(uri, project, () => token.isCancellationRequested);
    if (counting) await counting; // no await for other documents: their answers keep their turn
    if (token.isCancellationRequested) return undefined;
    this.noteAnsweringFrom(project);
    return { doc: this.documents.get(uri) ?? doc, ctx: this.contextOf(project) };
  }

  /**
   * A settings file's lenses and hovers count every source's files (1M files: 0.3 s): counted in slices before
   * its answers, so no other request waits behind the count (it is kept until the index changes).
   */
  private settingsCounted(uri: string, project: WorkspaceProject, stale: () => boolean = () => false): Promise<unknown> | undefined {
    const file = fsPathOf(uri);
    if (!file || project.index.reading || !isSettingsFile(project.model, file)) return undefined;
    return inSlices(project.index.collectStatsSteps(), SETTINGS_COUNT_SLICE_MS, stale);
  }

  /** Says once per reading which one requests are answered from. */
  private noteAnsweringFrom(project: WorkspaceProject): void {
    // Said again once the walk has ended: the same reading then answers from its index.
    const walking = !!project.index.reading;
    if (this.answeredFrom.get(project) === walking) return;
    this.answeredFrom.set(project, walking);
    this.answered = true;
    const reading =
      project.stage === 'final'
        ? `${project.model.mode} mode`
        : `the static reading without Python (${project.stage}; the full reading is still learning)`;
    const which = project.index.reading ? `${reading}, its static folders still being walked (lookups read the disk)` : reading;
    this.log(`Answering requests about ${project.location.projectDir} from ${which}.`);
  }

  /** Templates of every project whose reading may show diagnostics. */
  private allTemplateUris(): string[] {
    return (this.manager?.projects ?? []).filter((p) => p.stage !== 'held').flatMap((p) => p.templates.map((t) => URI.file(t).toString()));
  }

  private isWorkspaceTemplate(uri: string): boolean {
    const file = fsPathOf(uri);
    return !!file && !!this.manager?.projects.some((p) => templateSet(p).has(file));
  }

  /** Wraps a handler: logs failures, honours cancellation, and answers a neutral value instead of an error. */
  private guarded<P, R>(name: string, neutral: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token?: CancellationToken): Promise<R> => {
      const cancel = token ?? CancellationToken.None;
      if (cancel.isCancellationRequested) return neutral;
      const started = Date.now();
      try {
        const result = await handler(params, cancel);
        if (this.answered) {
          hotPathsRan();
          // After this answer is written (the writer sends on the next tick).
          setImmediate(this.firstAnswerSent);
        }
        const took = Date.now() - started;
        if (took > SLOW_REQUEST_MS) this.log(`${name} took ${took} ms.`);
        return cancel.isCancellationRequested ? neutral : result;
      } catch (err) {
        // An answer for the user (why a rename is refused), not a failure.
        if (err instanceof ResponseError) throw err;
        this.log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return neutral;
      }
    };
  }

  // No timestamp of our own: clients stamp each log line already (VS Code's output, Neovim's lsp.log).
  private log(message: string): void {
    this.connection.console.log(message);
  }
}

/** How long a request waits for its project: as long as learning may take (the helper's timeout), plus indexing. */
function learnTimeoutMs(settings: DjangoStaticSettings): number {
  return Math.max(1, settings.timeoutSeconds || 15) * 1000 + 5000;
}

function mergeSettings(partial: Partial<DjangoStaticSettings> | undefined): DjangoStaticSettings {
  const merged: DjangoStaticSettings = { ...DEFAULT_SETTINGS };
  if (!partial || typeof partial !== 'object') return merged;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof DjangoStaticSettings)[]) {
    const value = partial[key];
    if (value !== undefined && value !== null && typeof value === typeof DEFAULT_SETTINGS[key]) {
      (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  if (!['auto', 'django', 'static'].includes(merged.mode)) merged.mode = 'auto';
  if (typeof partial.project === 'string' && partial.project) merged.managePyPath = partial.project;
  return merged;
}

function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const roots = uris.map(fsPathOf).filter((p): p is string => !!p);
  if (roots.length === 0 && params.rootPath) roots.push(params.rootPath);
  return roots;
}

const NOTHING_PUBLISHED: { templates: Diagnostic[]; assets: Diagnostic[] } = { templates: [], assets: [] };

function fsPathOf(uri: string): string | null {
  try {
    const parsed = parseUri(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : null;
  } catch {
    return null;
  }
}

/** Folder names from ignore globs of the form `** /name/ **`, which our own watcher never descends into. */
function skippedFolderNames(globs: string[]): Set<string> {
  const names = new Set<string>();
  for (const glob of globs) {
    const match = /^\*\*\/([^/*?[\]{}]+)\/\*\*$/.exec(glob);
    if (match) names.add(match[1]);
  }
  return names;
}

/** The files Django's post-processing patterns read (fnmatchcase: `*.css`, `*.js`, case-sensitive). */
const ASSET_FILE = /\.(css|js)$/;

function isAsset(uri: string): boolean {
  return ASSET_FILE.test(fsPathOf(uri) ?? '');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

startServer();
