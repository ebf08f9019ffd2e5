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
  // What the model could not locate explains a short index (reported by the bench on a mismatch).
  const problems = model.problems.map((p) => `${p.kind}: ${p.message}`).slice(0, 5);
  process.stdout.write(JSON.stringify({ learnMs, coldMs, warmMs, size, sources: index.sources.length, problems }) + '\n');
}

main(process.argv[2]).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
