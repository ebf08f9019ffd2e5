/**
 * The extension's one context object: owns the LanguageClient (start, restart, stop), the learned
 * projects, output channels and every disposable, so commands stay small and deactivate() is one call.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CancellationToken,
  ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RequestType,
  RequestType0,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { InitializationOptions, Methods, ProjectsChangedParams, ProjectSummary, SERVER_V8_FLAGS } from '../../server/src/protocol';
import { CODE_CACHE_ENV } from '../../server/src/launch/codeCache';
import { affectsSettings, readSettings } from './config';
import { InterpreterResolver } from './interpreter';

/**
 * Documents the server reads: Django templates, plain HTML/text templates, Jinja, Python settings, and the
 * CSS and JS files collectstatic post-processes (only `*.css` and `*.js`, as Django's globs: not `.scss`, `.mjs`).
 */
const DOCUMENT_SELECTOR = [
  ...['django-html', 'django-txt', 'html', 'jinja-html', 'jinja', 'python'].map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', language: 'css', pattern: '**/*.css' },
  { scheme: 'file', language: 'javascript', pattern: '**/*.js' },
];
type ConfigurationNext = (params: ConfigurationParams, token: CancellationToken) => unknown;
const SELECTED_PROJECT_KEY = 'djangoStatic.selectedManagePy';

export class Ctx implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Django Static Files', { log: true });
  readonly collectOutput = vscode.window.createOutputChannel('Django Static: collectstatic');
  readonly collectDiagnostics = vscode.languages.createDiagnosticCollection('django-static-collect');
  readonly interpreter = new InterpreterResolver();
  private readonly projectsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeProjects = this.projectsChanged.event;
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** Fires when the client starts, stops or fails. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private summaries: ProjectSummary[] = [];
  private startError: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Settings the server was started with (pythonPath resolved through the Python extension when unset). */
  private startSettings = readSettings();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.disposables.push(
      this.output,
      this.collectOutput,
      this.collectDiagnostics,
      this.interpreter,
      this.projectsChanged,
      this.stateChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        // pythonPath changes arrive through the interpreter resolver, which restarts the server.
        if (affectsSettings(e) && !e.affectsConfiguration('djangoStatic.pythonPath')) void this.pushSettings();
      }),
      this.interpreter.onDidChange(() => this.scheduleRestart('interpreter changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleRestart('workspace trusted')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRestart('workspace folders changed')),
    );
  }

  get projects(): readonly ProjectSummary[] {
    return this.summaries;
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Why the server is not running, when it failed to start. */
  get failure(): string | undefined {
    return this.startError;
  }

  /** The project commands act on: the user's choice, else the one in the active editor's folder, else the first. */
  get activeProject(): ProjectSummary | undefined {
    const chosen = this.selectedManagePy;
    const byChoice = chosen ? this.summaries.find((p) => p.managePy === chosen) : undefined;
    if (byChoice) return byChoice;
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    const byEditor = file
      ? this.summaries.filter((p) => isInside(p.projectDir, file)).sort((a, b) => b.projectDir.length - a.projectDir.length)[0]
      : undefined;
    return byEditor ?? this.summaries[0];
  }

  get selectedManagePy(): string | undefined {
    return this.extension.workspaceState.get<string>(SELECTED_PROJECT_KEY) || readSettings().managePyPath || undefined;
  }

  async selectManagePy(managePy: string): Promise<void> {
    await this.extension.workspaceState.update(SELECTED_PROJECT_KEY, managePy);
    if (this.running) await this.request(Methods.selectProject, { managePy }).catch((e) => this.log(`selectProject failed: ${e}`));
    this.projectsChanged.fire();
  }

  /** Starts the client in the background; the returned promise settles once it is running (or failed). */
  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
      this.stateChanged.fire();
    });
    return this.starting;
  }

  async restart(reason: string): Promise<void> {
    this.log(`Restarting the language server: ${reason}.`);
    await this.starting?.catch(() => undefined);
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop(2000).catch(() => undefined);
    this.stateChanged.fire();
  }

  request<R>(type: RequestType0<R, void>): Promise<R>;
  /** With a token, cancelling it tells the server to stop (a search the user typed past). */
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  async request<P, R>(type: RequestType0<R, void> | RequestType<P, R, void>, params?: P, token?: vscode.CancellationToken): Promise<R> {
    await this.starting;
    if (!this.client || !this.running) throw new Error(this.startError ?? 'The Django Static Files language server is not running.');
    // By method name: the typed overloads of sendRequest do not infer the result type of a RequestType0.
    return token ? this.client.sendRequest<R>(type.method, params ?? {}, token) : this.client.sendRequest<R>(type.method, params ?? {});
  }

  /** Asks the server to re-learn every project; resolves with the fresh summaries. */
  async reindex(): Promise<readonly ProjectSummary[]> {
    await this.request(Methods.reindex);
    await this.refreshProjects();
    return this.summaries;
  }

  async refreshProjects(): Promise<void> {
    const result = await this.request(Methods.projects);
    this.setProjects(result ?? []);
  }

  log(message: string): void {
    this.output.info(message);
  }

  dispose(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    void this.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async doStart(): Promise<void> {
    this.startError = undefined;
    const serverModule = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    // The server's V8 code cache lives in the extension's own storage, never in a workspace.
    const env = { [CODE_CACHE_ENV]: path.join(this.extension.globalStorageUri.fsPath, 'code-cache') };
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: SERVER_V8_FLAGS, env } },
      debug: {
        module: serverModule,
        transport: TransportKind.stdio,
        options: { execArgv: ['--nolazy', '--inspect=6010', ...SERVER_V8_FLAGS], env },
      },
    };
    const folder = vscode.workspace.workspaceFolders?.[0];
    const settings = readSettings(folder);
    const trusted = vscode.workspace.isTrusted;
    if (trusted && !settings.pythonPath) {
      // The Python extension's interpreter (if any); otherwise the server's own discovery decides.
      const configured = await this.interpreter.configured(folder);
      if (configured) settings.pythonPath = configured.path;
    }
    if (!settings.managePyPath && this.extension.workspaceState.get<string>(SELECTED_PROJECT_KEY)) {
      settings.managePyPath = this.extension.workspaceState.get<string>(SELECTED_PROJECT_KEY) ?? '';
    }
    this.startSettings = settings;
    const initializationOptions: InitializationOptions = { settings, trusted };
    this.log(
      `Starting the language server (${trusted ? 'trusted' : 'Restricted Mode: static mode only'}; interpreter: ${settings.pythonPath || 'discover'}).`,
    );
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      initializationOptions,
      outputChannel: this.output,
      middleware: {
        workspace: {
          // Servers that pull settings get the same resolved values as the initialization options.
          configuration: (params: ConfigurationParams, token: CancellationToken, next: ConfigurationNext) => {
            if (params.items.every((i) => i.section === 'djangoStatic')) {
              return params.items.map((i) => readSettingsFresh(this.startSettings, i.scopeUri ? vscode.Uri.parse(i.scopeUri) : undefined));
            }
            return next(params, token);
          },
        },
      },
    };
    const client = new LanguageClient('djangoStatic', 'Django Static Files', serverOptions, clientOptions);
    this.client = client;
    // Handlers die with the client on stop(), so they are not added to this.disposables.
    client.onNotification(Methods.projectsChanged, (params: ProjectsChangedParams) => this.setProjects(params?.projects ?? []));
    try {
      await client.start();
      this.stateChanged.fire();
      // Not refreshProjects(): request() waits for this very start-up to finish.
      const summaries = await client
        .sendRequest<ProjectSummary[]>(Methods.projects.method)
        .catch((e) => this.log(`Could not read the projects yet: ${e}`));
      if (summaries && summaries.length) this.setProjects(summaries);
    } catch (err) {
      this.startError = `The Django Static Files language server could not start: ${err instanceof Error ? err.message : String(err)}`;
      this.log(this.startError);
      if (this.client === client) this.client = undefined;
    }
  }

  /** Sends changed settings; the server pulls them through the configuration middleware below. */
  private async pushSettings(): Promise<void> {
    if (!this.client || !this.running) return;
    const settings = readSettingsFresh(this.startSettings);
    await this.client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { djangoStatic: settings } })
      .catch((e) => this.log(`Sending settings failed: ${e}`));
  }

  private setProjects(summaries: ProjectSummary[]): void {
    this.summaries = Array.isArray(summaries) ? summaries : [];
    this.projectsChanged.fire();
  }

  private scheduleRestart(reason: string): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(reason), 300);
  }
}

/** Settings re-read at request time, keeping the interpreter resolved at start-up when the setting is empty. */
function readSettingsFresh(atStart: ReturnType<typeof readSettings>, scope?: vscode.Uri): ReturnType<typeof readSettings> {
  const fresh = readSettings(scope ?? vscode.workspace.workspaceFolders?.[0]);
  return { ...fresh, pythonPath: fresh.pythonPath || atStart.pythonPath, managePyPath: fresh.managePyPath || atStart.managePyPath };
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
