import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { learnProject } from '../../server/src/engine/learn';
import { UserError } from '../../server/src/engine/model';
import { DJANGO_PYTHON, MANAGE_PY, SETTINGS_HEAD, makeProject, makeTree, removeTree } from './djangoFixtures';

const DEMO = path.resolve(__dirname, '../../../examples/demo');
const BROKEN_SETTINGS = `INSTALLED_APPS = ['django.contrib.staticfiles']
STATICFILES_DIRS = [BASE_DIR / 'assets']
from django.core.exceptions import ImproperlyConfigured
raise ImproperlyConfigured('SECRET_KEY must come from the vault')
`;

async function rejectsWithUserError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('learnProject', () => {
  const cleanup: string[] = [];
  afterEach(() => cleanup.splice(0).forEach(removeTree));
  function project(settings: string, extra: Record<string, string> = {}): string {
    const dir = makeProject(settings, extra);
    cleanup.push(dir);
    return dir;
  }

  it('runs Django mode on the demo in auto mode', async () => {
    const model = await learnProject(DEMO, { python: DJANGO_PYTHON });
    assert.equal(model.mode, 'django');
    assert.equal(model.modeReason, `Ran Django ${model.djangoVersion} with ${DJANGO_PYTHON}.`);
    assert.equal(model.settingsModule, 'demo.settings');
    assert.equal(model.managePy, path.join(DEMO, 'manage.py'));
  });

  it('discovers the interpreter by itself (python3 on PATH may lack Django)', async () => {
    const model = await learnProject(DEMO);
    assert.equal(model.mode, 'django');
    assert.ok(model.python);
  });

  it('finds the project below the root when the root has no manage.py', async () => {
    const root = makeTree({
      'README.md': '',
      'src/site/manage.py': MANAGE_PY,
      'src/site/proj/__init__.py': '',
      'src/site/proj/settings.py': SETTINGS_HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\n",
    });
    cleanup.push(root);
    const model = await learnProject(root, { python: DJANGO_PYTHON });
    assert.equal(model.projectDir, path.join(root, 'src/site'));
    assert.equal(model.mode, 'django');
  });

  it('learns the enclosing project when the root is a folder inside it', async () => {
    const model = await learnProject(path.join(DEMO, 'blog/static'), { python: DJANGO_PYTHON });
    assert.equal(model.projectDir, DEMO);
    assert.equal(model.mode, 'django');
  });

  it('falls back to static mode with the reason when the settings raise', async () => {
    const dir = project(BROKEN_SETTINGS, { 'assets/a.css': '' });
    const model = await learnProject(dir, { python: DJANGO_PYTHON });
    assert.equal(model.mode, 'static');
    assert.equal(model.modeReason, 'Static mode: running the settings failed: ImproperlyConfigured: SECRET_KEY must come from the vault.');
    const failed = model.problems.find((p) => p.kind === 'settings-failed');
    assert.equal(failed?.file, path.join(dir, 'proj/settings.py'));
    // Static mode still read what the settings say before the raise.
    const filesystem = model.finders.find((f) => f.kind === 'filesystem');
    assert.ok(filesystem && filesystem.kind === 'filesystem');
    assert.deepEqual(
      filesystem.dirs.map((d) => d.root),
      [path.join(dir, 'assets')],
    );
  });

  it('throws a UserError when Django mode is forced and the settings raise', async () => {
    const dir = project(BROKEN_SETTINGS);
    await rejectsWithUserError(
      learnProject(dir, { mode: 'django', python: DJANGO_PYTHON }),
      /^Django mode failed with \/usr\/bin\/python3: running the settings failed: ImproperlyConfigured: SECRET_KEY must come from the vault\.$/,
    );
  });

  it('stops hanging settings at the timeout and falls back to static mode', async function () {
    this.timeout(10000);
    const dir = project(`INSTALLED_APPS = ['django.contrib.staticfiles']\nimport time\ntime.sleep(60)\n`);
    const started = Date.now();
    const model = await learnProject(dir, { python: DJANGO_PYTHON, timeoutMs: 2000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    assert.equal(model.mode, 'static');
    assert.match(model.modeReason, /^Static mode: running the settings took longer than 2 s and was stopped\.$/);
  });

  it('never runs Python in an untrusted workspace', async () => {
    // Settings that leave a marker when executed prove nothing was run.
    const dir = project(`INSTALLED_APPS = ['django.contrib.staticfiles']\nopen(BASE_DIR / 'ran.marker', 'w').close()\n`);
    const model = await learnProject(dir, { allowExecute: false, python: DJANGO_PYTHON });
    assert.equal(model.mode, 'static');
    assert.equal(model.modeReason, 'Static mode: the workspace is not trusted.');
    assert.equal(existsSync(path.join(dir, 'ran.marker')), false);
    await rejectsWithUserError(learnProject(dir, { allowExecute: false, mode: 'django' }), /trusted/);
  });

  it('uses static mode when asked', async () => {
    const model = await learnProject(DEMO, { mode: 'static' });
    assert.equal(model.mode, 'static');
    assert.equal(model.modeReason, 'Static mode was requested.');
  });

  it('learns the same model from the demo in static mode as in Django mode', async () => {
    const django = await learnProject(DEMO, { mode: 'django', python: DJANGO_PYTHON });
    const readOnly = await learnProject(DEMO, { mode: 'static', python: DJANGO_PYTHON });
    const { mode: _m1, modeReason: _r1, djangoVersion: _v1, ...fromDjango } = django;
    const { mode: _m2, modeReason: _r2, djangoVersion: _v2, ...fromStatic } = readOnly;
    assert.deepEqual(fromStatic, fromDjango);
  });

  it('explains a missing project, folder or settings module in one sentence', async () => {
    const empty = makeTree({ 'notes.txt': '' });
    cleanup.push(empty);
    await rejectsWithUserError(
      learnProject(empty),
      new RegExp(`^No manage.py found below ${empty}\\. A project without manage.py can be read with --settings MODULE`),
    );
    await rejectsWithUserError(learnProject(path.join(empty, 'missing')), /does not exist/);
    const unnamed = makeTree({ 'manage.py': 'print(1)\n' });
    cleanup.push(unnamed);
    await rejectsWithUserError(
      learnProject(unnamed),
      /^Could not tell the settings module of .*manage\.py \(manage\.py does not set one\); pass --settings\.$/,
    );
  });

  it("lets manage.py pick the settings module when its choice can't be read without running it", async () => {
    const dir = makeTree({
      'manage.py': MANAGE_PY.replace("'proj.settings'", "'.'.join(['proj', 'conf'])"),
      'proj/__init__.py': '',
      'proj/conf.py': SETTINGS_HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\n",
    });
    cleanup.push(dir);
    const model = await learnProject(dir, { python: DJANGO_PYTHON });
    assert.equal(model.mode, 'django');
    assert.equal(model.settingsModule, 'proj.conf');
    await rejectsWithUserError(
      learnProject(dir, { mode: 'static' }),
      /^Could not tell the settings module of .*manage\.py; pass --settings\.$/,
    );
  });

  it('uses --settings for a folder without manage.py', async () => {
    const root = makeTree({
      'conf/__init__.py': '',
      'conf/settings.py': SETTINGS_HEAD + "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/assets/'\n",
    });
    cleanup.push(root);
    const model = await learnProject(root, { settings: 'conf.settings', python: DJANGO_PYTHON, mode: 'django' });
    assert.equal(model.managePy, null);
    assert.equal(model.staticUrl, '/assets/');
  });
});
