/**
 * The behaviours that differ between Django versions, each checked against the real Django of every
 * version of the matrix: the behaviour table (server/src/engine/djangoVersion.ts) must say what that
 * Django does, and the CLI must print what its findstatic prints, in both modes.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { behaviourOf } from '../../server/src/engine/djangoVersion';
import { parseManifest } from '../../server/src/workspace/manifest';
import { describeEachDjango, DJANGO_PYTHON, DjangoVersion } from '../djangoVersions';
import { bundleCli, run, runEnv } from './runners';

const MANAGE_PY = `import os, sys
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`;

/** A project whose app and STATICFILES_DIRS entry each hold a broken link beside a real file. */
function brokenLinkProject(parent: string): string {
  const dir = fs.mkdtempSync(path.join(parent, 'links-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('manage.py', MANAGE_PY);
  write('proj/__init__.py', '');
  write(
    'proj/settings.py',
    `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
STATIC_URL = '/static/'
STATICFILES_DIRS = [BASE_DIR / 'assets']
INSTALLED_APPS = ['django.contrib.staticfiles', 'shop']
`,
  );
  write('shop/__init__.py', '');
  write('shop/static/shop/real.css', 'real');
  write('assets/site.css', 'site');
  fs.symlinkSync('gone.css', path.join(dir, 'shop/static/shop/broken.css'));
  fs.symlinkSync('../nowhere/x.js', path.join(dir, 'assets/broken.js'));
  fs.mkdirSync(path.join(dir, 'shop/static/shop/deeper'));
  fs.symlinkSync('../../missing/folder', path.join(dir, 'shop/static/shop/deeper/link'));
  return dir;
}

const QUERIES = ['shop/broken.css', 'broken.js', 'shop/real.css', 'site.css', 'shop/deeper/link', 'shop/deeper/link/x.css'];

function pythonSays(v: DjangoVersion, script: string, input: string): string {
  return execFileSync(DJANGO_PYTHON, ['-c', script], { input, encoding: 'utf8', env: v.env, cwd: '/' });
}

describeEachDjango('behaviour that differs by Django version', (v) => {
  let workDir = '';
  let cli = '';
  const table = behaviourOf(v.version);

  before(async () => {
    workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-versions-')));
    cli = await bundleCli(path.join(workDir, '.cli'));
  });
  after(() => fs.rmSync(workDir, { recursive: true, force: true }));

  for (const mode of ['django', 'static'] as const) {
    it(`find prints what findstatic prints for broken links (${mode} mode)`, async () => {
      const dir = brokenLinkProject(workDir);
      const env = runEnv(v.env);
      const django = await run(DJANGO_PYTHON, ['manage.py', 'findstatic', '--', ...QUERIES], dir, env);
      const ours = await run(
        process.execPath,
        [cli, 'find', '--root', dir, '--mode', mode, '--python', DJANGO_PYTHON, '--', ...QUERIES],
        dir,
        env,
      );
      assert.strictEqual(ours.stdout, django.stdout);
      assert.strictEqual(ours.stderr, django.stderr);
      assert.strictEqual(ours.code, django.code);
      // The row of the table this exercises: only the app's broken link is found, and only from 4.2.
      assert.strictEqual(django.stdout.includes("Found 'shop/broken.css' here:"), table.appFinderSeesBrokenLinks);
      assert.ok(!django.stdout.includes("Found 'broken.js'"));
    });
  }

  it('reads the manifest versions this Django loads, and no other', () => {
    const script = `
import json, sys, tempfile, os
root = tempfile.mkdtemp()
import django
from django.conf import settings
settings.configure(STATIC_ROOT=root, STATIC_URL='/static/', INSTALLED_APPS=['django.contrib.staticfiles'])
django.setup()
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
out = {}
for version in json.load(sys.stdin):
    with open(os.path.join(root, 'staticfiles.json'), 'w') as f:
        json.dump({'paths': {'a.css': 'a.1.css'}, 'version': version}, f)
    try:
        ManifestStaticFilesStorage().load_manifest()
        out[version] = True
    except ValueError:
        out[version] = False
print(json.dumps(out))
`;
    const versions = ['1.0', '1.1', '1.2', '2.0'];
    const loads = JSON.parse(pythonSays(v, script, JSON.stringify(versions))) as Record<string, boolean>;
    for (const version of versions) {
      const text = JSON.stringify({ paths: { 'a.css': 'a.1.css' }, version });
      assert.strictEqual(parseManifest(text, v.version) !== undefined, loads[version], `manifest version ${version}`);
    }
  });

  it('says which storage setting, checks and app config rules this Django has', () => {
    const script = `
import json, django
from django.conf import global_settings
from django.contrib.staticfiles import finders
from django.apps import config
import inspect
print(json.dumps({
    'storages': hasattr(global_settings, 'STORAGES'),
    'legacyStorage': hasattr(global_settings, 'STATICFILES_STORAGE'),
    'deprecatedStorage': hasattr(__import__('django.conf', fromlist=['x']), 'STATICFILES_STORAGE_DEPRECATED_MSG'),
    'w004': 'staticfiles.W004' in inspect.getsource(finders.FileSystemFinder.check),
    'e005': 'E005' in inspect.getsource(__import__('django.contrib.staticfiles.checks', fromlist=['x'])),
    'defaultAppConfig': 'default_app_config' in inspect.getsource(config),
    'cachedInDebug': 'cached.Loader' in inspect.getsource(__import__('django.template.engine', fromlist=['x']).Engine.__init__) and 'if not debug' not in inspect.getsource(__import__('django.template.engine', fromlist=['x']).Engine.__init__),
}))
`;
    const real = JSON.parse(pythonSays(v, script, '')) as Record<string, boolean>;
    assert.deepStrictEqual(
      {
        storages: table.readsStorages,
        legacyStorage: table.readsStaticfilesStorage,
        deprecatedStorage: table.deprecatesStaticfilesStorage,
        w004: table.warnsMissingDirs,
        e005: table.checksStoragesEntry,
        defaultAppConfig: table.honoursDefaultAppConfig,
        cachedInDebug: table.cachesTemplatesInDebug,
      },
      real,
    );
    assert.strictEqual(table.untested, false);
  });
});
