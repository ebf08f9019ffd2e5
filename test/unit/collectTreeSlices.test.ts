/**
 * The collect tree and the reference findings made in slices (as the server makes them after a change, the
 * event loop free between slices) against the same made at once and against the index's own collect table,
 * on a real index with prefixes, shadowing and ignored files, through added and removed files and a change
 * arriving in the middle of a build.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildIndex, StaticIndex } from '../../server/src/engine/staticIndex';
import { CollectTree, collectTreeFor, collectTreeOf } from '../../server/src/engine/collectTree';
import { FinderEntry } from '../../server/src/engine/model';
import { MAX_UNREFERENCED_LISTED, referenceFindings, referenceSteps } from '../../server/src/engine/referenceFindings';
import { atOnce, inSlices } from '../../server/src/engine/slices';
import { app, dirEntry, makeTree, model } from './indexFixtures';

/** Everything the view and search read from a tree, as plain data. */
function snapshot(tree: CollectTree): unknown[] {
  return [...tree.folders.values()]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((at) => ({
      path: at.path,
      folders: [...at.folders].sort(),
      fileCount: at.fileCount,
      shadowingCount: at.shadowingCount,
      copies: at.copies && [...at.copies].sort(),
      files: tree.fileNames(at).map((name) => {
        const f = tree.fileIn(at, name)!;
        return [f.path, f.source.label, f.absPath, f.shadowed];
      }),
    }));
}

/** The same files from the index's collect table (collectWinners), the way the tree is not made. */
function winners(index: StaticIndex): string[] {
  return index
    .collectWinners()
    .map((w) => JSON.stringify([w.path, w.source.label, w.absPath, w.copies - 1]))
    .sort();
}

function treeFiles(tree: CollectTree): string[] {
  const out: string[] = [];
  for (const at of tree.folders.values())
    for (const name of tree.fileNames(at)) {
      const f = tree.fileIn(at, name)!;
      out.push(JSON.stringify([f.path, f.source.label, f.absPath, f.shadowed]));
    }
  return out.sort();
}

describe('collect tree and reference findings in slices: the same answers as made at once', () => {
  let proj: string;
  let index: StaticIndex;
  let finders: FinderEntry[];
  before(async () => {
    const files: Record<string, string> = {
      'assets/css/site.css': 'a',
      'assets/css/print.css': 'p',
      'assets/img/.hidden': 'ignored by collectstatic',
      'legacy/css/site.css': 'shadowed',
      'legacy/css/old.css': 'only here',
      'vendor/lib/x.js': 'under a prefix',
      'shop/static/css/site.css': 'shadowed twice',
      'shop/static/shop/cart.js': 'app file',
    };
    for (let i = 0; i < 70; i++) files[`assets/gen/d${i % 7}/f${i}.js`] = '';
    proj = makeTree(files);
    finders = [
      {
        kind: 'filesystem',
        className: 'FileSystemFinder',
        dirs: [dirEntry('', `${proj}/assets`), dirEntry('', `${proj}/legacy`), dirEntry('pre', `${proj}/vendor`)],
      },
      { kind: 'app', className: 'AppDirectoriesFinder', apps: [app('shop', `${proj}/shop`)] },
    ];
    index = await buildIndex(model(finders));
  });

  const sliced = async (): Promise<CollectTree> => {
    const tree = await CollectTree.build(index, () => false, 0);
    assert.ok(tree);
    return tree;
  };

  it('builds the same tree in slices as at once, and both hold the index collect table', async () => {
    const whole = new CollectTree(index);
    assert.deepEqual(snapshot(await sliced()), snapshot(whole));
    assert.deepEqual(treeFiles(whole), winners(index));
    assert.equal(whole.root.shadowingCount, 1);
    assert.equal(whole.folders.get('css')!.copies!.get('site.css'), 3);
  });

  it('follows added, removed and newly shadowing files, and a change in the middle of a build', async () => {
    const add = (rel: string) => {
      const abs = path.join(proj, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, 'x');
      assert.ok(index.fileAdded(abs), rel);
    };
    const remove = (rel: string) => {
      const abs = path.join(proj, rel);
      fs.rmSync(abs);
      assert.ok(index.fileRemoved(abs), rel);
    };
    const before = collectTreeOf(index);
    add('legacy/css/print.css'); // shadowed by assets/css/print.css
    add('assets/css/old.css'); // now shadows legacy/css/old.css
    add('vendor/new/y.js'); // a new folder under the prefix
    remove('assets/css/site.css'); // legacy's copy wins now
    const after = await collectTreeFor(index);
    assert.notEqual(after, before, 'made again after the change');
    assert.deepEqual(snapshot(after), snapshot(new CollectTree(index)));
    assert.deepEqual(treeFiles(after), winners(index));
    assert.equal(after.file('css/site.css')!.absPath, path.join(proj, 'legacy/css/site.css'));
    assert.equal(after.file('css/old.css')!.shadowed, 1);
    assert.equal(await collectTreeFor(index), after, 'kept until the next change');

    // A file added while the tree is being made: the build starts again and gives the index as it is after.
    add('assets/gen/d0/early.js');
    const building = collectTreeFor(index, 0);
    await new Promise((resolve) => setImmediate(resolve));
    add('assets/gen/d0/late.js');
    const late = await building;
    assert.ok(late.file('gen/d0/late.js'), 'the file added during the build is in the tree it gives');
    assert.deepEqual(snapshot(late), snapshot(new CollectTree(index)));
    assert.equal(collectTreeOf(index), late);

    // The summary's counts, counted in slices, as a fresh walk of the same files counts them.
    const stats = (of: StaticIndex) => {
      const { duplicates, ...counts } = of.collectStats(10);
      return { ...counts, duplicates: duplicates.map((d) => [d.path, ...d.providers.map((p) => p.absPath)]) };
    };
    await inSlices(index.collectStatsSteps(), 0);
    assert.deepEqual(stats(index), stats(await buildIndex(model(finders))));
  });

  it('finds after a change what a fresh index finds, the lookups the change cannot move kept from the last run', async () => {
    const root = makeTree({
      'assets/css/site.css': 'a',
      'assets/css/gone.css': 'b',
      'assets/fonts/a.woff': 'c',
      'assets/lib/x.js': 'd',
      'more/css/kept.css': 'e',
    });
    const m = model([
      { kind: 'filesystem', className: 'FileSystemFinder', dirs: [dirEntry('', `${root}/assets`), dirEntry('', `${root}/more`)] },
    ]);
    m.projectDir = root;
    const named = ['css/Site.css', 'css/gone.css', 'img/New.png', 'fonts/a.woff', 'lib/x.js', 'css/kept.css', 'css/Later.css'];
    const survey = {
      named: named.map((p, i) => ({ path: p, file: `${root}/t.html`, line: () => i })),
      dynamicTemplates: [],
      assetsUnknown: 'not replayed',
    };
    const live = await buildIndex(m);
    const first = referenceFindings(m, live, survey);
    assert.deepEqual(
      first.map((f) => f.line),
      [0],
      'only css/Site.css differs in case',
    );
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'x');
      assert.ok(live.fileAdded(path.join(root, rel)), rel);
    };
    fs.rmSync(path.join(root, 'assets/css/gone.css'));
    assert.ok(live.fileRemoved(path.join(root, 'assets/css/gone.css')));
    write('assets/img/new.png'); // img/New.png now differs in case only
    fs.rmSync(path.join(root, 'assets/fonts'), { recursive: true });
    assert.ok(live.fileRemoved(path.join(root, 'assets/fonts')));
    write('more/CSS/later.css'); // css/Later.css differs in case from it
    fs.rmSync(path.join(root, 'assets/css/site.css')); // css/Site.css has no spelling left
    assert.ok(live.fileRemoved(path.join(root, 'assets/css/site.css')));
    const tree = collectTreeOf(live);
    const again = atOnce(referenceSteps(m, live, survey, () => tree));
    assert.deepEqual(again, referenceFindings(m, await buildIndex(m), survey));
    assert.deepEqual(
      again.map((f) => f.line),
      [2, 6],
      'img/New.png and css/Later.css differ in case now, css/Site.css no longer',
    );
  });

  it('lists the same reference findings in slices, matching the collect table, and stops when stale', async () => {
    const m = model(finders);
    m.projectDir = proj;
    const named = ['css/print.css', 'CSS/Old.css', 'gen/d1/f1.js'].map((p) => ({ path: p, file: `${proj}/t.html`, line: () => 3 }));
    const survey = { named, dynamicTemplates: [], assetsUnknown: null };
    const whole = referenceFindings(m, index, survey);
    const tree = collectTreeOf(index);
    assert.deepEqual(
      await inSlices(
        referenceSteps(m, index, survey, () => tree),
        0,
      ),
      whole,
    );
    assert.deepEqual(atOnce(referenceSteps(m, index, survey, () => tree)), whole);
    // The unreferenced ones as collectWinners (the collect table) gives them: first by path, then a count.
    const unnamed = index
      .collectWinners()
      .map((w) => w.path)
      .filter((dest) => !['css/print.css', 'css/old.css', 'gen/d1/f1.js'].includes(dest))
      .sort();
    const listed = whole.filter((f) => f.code === 'static-unreferenced' && f.more === undefined);
    assert.deepEqual(
      listed.map((f) => /'([^']+)'/.exec(f.message)![1]),
      unnamed.slice(0, MAX_UNREFERENCED_LISTED),
    );
    assert.equal(whole.at(-1)!.more, unnamed.length - MAX_UNREFERENCED_LISTED);
    assert.ok(whole.some((f) => f.code === 'static-case-mismatch' && f.message.includes("'css/old.css'")));
    let asked = 0;
    assert.equal(
      await inSlices(
        referenceSteps(m, index, survey, () => tree),
        0,
        () => ++asked > 2,
      ),
      undefined,
    );
  });
});
