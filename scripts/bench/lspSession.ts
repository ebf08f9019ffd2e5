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
import { DjangoStaticSettings, InitializationOptions, Methods, ProjectsChangedParams, ProjectSummary } from '../../server/src/protocol';
import { now } from './stats';

// The `/node` entry point is declared through package.json "exports", which `moduleResolution: node`
// does not read; type the one function used from it.
const lsp = require('vscode-languageserver-protocol/node') as typeof Lsp & {
  createProtocolConnection(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Lsp.ProtocolConnection;
};

export interface SessionOptions {
  repoRoot: string;
  projectRoot: string;
  settings: DjangoStaticSettings;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The CLI bundle to run; default `<repoRoot>/dist/cli.js`. */
  cliPath?: string;
  /** Variables added to the server's environment. */
  env?: NodeJS.ProcessEnv;
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
  /** Set when the server process ended; every later wait fails with it instead of timing out. */
  private exitReason: string | undefined;
  private failListeners: Array<(reason: string) => void> = [];
  readonly spawnedAt = now();
  /** Arrival time of the latest publishDiagnostics (any document). */
  private lastPublishAt = now();
  /** Work-done progress tokens the server created and has not ended. */
  private readonly activeProgress = new Set<string | number>();
  /** publishDiagnostics received so far. */
  publishCount = 0;
  /** The server's own "Checked N templates in X ms, Y ms of CPU" log lines. */
  readonly workspaceChecks: Array<{ templates: number; ms: number; cpuMs: number | null }> = [];

  constructor(private readonly options: SessionOptions) {
    this.child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), options.cliPath ?? path.join(options.repoRoot, 'dist', 'cli.js'), 'lsp', '--stdio'],
      {
        cwd: options.projectRoot,
        env: options.env ? { ...process.env, ...options.env } : undefined,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    // A dead server must fail the measurement, not crash the bench with EPIPE.
    this.child.stdin!.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.exitReason = `server exited (code ${code}, signal ${signal})${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      for (const fail of this.failListeners.splice(0)) fail(this.exitReason);
    });
    this.connection = lsp.createProtocolConnection(this.child.stdout!, this.child.stdin!);
    this.connection.onError(() => undefined);
    this.connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params: Lsp.PublishDiagnosticsParams) => {
      const at = now();
      this.lastPublishAt = at;
      this.publishCount++;
      this.diagnostics.set(params.uri, params.diagnostics);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== params.uri || !w.test(params.diagnostics)) return true;
        w.resolve(at);
        return false;
      });
    });
    this.connection.onNotification(Methods.projectsChanged, (params: ProjectsChangedParams) => {
      this.summaries = params.projects;
      for (const listener of this.summaryListeners.splice(0)) listener();
    });
    this.connection.onRequest(lsp.ConfigurationRequest.type, (params: Lsp.ConfigurationParams) =>
      params.items.map(() => this.options.settings),
    );
    this.connection.onRequest(lsp.RegistrationRequest.type, () => null);
    this.connection.onRequest(lsp.UnregistrationRequest.type, () => null);
    this.connection.onRequest(lsp.WorkDoneProgressCreateRequest.type, (params: Lsp.WorkDoneProgressCreateParams) => {
      // Server work (learning, the whole-workspace check) is in progress until this token ends.
      const token = params.token;
      this.activeProgress.add(token);
      const subscription = this.connection.onProgress(
        lsp.WorkDoneProgress.type,
        token,
        (value: Lsp.WorkDoneProgressBegin | Lsp.WorkDoneProgressReport | Lsp.WorkDoneProgressEnd) => {
          if (value.kind === 'end') {
            this.activeProgress.delete(token);
            this.lastPublishAt = Math.max(this.lastPublishAt, now());
            subscription.dispose();
          }
        },
      );
      return null;
    });
    this.connection.onRequest(lsp.ShowMessageRequest.type, () => null);
    this.connection.onNotification(lsp.LogMessageNotification.type, (p: Lsp.LogMessageParams) => {
      const check = /Checked (\d+) templates in (\d+) ms(?:, (\d+) ms of CPU)?/.exec(p.message);
      if (check)
        this.workspaceChecks.push({ templates: Number(check[1]), ms: Number(check[2]), cpuMs: check[3] ? Number(check[3]) : null });
      this.options.log?.(`server: ${p.message}`);
    });
    this.connection.listen();
  }

  private notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params).catch(() => undefined);
  }

  /** Rejects when the server dies first. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    if (this.exitReason) return Promise.reject(new Error(this.exitReason));
    return new Promise<T>((resolve, reject) => {
      const fail = (reason: string): void => reject(new Error(reason));
      this.failListeners.push(fail);
      promise.then(resolve, reject).finally(() => {
        this.failListeners = this.failListeners.filter((f) => f !== fail);
      });
    });
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
    await this.guard(
      this.connection.sendRequest(lsp.InitializeRequest.type, {
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
            // As VS Code (vscode-languageclient 9+) announces them: the server may move shared values into itemDefaults.
            completion: {
              completionItem: { snippetSupport: true, labelDetailsSupport: true },
              completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
            },
            publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          },
          window: { workDoneProgress: true },
        },
      }),
    );
    this.notify(lsp.InitializedNotification.method, {});
  }

  /** Resolves when the server reported a learned project with at least `minFiles` files. */
  waitForProject(minFiles: number, timeoutMs: number): Promise<ProjectSummary> {
    return withTimeout(
      this.guard(
        new Promise<ProjectSummary>((resolve) => {
          const check = (): void => {
            const found = this.summaries.find((s) => s.fileCount >= minFiles);
            if (found) resolve(found);
            else this.summaryListeners.push(check);
          };
          check();
        }),
      ),
      timeoutMs,
      () =>
        `no ${Methods.projectsChanged.method} with >= ${minFiles} files; last: ${JSON.stringify(this.summaries.map((s) => s.fileCount))}; stderr: ${this.stderr.slice(-300)}`,
    );
  }

  /** Resolves with the arrival time of the next projectsChanged notification. */
  nextSummary(timeoutMs: number): Promise<number> {
    return withTimeout(
      this.guard(new Promise<number>((resolve) => this.summaryListeners.push(() => resolve(now())))),
      timeoutMs,
      () => `no ${Methods.projectsChanged.method} within ${timeoutMs} ms`,
    );
  }

  /**
   * Resolves once no work-done progress is running and no publishDiagnostics arrived for `quietMs` (the
   * server finished a burst of work), with the time of the last publish; rejects after `maxMs`.
   */
  async waitQuiet(quietMs: number, maxMs: number): Promise<number> {
    const start = now();
    for (;;) {
      const since = now() - this.lastPublishAt;
      if (since >= quietMs && this.activeProgress.size === 0) return this.lastPublishAt;
      if (now() - start > maxMs) throw new Error(`the server kept publishing diagnostics for ${maxMs} ms`);
      if (this.exitReason) throw new Error(this.exitReason);
      await new Promise((resolve) => setTimeout(resolve, Math.max(20, quietMs - since)));
    }
  }

  /** One of our custom requests, by its typed definition. */
  request<R>(type: { method: string }, params: unknown): Promise<R> {
    return this.guard(this.connection.sendRequest(type.method, params) as Promise<R>);
  }

  uriOf(file: string): string {
    return pathToFileURL(file).toString();
  }

  open(file: string, text = fs.readFileSync(file, 'utf8'), version = 1, languageId = 'django-html'): string {
    const uri = this.uriOf(file);
    this.diagnostics.delete(uri);
    this.notify(lsp.DidOpenTextDocumentNotification.method, {
      textDocument: { uri, languageId, version, text },
    });
    return uri;
  }

  close(uri: string): void {
    this.notify(lsp.DidCloseTextDocumentNotification.method, { textDocument: { uri } });
  }

  /** Resolves with the arrival time of the next publishDiagnostics for `uri` that passes `test`. */
  waitForDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean, timeoutMs: number, checkCurrent = false): Promise<number> {
    const current = this.diagnostics.get(uri);
    if (checkCurrent && current && test(current)) return Promise.resolve(now());
    return withTimeout(
      this.guard(new Promise<number>((resolve) => this.waiters.push({ uri, test, resolve }))),
      timeoutMs,
      () => `no matching publishDiagnostics for ${uri} within ${timeoutMs} ms (last had ${this.diagnostics.get(uri)?.length ?? 'none'})`,
    );
  }

  /** The answer as a list (a bare item array or null becomes one), with its itemDefaults as sent. */
  async complete(uri: string, line: number, character: number): Promise<CompletionList> {
    const result = (await this.guard(
      this.connection.sendRequest(lsp.CompletionRequest.type, { textDocument: { uri }, position: { line, character } }),
    )) as CompletionList | CompletionItem[] | null;
    if (!result) return { isIncomplete: false, items: [] };
    return Array.isArray(result) ? { isIncomplete: false, items: result } : result;
  }

  /** Definition targets as file paths (Location and LocationLink answers alike). */
  async definition(uri: string, line: number, character: number): Promise<string[]> {
    const result = (await this.guard(
      this.connection.sendRequest(lsp.DefinitionRequest.type, { textDocument: { uri }, position: { line, character } }),
    )) as Array<{ uri?: string; targetUri?: string }> | { uri?: string; targetUri?: string } | null;
    const list = !result ? [] : Array.isArray(result) ? result : [result];
    return list.map((l) => new URL(l.uri ?? l.targetUri ?? '').pathname).map(decodeURIComponent);
  }

  fileChanged(file: string, kind: 'created' | 'deleted' | 'changed'): void {
    const type =
      kind === 'created' ? lsp.FileChangeType.Created : kind === 'deleted' ? lsp.FileChangeType.Deleted : lsp.FileChangeType.Changed;
    this.notify(lsp.DidChangeWatchedFilesNotification.method, {
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
      this.notify(lsp.ExitNotification.method, undefined);
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
