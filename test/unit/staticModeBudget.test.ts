/**
 * Hostile settings files in static mode: each ends in a problem with the file and line, within the budget,
 * and the settings around it are still read. Run in-process (learnProject) and once through the real CLI,
 * where the first case used to kill the process with "invalid size error" at 3.2 GB.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { learnProject } from '../../server/src/engine/learn';
import { ProjectModel } from '../../server/src/engine/model';
import { Budget } from '../../server/src/engine/staticMode/budget';
import { BudgetExceeded } from '../../server/src/engine/staticMode/control';
import { settingUnread } from '../../server/src/engine/readings';
import { unknownSources } from '../../server/src/engine/unknownSources';
import { makeProject, removeTree } from './djangoFixtures';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

const HOSTILE: { name: string; code: string; why: RegExp }[] = [
  { name: 'doubling a list forty times', code: 'A = [0]\nfor _ in [0]*40:\n    A = A + A', why: /value too large/ },
  { name: 'a list of 10**9 items', code: 'A = [0]*10**9', why: /value too large/ },
  { name: 'splitting a 10**8-character string', code: "A = ('a'*10**8).split('a')", why: /value too large/ },
  { name: 'a 10**12-character string', code: "A = 'a' * 10**12", why: /value too large/ },
  { name: 'nesting a list in itself forty times', code: 'A = []\nfor _ in [0]*40:\n    A = [A, A]', why: /value too large/ },
  { name: 'extending a list with itself', code: 'A = [1]\nfor _ in [0]*40:\n    A.extend(A)', why: /value too large/ },
  { name: '+= of a list with itself', code: 'A = [1]\nfor _ in [0]*40:\n    A += A', why: /value too large/ },
  { name: 'replacing every empty match with a long text', code: "A = ('a'*10**6).replace('', 'b'*10**6)", why: /value too large/ },
  { name: 'joining with a long separator', code: "A = ('x'*10**5).join(['a']*10**5)", why: /value too large/ },
  {
    name: 'piling up values each under the limit',
    code: "S = 'x'*900000\nL = []\nfor _ in [0]*10000:\n    L.append(S.upper())",
    why: /values too large .* in all|value too large/,
  },
  { name: '10,000 membership tests over a long list', code: 'L = [0]*900000\nfor _ in [0]*10000:\n    X = 5 in L', why: /took too long/ },
  { name: 'nested loops', code: 'X = 0\nfor a in [0]*10000:\n    for b in [0]*10000:\n        X = a', why: /took too long/ },
];

function dirsOf(model: ProjectModel): string[] {
  const finder = model.finders.find((f) => f.kind === 'filesystem');
  return finder && finder.kind === 'filesystem' ? finder.dirs.map((d) => path.basename(d.root)) : [];
}

describe('static mode budgets on hostile settings', function () {
  this.timeout(60_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach(removeTree));

  for (const { name, code, why } of HOSTILE) {
    it(`${name}: a problem at its line, settings before and after still read`, async () => {
      const settings = `INSTALLED_APPS = ['django.contrib.staticfiles']\nBEFORE = 1\n${code}\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n`;
      const dir = makeProject(settings);
      cleanup.push(dir);
      const started = Date.now();
      const heapBefore = process.memoryUsage().heapUsed;
      const model = await learnProject(dir, { mode: 'static' });
      const elapsed = Date.now() - started;
      const problem = model.problems.find((p) => why.test(p.message));
      assert.ok(problem, `no budget problem in ${JSON.stringify(model.problems.map((p) => p.message))}`);
      assert.equal(problem.file, path.join(dir, 'proj/settings.py'));
      // SETTINGS_HEAD has 6 lines, then INSTALLED_APPS and BEFORE: the hostile code starts on line 9.
      assert.ok(problem.line !== undefined && problem.line >= 8, `line ${problem.line}`);
      assert.match(problem.message, /^proj\/settings\.py line \d+ could not be read: /);
      assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 600 * 1024 * 1024);
      if (!/took too long|in all/.test(problem.message))
        assert.deepEqual(dirsOf(model), ['assets'], 'the statement after the hostile one is read');
    });
  }

  it('a fatal limit is reported once, by the module that spent it, not by the modules importing it', async () => {
    const dir = makeProject('from .base import *\nSTATICFILES_DIRS = []\n', {
      'proj/base.py': 'X = 0\nfor a in [0]*10000:\n    for b in [0]*10000:\n        X = a\n',
    });
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static' });
    const spent = model.problems.filter((p) => /took too long/.test(p.message));
    assert.equal(spent.length, 1, JSON.stringify(spent));
    assert.equal(spent[0].file, path.join(dir, 'proj/base.py'));
  });

  it('a helper module that spends its share is left unread, and the settings read on', async () => {
    // Helpers' time is their own: a project importing many slow-to-parse modules still gets its settings read.
    const dir = makeProject(
      "from proj.slow import LATE\nfrom proj.paths import ASSETS\nINSTALLED_APPS = ['django.contrib.staticfiles']\nSTATICFILES_DIRS = [BASE_DIR / 'assets', ASSETS]\nSTATIC_URL = '/s/'\n",
      {
        'proj/slow.py': 'X = 0\nfor a in [0]*10000:\n    for b in [0]*10000:\n        X = a\nLATE = 1\n',
        'proj/paths.py': "ASSETS = 'more'\n",
      },
    );
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static' });
    assert.equal(model.staticUrl, '/s/');
    assert.ok(model.staticfilesInstalled);
    const unread = model.problems.filter((p) => p.kind === 'settings-module-unread');
    assert.equal(unread.length, 1, JSON.stringify(model.problems));
    assert.match(
      unread[0].message,
      /share for reading imported modules .* ran out at proj\/slow\.py: it and the modules imported after it were not read/,
    );
    assert.equal(unread[0].file, path.join(dir, 'proj/slow.py'));
    // proj.paths came after the share ran out: ASSETS is unknown, so STATICFILES_DIRS is said to be unread, not empty.
    assert.ok(
      model.problems.some((p) => p.kind === 'setting-unreadable' && /^STATICFILES_DIRS .*proj\.paths/.test(p.message)),
      JSON.stringify(model.problems.map((p) => p.message)),
    );
    assert.ok(!model.problems.some((p) => p.kind === 'settings-stopped'), 'the settings were not stopped');
  });

  it('a limit that stops the settings leaves later settings unread, not unset', async () => {
    const dir = makeProject('X = 0\nfor a in [0]*10000:\n    for b in [0]*10000:\n        X = a\nSTATIC_URL = None\n');
    cleanup.push(dir);
    const model = await learnProject(dir, { mode: 'static' });
    assert.ok(model.problems.some((p) => p.kind === 'settings-stopped'));
    assert.ok(settingUnread(model, 'STATIC_URL'));
    assert.ok(settingUnread(model, 'INSTALLED_APPS'));
    assert.deepEqual(
      unknownSources(model).map((s) => s.label),
      ['the settings past proj/settings.py line 8'],
    );
  });

  it('real settings stay far below the limits (the demo project)', async () => {
    const model = await learnProject(path.resolve(__dirname, '../../../examples/demo'), { mode: 'static' });
    assert.deepEqual(
      model.problems.filter((p) => /could not be read: (value|took)/.test(p.message)),
      [],
    );
  });

  it('refuses a value before it is built and stops after the step limit', () => {
    const budget = new Budget({ maxValueSize: 10, maxTotalSize: 100, maxSteps: 5, maxMillis: 1000 });
    assert.throws(
      () => budget.check(11),
      (e: unknown) => e instanceof BudgetExceeded && !e.fatal,
    );
    for (let i = 0; i < 5; i++) budget.step();
    assert.throws(
      () => budget.step(),
      (e: unknown) => e instanceof BudgetExceeded && e.fatal,
    );
    assert.throws(() => budget.check(1), /took too long/, 'every later step fails the same way');
  });

  it('the CLI survives the list doubling that used to kill it, with a clear line', () => {
    const dir = makeProject("INSTALLED_APPS = ['django.contrib.staticfiles']\nA = [0]\nfor _ in [0]*40:\n    A = A + A\n");
    cleanup.push(dir);
    const r = spawnSync(process.execPath, [CLI, 'info', '--mode', 'static', '--root', dir], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /proj\/settings\.py line 9 could not be read: value too large \(more than 1,000,000 items or characters\); static mode skipped the statement/,
    );
  });
});
