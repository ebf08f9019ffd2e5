/**
 * Hostile and unlucky static roots: symlink loops answered the way findstatic answers them (checked against
 * real Django 3.2), a folder of links pointing at each other, roots like `/sys`, and the entry, time and
 * repeat budgets, with the walk yielding to the event loop while it runs.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildIndex } from '../../server/src/engine/staticIndex';
import { FinderEntry, StaticDirEntry } from '../../server/src/engine/model';
import { dirEntry, makeTree, model } from './indexFixtures';
import { DJANGO_PYTHON, MANAGE_PY, SETTINGS_HEAD } from './djangoFixtures';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const fsFinder = (dirs: StaticDirEntry[]): FinderEntry => ({ kind: 'filesystem', className: 'FileSystemFinder', dirs });
const hasDjango = spawnSync(DJANGO_PYTHON, ['-c', 'import django']).status === 0;

/** A Django project whose STATICFILES_DIRS is `assets`, for findstatic against our `find`. */
function project(files: Record<string, string>, links: Array<[string, string]>): string {
  const root = makeTree({
    'manage.py': MANAGE_PY,
    'proj/__init__.py': '',
    'proj/settings.py': `${SETTINGS_HEAD}INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n`,
    ...files,
  });
  for (const [at, target] of links) {
    fs.mkdirSync(path.dirname(path.join(root, at)), { recursive: true });
    fs.symlinkSync(target, path.join(root, at));
  }
  return root;
}

function run(command: string, args: string[], cwd: string) {
  const started = Date.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status, ms: Date.now() - started };
}

/** Nine folders, each holding links to the eight others: Django's walk fails on ELOOP, a naive one grows as 9!. */
function linkMesh(): { files: Record<string, string>; links: Array<[string, string]> } {
  const files: Record<string, string> = {};
  const links: Array<[string, string]> = [];
  for (let i = 1; i <= 9; i++) {
    files[`assets/d${i}/f${i}.css`] = `${i}`;
    for (let j = 1; j <= 9; j++) if (i !== j) links.push([`assets/d${i}/l${j}`, `../d${j}`]);
  }
  return { files, links };
}

describe('static index: hostile trees', function () {
  this.timeout(180_000);

  const loopPaths = [
    'loopself/x.css',
    'loopself/loopself/sub/up/x.css',
    `${'loopself/'.repeat(39)}x.css`,
    `${'loopself/'.repeat(40)}x.css`,
    `${'loopself/'.repeat(41)}x.css`,
    'sub/up/sub/y.css',
    'loopself/nope.css',
  ];

  it('finds files through a symlink loop exactly as findstatic does (40 links, then ELOOP)', function () {
    if (!hasDjango) this.skip();
    const root = project({ 'assets/x.css': 'x', 'assets/sub/y.css': 'y' }, [
      ['assets/loopself', '.'],
      ['assets/sub/up', '..'],
    ]);
    const django = run(DJANGO_PYTHON, ['manage.py', 'findstatic', ...loopPaths], root);
    const ours = run(process.execPath, [CLI, 'find', '--mode', 'static', ...loopPaths], root);
    assert.equal(ours.stdout, django.stdout);
    assert.equal(ours.stderr, django.stderr);
    assert.match(django.stdout, /Found 'loopself\/x\.css' here/, 'the case the issue reported');
    // collectstatic itself fails on the loop; we say so instead of walking it.
    const collect = run(DJANGO_PYTHON, ['manage.py', 'collectstatic', '--dry-run', '--noinput'], root);
    assert.match(collect.stderr, /Too many levels of symbolic links/);
    const info = run(process.execPath, [CLI, 'info', '--mode', 'static'], root);
    assert.match(info.stdout, /loopself points back to a folder above it: findstatic finds files through it, but collectstatic would fail/);
  });

  it('walks a mesh of links to each other in well under a second, and answers paths through it like findstatic', async function () {
    const { files, links } = linkMesh();
    const root = project(files, links);
    const started = Date.now();
    const index = await buildIndex(model([fsFinder([dirEntry('', `${root}/assets`)])]));
    const ms = Date.now() - started;
    assert.ok(ms < 5000, `took ${ms} ms (it took over 90 s before the walk had budgets)`);
    const probes = [
      'd1/l2/l3/l4/l5/l6/l7/l8/l9/f9.css',
      'd1/l2/l1/l2/l1/f1.css',
      'd3/l3/f3.css',
      `d1/${'l2/l1/'.repeat(20)}f1.css`,
      `d1/${'l2/l1/'.repeat(21)}f1.css`,
    ];
    for (const probe of probes.slice(0, 2)) assert.equal(index.find(probe, true).kind, 'found', probe);
    assert.equal(index.find('d3/l3/f3.css', true).kind, 'missing', 'd3 has no link to itself');
    if (!hasDjango) return;
    const django = run(DJANGO_PYTHON, ['manage.py', 'findstatic', ...probes], root);
    const ours = run(process.execPath, [CLI, 'find', '--mode', 'static', ...probes], root);
    assert.equal(ours.stdout, django.stdout);
    assert.equal(ours.stderr, django.stderr);
    const collect = run(DJANGO_PYTHON, ['manage.py', 'collectstatic', '--dry-run', '--noinput'], root);
    assert.match(collect.stderr, /Too many levels of symbolic links/, 'Django fails here too');
  });

  it('stops after the entry budget with a problem naming the root, keeping what it read', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`assets/f${String(i).padStart(3, '0')}.css`] = '';
    const root = makeTree(files);
    const index = await buildIndex(model([fsFinder([dirEntry('', `${root}/assets`)])]), {
      walkLimits: { maxEntries: 100, maxMillis: 10_000, maxRepeats: 8 },
    });
    const stopped = index.problems.find((p) => p.kind === 'walk-stopped');
    assert.ok(stopped);
    assert.equal(
      stopped.message,
      `Stopped after 300 entries in ${root}/assets (limit: 100 entries); paths in it are still looked up on the disk, but counts, the collect view and suggestions hold only what was read.`,
    );
    // Unread is not missing: a path past the cut is looked up on the disk, a missing one is still missing.
    assert.deepEqual(index.find('f250.css', false), { kind: 'found', matches: [`${root}/assets/f250.css`] });
    assert.equal(index.get('f299.css')?.providers[0].absPath, `${root}/assets/f299.css`);
    assert.equal(index.find('f300.css', false).kind, 'missing');
    assert.equal(index.children('').length, 300);
    fs.rmSync(`${root}/assets/f250.css`);
    assert.ok(index.fileRemoved(`${root}/assets/f250.css`), 'a file past the cut that goes is a change');
    assert.equal(index.find('f250.css', false).kind, 'missing');
    assert.deepEqual(index.changesSince(index.generation - 1), [{ path: 'f250.css', added: false }]);
  });

  it('shares the project-wide entry budget between roots: a later root gets what is left, and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`a/f${i}.css`] = files[`b/g${i}.css`] = '';
    const root = makeTree(files);
    const index = await buildIndex(model([fsFinder([dirEntry('', `${root}/a`), dirEntry('', `${root}/b`)])]), {
      walkLimits: { maxEntries: 100, maxMillis: 10_000, maxRepeats: 8, maxIndexEntries: 100 },
    });
    const stopped = index.problems.filter((p) => p.kind === 'walk-stopped');
    assert.deepEqual(
      stopped.map((p) => p.message),
      [
        `Stopped after 60 entries in ${root}/b (limit: 40 entries left for this project); paths in it are still looked up on the disk, but counts, the collect view and suggestions hold only what was read.`,
      ],
    );
    assert.equal(index.size, 60, 'the first root whole, nothing of the second past the budget');
  });

  it('walks a root outside the workspace folders for fewer entries, and says what the user can do', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`work/a/f${i}.css`] = files[`elsewhere/b/g${i}.css`] = '';
    const root = makeTree(files);
    const index = await buildIndex(model([fsFinder([dirEntry('', `${root}/work/a`), dirEntry('', `${root}/elsewhere/b`)])]), {
      walkLimits: { maxEntries: 100, maxMillis: 10_000, maxRepeats: 8, outsideMaxEntries: 40 },
      workspaceFolders: [`${root}/work`],
    });
    assert.deepEqual(
      index.problems.filter((p) => p.kind === 'walk-stopped').map((p) => p.message),
      [
        `Stopped after 60 entries in ${root}/elsewhere/b (limit: 40 entries for a static folder outside the workspace folders; list a narrower folder, or open this one as a workspace folder to index more of it); paths in it are still looked up on the disk, but counts, the collect view and suggestions hold only what was read.`,
      ],
    );
    assert.equal(index.size, 60, 'the root inside the workspace whole');
  });

  it('walks a link-heavy system folder (/sys) within its budget, and keeps the event loop turning', async function () {
    if (!fs.existsSync('/sys/class')) this.skip();
    let ticks = 0;
    let longestGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      ticks++;
      longestGap = Math.max(longestGap, Date.now() - last);
      last = Date.now();
    }, 20);
    const started = Date.now();
    const heap = process.memoryUsage().heapUsed;
    try {
      const index = await buildIndex(model([fsFinder([dirEntry('', '/sys')])]), {
        walkLimits: { maxEntries: 250_000, maxMillis: 8_000, maxRepeats: 8 },
      });
      assert.ok(index.size > 0);
    } finally {
      clearInterval(timer);
    }
    const ms = Date.now() - started;
    assert.ok(ms < 20_000, `took ${ms} ms`);
    assert.ok(ticks > 0 && longestGap < 1000, `the event loop stalled for ${longestGap} ms`);
    assert.ok(process.memoryUsage().heapUsed - heap < 500 * 1024 * 1024);
  });

  it('a root of `/` is bounded too (CLI): a stopped-walk problem, exit 0', function () {
    const root = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/settings.py': `${SETTINGS_HEAD}INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATICFILES_DIRS = ['/']\n`,
    });
    const info = run(process.execPath, [CLI, 'info', '--mode', 'static'], root);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /Stopped after [\d,]+ entries in \/ \(limit: (1,000,000 entries|10 s)\)/);
    assert.ok(info.ms < 60_000, `took ${info.ms} ms`);
  });
});
