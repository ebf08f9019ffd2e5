/**
 * Django Static Files for VS Code: starts the language server in the background, registers the commands,
 * status bar item, view and template-language offer. Activation never waits for the server or for Python.
 */
import * as vscode from 'vscode';
import { ProjectSummary } from '../../server/src/protocol';
import { COMMANDS } from './commands';
import { Ctx } from './ctx';
import { StaticFilesView } from './staticFilesView';
import { StatusBar } from './statusBar';
import { TemplateLanguage } from './templateLanguage';

/** When the extension host evaluated this bundle: activation time counts from here. */
const loadedAt = Date.now();

/** What activate() returns, for tests and other extensions. */
export interface DjangoStaticApi {
  /** Settles once the language server is running (or failed to start). */
  ready(): Promise<void>;
  projects(): readonly ProjectSummary[];
  /** Resolves with the projects once the server reports them learned (or now, if it has): a first static reading still refining does not count. */
  whenProjects(timeoutMs?: number): Promise<readonly ProjectSummary[]>;
  /** Where start-up went, for the editor tests: see ActivationTimings. */
  timings(): ActivationTimings;
}

/** Milliseconds of the extension's start in this window. */
export interface ActivationTimings {
  /** From the bundle being evaluated to activate() returning (what VS Code waits for). */
  activationMs: number;
  /** When activate() returned (epoch ms). */
  activatedAt: number;
  /** From activate() returning to the language client running (initialize answered); undefined until then. */
  serverStartMs?: number;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): DjangoStaticApi {
  const activatedAt = Date.now();
  const c = new Ctx(context);
  ctx = c;
  context.subscriptions.push(c, new StatusBar(c), new StaticFilesView(c), new TemplateLanguage(c));
  for (const [id, factory] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(c)));
  }
  void vscode.commands.executeCommand('setContext', 'djangoStatic.active', true);
  const started = c.start();
  const activatedMs = Date.now();
  const timings: ActivationTimings = { activationMs: activatedMs - loadedAt, activatedAt: activatedMs };
  void started.then(() => (timings.serverStartMs = Date.now() - activatedMs));
  c.log(`Activated in ${Date.now() - activatedAt} ms; the language server starts in the background.`);
  return {
    ready: () => started,
    timings: () => ({ ...timings }),
    projects: () => c.projects,
    // Learned means the final readings: a first static one (`refining`) is not waited for.
    whenProjects: (timeoutMs = 30000) =>
      learned(c.projects)
        ? Promise.resolve(c.projects)
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              sub.dispose();
              resolve(c.projects);
            }, timeoutMs);
            const sub = c.onDidChangeProjects(() => {
              if (!learned(c.projects)) return;
              clearTimeout(timer);
              sub.dispose();
              resolve(c.projects);
            });
          }),
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}

function learned(projects: readonly ProjectSummary[]): boolean {
  return projects.length > 0 && projects.every((p) => !p.refining);
}
