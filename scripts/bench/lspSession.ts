/**
 * Drives the real language server over stdio (`node dist/cli.js lsp --stdio`) with the
 * vscode-languageserver-protocol client, the way an editor does: initialize, wait until the project is
 * indexed, open documents, request completions, report file changes, collect publishDiagnostics.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Lsp from 'vscode-languageserver-protocol/lib/common/api';
import type { CompletionItem, CompletionList, Diagnostic } from 'vscode-languageserver-types';
import { DjangoStaticSettings, InitializationOptions, Methods, ProjectSummary } from '../../server/src/protocol';
import { now } from './stats';

// The `/node` entry point is declared through package.json "exports", which `moduleResolution: node`
// does not read; type the one function used from it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lsp = require('vscode-languageserver-protocol/node') as typeof Lsp & {
  createProtocolConnection(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Lsp.ProtocolConnection;
};

export interface SessionOptions {
  repoRoot: string;
  projectRoot: string;
  settings: DjangoStaticSettings;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Advertise client-side file watching (as VS Code does); when false the server watches by itself. */
  clientWatches?: boolean;
  log?: (line: string) => void;
}

type DiagnosticsWaiter = { uri: string; test: (d: Diagnostic[]) => boolean; resolve: (ms: number) => void };

export class LspSession {
  readonly child: ChildProcess;
  private readonly connection: Lsp.ProtocolConnection;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: DiagnosticsWaiter[] = [];
  private summaries: ProjectSummary[] = [];
  private summaryListeners: Array<() => void> = [];
  private stderr = '';
  readonly spawnedAt = now();

  constructor(private readonly options: SessionOptions) {
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(options.repoRoot, 'dist', 'cli.js'), 'lsp', '--stdio'], {
      cwd: options.projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.connection = lsp.createProtocolConnection(this.child.stdout!, this.child.stdin!);
    this.connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params: Lsp.PublishDiagnosticsParams) => {
      const at = now();
      this.diagnostics.set(params.uri, params.diagnostics);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== params.uri || !w.test(params.diagnostics)) return true;
        w.resolve(at);
        return false;
      });
    });
    this.connection.onNotification(Methods.projectsChanged, (params: ProjectSummary[]) => {
      this.summaries = params;
      for (const listener of this.summaryListeners.splice(0)) listener();
    });
    this.connection.onRequest(lsp.ConfigurationRequest.type, (params: Lsp.ConfigurationParams) => params.items.map(() => this.options.settings));
    this.connection.onRequest(lsp.RegistrationRequest.type, () => null);
    this.connection.onRequest(lsp.UnregistrationRequest.type, () => null);
    this.connection.onRequest(lsp.WorkDoneProgressCreateRequest.type, () => null);
    this.connection.onRequest(lsp.ShowMessageRequest.type, () => null);
    this.connection.onNotification(lsp.LogMessageNotification.type, (p: Lsp.LogMessageParams) => this.options.log?.(`server: ${p.message}`));
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get serverStderr(): string {
    return this.stderr;
  }

  async initialize(): Promise<void> {
    const rootUri = pathToFileURL(this.options.projectRoot).toString();
    const initializationOptions: InitializationOptions = { settings: this.options.settings, trusted: true };
    await this.connection.sendRequest(lsp.InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(this.options.projectRoot) }],
      initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: this.options.clientWatches !== false },
          didChangeConfiguration: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true } },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification(lsp.InitializedNotification.type, {});
  }

  /** Resolves when the server reported a learned project with at least `minFiles` files. */
  waitForProject(minFiles: number, timeoutMs: number): Promise<ProjectSummary> {
    return withTimeout(
      new Promise<ProjectSummary>((resolve) => {
        const check = (): void => {
          const found = this.summaries.find((s) => s.fileCount >= minFiles);
          if (found) resolve(found);
          else this.summaryListeners.push(check);
        };
        check();
      }),
      timeoutMs,
      () => `no ${Methods.projectsChanged} with >= ${minFiles} files; last: ${JSON.stringify(this.summaries.map((s) => s.fileCount))}; stderr: ${this.stderr.slice(-300)}`,
    );
  }

  uriOf(file: string): string {
    return pathToFileURL(file).toString();
  }

  open(file: string, text = fs.readFileSync(file, 'utf8'), version = 1): string {
    const uri = this.uriOf(file);
    this.diagnostics.delete(uri);
    void this.connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'django-html', version, text },
    });
    return uri;
  }

  close(uri: string): void {
    void this.connection.sendNotification(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resolves with the arrival time of the next publishDiagnostics for `uri` that passes `test`. */
  waitForDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean, timeoutMs: number, checkCurrent = false): Promise<number> {
    const current = this.diagnostics.get(uri);
    if (checkCurrent && current && test(current)) return Promise.resolve(now());
    return withTimeout(
      new Promise<number>((resolve) => this.waiters.push({ uri, test, resolve })),
      timeoutMs,
      () => `no matching publishDiagnostics for ${uri} within ${timeoutMs} ms (last had ${this.diagnostics.get(uri)?.length ?? 'none'})`,
    );
  }

  async complete(uri: string, line: number, character: number): Promise<CompletionItem[]> {
    const result = (await this.connection.sendRequest(lsp.CompletionRequest.type, {
      textDocument: { uri },
      position: { line, character },
    })) as CompletionList | CompletionItem[] | null;
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  fileChanged(file: string, kind: 'created' | 'deleted' | 'changed'): void {
    const type = kind === 'created' ? lsp.FileChangeType.Created : kind === 'deleted' ? lsp.FileChangeType.Deleted : lsp.FileChangeType.Changed;
    void this.connection.sendNotification(lsp.DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).toString(), type }],
    });
  }

  /** Polite shutdown; kills the server if it does not exit within a few seconds. */
  async dispose(killAfterMs = 5000): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await withTimeout(this.connection.sendRequest(lsp.ShutdownRequest.type), killAfterMs, () => 'shutdown timed out');
      await this.connection.sendNotification(lsp.ExitNotification.type);
    } catch {
      // The server may already be gone; the kill below settles it.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), killAfterMs);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
