/**
 * An index whose walk has not ended answers lookups from the disk (startIndex): every lookup a request makes
 * (find, get, isFolder, children, listChildren) must say what the walked index says, symlinks, prefixes,
 * ignore patterns and ignoreGlobs included.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { FinderEntry, ProjectModel, sourceFolders } from '../../server/src/engine/model';
import { compileGlobs } from '../../server/src/engine/fnmatch';
import { RootTree } from '../../server/src/engine/indexWalk';
import { buildIndex, startIndex, StaticIndex } from '../../server/src/engine/staticIndex';
import { app, dirEntry, makeTree, model } from './indexFixtures';

const IGNORE_GLOBS = ['**/node_modules/**'];

function fixture(): ProjectModel {
  const proj = makeTree({
    'assets/css/site.css': 'dirs',
    'assets/css/tmp.css~': 'tilde',
    'assets/.dotfile': 'dot',
    'assets/node_modules/x/y.js': 'skipped by ignoreGlobs',
    'assets/vendor/lib/v.js': 'v',
    'prefixed/img/logo.png': 'logo',
    'elsewhere/js/x.js': 'x',
    'appa/static/css/site.css': 'a',
    'appa/static/img/logo.png': 'shadowed by nobody: the prefix differs',
    'appb/static/css/site.css': 'b',
    'appb/static/css/b.css': 'bb',
    'appb/static/pre/img/logo.png': 'the same destination as the prefixed one',
  });
  fs.symlinkSync(`${proj}/elsewhere`, `${proj}/assets/linked`);
  fs.symlinkSync(`${proj}/assets`, `${proj}/assets/css/loop`);
  fs.symlinkSync(`${proj}/nowhere`, `${proj}/assets/broken.css`);
  const finders: FinderEntry[] = [
    { kind: 'filesystem', className: 'FileSystemFinder', dirs: [dirEntry('', `${proj}/assets`), dirEntry('pre', `${proj}/prefixed`)] },
    { kind: 'app', className: 'AppDirectoriesFinder', apps: ['appa', 'appb'].map((n) => app(n, `${proj}/${n}`)) },
  ];
  return model(finders);
}

/** An index none of whose roots has been walked: every lookup reads the disk. */
function unwalked(m: ProjectModel): StaticIndex {
  const skip = compileGlobs(IGNORE_GLOBS);
  const trees = new Map(sourceFolders(m).map((root) => [root, new RootTree(root, skip)]));
  const index = new StaticIndex(m, { ignoreGlobs: IGNORE_GLOBS }, trees);
  assert.ok(index.reading);
  return index;
}

const PATHS = [
  'css/site.css',
  'css/b.css',
  'css/tmp.css~',
  'css',
  '.dotfile',
  'node_modules/x/y.js',
  'vendor/lib/v.js',
  'linked/js/x.js',
  'css/loop/css/site.css',
  'css/loop/css/loop/vendor/lib/v.js',
  'broken.css',
  'pre/img/logo.png',
  'img/logo.png',
  'pre',
  'nothing.css',
  '../escape.css',
];
const FOLDERS = ['', 'css', 'pre', 'pre/img', 'img', 'linked', 'linked/js', 'css/loop', 'node_modules', 'missing'];

const lookup = (index: StaticIndex, path: string) => ({
  first: index.find(path, false),
  all: index.find(path, true),
  entry: index.get(path)?.providers.map((p) => [p.source.order, p.absPath, p.ignored, p.size]),
  folder: index.isFolder(path),
});
const listing = (index: StaticIndex, folder: string) => ({
  children: index
    .children(folder)
    .map((c) => [c.name, c.isFolder, c.sources.map((s) => s.order), c.entry?.providers.map((p) => p.absPath)]),
  names: index.listChildren(folder),
});

describe('static index: lookups before the walk has ended', () => {
  let m: ProjectModel;
  let walked: StaticIndex;
  let reading: StaticIndex;
  before(async () => {
    m = fixture();
    walked = await buildIndex(m, { ignoreGlobs: IGNORE_GLOBS });
    reading = unwalked(m);
  });

  for (const path of PATHS) {
    it(`answers ${path} as the walked index does`, () => assert.deepStrictEqual(lookup(reading, path), lookup(walked, path)));
  }
  for (const folder of FOLDERS) {
    it(`lists '${folder}' as the walked index does`, () => assert.deepStrictEqual(listing(reading, folder), listing(walked, folder)));
  }

  it('startIndex answers at once, and stops reading the disk once its walk has ended (the generation moves on)', async () => {
    const { index, walked: done } = startIndex(m, { ignoreGlobs: IGNORE_GLOBS });
    assert.strictEqual(index.find('vendor/lib/v.js', false).kind, 'found');
    const before = index.generation;
    await done;
    assert.ok(!index.reading);
    assert.ok(index.generation > before, 'caches keyed on the generation rebuild from the walked tree');
    assert.strictEqual(index.changesSince(before), null);
    assert.deepStrictEqual(lookup(index, 'css/site.css'), lookup(walked, 'css/site.css'));
    assert.strictEqual(index.size, walked.size);
  });
});

describe('static index: a folder listing says which files collectstatic ignores, as a lookup of each does', () => {
  // A pattern on a folder name ('.*', CVS) prunes every file below it; one with a slash matches the whole
  // path below the top; a prefix is not part of the path the patterns see.
  const PATTERNS = ['CVS', '.*', '*~', 'vendor/lib/*'];
  let m: ProjectModel;
  before(() => {
    const proj = makeTree({
      'assets/top.css': 't',
      'assets/.top.css': 'dot at the top',
      'assets/css/site.css': 's',
      'assets/css/tmp.css~': 'tilde',
      'assets/.hidden/a.css': 'in a dot folder',
      'assets/.hidden/deep/b.css': 'below a dot folder',
      'assets/CVS/x.js': 'in CVS',
      'assets/vendor/keep.js': 'k',
      'assets/vendor/lib/v.js': 'matched by the path pattern',
      'prefixed/img/logo.png': 'l',
      'prefixed/.x/y.png': 'a dot folder under a prefix',
      'appa/static/css/site.css': 'shadowed by assets',
      'appa/static/.hidden/a.css': 'shadowed, ignored too',
    });
    m = model(
      [
        { kind: 'filesystem', className: 'FileSystemFinder', dirs: [dirEntry('', `${proj}/assets`), dirEntry('pre', `${proj}/prefixed`)] },
        { kind: 'app', className: 'AppDirectoriesFinder', apps: [app('appa', `${proj}/appa`)] },
      ],
      PATTERNS,
    );
  });
  const FOLDERS_IGNORED = ['', 'css', '.hidden', '.hidden/deep', 'CVS', 'vendor', 'vendor/lib', 'pre', 'pre/img', 'pre/.x'];
  const flags = (index: StaticIndex, folder: string) =>
    index
      .children(folder)
      .filter((c) => !c.isFolder)
      .map((c) => [c.entry!.path, c.entry!.providers.map((p) => p.ignored)]);

  for (const walkedFirst of [false, true]) {
    it(`${walkedFirst ? 'walked' : 'reading'}: every listed file's flags match index.get`, async () => {
      const index = walkedFirst ? await buildIndex(m, {}) : unwalked(m);
      let files = 0;
      for (const folder of FOLDERS_IGNORED) {
        for (const [path, ignored] of flags(index, folder)) {
          files++;
          assert.deepStrictEqual(
            ignored,
            index.get(path as string)!.providers.map((p) => p.ignored),
            path as string,
          );
        }
      }
      assert.strictEqual(files, 11);
      const byPath = new Map(FOLDERS_IGNORED.flatMap((folder) => flags(index, folder)).map(([p, i]) => [p, i]));
      assert.deepStrictEqual(byPath.get('top.css'), [false]);
      assert.deepStrictEqual(byPath.get('.top.css'), [true]);
      assert.deepStrictEqual(byPath.get('.hidden/deep/b.css'), [true]);
      assert.deepStrictEqual(byPath.get('.hidden/a.css'), [true, true]);
      assert.deepStrictEqual(byPath.get('css/site.css'), [false, false]);
      assert.deepStrictEqual(byPath.get('vendor/lib/v.js'), [true]);
      assert.deepStrictEqual(byPath.get('vendor/keep.js'), [false]);
      assert.deepStrictEqual(byPath.get('pre/.x/y.png'), [true]);
      assert.deepStrictEqual(byPath.get('pre/img/logo.png'), [false]);
    });

    it(`${walkedFirst ? 'walked' : 'reading'}: ignoredFiles names the files children() flags as ignored in every copy`, async () => {
      const index = walkedFirst ? await buildIndex(m, {}) : unwalked(m);
      const seen: string[] = [];
      for (const folder of FOLDERS_IGNORED) {
        const flagged = index
          .children(folder)
          .filter((c) => !c.isFolder && c.entry!.providers.every((p) => p.ignored))
          .map((c) => c.name);
        const named = [...index.ignoredFiles(folder, index.listChildren(folder))].sort();
        assert.deepStrictEqual(named, flagged, folder);
        // A listing from elsewhere (no record of its holders) is answered all the same.
        const foreign = { ...index.listChildren(folder) };
        assert.deepStrictEqual([...index.ignoredFiles(folder, foreign)].sort(), flagged, `${folder}, a copied listing`);
        seen.push(...named.map((name) => `${folder}/${name}`));
      }
      assert.deepStrictEqual(
        seen.sort(),
        ['/.top.css', '.hidden/a.css', '.hidden/deep/b.css', 'CVS/x.js', 'css/tmp.css~', 'pre/.x/y.png', 'vendor/lib/v.js'].sort(),
      );
    });
  }
});
