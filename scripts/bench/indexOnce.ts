/**
 * Child process for one cold index measurement: learns the project in static mode (timed on its own as
 * learnMs, so Python start-up and settings parsing are not in the index figure), then times buildIndex() on the learned model in a
 * fresh process (cold JIT, cold in-memory state; the OS file cache is warm, as it is for `find` and
 * Django). A second build in the same process gives the warm figure. `--whole` lifts the walk limits (the
 * 1M-file tree). Prints one JSON line.
 */
import { buildIndex, learnProject } from './engine';
import { DEFAULT_WALK_LIMITS } from '../../server/src/engine/walkBudget';
import { now, reasonOf } from './stats';

async function main(root: string, whole: boolean): Promise<void> {
  const walkLimits = whole
    ? { ...DEFAULT_WALK_LIMITS, maxEntries: Infinity, maxMillis: Infinity, maxIndexEntries: Infinity }
    : DEFAULT_WALK_LIMITS;
  const learnStart = now();
  const model = await learnProject(root, { mode: 'static', python: '/usr/bin/python3' });
  const learnMs = now() - learnStart;
  const coldStart = now();
  const index = await buildIndex(model, { walkLimits });
  const coldMs = now() - coldStart;
  const size = index.size;
  const warmStart = now();
  await buildIndex(model, { walkLimits });
  const warmMs = now() - warmStart;
  // What the model could not locate explains a short index (reported by the bench on a mismatch).
  const problems = model.problems.map((p) => `${p.kind}: ${p.message}`).slice(0, 5);
  process.stdout.write(JSON.stringify({ learnMs, coldMs, warmMs, size, sources: index.sources.length, problems }) + '\n');
}

main(process.argv[2], process.argv.includes('--whole')).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
