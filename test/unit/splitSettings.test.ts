/**
 * django-split-settings in static mode: the files include() names, expanded as Python's glob.glob expands them
 * (checked against python3 itself on one tree), and what a failed or unreadable include() leaves unknown.
 * The whole pattern against real Django and the real library is the `splitsettings` fixture (realFixtures).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { learnProject } from '../../server/src/engine/learn';
import { settingUnread } from '../../server/src/engine/readings';
import { pythonGlob } from '../../server/src/engine/staticMode/splitSettings';
import { unknownSources } from '../../server/src/engine/unknownSources';
import { makeProject, makeTree, removeTree } from './djangoFixtures';

const PATTERNS = [
  'conf/*.py',
  'conf/.*.py',
  'conf/[ab]*.py',
  'conf/?.py',
  'conf/*/extra.py',
  'conf/sub*/*.py',
  'conf/a.py',
  'conf/none*.py',
  'conf/missing.py',
  'conf/linked/*.py',
  'conf/**.py',
  'conf/notdir/x.py',
  'conf/notdir/*.py',
  'conf/notdir/sub/*.py',
];

describe('django-split-settings include()', () => {
  const cleanup: string[] = [];
  after(() => cleanup.forEach(removeTree));

  it('expands patterns as glob.glob does: directory order, hidden names, folders and links', () => {
    const names = ['b.py', 'a.py', 'z.py', 'c.txt', '.hidden.py', 'ab.py', 'q.py'];
    const tree: Record<string, string> = {};
    for (const name of names) tree[`conf/${name}`] = '';
    tree['conf/sub1/extra.py'] = '';
    tree['conf/sub2/extra.py'] = '';
    tree['conf/sub2/other.py'] = '';
    tree['conf/.dot/extra.py'] = '';
    const dir = makeTree(tree);
    cleanup.push(dir);
    mkdirSync(path.join(dir, 'conf/empty'));
    symlinkSync(path.join(dir, 'conf/sub2'), path.join(dir, 'conf/linked'));
    writeFileSync(path.join(dir, 'conf/notdir'), '');
    for (const absolute of [false, true]) {
      const patterns = PATTERNS.map((p) => (absolute ? path.join(dir, p) : p));
      const script = 'import glob, json, sys\nprint(json.dumps([glob.glob(p) for p in sys.argv[1:]]))';
      const expected = JSON.parse(execFileSync('python3', ['-c', script, ...patterns], { cwd: dir, encoding: 'utf8' })) as string[][];
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        assert.deepEqual(
          patterns.map((p) => pythonGlob(p)),
          expected,
        );
      } finally {
        process.chdir(cwd);
      }
    }
  });

  it('a required file that is missing raises where Django stops; what was included before it is read', async () => {
    const dir = makeProject('', {
      'proj/settings.py': [
        'from split_settings.tools import include, optional',
        "include('parts/base.py', optional('parts/local.py'), 'parts/missing.py', 'parts/late.py')",
        "STATIC_ROOT = 'out'",
      ].join('\n'),
      'proj/parts/base.py': "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/s/'",
      'proj/parts/late.py': "STATIC_URL = '/late/'",
    });
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static' });
    const raised = model.problems.filter((p) => p.kind === 'settings-raises');
    assert.equal(raised.length, 1, JSON.stringify(model.problems));
    assert.match(raised[0].message, /^proj\/settings\.py line 2 calls include\('parts\/missing\.py'\), which matches no file \(OSError/);
    assert.equal(model.staticUrl, '/s/');
    assert.ok(model.staticRoot?.endsWith('/out'));
    assert.ok(model.settingsFiles.includes(path.join(dir, 'proj/parts/base.py')), JSON.stringify(model.settingsFiles));
    // INSTALLED_APPS came from base.py, so the failure does not make every setting unknown.
    assert.ok(!settingUnread(model, 'STATIC_ROOT'));
  });

  it('an include() static mode cannot follow leaves every later setting unknown, not unset', async () => {
    const dir = makeProject('', {
      'proj/settings.py': ['from split_settings.tools import include', 'include(*FILES_FROM_ELSEWHERE)'].join('\n'),
    });
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static' });
    assert.ok(
      model.problems.some((p) => p.kind === 'settings-import-unread' && /line 2 calls include\(\) with/.test(p.message)),
      JSON.stringify(model.problems),
    );
    assert.ok(settingUnread(model, 'STATIC_URL'));
    assert.ok(settingUnread(model, 'INSTALLED_APPS'));
    assert.deepEqual(
      unknownSources(model).map((s) => s.label),
      ['the settings past proj/settings.py line 2'],
    );
  });

  it('a settings module whose import fails before any app is set says its settings are unknown, not unset', async () => {
    // The package is not installed and not known to static mode: Django would stop at line 1.
    const dir = makeProject('', {
      'proj/settings.py': ['from confsplit.tools import load', "load('base.py')"].join('\n'),
    });
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static', python: '/usr/bin/python3' });
    assert.ok(
      model.problems.some((p) => p.kind === 'settings-raises'),
      JSON.stringify(model.problems),
    );
    assert.ok(settingUnread(model, 'STATIC_URL'));
    assert.ok(settingUnread(model, 'INSTALLED_APPS'));
  });
});
