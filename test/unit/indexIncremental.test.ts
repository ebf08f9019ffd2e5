/**
 * Incremental updates must leave the index (and the did-you-mean cache that catches up through its
 * journal) exactly where a fresh walk of the same tree would be. Random file and folder events on real
 * temp trees, with shared roots, prefixes and shadowing, compared after every step with a rebuild.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildIndex, StaticIndex } from '../../server/src/engine/staticIndex';
import { sourceShares } from '../../server/src/engine/sourceShares';
import { AppEntry, FinderEntry, ProjectModel, StaticDirEntry } from '../../server/src/engine/model';
import { suggestPaths } from '../../server/src/service/suggest';
import { app, dirEntry, makeTree, model } from './indexFixtures';
import { seededRandom } from '../seeded';

const fsFinder = (dirs: StaticDirEntry[]): FinderEntry => ({ kind: 'filesystem', className: 'FileSystemFinder', dirs });
const appFinder = (apps: AppEntry[]): FinderEntry => ({ kind: 'app', className: 'AppDirectoriesFinder', apps });

const NAMES = ['site.css', 'Site.css', 'app.js', 'logo.png', 'main.css', 'mian.css', 'a.css', 'b.js', 'theme.css'];
const FOLDERS = ['css', 'js', 'img', 'css/sub', 'vendor/lib', 'deep/er/most'];

interface Project {
  roots: string[];
  model: ProjectModel;
}

/** Three roots: one shared by two STATICFILES_DIRS entries ('' and 'pre'), one prefixed 'pre', and an app. */
function project(): Project {
  const proj = makeTree({ 'assets/css/site.css': 'a', 'other/css/site.css': 'o', 'app/static/css/site.css': 's', 'app/models.py': '' });
  const m = model([
    fsFinder([dirEntry('', `${proj}/assets`), dirEntry('pre', `${proj}/other`), dirEntry('pre', `${proj}/assets`)]),
    appFinder([app('app', `${proj}/app`)]),
  ]);
  return { roots: [`${proj}/assets`, `${proj}/other`, `${proj}/app/static`], model: m };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)];
}

/** One random file-system change, applied on disk, then reported to the index as a watcher would. */
function randomEvent(proj: Project, idx: StaticIndex, next: () => number): string {
  const root = pick(proj.roots, next);
  const folder = pick(FOLDERS, next);
  const roll = next();
  if (roll < 0.45) {
    const file = path.join(root, folder, pick(NAMES, next));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'x');
    idx.fileAdded(file);
    return `add ${file}`;
  }
  if (roll < 0.6) {
    // A folder moved in whole: one event for the folder, its files never reported one by one.
    const staging = fs.mkdtempSync(path.join(root, '..', 'staging-'));
    for (const name of NAMES.slice(0, 1 + Math.floor(next() * 4))) fs.writeFileSync(path.join(staging, name), 'y');
    const target = path.join(root, folder, `moved${Math.floor(next() * 3)}`);
    if (fs.existsSync(target)) {
      fs.rmSync(staging, { recursive: true });
      return 'skip';
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staging, target);
    idx.fileAdded(target);
    return `add folder ${target}`;
  }
  const existing = listFiles(root);
  if (existing.length === 0) return 'skip';
  const victim = pick(existing, next);
  if (roll < 0.85) {
    fs.rmSync(victim);
    idx.fileRemoved(victim);
    return `remove ${victim}`;
  }
  const folderToDrop = path.dirname(victim);
  if (folderToDrop === root) return 'skip';
  fs.rmSync(folderToDrop, { recursive: true });
  idx.fileRemoved(folderToDrop);
  return `remove folder ${folderToDrop}`;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const abs = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(abs) : [abs];
  });
}

/** collectStats() counts what the destination table lists, without building it. */
function assertStatsMatchTable(idx: StaticIndex, where: string): void {
  const stats = idx.collectStats(3);
  const table = idx.collectMap();
  const duplicates = idx.duplicates().sort((a, b) => (a.path < b.path ? -1 : 1));
  assert.strictEqual(stats.collected, table.size, `${where}: collected`);
  assert.strictEqual(stats.duplicateCount, duplicates.length, `${where}: duplicate count`);
  const listed = (entries: typeof duplicates) => entries.map((e) => [e.path, e.providers.map((p) => `${p.source.order}:${p.absPath}`)]);
  assert.deepStrictEqual(listed(stats.duplicates), listed(duplicates.slice(0, 3)), `${where}: first duplicates`);
  const perSource = idx.sources.map((source) => {
    let count = 0;
    for (const [dest, providers] of table) {
      const rel = source.listPrefix ? (dest.startsWith(`${source.listPrefix}/`) ? dest.slice(source.listPrefix.length + 1) : null) : dest;
      if (rel !== null && providers.includes(`${source.root}/${rel}`)) count++;
    }
    return count;
  });
  assert.deepStrictEqual(stats.perSource, perSource, `${where}: per source`);
  // The settings lenses' counts are the lengths of the report's lists per source.
  const shares = sourceShares(idx);
  const order = idx.sources.map((s) => s.order);
  assert.deepStrictEqual(
    stats.perSource,
    order.map((o) => shares.get(o)!.provides.length),
    `${where}: provides`,
  );
  const hidden = (o: number) => shares.get(o)!.shadows.reduce((n, s) => n + s.hidden.length, 0);
  assert.deepStrictEqual(stats.shadows, order.map(hidden), `${where}: shadows`);
  assert.deepStrictEqual(
    stats.shadowedBy,
    order.map((o) => shares.get(o)!.shadowedBy.length),
    `${where}: shadowed by`,
  );
  assert.strictEqual(stats.first, [...table.keys()].sort()[0] ?? null, `${where}: first destination`);
  const winners = new Map(idx.collectWinners().map((w) => [w.path, [w.absPath, w.copies]]));
  assert.deepStrictEqual(
    winners,
    new Map([...table].map(([dest, providers]) => [dest, [providers[0], providers.length]])),
    `${where}: winners`,
  );
}

const providersOf = (idx: StaticIndex, dest: string) => idx.get(dest)?.providers.map((p) => `${p.source.order}:${p.absPath}:${p.ignored}`);

describe('static index: incremental updates agree with a fresh walk', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`random events, seed ${seed}: size, paths, providers, journal and suggestions`, async () => {
      const proj = project();
      const idx = await buildIndex(proj.model);
      const next = seededRandom(seed);
      // What a cache following the journal believes the path set is.
      const followed = new Set(idx.allPaths());
      let followedAt = idx.generation;
      suggestPaths('css/sit.css', idx); // builds the suggestion cache, which must then catch up
      for (let step = 0; step < 60; step++) {
        const event = randomEvent(proj, idx, next);
        const fresh = await buildIndex(proj.model);
        const expected = [...fresh.allPaths()].sort();
        const where = `seed ${seed}, step ${step}, ${event}`;
        assert.deepStrictEqual([...idx.allPaths()].sort(), expected, where);
        assert.strictEqual(idx.size, fresh.size, where);
        for (const dest of expected) assert.deepStrictEqual(providersOf(idx, dest), providersOf(fresh, dest), `${where}: ${dest}`);
        assert.deepStrictEqual([...idx.collectMap()].sort(), [...fresh.collectMap()].sort(), where);
        assertStatsMatchTable(idx, where);

        const changes = idx.changesSince(followedAt);
        assert.ok(changes, where);
        for (const change of changes) {
          if (change.added) {
            assert.ok(!followed.has(change.path), `${where}: ${change.path} added twice`);
            followed.add(change.path);
          } else {
            assert.ok(followed.delete(change.path), `${where}: ${change.path} removed but not known`);
          }
        }
        followedAt = idx.generation;
        assert.deepStrictEqual([...followed].sort(), expected, `${where}: journal`);

        for (const query of ['css/sit.css', 'js/ap.js', 'pre/css/main.cs', 'img/logo.jpg', 'vendor/lib/them.css']) {
          assert.deepStrictEqual(suggestPaths(query, idx, 5), suggestPaths(query, fresh, 5), `${where}: suggestions for ${query}`);
        }
      }
    });
  }

  it('collectStats keeps the first 1,000 duplicates and counts them again for a caller listing more', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1_200; i++) {
      files[`one/css/f${String(i).padStart(4, '0')}.css`] = '1';
      files[`two/css/f${String(i).padStart(4, '0')}.css`] = '2';
    }
    const proj = makeTree(files);
    const idx = await buildIndex(model([fsFinder([dirEntry('', `${proj}/one`), dirEntry('', `${proj}/two`)])]));
    const few = idx.collectStats(50);
    assert.strictEqual(few.duplicateCount, 1_200);
    assert.deepStrictEqual(
      few.duplicates.map((d) => d.path),
      Array.from({ length: 50 }, (_, i) => `css/f${String(i).padStart(4, '0')}.css`),
    );
    const many = idx.collectStats(1_100);
    assert.strictEqual(many.duplicateCount, 1_200);
    assert.strictEqual(many.duplicates.length, 1_100);
    assert.strictEqual(many.duplicates[1_099].path, 'css/f1099.css');
    assert.deepStrictEqual(
      many.duplicates[1_099].providers.map((p) => p.absPath),
      [`${proj}/one/css/f1099.css`, `${proj}/two/css/f1099.css`],
    );
    assert.strictEqual(idx.collectStats(50).duplicates.length, 50);
  });

  it('drops a root that is deleted and walks it again when it comes back', async () => {
    const proj = project();
    const other = proj.roots[1];
    fs.mkdirSync(path.join(other, 'only'));
    fs.writeFileSync(path.join(other, 'only/here.css'), '');
    const idx = await buildIndex(proj.model);
    const before = [...idx.allPaths()].sort();
    const away = `${other}-away`;
    fs.renameSync(other, away);
    assert.ok(idx.fileRemoved(other));
    // pre/css/site.css stays: assets/ is also listed under the 'pre' prefix.
    assert.deepStrictEqual(idx.changesSince(idx.generation - 1), [{ path: 'pre/only/here.css', added: false }]);
    fs.renameSync(away, other);
    assert.ok(idx.fileAdded(other));
    assert.ok(!idx.fileAdded(other), 'a root that exists is no change');
    assert.deepStrictEqual([...idx.allPaths()].sort(), before);
    assert.deepStrictEqual(idx.changesSince(idx.generation - 1), [{ path: 'pre/only/here.css', added: true }]);
  });

  it('says when it cannot answer from the journal', async () => {
    const proj = project();
    const idx = await buildIndex(proj.model);
    assert.deepStrictEqual(idx.changesSince(idx.generation), []);
    assert.strictEqual(idx.changesSince(idx.generation + 1), null, 'a future generation');
    for (let i = 0; i < 300; i++) {
      const file = path.join(proj.roots[0], 'many', `f${i}.css`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      assert.ok(idx.fileAdded(file));
    }
    assert.strictEqual(idx.changesSince(0), null, 'older than the journal keeps');
    assert.deepStrictEqual(idx.changesSince(idx.generation - 1), [
      { path: 'many/f299.css', added: true },
      { path: 'pre/many/f299.css', added: true },
    ]);
  });

  it('reports no path change when a source adds a copy of a path another already provides', async () => {
    const proj = project();
    const idx = await buildIndex(proj.model);
    const before = idx.generation;
    const copy = path.join(proj.roots[2], 'css', 'site.css');
    fs.rmSync(copy);
    assert.ok(idx.fileRemoved(copy));
    fs.writeFileSync(copy, 'again');
    assert.ok(idx.fileAdded(copy));
    assert.deepStrictEqual(idx.changesSince(before), [], 'css/site.css stays provided by assets/');
    assert.strictEqual(idx.generation, before + 2);
  });
});
