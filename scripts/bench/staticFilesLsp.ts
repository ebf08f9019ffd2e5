/**
 * The Static Files view and Find Static File over LSP, on one generated project: once the server is quiet
 * (learned, indexed, workspace checked, CSS/JS replayed), the time from request to answer and the answer's JSON size for the
 * whole collect view (`listFiles`, what both asked for before), the top folder's listing and the first search
 * answers. Usage: node out/scripts/bench/staticFilesLsp.js <project root> <files>. Prints one JSON line.
 */
import * as path from 'node:path';
import { Methods } from '../../server/src/protocol';
import { benchSettings } from './engine';
import { LspSession } from './lspSession';
import { now, reasonOf } from './stats';

async function main(root: string, files: number): Promise<void> {
  const session = new LspSession({
    repoRoot: path.resolve(__dirname, '..', '..', '..'),
    projectRoot: root,
    settings: benchSettings('static'),
  });
  try {
    await session.initialize();
    await session.waitForProject(Math.floor(files * 0.9), 600_000);
    await session.waitQuiet(2000, 600_000);
    // The summary after the workspace check (its reference findings) and the CSS/JS replay still run once
    // diagnostics are quiet: measured after them, so the figures are the requests' own.
    await session.request(Methods.projects, {});
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const timed = async (method: { method: string }, params: unknown) => {
      const started = now();
      const answer = await session.request<unknown>(method, params);
      return { ms: Math.round(now() - started), bytes: Buffer.byteLength(JSON.stringify(answer)) };
    };
    const projectDir = root;
    // The whole list last: its message leaves the heap big enough to slow whatever follows.
    const result = {
      firstFolder: await timed(Methods.listFolder, { projectDir, folder: '' }),
      folder: await timed(Methods.listFolder, { projectDir, folder: '' }),
      searchEmpty: await timed(Methods.searchFiles, { projectDir, query: '' }),
      searchName: await timed(Methods.searchFiles, { projectDir, query: 'f123.css' }),
      searchPath: await timed(Methods.searchFiles, { projectDir, query: 'app_07/img/g1' }),
      listFiles: await timed(Methods.listFiles, { projectDir }),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await session.dispose();
  }
}

main(process.argv[2], Number(process.argv[3])).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
