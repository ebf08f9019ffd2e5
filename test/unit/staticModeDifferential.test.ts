/**
 * Static mode versus real Django, once per version of the matrix: the same project is read by static mode
 * (which finds that version's django package first on the path, as the interpreter would) and introspected by
 * real Django, and the finder locations, apps, URLs, storage, checks and templates must agree.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { learnStatic } from '../../server/src/engine/staticMode';
import { ProjectModel } from '../../server/src/engine/model';
import { DJANGO_PYTHON, makeTree, removeTree } from './djangoFixtures';
import { atLeast, describeEachDjango, DjangoVersion } from '../djangoVersions';
import { seededRandom } from '../seeded';

const SYSTEM_SITE_PACKAGES = ['/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages'].filter((p) => fs.existsSync(p));
const DEMO = path.resolve(__dirname, '../../../examples/demo');

/** What real Django reports, in the model's terms. */
const INTROSPECT = `
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ['DJANGO_SETTINGS_MODULE'] = sys.argv[1]
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders, FileSystemFinder, AppDirectoriesFinder
from django.core import checks
from django.template import engines
# The backend the staticfiles storage would be built from, without building it (a manifest storage without
# STATIC_ROOT raises on construction): Django's own storage handler from 4.2, the setting before.
if django.VERSION >= (4, 2):
    from django.core.files.storage import storages
    entry = storages.backends.get('staticfiles')
    storage = entry['BACKEND'] if entry else 'InvalidStorageError'
else:
    storage = settings.STATICFILES_STORAGE
finders = []
for f in get_finders():
    if type(f) is FileSystemFinder:
        finders.append({'kind': 'filesystem', 'dirs': [
            {'prefix': p, 'rootAsWritten': str(r), 'root': os.path.abspath(str(f.storages[r].location)), 'listPrefix': f.storages[r].prefix or ''}
            for p, r in f.locations]})
    elif type(f) is AppDirectoriesFinder:
        finders.append({'kind': 'app', 'apps': [
            {'name': a.name, 'label': a.label, 'path': os.path.abspath(a.path),
             'staticDir': os.path.abspath(str(f.storages[a.name].location)) if a.name in f.storages else None}
            for a in apps.get_app_configs()]})
    else:
        finders.append({'kind': 'custom'})
templates = []
for config in engines.templates.values():
    templates.append({'backend': config['BACKEND'], 'dirs': [os.path.abspath(os.fspath(d)) for d in config.get('DIRS') or []],
                      'appDirs': bool(config.get('APP_DIRS', False)), 'builtins': list((config.get('OPTIONS') or {}).get('builtins') or [])})
print(json.dumps({
    'finders': finders,
    'staticUrl': settings.STATIC_URL,
    'staticRoot': os.path.abspath(settings.STATIC_ROOT) if settings.STATIC_ROOT else None,
    'debug': bool(settings.DEBUG),
    'storage': storage,
    'staticfilesInstalled': apps.is_installed('django.contrib.staticfiles'),
    'ignorePatterns': list(apps.get_app_config('staticfiles').ignore_patterns) if apps.is_installed('django.contrib.staticfiles') else ['CVS', '.*', '*~'],
    'checks': [{'id': m.id, 'message': str(m.msg)} for m in checks.run_checks(tags=['staticfiles'])],
    'templates': templates,
}))
`;

function realDjangoOf(v: DjangoVersion, projectDir: string, settingsModule: string): Record<string, unknown> {
  const out = execFileSync(DJANGO_PYTHON, ['-c', INTROSPECT, settingsModule], { cwd: projectDir, encoding: 'utf8', env: v.env });
  return JSON.parse(out);
}

/** The static-mode model in the same shape as INTROSPECT's output. */
function comparable(model: ProjectModel): Record<string, unknown> {
  return {
    finders: model.finders.map((finder) => {
      if (finder.kind === 'filesystem') return { kind: 'filesystem', dirs: finder.dirs };
      if (finder.kind === 'app') {
        return {
          kind: 'app',
          apps: finder.apps.map(({ name, label, path: appPath, staticDir }) => ({ name, label, path: appPath, staticDir })),
        };
      }
      return { kind: 'custom' };
    }),
    staticUrl: model.staticUrl,
    staticRoot: model.staticRoot,
    debug: model.debug,
    storage: model.storage,
    staticfilesInstalled: model.staticfilesInstalled,
    ignorePatterns: model.ignorePatterns,
    checks: model.checks.map(({ id, message }) => ({ id, message })),
    templates: model.templates.map(({ backend, dirs, appDirs, builtins }) => ({ backend, dirs, appDirs, builtins })),
  };
}

async function staticModelOf(v: DjangoVersion, projectDir: string, settingsModule: string): Promise<ProjectModel> {
  return learnStatic({
    projectDir,
    managePy: path.join(projectDir, 'manage.py'),
    settingsModule,
    python: DJANGO_PYTHON,
    sitePackages: [...(v.pythonpath ? [v.pythonpath] : []), ...SYSTEM_SITE_PACKAGES],
    modeReason: 'differential test',
  });
}

const APP_CONFIG = 'from django.apps import AppConfig\n';

/** Generated projects covering the forms real settings files use. */
const PROJECTS: { title: string; settingsModule: string; files: Record<string, string> }[] = [
  {
    title: 'split settings package with pathlib, env defaults, +=, append, insert, extend, if/else and try/except',
    settingsModule: 'proj.settings.dev',
    files: {
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': `
import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = os.getenv('SECRET_KEY', 'dev-secret')
DEBUG = os.environ.get('DJANGO_DEBUG', 'false').lower() in ('1', 'true')
STATIC_URL = 'static/'
STATIC_ROOT = BASE_DIR / 'collected'
STATICFILES_DIRS = [BASE_DIR / 'assets', str(BASE_DIR / 'assets') + '/', ('pre', BASE_DIR / 'assets'), ('pre2', f"{BASE_DIR}/assets")]
INSTALLED_APPS = ['django.contrib.staticfiles']
TEMPLATES = [{
    'BACKEND': 'django.template.backends.django.DjangoTemplates',
    'DIRS': [BASE_DIR / 'templates', os.path.join(BASE_DIR, 'more_templates')],
    'APP_DIRS': True,
    'OPTIONS': {'builtins': ['django.templatetags.static']},
}]
`,
      'proj/settings/dev.py': `
from .base import *
DEBUG = True
STATICFILES_DIRS += [BASE_DIR / 'assets']
STATICFILES_DIRS.append(('pre', BASE_DIR / 'assets'))
INSTALLED_APPS.insert(0, 'blog')
INSTALLED_APPS.extend(['django.contrib.admin'])
INSTALLED_APPS = INSTALLED_APPS + ['django.contrib.auth', 'django.contrib.contenttypes']
if DEBUG:
    INSTALLED_APPS += ['django.contrib.messages']
else:
    INSTALLED_APPS += ['not_installed']
try:
    from .local import *
except ImportError:
    STATIC_URL = '/fallback/'
for name in ('one', 'two'):
    STATICFILES_DIRS.append((name, BASE_DIR / 'assets' / name))
STATICFILES_DIRS += [BASE_DIR.joinpath(d) for d in ['vendor'] if d]
`,
      'assets/one/x.css': '',
      'assets/two/y.css': '',
      'vendor/v.js': '',
      'templates/t.html': '',
      'blog/__init__.py': '',
      'blog/apps.py': `${APP_CONFIG}\nclass BlogConfig(AppConfig):\n    name = 'blog'\n`,
      'blog/static/blog/b.css': '',
    },
  },
  {
    title: 'os.path chains, tuples, duplicates and every AppConfig form',
    settingsModule: 'site_conf.settings',
    files: {
      'manage.py': '',
      'site_conf/__init__.py': '',
      'site_conf/settings.py': `
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = 'x'
STATIC_URL = '/s/'
STATIC_ROOT = os.path.join(BASE_DIR, 'static_root')
STATICFILES_DIRS = (
    os.path.join(BASE_DIR, 'a'),
    ('p1', os.path.join(BASE_DIR, 'b')),
    ('p2', os.path.join(BASE_DIR, 'b')),
    os.path.join(BASE_DIR, 'b'),
    os.path.join(BASE_DIR, 'a'),
    os.path.join(BASE_DIR, 'a') + '/',
    '%s/c' % BASE_DIR,
    '{}/d'.format(BASE_DIR),
    os.path.normpath(os.path.join(BASE_DIR, 'x', '..', 'a')),
)
INSTALLED_APPS = [
    'django.contrib.staticfiles',
    'labelled.apps.Custom',
    'legacyapp',
    'solo',
    'pathy',
    'multi',
    'django.contrib.admin.apps.SimpleAdminConfig',
    'django.contrib.auth',
    'django.contrib.contenttypes',
]
`,
      'a/a.css': '',
      'b/b.css': '',
      'c/c.css': '',
      'd/d.css': '',
      'labelled/__init__.py': '',
      'labelled/apps.py': `${APP_CONFIG}\nclass Custom(AppConfig):\n    name = 'labelled'\n    label = 'lbl'\n`,
      'labelled/static/l.css': '',
      'legacyapp/__init__.py': "default_app_config = 'legacyapp.apps.Second'\n",
      'legacyapp/apps.py': `${APP_CONFIG}\nclass First(AppConfig):\n    name = 'legacyapp'\n    label = 'first'\n\nclass Second(AppConfig):\n    name = 'legacyapp'\n    label = 'second'\n`,
      'solo.py': '',
      'static/solo.css': '',
      'pathy/__init__.py': '',
      'pathy/apps.py': `import os\n${APP_CONFIG}\nclass PathyConfig(AppConfig):\n    name = 'pathy'\n    path = os.path.join(os.path.dirname(__file__), 'inner')\n`,
      'pathy/inner/static/p.css': '',
      'multi/__init__.py': '',
      'multi/apps.py': `${APP_CONFIG}\nclass Base(AppConfig):\n    name = 'multi'\n    default = False\n\nclass Chosen(Base):\n    default = True\n    label = 'chosen'\n\nclass Other(Base):\n    label = 'other'\n`,
      'multi/static/m.css': '',
    },
  },
  {
    title: 'staticfiles checks E002 and E003',
    settingsModule: 'proj.settings',
    files: {
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings.py': `
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
STATIC_URL = '/static/'
STATIC_ROOT = str(BASE_DIR / 'root')
STATICFILES_DIRS = [('pre/', BASE_DIR / 'a'), BASE_DIR / 'root', ('ok', str(BASE_DIR) + '/root/')]
INSTALLED_APPS = ['django.contrib.staticfiles']
`,
      'a/x.css': '',
      'root/y.css': '',
    },
  },
  {
    title: 'custom finders, manifest storage and a StaticFilesConfig subclass with its own ignore_patterns',
    settingsModule: 'proj.settings',
    files: {
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/finders.py':
        'from django.contrib.staticfiles.finders import BaseFinder\nclass MyFinder(BaseFinder):\n    def find(self, path, all=False):\n        return []\n    def list(self, ignore_patterns):\n        return []\n',
      'proj/settings.py': `
SECRET_KEY = 'x'
DEBUG = False
STATIC_URL = 'https://cdn.example.com/static/'
STATICFILES_FINDERS = ('proj.finders.MyFinder', 'django.contrib.staticfiles.finders.AppDirectoriesFinder')
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
INSTALLED_APPS = ('proj.apps.Statics', 'django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes')
`,
      'proj/apps.py':
        "from django.contrib.staticfiles.apps import StaticFilesConfig\n\nclass Statics(StaticFilesConfig):\n    ignore_patterns = StaticFilesConfig.ignore_patterns + ['*.scss']\n",
    },
  },
  {
    title: 'apps found through sys.path.insert, finders from django.conf.global_settings',
    settingsModule: 'proj.settings',
    files: {
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings.py': `
import os
import sys
from pathlib import Path
from django.conf import global_settings
BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.path.join(BASE_DIR, 'apps'))
sys.path.append(BASE_DIR / 'ignored_because_not_str')
SECRET_KEY = 'x'
STATIC_URL = '/static/'
STATICFILES_FINDERS = list(global_settings.STATICFILES_FINDERS)
INSTALLED_APPS = ['django.contrib.staticfiles', 'catalog', 'ordering.apps.OrderingConfig', 'shadow']
`,
      'apps/catalog/__init__.py': '',
      'apps/catalog/static/catalog/c.css': '',
      'apps/ordering/__init__.py': '',
      'apps/ordering/apps.py': `${APP_CONFIG}\nclass OrderingConfig(AppConfig):\n    name = 'ordering'\n`,
      'apps/ordering/static/o.css': '',
      // sys.path.insert(0, ...) puts apps/ before the project folder: apps/shadow wins over ./shadow.
      'apps/shadow/__init__.py': '',
      'apps/shadow/static/from-apps.css': '',
      'shadow/__init__.py': '',
      'shadow/static/from-root.css': '',
      'ignored_because_not_str/hidden/__init__.py': '',
    },
  },
  {
    title: 'STORAGES only (Django 3.2 ignores it, 4.2+ reads it)',
    settingsModule: 'proj.settings',
    files: {
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings.py': `
SECRET_KEY = 'x'
STATIC_URL = 'static/'
STATIC_ROOT = '/tmp/never-written'
STORAGES = {
    'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'},
    'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'},
}
INSTALLED_APPS = ['django.contrib.staticfiles']
`,
    },
  },
];

describeEachDjango('static mode versus real Django (differential)', (v) => {
  const created: string[] = [];
  const staticModel = (dir: string, module: string) => staticModelOf(v, dir, module);
  const realDjango = (dir: string, module: string) => realDjangoOf(v, dir, module);

  after(() => created.forEach(removeTree));

  it('reads examples/demo exactly as Django reports it', async () => {
    const model = await staticModel(DEMO, 'demo.settings');
    assert.deepEqual(comparable(model), realDjango(DEMO, 'demo.settings'));
    assert.deepEqual(model.problems, []);
  });

  for (const project of PROJECTS) {
    it(`agrees on a generated project: ${project.title}`, async () => {
      const dir = makeTree(project.files, 'djstatic-staticmode-');
      created.push(dir);
      const model = await staticModel(dir, project.settingsModule);
      assert.deepEqual(comparable(model), realDjango(dir, project.settingsModule));
    });
  }

  it('agrees on 20 randomly generated STATICFILES_DIRS / STATIC_ROOT combinations (seeded)', async () => {
    const random = seededRandom(20261126);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const seenChecks = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const roots = ['a', 'b', 'a/sub', 'missing'];
      const spellings = [
        (r: string) => `BASE_DIR / '${r}'`,
        (r: string) => `str(BASE_DIR / '${r}')`,
        (r: string) => `str(BASE_DIR / '${r}') + '/'`,
        (r: string) => `os.path.join(BASE_DIR, '${r}')`,
        (r: string) => `os.path.join(BASE_DIR, 'x', '..', '${r}')`,
        (r: string) => `f'{BASE_DIR}/${r}'`,
        (r: string) => `Path('${r}')`,
        (r: string) => `'${r}'`,
      ];
      const entries: string[] = [];
      const count = 1 + Math.floor(random() * 6);
      for (let i = 0; i < count; i++) {
        const root = pick(spellings)(pick(roots));
        entries.push(random() < 0.4 ? `(${pick(["'p'", "'q'", "'p/q'", "''", "'p/'"])}, ${root})` : root);
      }
      const container = random() < 0.5 ? ['[', ']'] : ['(', ',)'];
      const staticRoot = pick(['None', "BASE_DIR / 'a'", "str(BASE_DIR / 'out')", "'relative_out'", "''"]);
      const settings = `import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
STATIC_URL = '/static/'
STATIC_ROOT = ${staticRoot}
STATICFILES_DIRS = ${container[0]}${entries.join(', ')}${container[1]}
INSTALLED_APPS = ['django.contrib.staticfiles']
`;
      const dir = makeTree({ 'manage.py': '', 'proj/__init__.py': '', 'proj/settings.py': settings, 'a/sub/x.css': '', 'b/y.css': '' });
      created.push(dir);
      const model = await staticModel(dir, 'proj.settings');
      assert.deepEqual(comparable(model), realDjango(dir, 'proj.settings'), settings);
      model.checks.forEach((check) => seenChecks.add(check.id));
    }
    const expected = ['staticfiles.E002', 'staticfiles.E003', ...(atLeast(v.series, '4.0') ? ['staticfiles.W004'] : [])];
    assert.deepEqual([...seenChecks].sort(), expected, 'the combinations exercise every check of this version');
  });

  it("follows the version when STORAGES lacks 'staticfiles' (ignored in 3.2, InvalidStorageError in 4.2, E005 from 5.1)", async () => {
    const dir = makeTree({
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings.py':
        "SECRET_KEY = 'x'\nSTATIC_URL = '/static/'\nSTORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}}\nINSTALLED_APPS = ['django.contrib.staticfiles']\n",
    });
    created.push(dir);
    const model = await staticModel(dir, 'proj.settings');
    const real = realDjango(dir, 'proj.settings') as { storage: string; checks: unknown[] };
    assert.deepEqual(comparable(model).checks, real.checks);
    const missing = model.problems.some((p) => p.kind === 'storage-missing');
    if (atLeast(v.series, '4.2')) {
      assert.equal(real.storage, 'InvalidStorageError');
      assert.ok(missing, JSON.stringify(model.problems));
    } else {
      assert.equal(real.storage, model.storage);
      assert.ok(!missing);
    }
  });

  it('reports E001 for a string STATICFILES_DIRS (the forgotten trailing comma)', async () => {
    const dir = makeTree({
      'manage.py': '',
      'proj/__init__.py': '',
      'proj/settings.py':
        "SECRET_KEY = 'x'\nSTATIC_URL = '/static/'\nSTATICFILES_DIRS = ('/nonexistent/assets')\nINSTALLED_APPS = ['django.contrib.staticfiles']\n",
    });
    created.push(dir);
    const model = await staticModel(dir, 'proj.settings');
    const real = realDjango(dir, 'proj.settings') as { checks: unknown[] };
    assert.deepEqual(comparable(model).checks, real.checks);
    assert.equal(model.checks[0].hint, 'Perhaps you forgot a trailing comma?');
  });
});
