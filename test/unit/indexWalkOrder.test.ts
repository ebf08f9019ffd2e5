/**
 * The walk's order and what it makes of links, pinned on one small tree: folders depth first in directory
 * order, a link back up kept as an alias, a link to a walked folder walked again, a broken link listed as a
 * file; the pausing walk (walkAllAsync, as the server runs it) records exactly what the one at once does.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RootTree } from '../../server/src/engine/indexWalk';
import { makeTree } from './indexFixtures';

function tree(): string {
  const root = makeTree({
    'assets/c.css': '',
    'assets/a/q.css': '',
    'assets/a/deep/er/e.css': '',
    'assets/b/z.css': '',
    'assets/b/a/x.css': '',
  });
  const assets = path.join(root, 'assets');
  fs.symlinkSync('..', path.join(assets, 'b/up'));
  fs.symlinkSync('a', path.join(assets, 'lnk'));
  fs.symlinkSync('missing', path.join(assets, 'broken'));
  return assets;
}

function recorded(t: RootTree) {
  return {
    dirs: [...t.dirs].map(([rel, node]) => [rel, [...node.files], [...node.dirs]]),
    problems: t.problems.map((p) => `${p.kind} ${path.basename(p.path)}`),
    linked: [...t.linkedFolders.values()],
  };
}

describe('static index: the walk', () => {
  it('walks folders depth first in directory order, links as Django follows them, the same when it pauses', async () => {
    const assets = tree();
    const atOnce = new RootTree(assets);
    atOnce.walkAll();
    assert.deepEqual(recorded(atOnce), {
      dirs: [
        ['', ['broken', 'c.css'], ['a', 'b', 'lnk']],
        ['a', ['q.css'], ['deep']],
        ['a/deep', [], ['er']],
        ['a/deep/er', ['e.css'], []],
        ['b', ['z.css'], ['a', 'up']],
        ['b/a', ['x.css'], []],
        ['lnk', ['q.css'], ['deep']],
        ['lnk/deep', [], ['er']],
        ['lnk/deep/er', ['e.css'], []],
      ],
      problems: ['broken-symlink broken', 'symlink-loop up'],
      linked: ['lnk'],
    });
    assert.equal(atOnce.resolve('b/up/b/up/a'), 'a');
    assert.ok(atOnce.hasFile('b/up/lnk/deep/er/e.css'));
    assert.ok(!atOnce.hasFile('broken') && atOnce.isBroken('broken'));
    const paused = new RootTree(assets);
    await paused.walkAllAsync();
    assert.deepEqual(recorded(paused), recorded(atOnce));
  });
});
