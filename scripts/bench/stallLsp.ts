/**
 * What completion waits for while the server follows a static file change at scale: the collect tree made
 * again for the Static Files view's next listing, then the project summary (its reference findings). Over
 * LSP, on one generated project, once quiet: completion is asked back to back while a file's removal and
 * return are reported (the tree is not written), the top folder listed, and the summary announced. Usage:
 * node out/scripts/bench/stallLsp.js <project root> <files> <static file> [cli.js] [rounds]. Prints one JSON line.
 */
import * as path from 'node:path';
import { Methods } from '../../server/src/protocol';
import { benchSettings } from './engine';
import { COMPLETION_POSITIONS } from './generate';
import { LspSession } from './lspSession';
import { now, reasonOf } from './stats';

async function main(root: string, files: number, staticFile: string, cliPath: string | undefined, rounds: number): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  // STALL_NODE_ARGS: extra flags for the server, e.g. --cpu-prof to see what completion waits behind.
  const nodeArgs = (process.env.STALL_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const session = new LspSession({ repoRoot, projectRoot: root, settings: benchSettings('static'), cliPath, nodeArgs });
  try {
    await session.initialize();
    await session.waitForProject(Math.floor(files * 0.9), 600_000);
    await session.waitQuiet(2000, 600_000);
    const uri = session.open(path.join(root, 'templates', 'bench', 'completion.html'));
    const { line, character } = COMPLETION_POSITIONS.bigFolder;
    await session.complete(uri, line, character);
    await session.request(Methods.listFolder, { projectDir: root, folder: '' });
    const settingsUri = process.env.STALL_LENSES
      ? session.open(path.join(root, 'benchproj', 'settings.py'), undefined, 1, 'python')
      : undefined;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const out: Array<Record<string, number>> = [];
    for (let round = 0; round < rounds; round++) {
      // Completion back to back: each answer's latency, by when it was asked.
      const asked: Array<{ at: number; ms: number }> = [];
      let probing = true;
      const probe = (async () => {
        while (probing) {
          const at = now();
          await session.complete(uri, line, character);
          asked.push({ at, ms: now() - at });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const changed = now();
      const summarized = session.nextSummary(60_000);
      session.fileChanged(staticFile, 'deleted');
      session.fileChanged(staticFile, 'created');
      await new Promise((resolve) => setTimeout(resolve, 100));
      // STALL_LENSES=1: the settings file's code lenses are asked too (they count every source's files).
      const lensAsked = now();
      const lenses = settingsUri
        ? await session.request<unknown[]>({ method: 'textDocument/codeLens' }, { textDocument: { uri: settingsUri } })
        : null;
      const lensed = now();
      const listAsked = now();
      await session.request(Methods.listFolder, { projectDir: root, folder: '' });
      const listed = now();
      const summaryAt = await summarized;
      await new Promise((resolve) => setTimeout(resolve, 300));
      probing = false;
      await probe;
      const worst = (from: number, to: number) =>
        Math.round(Math.max(0, ...asked.filter((a) => a.at + a.ms >= from && a.at <= to).map((a) => a.ms)));
      out.push({
        ...(lenses
          ? { lensMs: Math.round(lensed - lensAsked), lenses: lenses.length, worstCompletionWhileLensing: worst(lensAsked, lensed) }
          : {}),
        listMs: Math.round(listed - listAsked),
        worstCompletionWhileListing: worst(listAsked, listed),
        summaryAfterChangeMs: Math.round(summaryAt - changed),
        worstCompletionBeforeSummary: worst(listed, summaryAt),
        worstCompletionOverall: worst(changed, summaryAt),
        completions: asked.length,
        medianCompletion: Math.round(asked.map((a) => a.ms).sort((a, b) => a - b)[Math.floor(asked.length / 2)]),
      });
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    process.stdout.write(JSON.stringify({ rounds: out, workspaceChecks: session.workspaceChecks }) + '\n');
  } finally {
    await session.dispose();
  }
}

main(process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5] || undefined, Number(process.argv[6] ?? 3)).catch(
  (err: unknown) => {
    process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
    process.exitCode = 1;
  },
);
