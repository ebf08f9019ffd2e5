/**
 * The collect tree and the project summary's reference findings at one size, in process: how long each runs
 * as one piece of work after an index change. Usage: node out/scripts/bench/collectWork.js <project root>.
 */
import { buildIndex, learnProject } from './engine';
import { DEFAULT_WALK_LIMITS } from '../../server/src/engine/walkBudget';
import { CollectTree } from '../../server/src/engine/collectTree';
import { referenceFindings } from '../../server/src/engine/referenceFindings';
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
  process.stdout.write(JSON.stringify(result) + '\n');
}

main(process.argv[2]).catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: reasonOf(err) }) + '\n');
  process.exitCode = 1;
});
