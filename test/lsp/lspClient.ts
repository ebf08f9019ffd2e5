/**
 * A minimal LSP client for the protocol tests: spawns the real `django-static lsp --stdio`, speaks
 * JSON-RPC through vscode-languageserver-protocol, and records what the server pushes.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  createProtocolConnection,
  Diagnostic,
  FileChangeType,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  Registration,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { DEFAULT_SETTINGS, DjangoStaticSettings, Methods, ProjectsChangedParams, ProjectSummary } from '../../server/src/protocol';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const DEMO = path.join(REPO, 'examples', 'demo');

/** Rebuilds dist/ when any server source is newer than dist/cli.js (tests run the bundle, as users do). */
export function ensureBuilt(): void {
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  if (newestMtime(path.join(REPO, 'server', 'src')) > built || newestMtime(path.join(REPO, 'server', 'python')) > built) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
  }
}

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Copies examples/demo into a fresh temp folder (the tests edit files; examples/ is never touched). */
export function copyDemo(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-lsp-'));
  const target = path.join(parent, 'demo');
  fs.cpSync(DEMO, target, {
    recursive: true,
    filter: (src) => !src.includes('__pycache__') && !src.includes('collected_static') && !src.endsWith('db.sqlite3'),
  });
  return target;
}

export function removeCopy(dir: string): void {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}

export function fileUri(file: string): string {
  return URI.file(file).toString();
}

export interface ClientOptions {
  root: string;
  /** Advertise didChangeWatchedFiles dynamic registration (the server then lets us watch). */
  clientWatches?: boolean;
  /** Answer workspace/configuration with these settings (else the capability is not advertised). */
  configuration?: Partial<DjangoStaticSettings>;
  /** Per workspace folder (absolute path): settings answered over `configuration` when the server asks with that folder as scope. */
  scopedConfiguration?: Record<string, Partial<DjangoStaticSettings>>;
  initializationOptions?: unknown;
  /** Workspace folders (default: just `root`). */
  folders?: string[];
  /** Advertise didChangeConfiguration dynamic registration (as VS Code does: the server registers for its section). */
  dynamicConfiguration?: boolean;
  /** Advertise workspace folder support (the server then listens for folder changes). */
  workspaceFolderSupport?: boolean;
  /** Advertise `completionList.itemDefaults` with these properties (LSP 3.17; VS Code announces five). */
  completionItemDefaults?: string[];
  /** Advertise workspace edits with file renames and change annotations (confirmation), as VS Code does. */
  workspaceEdits?: boolean;
  /** Variables added to the server's environment. */
  env?: NodeJS.ProcessEnv;
  /** Start dist/server.js (as VS Code does) instead of `django-static lsp`. */
  serverModule?: boolean;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** publishDiagnostics received per document uri. */
  readonly publishCounts = new Map<string, number>();
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly registrations: Registration[] = [];
  readonly projectsChanged: ProjectSummary[][] = [];
  readonly progressTokens: unknown[] = [];
  readonly progress: unknown[] = [];
  /** workspace/configuration requests answered so far. */
  configurationRequests = 0;
  initializeResult!: InitializeResult;
  private readonly waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: ClientOptions): Promise<LspClient> {
    const command = options.serverModule ? [path.join(REPO, 'dist', 'server.js'), '--stdio'] : [CLI, 'lsp', '--stdio'];
    const child = spawn(process.execPath, command, {
      cwd: options.root,
      env: options.env ? { ...process.env, ...options.env } : undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      client.publishCounts.set(params.uri, (client.publishCounts.get(params.uri) ?? 0) + 1);
      client.published.push(params);
      client.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
      client.notify();
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => client.logs.push(`showMessage: ${params.message}`));
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      client.logs.push(`showMessage: ${params.message}`);
      client.notify();
      return null;
    });
    connection.onNotification(Methods.projectsChanged.method, (params: ProjectsChangedParams) => {
      client.projectsChanged.push(params.projects);
      client.notify();
    });
    connection.onNotification('$/progress', (params: unknown) => {
      client.progress.push(params);
      client.notify();
    });
    connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
      client.registrations.push(...params.registrations);
      client.notify();
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', (params: { token: unknown }) => {
      client.progressTokens.push(params.token);
      return null;
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) => {
      client.configurationRequests++;
      client.notify();
      return params.items.map((item) => {
        if (item.section !== 'djangoStatic') return null;
        const folder = item.scopeUri ? URI.parse(item.scopeUri).fsPath : undefined;
        return { ...DEFAULT_SETTINGS, ...options.configuration, ...(folder ? options.scopedConfiguration?.[folder] : undefined) };
      });
    });
    connection.listen();

    const capabilities: ClientCapabilities = {
      textDocument: {
        completion: {
          completionItem: { snippetSupport: true },
          ...(options.completionItemDefaults ? { completionList: { itemDefaults: options.completionItemDefaults } } : {}),
        },
        publishDiagnostics: { relatedInformation: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      },
      window: { workDoneProgress: true },
      workspace: {
        configuration: options.configuration !== undefined,
        workspaceFolders: !!options.workspaceFolderSupport,
        ...(options.dynamicConfiguration ? { didChangeConfiguration: { dynamicRegistration: true } } : {}),
        didChangeWatchedFiles: { dynamicRegistration: !!options.clientWatches, relativePatternSupport: !!options.clientWatches },
        ...(options.workspaceEdits
          ? {
              workspaceEdit: {
                documentChanges: true,
                resourceOperations: ['create', 'rename', 'delete'],
                changeAnnotationSupport: { groupsOnLabel: true },
              },
            }
          : {}),
      },
    };
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: fileUri(options.root),
      workspaceFolders: (options.folders ?? [options.root]).map((f) => ({ uri: fileUri(f), name: path.basename(f) })),
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves when `probe` returns a value other than undefined; rejects after `timeoutMs` with `what`. */
  async waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}. Server log:\n${this.logs.join('\n')}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Waits for the first (or next after `seen`) projectsChanged notification that is final: a static reading
   * served while Django mode is learned (`refining`) is skipped.
   */
  waitForProjects(seen = 0, timeoutMs = 30000): Promise<ProjectSummary[]> {
    return this.waitFor(
      'projectsChanged',
      () => {
        const latest = this.projectsChanged.length > seen ? this.projectsChanged[this.projectsChanged.length - 1] : undefined;
        return latest && !latest.some((p) => p.refining) ? latest : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits until the diagnostics of `file` satisfy `predicate`. */
  waitForDiagnostics(file: string, what: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs = 20000): Promise<Diagnostic[]> {
    const uri = fileUri(file);
    return this.waitFor(
      `diagnostics of ${path.basename(file)}: ${what}`,
      () => {
        const current = this.diagnostics.get(uri);
        return current && predicate(current) ? current : undefined;
      },
      timeoutMs,
    );
  }

  open(file: string, languageId = 'django-html', text = fs.readFileSync(file, 'utf8')): string {
    const uri = fileUri(file);
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(file: string, version: number, text: string): void {
    this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: fileUri(file), version },
      contentChanges: [{ text }],
    });
  }

  close(file: string): void {
    this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri(file) } });
  }

  /** Sends any notification (for the ones without a helper here). */
  sendNotification(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  sendWatchedFile(file: string, type: FileChangeType): void {
    this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type }] });
  }

  /** A standard request by method name, or one of ours by its typed definition. */
  request<R>(method: string | { method: string }, params: unknown): Promise<R> {
    return this.connection.sendRequest(typeof method === 'string' ? method : method.method, params) as Promise<R>;
  }

  get stderrText(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below is the backstop.
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Opens the demo's templates/base.html and returns the completion labels after `{% static 'css/`. */
export async function baseCssCompletion(client: LspClient, root: string): Promise<string[]> {
  const base = path.join(root, 'templates/base.html');
  client.open(base);
  const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
    textDocument: { uri: fileUri(base) },
    position: positionOf(base, "{% static 'css/site.css'", "{% static 'css/".length),
  });
  return labels(result);
}

/** Line/character of the first occurrence of `needle` in `file`, plus `offset` characters. */
/** The labels of a completion answer, whichever shape the server chose. */
export function labels(result: CompletionList | CompletionItem[] | null): string[] {
  if (!result) return [];
  return (Array.isArray(result) ? result : result.items).map((i) => i.label);
}

export function positionOf(file: string, needle: string, offset = 0): { line: number; character: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let line = 0; line < lines.length; line++) {
    const character = lines[line].indexOf(needle);
    if (character !== -1) return { line, character: character + offset };
  }
  throw new Error(`'${needle}' not found in ${file}`);
}
