/**
 * What opening the Static Files view and Find Static File cost the server, in process, on one generated
 * project: the whole collect view as one list (`listFiles`, what both asked for before) against the top
 * folder's listing and the first search answers. Time includes building the JSON message; sizes are its
 * bytes. Usage: node out/scripts/bench/staticFilesView.js <project root> [--whole]. Prints one JSON line.
 */
import { buildIndex, learnProject } from './engine';
import { DEFAULT_WALK_LIMITS } from '../../server/src/engine/walkBudget';
import { listStaticFiles } from '../../server/src/workspace/report';
import { listFolder, searchFiles } from '../../server/src/workspace/staticFiles';
import type { WorkspaceProject } from '../../server/src/workspace/projectManager';
import { now, reasonOf } from './stats';

async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; bytes: number }> {
  const started = now();
  const bytes = Buffer.byteLength(JSON.stringify(await run()));
  return { ms: Math.round(now() - started), bytes };
}

async function main(root: string, whole: boolean): Promise<void> {
  const walkLimits = whole
    ? { ...DEFAULT_WALK_LIMITS, maxEntries: Infinity, maxMillis: Infinity, maxIndexEntries: Infinity }
    : DEFAULT_WALK_LIMITS;
  const model = await learnProject(root, { mode: 'static', python: '/usr/bin/python3' });
  const index = await buildIndex(model, { walkLimits });
  const project = { model, index } as unknown as WorkspaceProject;
  const listFiles = await timed(() => listStaticFiles(project));
  const never = () => false;
  // The first answer builds the collect tree; a second one reuses it until the index changes.
  const firstFolder = await timed(() => listFolder(index, { projectDir: root, folder: '' }, []));
  const folder = await timed(() => listFolder(index, { projectDir: root, folder: '' }, []));
  const noFindings: never[] = [];
  const problems = await timed(() => listFolder(index, { projectDir: root, folder: '', filter: { kind: 'problems' } }, noFindings));
  // Under a filter every shown folder is listed: the next ones reuse what the filter shows.
  const problemsAgain = await timed(() => listFolder(index, { projectDir: root, folder: 'd0', filter: { kind: 'problems' } }, noFindings));
  const searchEmpty = await timed(() => searchFiles(index, root, '', 200, never));
  const searchName = await timed(() => searchFiles(index, root, 'site.css', 200, never));
  const searchPath = await timed(() => searchFiles(index, root, 'app_07/img/g1', 200, never));
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  process.stdout.write(
    JSON.stringify({
      size: index.size,
      listFiles,
      firstFolder,
      folder,
      problems,
      problemsAgain,
      searchEmpty,
      searchName,
      searchPath,
      rssMb,
    }) + '\n',
  );
}

main(process.argv[2], process.argv.includes('--whole')).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
