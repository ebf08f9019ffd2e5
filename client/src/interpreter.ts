/**
 * Which Python runs the project: the `djangoStatic.pythonPath` setting, else the Python extension's
 * active interpreter (followed as it changes; the extension is optional), else discovery: the server's
 * choice when it has one, then the usual virtualenv folders and `python3`, keeping the first that can
 * `import django`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { PythonExtension, PVSC_EXTENSION_ID } from '@vscode/python-extension';
import { readSettings } from './config';
import { runPython } from './process';

export type InterpreterSource = 'setting' | 'python-extension' | 'discovered';

export interface Interpreter {
  path: string;
  source: InterpreterSource;
}

const PYTHON_EXTENSION_TIMEOUT_MS = 5000;

export class InterpreterResolver implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the setting or the Python extension's active interpreter changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private pythonApi: Promise<PythonExtension | undefined> | undefined;
  private readonly djangoCheck = new Map<string, Promise<boolean>>();

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('djangoStatic.pythonPath')) this.changed.fire();
      }),
      vscode.extensions.onDidChange(() => {
        // The Python extension was installed or enabled after we started.
        if (!this.pythonApi && vscode.extensions.getExtension(PVSC_EXTENSION_ID)) this.changed.fire();
      }),
    );
  }

  /** The setting or the Python extension's interpreter; undefined means "let discovery decide". */
  async configured(folder: vscode.WorkspaceFolder | undefined): Promise<Interpreter | undefined> {
    const setting = readSettings(folder).pythonPath;
    if (setting) return { path: expand(setting, folder), source: 'setting' };
    const fromExtension = await this.fromPythonExtension(folder);
    return fromExtension ? { path: fromExtension, source: 'python-extension' } : undefined;
  }

  /**
   * An interpreter to run manage.py with: the configured one, else `serverChoice` (what the language
   * server found), else the first candidate that imports Django.
   */
  async resolve(
    folder: vscode.WorkspaceFolder | undefined,
    projectDir: string,
    serverChoice?: string | null,
  ): Promise<Interpreter | undefined> {
    const configured = await this.configured(folder);
    if (configured) return configured;
    if (serverChoice) return { path: serverChoice, source: 'discovered' };
    for (const candidate of candidates(projectDir, folder)) {
      if (await this.importsDjango(candidate)) return { path: candidate, source: 'discovered' };
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async fromPythonExtension(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
    if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
    this.pythonApi ??= this.loadPythonApi();
    const api = await this.pythonApi;
    if (!api) return undefined;
    try {
      const active = api.environments.getActiveEnvironmentPath(folder?.uri);
      const resolved = await withTimeout(api.environments.resolveEnvironment(active), PYTHON_EXTENSION_TIMEOUT_MS);
      return (
        resolved?.executable.uri?.fsPath ?? (fs.existsSync(active.path) && fs.statSync(active.path).isFile() ? active.path : undefined)
      );
    } catch {
      return undefined;
    }
  }

  private async loadPythonApi(): Promise<PythonExtension | undefined> {
    try {
      const api = await withTimeout(PythonExtension.api(), PYTHON_EXTENSION_TIMEOUT_MS);
      if (api) this.disposables.push(api.environments.onDidChangeActiveEnvironmentPath(() => this.changed.fire()));
      return api;
    } catch {
      return undefined;
    }
  }

  private importsDjango(python: string): Promise<boolean> {
    let check = this.djangoCheck.get(python);
    if (!check) {
      check = runPython(python, ['-c', 'import django'], { cwd: os.tmpdir(), env: process.env, timeoutMs: 10000 }).then(
        (r) => r.exitCode === 0,
      );
      this.djangoCheck.set(python, check);
    }
    return check;
  }
}

function candidates(projectDir: string, folder: vscode.WorkspaceFolder | undefined): string[] {
  const bin = process.platform === 'win32' ? path.join('Scripts', 'python.exe') : path.join('bin', 'python');
  const roots = [projectDir, folder?.uri.fsPath].filter((r): r is string => !!r);
  const venvs = roots.flatMap((root) => ['.venv', 'venv', 'env'].map((v) => path.join(root, v, bin))).filter((p) => fs.existsSync(p));
  const onPath = process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python', '/usr/bin/python3'];
  return [...new Set([...venvs, ...onPath])];
}

/** `${workspaceFolder}` and `~` in the setting; relative paths are relative to the workspace folder. */
function expand(setting: string, folder: vscode.WorkspaceFolder | undefined): string {
  let value = setting.replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '');
  if (value === '~' || value.startsWith('~/')) value = path.join(os.homedir(), value.slice(1));
  if (!path.isAbsolute(value) && value.includes('/') && folder) value = path.join(folder.uri.fsPath, value);
  return value;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref?.())]);
}
