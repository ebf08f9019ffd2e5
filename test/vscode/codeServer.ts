/**
 * code-server (a real VS Code 1.100 served to a browser) for the editor tests: install, package the
 * extension, start on a free loopback port with throw-away state, stop.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from './workspace';

export const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER_BIN = path.join(REPO_ROOT, '.tools', 'code-server', 'node_modules', '.bin', 'code-server');
export const VSIX = path.join(REPO_ROOT, 'django-static-files.vsix');
export const VSIX_LIMIT_BYTES = 1024 * 1024;

export function ensureCodeServer(): void {
  if (existsSync(CODE_SERVER_BIN)) return;
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-code-server.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CODE_SERVER_BIN)) throw new Error('installing code-server failed (see above)');
}

/** Builds the .vsix with `npm run package`; returns its size in bytes. */
export function packageExtension(): number {
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return statSync(VSIX).size;
}

/** Installs a .vsix (ours by default) into `extensionsDir`; returns the installed extension's folder. */
export function installExtension(
  extensionsDir: string,
  configFile: string,
  vsix = VSIX,
  id = 'django-static-files.django-static-files',
): string {
  const r = spawnSync(CODE_SERVER_BIN, ['--config', configFile, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`installing ${path.basename(vsix)} failed:\n${r.stdout}\n${r.stderr}`);
  const folder = readdirSync(extensionsDir).find((f) => f.startsWith(`${id}-`));
  if (!folder) throw new Error(`${path.basename(vsix)} did not install into ${extensionsDir}:\n${r.stdout}`);
  return path.join(extensionsDir, folder);
}

/** Packages a test fixture extension folder into `outFile` (vsce, no repository or license needed). */
export function packageFixture(folder: string, outFile: string): string {
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', outFile], {
    cwd: folder,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`packaging ${folder} failed:\n${r.stdout}\n${r.stderr}`);
  return outFile;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

/** Starts code-server with state under `stateDir` (config, user data, extensions) and waits for /healthz. */
export async function startCodeServer(
  stateDir: string,
  extensionsDir: string,
  options: { workspaceTrust?: boolean } = {},
): Promise<RunningCodeServer> {
  const port = await freePort();
  const configFile = path.join(stateDir, 'config.yaml');
  const userData = path.join(stateDir, 'ud');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.colorTheme': 'Default Dark Modern',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'editor.fontSize': 15,
      'window.zoomLevel': 0,
      'chat.commandCenter.enabled': false,
      // With trust enabled, open the folder untrusted (Restricted Mode) instead of asking.
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.enabled': !!options.workspaceTrust,
    }),
  );
  const args = [
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    configFile,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensionsDir,
  ];
  const child = spawn(CODE_SERVER_BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VSCODE_CLI_DISABLE_TELEMETRY: '1' },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    process: child,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
