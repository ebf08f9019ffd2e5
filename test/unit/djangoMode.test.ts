import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DjangoModeInput, runDjangoMode } from '../../server/src/engine/djangoMode';
import { parseDotenv, projectEnvironment } from '../../server/src/engine/dotenv';
import { FinderEntry, ProjectModel } from '../../server/src/engine/model';
import { DJANGO_PYTHON, SETTINGS_HEAD, makeProject, removeTree } from './djangoFixtures';
import { atLeast, describeEachDjango, DjangoVersion } from '../djangoVersions';

/** The version under test; every helper and manage.py run of a block uses it (set by describeEachDjango). */
let version: DjangoVersion;

const DEMO = path.resolve(__dirname, '../../../examples/demo');

function input(projectDir: string, extra: Partial<DjangoModeInput> = {}): DjangoModeInput {
  const env = version.pythonpath ? { PYTHONPATH: version.env.PYTHONPATH! } : undefined;
  return {
    projectDir,
    managePy: path.join(projectDir, 'manage.py'),
    settingsModule: 'proj.settings',
    python: DJANGO_PYTHON,
    env,
    ...extra,
  };
}

async function learnOk(projectDir: string, extra: Partial<DjangoModeInput> = {}): Promise<ProjectModel> {
  const result = await runDjangoMode(input(projectDir, extra));
  if (!result.ok) assert.fail(`Django mode failed: ${result.reason}`);
  return result.model;
}

function finder<K extends FinderEntry['kind']>(model: ProjectModel, kind: K): Extract<FinderEntry, { kind: K }> {
  const found = model.finders.find((f) => f.kind === kind);
  assert.ok(found, `no ${kind} finder`);
  return found as Extract<FinderEntry, { kind: K }>;
}

/** Runs real manage.py in a temp project (never on the user's folders). */
function manage(projectDir: string, ...args: string[]): string {
  return execFileSync(DJANGO_PYTHON, ['manage.py', ...args], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: version.env,
  });
}

const GENERATED_FINDERS = `import os
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import get_files
from django.core.files.storage import FileSystemStorage


class GeneratedFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.storage = FileSystemStorage(location=os.path.join(settings.BASE_DIR, 'generated'))
        self.storage.prefix = 'gen'

    def check(self, **kwargs):
        return []

    def find(self, path, all=False):
        return [] if all else None

    def list(self, ignore_patterns):
        for path in get_files(self.storage, ignore_patterns):
            yield path, self.storage


class BrokenFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, all=False):
        return []

    def list(self, ignore_patterns):
        raise RuntimeError('bucket unreachable')
        yield
`;

describeEachDjango('Django mode (real Django at /usr/bin/python3)', (v) => {
  before(() => {
    version = v;
  });
  const cleanup: string[] = [];
  afterEach(() => cleanup.splice(0).forEach(removeTree));
  function project(settings: string, extra: Record<string, string> = {}): string {
    const dir = makeProject(settings, extra);
    cleanup.push(dir);
    return dir;
  }

  it('learns the demo project: finders, dirs, apps in INSTALLED_APPS order, templates', async () => {
    const model = await learnOk(DEMO, { settingsModule: 'demo.settings' });
    assert.equal(model.mode, 'django');
    assert.ok(model.modeReason.startsWith(`Ran Django ${v.version} with /usr/bin/python3`), model.modeReason);
    assert.equal(model.staticUrl, '/static/');
    assert.equal(model.staticRoot, path.join(DEMO, 'collected_static'));
    assert.equal(model.storage, 'django.contrib.staticfiles.storage.StaticFilesStorage');
    assert.equal(model.manifestStorage, false);
    assert.equal(model.staticfilesInstalled, true);
    assert.deepEqual(model.ignorePatterns, ['CVS', '.*', '*~']);
    assert.deepEqual(model.settingsFiles, [path.join(DEMO, 'demo/settings.py')]);
    assert.deepEqual(
      model.finders.map((f) => f.kind),
      ['filesystem', 'app'],
    );
    assert.deepEqual(finder(model, 'filesystem').dirs, [
      { prefix: '', rootAsWritten: path.join(DEMO, 'assets'), root: path.join(DEMO, 'assets'), listPrefix: '' },
      { prefix: 'vendor', rootAsWritten: path.join(DEMO, 'vendor'), root: path.join(DEMO, 'vendor'), listPrefix: 'vendor' },
    ]);
    const apps = finder(model, 'app').apps;
    assert.deepEqual(
      apps.map((a) => a.label),
      ['admin', 'auth', 'contenttypes', 'sessions', 'messages', 'staticfiles', 'blog', 'shop', 'legacy'],
    );
    const legacy = apps.find((a) => a.name === 'legacy')!;
    // Not namespaced: its files sit directly under static/, colliding with STATICFILES_DIRS.
    assert.equal(legacy.staticDir, path.join(DEMO, 'legacy/static'));
    assert.ok(existsSync(path.join(legacy.staticDir!, 'css/site.css')));
    assert.equal(apps.find((a) => a.label === 'auth')!.staticDir, null);
    assert.match(apps.find((a) => a.label === 'auth')!.templatesDir ?? '', /contrib\/auth\/templates$/);
    const { searchDirs, ...engine } = model.templates[0];
    assert.equal(model.templates.length, 1);
    assert.deepEqual(engine, {
      backend: 'django.template.backends.django.DjangoTemplates',
      jinja: false,
      dirs: [path.join(DEMO, 'templates')],
      appDirs: true,
      builtins: [],
      // With DEBUG on, Django 4.1+ still wraps the default loaders in the cached loader.
      name: 'django',
      loaders: atLeast(v.series, '4.1')
        ? ['cached.Loader(filesystem.Loader, app_directories.Loader)']
        : ['filesystem.Loader', 'app_directories.Loader'],
    });
    // The loaders' own get_dirs(): DIRS first, then every installed app's templates/ in INSTALLED_APPS order.
    assert.deepEqual(searchDirs, [path.join(DEMO, 'templates'), ...apps.map((a) => a.templatesDir).filter((d): d is string => d !== null)]);
    assert.deepEqual(model.checks, []);
  });

  it('reports the storage-per-root quirk: [("p1", D), ("p2", D), D] lists everything under the last prefix', async () => {
    const dir = project(
      `INSTALLED_APPS = ['django.contrib.staticfiles']
D = str(BASE_DIR / 'shared')
STATICFILES_DIRS = [('p1', D), ('p2', D), D, ('p1', D)]
STATIC_ROOT = BASE_DIR / 'out'
`,
      { 'shared/img/logo.png': 'png' },
    );
    const model = await learnOk(dir);
    const shared = path.join(dir, 'shared');
    assert.deepEqual(finder(model, 'filesystem').dirs, [
      { prefix: 'p1', rootAsWritten: shared, root: shared, listPrefix: '' },
      { prefix: 'p2', rootAsWritten: shared, root: shared, listPrefix: '' },
      { prefix: '', rootAsWritten: shared, root: shared, listPrefix: '' },
    ]);
    // Real Django agrees: findstatic honours p1, collectstatic writes only the unprefixed copy.
    assert.match(manage(dir, 'findstatic', 'p1/img/logo.png'), /Found 'p1\/img\/logo.png' here/);
    manage(dir, 'collectstatic', '--noinput');
    assert.ok(existsSync(path.join(dir, 'out/img/logo.png')));
    assert.ok(!existsSync(path.join(dir, 'out/p1')));
  });

  it('keeps roots as written (relative, trailing slash) and makes them absolute separately', async () => {
    const dir = project(
      `INSTALLED_APPS = ['django.contrib.staticfiles']
STATICFILES_DIRS = ['assets/', ('x', 'assets'), 'missing']
`,
      { 'assets/a.css': '' },
    );
    const model = await learnOk(dir);
    assert.deepEqual(
      finder(model, 'filesystem').dirs.map((d) => [d.rootAsWritten, d.root, d.listPrefix]),
      [
        ['assets/', path.join(dir, 'assets'), ''],
        ['assets', path.join(dir, 'assets'), 'x'],
        ['missing', path.join(dir, 'missing'), ''],
      ],
    );
    if (atLeast(v.series, '4.0')) {
      // Django warns about it itself (W004), so it is not said twice.
      assert.deepEqual(model.problems, []);
      assert.deepEqual(
        model.checks.map((c) => [c.id, c.message]),
        [['staticfiles.W004', "The directory 'missing' in the STATICFILES_DIRS setting does not exist."]],
      );
    } else {
      // Django 3.2 has no W004 check; the missing folder is reported as a problem instead.
      assert.deepEqual(
        model.problems.map((p) => p.kind),
        ['static-dir-missing'],
      );
      assert.match(model.problems[0].message, /'missing'.*FileNotFoundError/);
    }
  });

  it('lists apps in INSTALLED_APPS order, including apps without a static folder', async () => {
    const dir = project(
      `INSTALLED_APPS = ['zeta', 'django.contrib.staticfiles', 'alpha.apps.AlphaConfig', 'plain']
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': ['tpl'], 'APP_DIRS': True,
              'OPTIONS': {'builtins': ['django.templatetags.static']}}]
`,
      {
        'zeta/__init__.py': '',
        'zeta/static/zeta/z.js': '',
        'alpha/__init__.py': '',
        'alpha/apps.py':
          "from django.apps import AppConfig\nclass AlphaConfig(AppConfig):\n    name = 'alpha'\n    label = 'alpha_label'\n",
        'alpha/static/site.css': '',
        'plain/__init__.py': '',
        'plain/templates/plain/x.html': '',
      },
    );
    const model = await learnOk(dir);
    assert.deepEqual(
      finder(model, 'app').apps.map((a) => [
        a.name,
        a.label,
        a.staticDir && path.relative(dir, a.staticDir),
        a.templatesDir && path.relative(dir, a.templatesDir),
      ]),
      [
        ['zeta', 'zeta', 'zeta/static', null],
        ['django.contrib.staticfiles', 'staticfiles', null, null],
        ['alpha', 'alpha_label', 'alpha/static', null],
        ['plain', 'plain', null, 'plain/templates'],
      ],
    );
    assert.deepEqual(model.templates[0].dirs, [path.join(dir, 'tpl')]);
    assert.deepEqual(model.templates[0].builtins, ['django.templatetags.static']);
  });

  it('lists the files of a custom finder and captures a failing finder', async () => {
    const dir = project(
      `INSTALLED_APPS = ['django.contrib.staticfiles', 'gen']
STATICFILES_FINDERS = [
    'gen.finders.GeneratedFinder',
    'django.contrib.staticfiles.finders.AppDirectoriesFinder',
    'gen.finders.BrokenFinder',
]
`,
      {
        'gen/__init__.py': '',
        'gen/finders.py': GENERATED_FINDERS,
        'generated/bundle.js': '',
        'generated/css/x.css': '',
      },
    );
    const model = await learnOk(dir);
    assert.deepEqual(
      model.finders.map((f) => f.kind),
      ['custom', 'app', 'custom'],
    );
    const generated = model.finders[0] as Extract<FinderEntry, { kind: 'custom' }>;
    assert.equal(generated.className, 'gen.finders.GeneratedFinder');
    assert.deepEqual(
      [...generated.files].sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: 'gen/bundle.js', absPath: path.join(dir, 'generated/bundle.js') },
        { path: 'gen/css/x.css', absPath: path.join(dir, 'generated/css/x.css') },
      ],
    );
    const broken = model.finders[2] as Extract<FinderEntry, { kind: 'custom' }>;
    assert.match(broken.error ?? '', /RuntimeError: bucket unreachable/);
    assert.ok(model.problems.some((p) => p.kind === 'finder-failed'));
  });

  it('lists custom finders (DefaultStorageFinder included) exactly as real collectstatic collects them', async () => {
    const dir = project(
      `INSTALLED_APPS = ['django.contrib.staticfiles', 'gen']
MEDIA_ROOT = BASE_DIR / 'media'
STATIC_ROOT = BASE_DIR / 'out'
STATICFILES_FINDERS = ['gen.finders.GeneratedFinder', 'django.contrib.staticfiles.finders.DefaultStorageFinder']
`,
      {
        'gen/__init__.py': '',
        'gen/finders.py': GENERATED_FINDERS,
        'generated/bundle.js': '',
        'generated/img/a.png': '',
        'media/uploads/m.txt': '',
      },
    );
    const model = await learnOk(dir);
    const listed = model.finders.flatMap((f) => (f.kind === 'custom' ? f.files.map((file) => file.path) : [])).sort();
    assert.deepEqual(listed, ['gen/bundle.js', 'gen/img/a.png', 'uploads/m.txt']);
    manage(dir, 'collectstatic', '--noinput');
    const collected = execFileSync('find', ['.', '-type', 'f'], { cwd: path.join(dir, 'out'), encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^\.\//, ''))
      .sort();
    assert.deepEqual(collected, listed);
  });

  it('reports manifest storage, staticfiles checks, star-imported settings files and keeps stdout clean', async () => {
    const dir = makeProject('', {
      'proj/settings.py': '',
      'proj/settings/__init__.py': `print('hello from settings')\nfrom .base import *\nDEBUG = False\n`,
      'proj/settings/base.py': `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = 'x'
DATABASES = {}
STATIC_URL = '/s/'
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_ROOT = BASE_DIR / 'assets'
STATICFILES_DIRS = [BASE_DIR / 'assets', ('pre/', BASE_DIR / 'other')]
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
`,
    });
    cleanup.push(dir);
    removeTree(path.join(dir, 'proj/settings.py'));
    const model = await learnOk(dir);
    // Django 5.1 no longer reads STATICFILES_STORAGE: the default storage from STORAGES is used instead.
    const readsLegacy = !atLeast(v.series, '5.1');
    assert.equal(model.manifestStorage, readsLegacy);
    assert.equal(model.storage, `django.contrib.staticfiles.storage.${readsLegacy ? 'Manifest' : ''}StaticFilesStorage`);
    assert.equal(model.debug, false);
    assert.deepEqual(model.settingsFiles, [path.join(dir, 'proj/settings/__init__.py'), path.join(dir, 'proj/settings/base.py')]);
    const w004 = atLeast(v.series, '4.0')
      ? [
          ['staticfiles.W004', 'warning'],
          ['staticfiles.W004', 'warning'],
        ]
      : [];
    assert.deepEqual(model.checks.map((c) => [c.id, c.level]).sort(), [
      ['staticfiles.E002', 'error'],
      ['staticfiles.E003', 'error'],
      ...w004,
    ]);
    assert.ok(model.checks.find((c) => c.id === 'staticfiles.E003')!.message.includes("'pre/'"));
  });

  it('passes .env variables (and options.env over them) to the settings', async () => {
    const dir = project(
      `import os
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_URL = '/' + os.environ['SECRET'] + '/'
STATIC_ROOT = os.environ.get('ROOT_FROM_ENV')
`,
      { '.env': `# comment\nexport SECRET="from-dotenv"\nROOT_FROM_ENV='/tmp/collected'\n` },
    );
    const fromFile = await learnOk(dir);
    assert.equal(fromFile.staticUrl, '/from-dotenv/');
    assert.equal(fromFile.staticRoot, '/tmp/collected');
    const overridden = await learnOk(dir, { env: { SECRET: 'from-options' } });
    assert.equal(overridden.staticUrl, '/from-options/');
  });

  it("runs manage.py's own set-up first (sys.path entries, environment), then takes over", async () => {
    const dir = project(
      `import os
INSTALLED_APPS = ['django.contrib.staticfiles', 'inner_app']
STATIC_URL = os.environ['FROM_MANAGE_PY']
`,
      {
        // cookiecutter-django style: apps live in a folder manage.py adds to sys.path.
        'manage.py': `import os, sys
from pathlib import Path

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
    os.environ['FROM_MANAGE_PY'] = '/managed/'
    sys.path.append(str(Path(__file__).parent / 'apps'))
    from django.core.management import execute_from_command_line
    try:
        execute_from_command_line(sys.argv)
    except Exception:
        print('swallowed')
`,
        'apps/inner_app/__init__.py': '',
        'apps/inner_app/static/inner_app/x.css': '',
      },
    );
    const model = await learnOk(dir);
    assert.equal(model.staticUrl, '/managed/');
    assert.deepEqual(
      finder(model, 'app').apps.map((a) => [a.name, a.staticDir]),
      [
        ['django.contrib.staticfiles', null],
        ['inner_app', path.join(dir, 'apps/inner_app/static')],
      ],
    );
    assert.deepEqual(model.problems, []);
    // Without manage.py the app can't be imported, as `django-admin` without the path would fail too.
    const bare = await runDjangoMode(input(dir, { managePy: null, env: { FROM_MANAGE_PY: '/x/' } }));
    assert.ok(!bare.ok && /No module named 'inner_app'/.test(bare.reason));
  });

  it('learns without manage.py when it never hands over to Django or fails first', async () => {
    const settings = "INSTALLED_APPS = ['django.contrib.staticfiles']\n";
    const custom = project(settings, { 'manage.py': "print('my own tool')\n" });
    const skipped = await learnOk(custom);
    assert.deepEqual(
      skipped.problems.map((p) => p.kind),
      ['manage-py-skipped'],
    );
    assert.match(skipped.problems[0].message, /did not call Django's execute_from_command_line/);

    const failing = project(settings, { 'manage.py': "import sys\nsys.exit('needs Python 4')\n" });
    const model = await learnOk(failing);
    assert.match(model.problems[0].message, /manage.py failed before starting Django \(SystemExit: needs Python 4\)/);
  });

  it('reports the settings module manage.py really used', async () => {
    const dir = project('INSTALLED_APPS = []\n', {
      'manage.py': `import os, sys
os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.other'
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`,
      'proj/other.py': "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/other/'\n",
    });
    const model = await learnOk(dir);
    assert.equal(model.settingsModule, 'proj.other');
    assert.equal(model.staticUrl, '/other/');
    assert.deepEqual(model.settingsFiles, [path.join(dir, 'proj/other.py')]);
  });

  it('turns failing settings into a reason instead of throwing', async () => {
    const dir = project(`from django.core.exceptions import ImproperlyConfigured
raise ImproperlyConfigured('Set the DATABASE_URL environment variable')
`);
    const result = await runDjangoMode(input(dir));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.reason, 'running the settings failed: ImproperlyConfigured: Set the DATABASE_URL environment variable');
    // The problem points at the raising line of the settings file (0-based), for a diagnostic there.
    assert.deepEqual(result.problem, {
      kind: 'settings-failed',
      message: 'Running the settings failed: ImproperlyConfigured: Set the DATABASE_URL environment variable.',
      file: path.join(dir, 'proj/settings.py'),
      line: SETTINGS_HEAD.split('\n').length,
    });
    const missing = await runDjangoMode(input(dir, { settingsModule: 'nope.settings' }));
    assert.ok(!missing.ok && /ModuleNotFoundError: No module named 'nope'/.test(missing.reason));
  });

  it('kills hanging settings and their children after the timeout', async function () {
    this.timeout(10000);
    const dir = project(`import os, subprocess, time
child = subprocess.Popen(['sleep', '60'])
open(os.path.join(str(BASE_DIR), 'child.pid'), 'w').write(str(child.pid))
time.sleep(60)
`);
    const started = Date.now();
    const result = await runDjangoMode(input(dir, { timeoutMs: 2000 }));
    const elapsed = Date.now() - started;
    assert.ok(!result.ok);
    assert.match(result.reason, /took longer than 2 s/);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    const childPid = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    for (let i = 0; i < 20 && isRunning(childPid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(isRunning(childPid), false, 'the settings’ child process must be killed too');
  });
});

/** True while `pid` runs; a killed process not yet reaped (zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('parseDotenv', () => {
  it('reads KEY=VALUE with export, quotes, comments and ${VAR} expansion', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = "two words"  # trailing',
      "C='${A} literal'",
      'D="line\\nbreak ${A}"',
      'E=plain # comment',
      'F=${MISSING:-fallback}',
      'G="multi',
      'line"',
      'not a pair',
      'H=',
    ].join('\n');
    assert.deepEqual(parseDotenv(text, {}), {
      A: '1',
      B: 'two words',
      C: '${A} literal',
      D: 'line\nbreak 1',
      E: 'plain',
      F: 'fallback',
      G: 'multi\nline',
      H: '',
    });
  });
});

describe('projectEnvironment (learning and Collect alike)', () => {
  it("layers the process environment, the project's .env and djangoStatic.env, each later one winning", async () => {
    const dir = makeProject('', { '.env': 'FROM_DOTENV=dotenv\nOVERRIDDEN=dotenv\nEXPANDED=${BASE}-x\n' });
    try {
      const env = await projectEnvironment(dir, { OVERRIDDEN: 'setting' }, { BASE: 'base', OVERRIDDEN: 'process' });
      assert.equal(env.BASE, 'base');
      assert.equal(env.FROM_DOTENV, 'dotenv');
      assert.equal(env.EXPANDED, 'base-x');
      assert.equal(env.OVERRIDDEN, 'setting');
      assert.equal((await projectEnvironment(dir, undefined, { OVERRIDDEN: 'process' })).OVERRIDDEN, 'dotenv');
    } finally {
      removeTree(dir);
    }
  });
});
