/**
 * The collect tree and the project summary's reference findings at one size, in process: how long each runs
 * as one piece of work after an index change. Usage: node out/scripts/bench/collectWork.js <project root>.
 */
import { buildIndex, learnProject } from './engine';
import { DEFAULT_WALK_LIMITS } from '../../server/src/engine/walkBudget';
import { CollectTree } from '../../server/src/engine/collectTree';
import { inSlices } from '../../server/src/engine/slices';
import { referenceFindings, referenceSteps } from '../../server/src/engine/referenceFindings';
import { layoutFindings } from '../../server/src/engine/staticLayout';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { now, reasonOf } from './stats';

async function main(root: string): Promise<void> {
  const walkLimits = { ...DEFAULT_WALK_LIMITS, maxEntries: Infinity, maxMillis: Infinity, maxIndexEntries: Infinity };
  const model = await learnProject(root, { mode: 'static', python: '/usr/bin/python3' });
  const index = await buildIndex(model, { walkLimits });
  const time = (run: () => unknown): number => {
    const started = now();
    run();
    return Math.round(now() - started);
  };
  // The templates' literal references, as the workspace check records them.
  const templates = execFileSync('find', [root, '-path', '*/templates/*', '-name', '*.html', '-not', '-path', '*/static/*'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
    .split('\n')
    .filter(Boolean);
  const named = templates.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/\{% static ['"]([^'"]+)['"]/g)].map((m) => ({ path: m[1], file, line: () => 0 })),
  );
  const survey = { named, dynamicTemplates: [], assetsUnknown: 'not replayed' };
  const known = { named, dynamicTemplates: [], assetsUnknown: null };
  // The same work in slices: its elapsed time, and the longest the event loop waited meanwhile.
  const slicedRun = async (run: () => Promise<unknown>): Promise<{ ms: number; longestWaitMs: number }> => {
    let last = now();
    let longest = 0;
    const timer = setInterval(() => {
      longest = Math.max(longest, now() - last);
      last = now();
    }, 1);
    const started = now();
    await run();
    const ms = Math.round(now() - started);
    clearInterval(timer);
    return { ms, longestWaitMs: Math.round(Math.max(longest, now() - last)) };
  };
  const result = {
    size: index.size,
    tree: time(() => new CollectTree(index)),
    treeAgain: time(() => new CollectTree(index)),
    stats: time(() => index.collectStats(50)),
    references: time(() => referenceFindings(model, index, survey)),
    referencesAgain: time(() => referenceFindings(model, index, survey)),
    unreferenced: time(() => referenceFindings(model, index, known)),
    layout: time(() => layoutFindings(model, index)),
    templates: templates.length,
    named: named.length,
  };
  // After the work at once, so both find the index's lookups equally warm; a file reported changed (not
  // written) moves the index's generation on, so the counts are counted again.
  const someFile = index.collectWinners()[0].absPath;
  index.fileChanged(someFile);
  const tree = new CollectTree(index);
  const sliced = {
    tree: await slicedRun(() => CollectTree.build(index, () => false, 10)),
    references: await slicedRun(() =>
      inSlices(
        referenceSteps(model, index, survey, () => tree),
        10,
      ),
    ),
    unreferenced: await slicedRun(() =>
      inSlices(
        referenceSteps(model, index, known, () => tree),
        10,
      ),
    ),
    stats: await slicedRun(() => inSlices(index.collectStatsSteps(), 10)),
  };
  process.stdout.write(JSON.stringify({ ...result, sliced }) + '\n');
}

main(process.argv[2]).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
