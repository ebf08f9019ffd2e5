import * as assert from 'assert';
import * as fs from 'fs';
import { buildIndex, StaticIndex } from '../../server/src/engine/staticIndex';
import { AppEntry, DEFAULT_IGNORE_PATTERNS, FinderEntry, StaticDirEntry } from '../../server/src/engine/model';
import { app, dirEntry, makeTree, model } from './indexFixtures';

const fsFinder = (dirs: StaticDirEntry[]): FinderEntry => ({ kind: 'filesystem', className: 'FileSystemFinder', dirs });
const appFinder = (apps: AppEntry[]): FinderEntry => ({ kind: 'app', className: 'AppDirectoriesFinder', apps });

/** Reference fixture F (§8 of the Django reference). */
function fixtureF(): { proj: string; index: Promise<StaticIndex> } {
  const proj = makeTree({
    'assets/css/site.css': 'dirs',
    'assets/vendor/lib/v.js': 'v',
    'assets/.dotfile': 'dot',
    'prefixed/img/logo.png': 'logo',
    'appa/static/css/site.css': 'a',
    'appb/static/css/site.css': 'b',
    'appb/static/css/b.css': 'bb',
    'appb/static/css/tmp.css~': 'tilde',
    'appb/static/.hidden/x.css': 'hidden',
    'appc/models.py': '',
  });
  const m = model([
    fsFinder([dirEntry('', `${proj}/assets`), dirEntry('pre', `${proj}/prefixed`)]),
    appFinder(['appa', 'appb', 'appc'].map((n) => app(n, `${proj}/${n}`))),
  ]);
  return { proj, index: buildIndex(m) };
}

describe('static index: find() like finders.find', () => {
  let proj: string;
  let index: StaticIndex;
  before(async () => {
    const f = fixtureF();
    proj = f.proj;
    index = await f.index;
  });

  it('lists sources in finder order, skipping apps without static/', () => {
    assert.deepStrictEqual(
      index.sources.map((s) => s.root),
      [`${proj}/assets`, `${proj}/prefixed`, `${proj}/appa/static`, `${proj}/appb/static`],
    );
    assert.deepStrictEqual(
      index.sources.map((s) => s.order),
      [0, 1, 2, 3],
    );
  });

  it('finds every match in order, or only the first', () => {
    assert.deepStrictEqual(index.find('css/site.css', true), {
      kind: 'found',
      matches: [`${proj}/assets/css/site.css`, `${proj}/appa/static/css/site.css`, `${proj}/appb/static/css/site.css`],
    });
    assert.deepStrictEqual(index.find('css/site.css', false), { kind: 'found', matches: [`${proj}/assets/css/site.css`] });
  });

  it('matches folders and ignores ignore patterns', () => {
    assert.deepStrictEqual(index.find('css', true), {
      kind: 'found',
      matches: [`${proj}/assets/css`, `${proj}/appa/static/css`, `${proj}/appb/static/css`],
    });
    assert.deepStrictEqual(index.find('.hidden/x.css', true), { kind: 'found', matches: [`${proj}/appb/static/.hidden/x.css`] });
    assert.strictEqual(index.find('css/tmp.css~', false).kind, 'found');
    assert.deepStrictEqual(index.find('', false), { kind: 'found', matches: [`${proj}/assets`] });
  });

  it('applies the prefix rule', () => {
    assert.deepStrictEqual(index.find('pre/img/logo.png', true), { kind: 'found', matches: [`${proj}/prefixed/img/logo.png`] });
    assert.deepStrictEqual(index.find('img/logo.png', true), { kind: 'missing' });
    assert.deepStrictEqual(index.find('pre', true), { kind: 'missing' });
    assert.deepStrictEqual(index.find('pre/', true), { kind: 'found', matches: [`${proj}/prefixed`] });
  });

  it('normalises like safe_join', () => {
    for (const p of ['css/../css/site.css', './css/site.css', 'css//site.css', 'css/site.css/']) {
      assert.deepStrictEqual(index.find(p, false), { kind: 'found', matches: [`${proj}/assets/css/site.css`] }, p);
    }
    assert.strictEqual(index.find('CSS/site.css', true).kind, 'missing');
  });

  it('reports escaping paths instead of reading them', () => {
    for (const p of ['../proj/settings.py', '/etc/passwd', 'pre//img/logo.png', 'pre/../appa']) {
      const r = index.find(p, true);
      assert.strictEqual(r.kind, 'escapes', p);
      if (r.kind === 'escapes') assert.match(r.message, /^The joined path \(.*\) is located outside of the base path component \(.*\)$/);
    }
  });

  it('stops at the first hit before a later location could raise (first mode)', async () => {
    const proj2 = makeTree({ 'a/pre/img/x.png': '1', 'b/img/x.png': '2' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj2}/a`), dirEntry('pre', `${proj2}/b`)])]));
    assert.deepStrictEqual(idx.find('pre//img/x.png', false), { kind: 'found', matches: [`${proj2}/a/pre/img/x.png`] });
    assert.strictEqual(idx.find('pre//img/x.png', true).kind, 'escapes');
  });

  it('get() returns providers with ignored flags and lazy sizes', () => {
    const entry = index.get('css/site.css')!;
    assert.strictEqual(entry.providers.length, 3);
    assert.strictEqual(entry.providers[0].size, 4);
    assert.deepStrictEqual(
      entry.providers.map((p) => p.ignored),
      [false, false, false],
    );
    assert.strictEqual(index.get('.hidden/x.css')!.providers[0].ignored, true);
    assert.strictEqual(index.get('vendor/lib/v.js')!.providers[0].ignored, false);
    assert.strictEqual(index.get('nope.css'), undefined);
    assert.strictEqual(index.get('pre/img/logo.png')!.providers[0].source.prefix, 'pre');
  });

  it('answers folders and children for completion, prefixes included', () => {
    assert.ok(index.isFolder('pre'));
    assert.ok(index.isFolder('css/'));
    assert.ok(!index.isFolder('css/site.css'));
    const top = index.children('').map((c) => `${c.name}${c.isFolder ? '/' : ''}`);
    assert.deepStrictEqual(top, ['.dotfile', '.hidden/', 'css/', 'pre/', 'vendor/']);
    const css = index.children('css');
    assert.deepStrictEqual(
      css.map((c) => c.name),
      ['b.css', 'site.css', 'tmp.css~'],
    );
    assert.strictEqual(css[1].sources.length, 3);
    assert.deepStrictEqual(
      index.children('pre/img').map((c) => c.name),
      ['logo.png'],
    );
  });

  it('lists a folder before a file of the same name, and listChildren names what children looks up', async () => {
    const tree = makeTree({ 'a/x': '1', 'a/b.css': '1', 'b/x/y.css': '1', 'b/B.css': '1', 'b/c.css': '1' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${tree}/a`), dirEntry('', `${tree}/b`)])]));
    const children = idx.children('');
    assert.deepStrictEqual(
      children.map((c) => `${c.name}${c.isFolder ? '/' : ''}`),
      ['B.css', 'b.css', 'c.css', 'x/', 'x'],
    );
    const listing = idx.listChildren('');
    assert.deepStrictEqual(
      listing.folders.map((c) => c.name),
      ['x'],
    );
    assert.deepStrictEqual(listing.files, ['B.css', 'b.css', 'c.css', 'x']);
  });

  it('counts and lists every destination once', () => {
    const all = [...index.allPaths()].sort();
    assert.deepStrictEqual(all, [
      '.dotfile',
      '.hidden/x.css',
      'css/b.css',
      'css/site.css',
      'css/tmp.css~',
      'pre/img/logo.png',
      'vendor/lib/v.js',
    ]);
    assert.strictEqual(index.size, 7);
  });

  it('collects like collectstatic: ignore patterns applied, first source wins', () => {
    const collected = index.collectMap();
    assert.deepStrictEqual([...collected.keys()].sort(), ['css/b.css', 'css/site.css', 'pre/img/logo.png', 'vendor/lib/v.js']);
    assert.deepStrictEqual(collected.get('css/site.css'), [
      `${proj}/assets/css/site.css`,
      `${proj}/appa/static/css/site.css`,
      `${proj}/appb/static/css/site.css`,
    ]);
    const dups = index.duplicates();
    assert.deepStrictEqual(
      dups.map((d) => d.path),
      ['css/site.css'],
    );
    assert.strictEqual(dups[0].providers.length, 3);
  });
});

describe('static index: collectstatic ignore rules (get_files)', () => {
  const cases: Array<[string[], string, boolean]> = [
    [['vendor'], 'vendor/lib/v.js', false],
    [['vendor/lib'], 'vendor/lib/v.js', true],
    [['vendor/lib/'], 'vendor/lib/v.js', true],
    [['vendor/*'], 'vendor/lib/v.js', false],
    [['lib'], 'vendor/lib/v.js', false],
    [['pre/*'], 'pre/img/logo.png', true],
    [['img/*'], 'pre/img/logo.png', false],
    [['*.CSS'], 'css/b.css', true],
    [['css/b.css'], 'css/b.css', false],
    [['./css/b.css'], 'css/b.css', false],
    [['[ab].css'], 'css/b.css', false],
    [['*'], 'css/b.css', false],
  ];
  for (const [patterns, dest, kept] of cases) {
    it(`-i ${patterns.join(' ')} ${kept ? 'keeps' : 'drops'} ${dest}`, async () => {
      const proj = makeTree({ 'assets/vendor/lib/v.js': 'v', 'assets/css/b.css': 'b', 'prefixed/img/logo.png': 'l' });
      const m = model(
        [fsFinder([dirEntry('', `${proj}/assets`), dirEntry('pre', `${proj}/prefixed`)])],
        [...patterns, ...DEFAULT_IGNORE_PATTERNS],
      );
      const idx = await buildIndex(m);
      assert.strictEqual(idx.collectMap().has(dest), kept);
      assert.strictEqual(idx.get(dest)!.providers[0].ignored, !kept);
    });
  }
});

describe('static index: storage-per-root quirk', () => {
  it('find() uses each prefix, collect uses the last one for the root', async () => {
    const proj = makeTree({ 'd/img/logo.png': 'x' });
    const d = `${proj}/d`;
    const idx = await buildIndex(model([fsFinder([dirEntry('p1', d, ''), dirEntry('p2', d, ''), dirEntry('', d, '')])]));
    assert.deepStrictEqual(idx.find('p1/img/logo.png', true), { kind: 'found', matches: [`${d}/img/logo.png`] });
    assert.deepStrictEqual(idx.find('img/logo.png', true), { kind: 'found', matches: [`${d}/img/logo.png`] });
    const collected = idx.collectMap();
    assert.deepStrictEqual([...collected.keys()], ['img/logo.png']);
    assert.strictEqual(collected.get('img/logo.png')!.length, 3);
    assert.strictEqual(idx.duplicates().length, 1);
  });
});

describe('static index: symlinks', () => {
  it('follows symlinked folders, stops loops, keeps broken links out of find()', async () => {
    const proj = makeTree({ 'assets/css/a.css': 'a', 'elsewhere/js/x.js': 'x' });
    fs.symlinkSync(`${proj}/elsewhere`, `${proj}/assets/linked`);
    fs.symlinkSync(`${proj}/assets`, `${proj}/assets/css/loop`);
    fs.symlinkSync(`${proj}/nowhere`, `${proj}/assets/broken.css`);
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/assets`)])]));
    assert.deepStrictEqual(idx.find('linked/js/x.js', true), { kind: 'found', matches: [`${proj}/assets/linked/js/x.js`] });
    assert.strictEqual(idx.find('css/loop', true).kind, 'found');
    assert.strictEqual(idx.find('broken.css', true).kind, 'missing');
    // collectstatic's list() does yield the broken link (and then fails copying it).
    assert.ok(idx.collectMap().has('broken.css'));
    assert.deepStrictEqual(idx.problems.map((p) => p.kind).sort(), ['broken-symlink', 'symlink-loop']);
    // An event at the link's target reaches the folder as the index sees it.
    fs.writeFileSync(`${proj}/elsewhere/js/y.js`, 'y');
    assert.ok(idx.fileAdded(`${proj}/elsewhere/js/y.js`));
    assert.deepStrictEqual(idx.find('linked/js/y.js', true), { kind: 'found', matches: [`${proj}/assets/linked/js/y.js`] });
    assert.ok(idx.fileRemoved(`${proj}/elsewhere/js/y.js`));
    assert.strictEqual(idx.find('linked/js/y.js', true).kind, 'missing');
  });
});

describe('static index: incremental updates', () => {
  it('adds and removes files and folders without a full walk', async () => {
    const proj = makeTree({ 'assets/css/a.css': 'a', 'app/static/css/a.css': 'b' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/assets`)]), appFinder([app('app', `${proj}/app`)])]));
    assert.strictEqual(idx.size, 1);
    fs.mkdirSync(`${proj}/assets/new/deep`, { recursive: true });
    fs.writeFileSync(`${proj}/assets/new/deep/n.js`, 'n');
    assert.ok(idx.fileAdded(`${proj}/assets/new/deep/n.js`));
    assert.ok(!idx.fileAdded(`${proj}/assets/new/deep/n.js`), 'second add is no change');
    assert.ok(idx.isFolder('new/deep'));
    assert.deepStrictEqual(idx.find('new/deep/n.js', true), { kind: 'found', matches: [`${proj}/assets/new/deep/n.js`] });
    assert.ok(idx.collectMap().has('new/deep/n.js'));
    assert.strictEqual(idx.size, 2);

    fs.mkdirSync(`${proj}/app/static/img/sub`, { recursive: true });
    fs.writeFileSync(`${proj}/app/static/img/sub/i.png`, 'i');
    assert.ok(idx.fileAdded(`${proj}/app/static/img`));
    assert.ok(idx.get('img/sub/i.png'));

    assert.ok(idx.fileRemoved(`${proj}/assets/css/a.css`));
    assert.deepStrictEqual(idx.find('css/a.css', true), { kind: 'found', matches: [`${proj}/app/static/css/a.css`] });
    assert.ok(idx.fileRemoved(`${proj}/assets/new`));
    assert.ok(!idx.isFolder('new'));
    assert.strictEqual(idx.get('new/deep/n.js'), undefined);
    assert.ok(!idx.fileRemoved(`${proj}/assets/new`));
    assert.ok(!idx.fileAdded('/somewhere/else.css'));
    assert.deepStrictEqual([...idx.allPaths()].sort(), ['css/a.css', 'img/sub/i.png']);
  });

  it('honours ignoreGlobs while walking and updating', async () => {
    const proj = makeTree({ 'assets/node_modules/x/y.js': 'y', 'assets/a.js': 'a' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/assets`)])]), { ignoreGlobs: ['**/node_modules/**'] });
    assert.deepStrictEqual([...idx.allPaths()], ['a.js']);
    fs.writeFileSync(`${proj}/assets/node_modules/x/z.js`, 'z');
    assert.ok(!idx.fileAdded(`${proj}/assets/node_modules/x/z.js`));
  });
});

describe('static index: custom finders and odd models', () => {
  it("indexes a custom finder's listed files after the built-in ones", async () => {
    const proj = makeTree({ 'assets/a.js': 'a', 'remote/a.js': 'r' });
    const idx = await buildIndex(
      model([
        fsFinder([dirEntry('', `${proj}/assets`)]),
        {
          kind: 'custom',
          className: 'my.finders.Remote',
          files: [
            { path: 'a.js', absPath: `${proj}/remote/a.js` },
            { path: 'r/b.js', absPath: null },
          ],
        },
      ]),
    );
    assert.deepStrictEqual(idx.find('a.js', true), { kind: 'found', matches: [`${proj}/assets/a.js`, `${proj}/remote/a.js`] });
    assert.deepStrictEqual(idx.collectMap().get('a.js'), [`${proj}/assets/a.js`, `${proj}/remote/a.js`]);
    assert.ok(idx.collectMap().has('r/b.js'));
    assert.strictEqual(idx.sources[1].finder, 'custom');
  });

  it('treats a missing root as empty and reports it', async () => {
    const proj = makeTree({ 'assets/a.js': 'a' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/missing`), dirEntry('', `${proj}/assets`)])]));
    assert.deepStrictEqual(idx.find('a.js', true), { kind: 'found', matches: [`${proj}/assets/a.js`] });
    assert.deepStrictEqual(
      idx.missingRoots().map((s) => s.root),
      [`${proj}/missing`],
    );
  });

  it('handles spaces and non-ASCII names', async () => {
    const proj = makeTree({ 'assets/é dir/ñ file.css': 'x' });
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/assets`)])]));
    assert.deepStrictEqual(idx.find('é dir/ñ file.css', true), { kind: 'found', matches: [`${proj}/assets/é dir/ñ file.css`] });
  });
});
