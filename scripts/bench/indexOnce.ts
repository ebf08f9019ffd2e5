/**
 * Child process for one cold index measurement: learns the project in static mode (not timed, so Python
 * start-up and settings parsing are not counted), then times buildIndex() on the learned model in a
 * fresh process (cold JIT, cold in-memory state; the OS file cache is warm, as it is for `find` and
 * Django). A second build in the same process gives the warm figure. Prints one JSON line.
 */
import { buildIndex, learnProject } from './engine';
import { now, reasonOf } from './stats';

async function main(root: string): Promise<void> {
  const learnStart = now();
  const model = await learnProject(root, { mode: 'static', python: '/usr/bin/python3' });
  const learnMs = now() - learnStart;
  const coldStart = now();
  const index = await buildIndex(model);
  const coldMs = now() - coldStart;
  const size = index.size;
  const warmStart = now();
  await buildIndex(model);
  const warmMs = now() - warmStart;
  process.stdout.write(JSON.stringify({ learnMs, coldMs, warmMs, size, sources: index.sources.length }) + '\n');
}

main(process.argv[2]).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
