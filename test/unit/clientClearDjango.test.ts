/**
 * Each class of STATIC_ROOT Clear and Collect refuses, run once through real Django 3.2's
 * `collectstatic --clear` on a throw-away project, to show what it would have destroyed (so the refusal is
 * justified), and through the same probe, scan and guard the command uses, to show we refuse it. System
 * folders are only ever run with --dry-run.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkClearSafety } from '../../client/src/clientSafety';
import { scanStaticRoot } from '../../client/src/clearScan';
import { parseSettingsProbe, SETTINGS_PROBE_CODE } from '../../client/src/collectOutput';
import { DJANGO_PYTHON, MANAGE_PY, makeTree, removeTree } from './djangoFixtures';

const SETTINGS = (staticRoot: string) => `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
DATABASES = {}
INSTALLED_APPS = ['django.contrib.staticfiles', 'blog']
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates'], 'APP_DIRS': True}]
STATIC_URL = '/static/'
STATICFILES_DIRS = [BASE_DIR / 'assets']
STATIC_ROOT = ${staticRoot}
`;

interface Case {
  name: string;
  staticRoot: string;
  /** A file the real --clear deletes (relative to the project), proving the loss. */
  lost: string;
  refusal: RegExp;
  prepare?: (dir: string) => void;
  dryRun?: boolean;
  /** Django's own system check already stops this one. */
  djangoRefuses?: RegExp;
}

const CASES: Case[] = [
  {
    name: "an app's static folder",
    staticRoot: "BASE_DIR / 'blog' / 'static'",
    lost: 'blog/static/blog/app.css',
    refusal: /app 'blog''s static folder/,
  },
  { name: 'an app package', staticRoot: "BASE_DIR / 'blog'", lost: 'blog/models.py', refusal: /package of app 'blog'/ },
  { name: 'a templates folder', staticRoot: "BASE_DIR / 'templates'", lost: 'templates/base.html', refusal: /templates folder/ },
  { name: 'the settings package', staticRoot: "BASE_DIR / 'proj'", lost: 'proj/settings.py', refusal: /settings package/ },
  { name: 'a .git folder', staticRoot: "BASE_DIR / '.git'", lost: '.git/HEAD', refusal: /\.git folder/ },
  { name: 'a virtualenv', staticRoot: "BASE_DIR / 'venv'", lost: 'venv/pyvenv.cfg', refusal: /virtual environment/ },
  { name: 'the project folder', staticRoot: 'BASE_DIR', lost: 'manage.py', refusal: /project folder itself/ },
  {
    name: 'a STATICFILES_DIRS entry',
    staticRoot: "BASE_DIR / 'assets'",
    lost: 'assets/site.css',
    refusal: /STATICFILES_DIRS entry/,
    djangoRefuses: /staticfiles\.E002/,
  },
  {
    name: 'a root holding a symlink to a source folder',
    staticRoot: "BASE_DIR / 'collected'",
    lost: 'assets/site.css',
    refusal: /symlinks to folders outside it \(.*collected\/evil -> .*assets\)/,
    prepare: (dir) => {
      fs.mkdirSync(path.join(dir, 'collected'));
      fs.symlinkSync('../assets', path.join(dir, 'collected/evil'));
    },
  },
  { name: 'a system folder (dry run only)', staticRoot: "'/etc'", lost: '/etc/hostname', refusal: /system folder/, dryRun: true },
];

const hasDjango = spawnSync(DJANGO_PYTHON, ['-c', 'import django']).status === 0;

describe('client: each Clear and Collect refusal, against real collectstatic --clear', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));
  before(function () {
    if (!hasDjango) this.skip();
  });

  for (const c of CASES) {
    it(`${c.name}: Django would delete ${c.lost}; we refuse`, async () => {
      const dir = makeTree({
        'manage.py': MANAGE_PY,
        'proj/__init__.py': '',
        'proj/settings.py': SETTINGS(c.staticRoot),
        'blog/__init__.py': '',
        'blog/models.py': '',
        'blog/static/blog/app.css': 'a',
        'templates/base.html': '<html>',
        'assets/site.css': 's',
        '.git/HEAD': 'ref: refs/heads/main\n',
        'venv/pyvenv.cfg': 'home = /usr/bin\n',
      });
      dirs.push(dir);
      c.prepare?.(dir);
      const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

      // What Clear and Collect itself would do: probe the settings, scan the root, ask the guard.
      const probeRun = spawnSync(DJANGO_PYTHON, ['manage.py', 'shell', '-c', SETTINGS_PROBE_CODE], { cwd: dir, env, encoding: 'utf8' });
      const probe = parseSettingsProbe(probeRun.stdout);
      assert.ok(probe, probeRun.stderr);
      const real = (p: string) => fs.realpathSync(p);
      const root = real(probe.staticRoot!);
      const verdict = checkClearSafety({
        staticRoot: root,
        projectDir: real(dir),
        staticfilesDirs: probe.staticfilesDirs.map(real),
        homeDir: os.homedir(),
        apps: probe.apps.map((a) => ({ label: a.label, path: real(a.path) })),
        templateDirs: probe.templateDirs.map(real),
        settingsDir: probe.settingsDir && real(probe.settingsDir),
        pythonPrefixes: probe.pythonPrefixes,
        scan: await scanStaticRoot(root),
      });
      assert.equal(verdict.ok, false, `not refused: ${c.staticRoot}`);
      assert.match((verdict as { reason: string }).reason, c.refusal);

      // What real Django does with it.
      const lost = path.isAbsolute(c.lost) ? c.lost : path.join(dir, c.lost);
      assert.ok(fs.existsSync(lost));
      const run = spawnSync(DJANGO_PYTHON, ['manage.py', 'collectstatic', '--clear', '--noinput', ...(c.dryRun ? ['--dry-run'] : [])], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      const deletions = run.stdout.split('\n').filter((l) => /^(Deleting|Pretending to delete) /.test(l));
      const rel = path.relative(root, lost);
      if (c.djangoRefuses) {
        assert.match(run.stderr, c.djangoRefuses);
        assert.ok(fs.existsSync(lost));
      } else if (c.dryRun) {
        assert.ok(deletions.includes(`Pretending to delete '${rel}'`), run.stdout.slice(0, 2000) + run.stderr.slice(-2000));
        assert.ok(fs.existsSync(lost));
      } else {
        assert.ok(!fs.existsSync(lost), `${c.lost} survived: ${run.stdout.slice(0, 2000)}${run.stderr.slice(-2000)}`);
      }
      if (c.djangoRefuses) console.log(`      ${c.name}: Django's own system check refuses it too`);
      else
        console.log(
          `      ${c.name}: Django ${c.dryRun ? 'would delete' : 'deleted'} ${deletions.length} file${deletions.length === 1 ? '' : 's'}, ${rel} among them`,
        );
    });
  }
});
