import * as assert from 'assert';
import * as fs from 'fs';
import { buildIndex } from '../../server/src/engine/staticIndex';
import { describeProject, formatInfo } from '../../server/src/cli/info';
import { app, dirEntry, makeTree, model } from './indexFixtures';

describe('info: what the index and model say about a project', () => {
  it('reports locations in order with counts, the prefix quirk, missing roots, unlocated apps, walk problems', async () => {
    const proj = makeTree({ 'd/a.css': 'a', 'd/b.css': 'b', 'blog/static/a.css': 'x', 'plain/models.py': '' });
    fs.symlinkSync(`${proj}/nowhere`, `${proj}/d/broken.css`);
    const m = model([
      {
        kind: 'filesystem',
        className: 'FileSystemFinder',
        dirs: [dirEntry('p1', `${proj}/d`, ''), dirEntry('', `${proj}/d`, ''), dirEntry('', `${proj}/gone`)],
      },
      {
        kind: 'app',
        className: 'AppDirectoriesFinder',
        apps: [
          app('blog', `${proj}/blog`),
          app('plain', `${proj}/plain`),
          {
            name: 'thirdparty',
            label: 'thirdparty',
            path: null,
            staticDir: null,
            templatesDir: null,
            notLocatedReason: 'not in any site-packages',
          },
        ],
      },
      { kind: 'custom', className: 'my.Finder', files: [], error: 'ImportError: no module named my' },
    ]);
    m.checks.push({
      id: 'staticfiles.E002',
      level: 'error',
      message: 'The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.',
    });
    const info = describeProject(m, await buildIndex(m));
    const fsLocations = info.finders[0].locations;
    assert.deepStrictEqual(
      fsLocations.map((l) => [l.prefix, l.collectPrefix, l.files, l.exists]),
      [
        ['p1', '', 2, true],
        ['', undefined, 2, true],
        ['', undefined, 0, false],
      ],
    );
    assert.deepStrictEqual(
      info.finders[1].locations.map((l) => l.label),
      ["app 'blog'"],
    );
    assert.deepStrictEqual(info.finders[1].appsWithoutStatic, ['plain']);
    assert.strictEqual(info.finders[2].error, 'ImportError: no module named my');
    assert.deepStrictEqual(info.notLocated, [{ app: 'thirdparty', reason: 'not in any site-packages' }]);
    // a.css: the root walked twice (same storage) and the app; b.css and the broken link: the root twice.
    assert.deepStrictEqual(info.duplicates.map((d) => [d.path, d.sources.length]).sort(), [
      ['a.css', 3],
      ['b.css', 2],
      ['broken.css', 2],
    ]);
    assert.strictEqual(info.destinationCount, 4); // p1/a.css p1/b.css a.css b.css
    assert.strictEqual(info.collectedCount, 3);
    assert.ok(info.problems.some((p) => p.kind === 'root-missing'));
    assert.ok(info.problems.some((p) => p.kind === 'broken-symlink'));
    const text = formatInfo(info);
    assert.match(text, /STATICFILES_DIRS\[0\] 'p1' → .*\/d \(2 files, collectstatic uses prefix '' for this root\)/);
    assert.match(text, /STATICFILES_DIRS\[2\] → .*\/gone \(0 files, missing\)/);
    assert.match(text, /^  3\. my\.Finder \(failed: ImportError: no module named my\)$/m);
    assert.match(text, /^Not located:\n  thirdparty: not in any site-packages$/m);
    assert.match(text, /^Checks:\n  ERROR staticfiles\.E002: /m);
  });
});
