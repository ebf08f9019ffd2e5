/**
 * The same extension-host suite (test/vscode/suite) in desktop VS Code via @vscode/test-electron, for
 * machines that can download VS Code. Offline (as on the CI machines of this project) it says so and
 * exits 0 within a few seconds instead of waiting for a download timeout; code-server covers it there.
 */
import * as dns from 'node:dns/promises';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { prepareWorkspace, REPO_ROOT } from '../workspace';

const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const PROBE_TIMEOUT_MS = 4000;
const CACHE = path.join(REPO_ROOT, '.vscode-test');

async function canDownload(): Promise<string | true> {
  const timeout = new Promise<string>((resolve) =>
    setTimeout(() => resolve(`no answer from ${DOWNLOAD_HOST} within ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS).unref(),
  );
  const probe = (async (): Promise<string | true> => {
    try {
      await dns.lookup(DOWNLOAD_HOST);
    } catch (err) {
      return `cannot resolve ${DOWNLOAD_HOST} (${(err as NodeJS.ErrnoException).code ?? err})`;
    }
    try {
      const res = await fetch(`https://${DOWNLOAD_HOST}/api/releases/stable`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return res.ok ? true : `${DOWNLOAD_HOST} answered HTTP ${res.status}`;
    } catch (err) {
      return `cannot reach ${DOWNLOAD_HOST} (${err instanceof Error ? err.message : String(err)})`;
    }
  })();
  return Promise.race([probe, timeout]);
}

async function main(): Promise<number> {
  const cached = existsSync(CACHE) && readdirSync(CACHE).some((d) => d.startsWith('vscode-'));
  if (!cached) {
    const reachable = await canDownload();
    if (reachable !== true) {
      process.stdout.write(
        `[electron tests] SKIPPED: VS Code cannot be downloaded here: ${reachable}. The same suite runs in code-server (node out/test/vscode/runInCodeServer.js).\n`,
      );
      return 0;
    }
  }
  const { root, workspace } = prepareWorkspace('djstatic-electron-');
  try {
    return await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[electron tests] FAIL: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
