/**
 * learnStatic end to end on generated projects: the ProjectModel fields, Django's FileSystemFinder rules,
 * checks, storage, apps located in the project or a (fake) site-packages, and bad input turned into Problems.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { learnStatic } from '../../server/src/engine/staticMode';
import { AppEntry, FinderEntry, ProjectModel, UserError } from '../../server/src/engine/model';
import { makeTree, removeTree } from './djangoFixtures';
import { settingUnread } from '../../server/src/engine/readings';

const roots: string[] = [];

function tree(files: Record<string, string>): string {
  const root = makeTree(files, 'djstatic-model-');
  roots.push(root);
  return root;
}

async function learn(settings: string, extra: Record<string, string> = {}, sitePackages: string[] = []): Promise<ProjectModel> {
  const root = tree({ 'manage.py': '', 'proj/__init__.py': '', 'proj/settings.py': settings, ...extra });
  return learnStatic({
    projectDir: root,
    managePy: path.join(root, 'manage.py'),
    settingsModule: 'proj.settings',
    python: null,
    sitePackages,
    modeReason: 'test',
  });
}

/** A site-packages folder holding a minimal Django of the given version and a third-party app. */
function fakeSitePackages(version: string): string {
  return tree({
    'django/__init__.py': `VERSION = (${version}, 'final', 0)\n`,
    'django/apps/__init__.py': 'from .config import AppConfig\n',
    'django/apps/config.py': 'class AppConfig:\n    def __init__(self, app_name, app_module):\n        self.name = app_name\n',
    'django/contrib/__init__.py': '',
    'django/contrib/staticfiles/__init__.py': '',
    'django/contrib/staticfiles/apps.py':
      "from django.apps import AppConfig\n\nclass StaticFilesConfig(AppConfig):\n    name = 'django.contrib.staticfiles'\n    ignore_patterns = ['CVS', '.*', '*~']\n",
    'thirdparty/__init__.py': '',
    'thirdparty/static/thirdparty/t.css': '',
    'thirdparty/templates/t.html': '',
  });
}

function filesystem(model: ProjectModel): Extract<FinderEntry, { kind: 'filesystem' }> {
  const finder = model.finders.find((f) => f.kind === 'filesystem');
  assert.ok(finder && finder.kind === 'filesystem');
  return finder;
}

function apps(model: ProjectModel): AppEntry[] {
  const finder = model.finders.find((f) => f.kind === 'app');
  assert.ok(finder && finder.kind === 'app');
  return finder.apps;
}

describe('static mode: learnStatic', () => {
  after(() => roots.forEach(removeTree));

  it('throws a UserError only when the settings module has no file', async () => {
    const root = tree({ 'manage.py': '' });
    await assert.rejects(
      learnStatic({
        projectDir: root,
        managePy: null,
        settingsModule: 'missing.settings',
        python: null,
        sitePackages: [],
        modeReason: 'test',
      }),
      (error: Error) =>
        error instanceof UserError && /missing\/settings\.py nor missing\/settings\/__init__\.py exists/.test(error.message),
    );
  });

  it('finds package settings (settings/__init__.py) and lists star-imported files in order', async () => {
    const root = tree({
      'proj/__init__.py': '',
      'proj/settings/__init__.py': 'from .base import *\nfrom .extra import *\n',
      'proj/settings/base.py': "STATIC_URL = 'base/'\n",
      'proj/settings/extra.py': "from proj.settings.base import *\nSTATIC_URL = 'extra/'\n",
    });
    const model = await learnStatic({
      projectDir: root,
      managePy: null,
      settingsModule: 'proj.settings',
      python: null,
      sitePackages: [],
      modeReason: 'why',
    });
    assert.deepEqual(
      model.settingsFiles.map((f) => path.relative(root, f)),
      ['proj/settings/__init__.py', 'proj/settings/base.py', 'proj/settings/extra.py'],
    );
    assert.equal(model.staticUrl, '/extra/', 'a relative STATIC_URL gets the script prefix');
    assert.equal(model.mode, 'static');
    assert.equal(model.modeReason, 'why');
  });

  it('uses Django defaults for an empty settings file', async () => {
    const model = await learn('');
    assert.equal(model.staticUrl, null);
    assert.equal(model.staticRoot, null);
    assert.equal(model.debug, false);
    assert.equal(model.storage, 'django.contrib.staticfiles.storage.StaticFilesStorage');
    assert.equal(model.staticfilesInstalled, false);
    assert.deepEqual(model.ignorePatterns, ['CVS', '.*', '*~']);
    assert.deepEqual(
      model.finders.map((f) => f.kind),
      ['filesystem', 'app'],
    );
    assert.deepEqual(model.problems, []);
  });

  it('never throws on broken settings: syntax errors, wrong types, binary junk', async () => {
    for (const settings of [
      'STATIC_URL = (\n',
      "STATICFILES_DIRS = 5\nINSTALLED_APPS = 'django.contrib.staticfiles'\nTEMPLATES = None\nSTATIC_ROOT = 3\n",
      '\u0000\u0001\u00ff\ufffd def class ((( ]]] :::\n',
      'import os\nSTATICFILES_DIRS = [os.path.join()]\nSTATIC_ROOT = os.path.join(None)\n',
      "STATICFILES_DIRS = [('a', 'b', 'c'), (1, '/x'), None, ('p',)]\n",
    ]) {
      const model = await learn(settings);
      assert.equal(model.mode, 'static');
      assert.ok(model.problems.length > 0, `a problem is reported for ${JSON.stringify(settings)}`);
    }
  });

  it('never throws on 300 random corruptions of the demo settings (seeded)', async () => {
    const demo = require('node:fs').readFileSync(path.resolve(__dirname, '../../../examples/demo/demo/settings.py'), 'utf8') as string;
    const tokens = [
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      '*',
      '**',
      'if ',
      'for x in ',
      'import ',
      'from . import *',
      '\n    ',
      '"',
      "'",
      'f"{',
      '\\',
      '#',
      'lambda: ',
      'yield ',
      'None',
      '+=',
      '.append(',
      'os.environ[',
      'BASE_DIR / ',
      '\u00e9',
      '\u0000',
    ];
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const root = tree({ 'manage.py': '', 'proj/__init__.py': '', 'proj/settings.py': '' });
    for (let round = 0; round < 300; round++) {
      let text = demo;
      for (let edit = 0; edit < 1 + Math.floor(random() * 4); edit++) {
        const at = Math.floor(random() * text.length);
        if (random() < 0.5) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
        else text = text.slice(0, at) + tokens[Math.floor(random() * tokens.length)] + text.slice(at);
      }
      require('node:fs').writeFileSync(path.join(root, 'proj/settings.py'), text);
      const model = await learnStatic({
        projectDir: root,
        managePy: null,
        settingsModule: 'proj.settings',
        python: null,
        sitePackages: [],
        modeReason: 'fuzz',
      });
      assert.equal(model.mode, 'static');
      assert.ok(Array.isArray(model.finders) && Array.isArray(model.problems));
      assert.ok(!model.problems.some((p) => p.kind === 'static-mode-failed'), `the last-resort net was needed for:\n${text}`);
    }
  });

  it("applies FileSystemFinder's de-duplication and storage-per-root prefix quirk", async () => {
    const model = await learn(`from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
STATICFILES_DIRS = [
    ('p1', BASE_DIR / 'd'),
    ('p2', BASE_DIR / 'd'),
    BASE_DIR / 'd',
    BASE_DIR / 'd',
    str(BASE_DIR / 'd'),
    'rel/assets/',
]
`);
    const root = model.projectDir;
    const d = path.join(require('node:fs').realpathSync(root), 'd');
    assert.deepEqual(filesystem(model).dirs, [
      { prefix: 'p1', rootAsWritten: d, root: d, listPrefix: '' },
      { prefix: 'p2', rootAsWritten: d, root: d, listPrefix: '' },
      { prefix: '', rootAsWritten: d, root: d, listPrefix: '' },
      // A str root is a different storage key from the equal-looking Path.
      { prefix: '', rootAsWritten: d, root: d, listPrefix: '' },
      { prefix: '', rootAsWritten: 'rel/assets/', root: path.join(root, 'rel/assets'), listPrefix: '' },
    ]);
  });

  it('uses the last prefix of the same root for listPrefix', async () => {
    const model = await learn("STATICFILES_DIRS = ['/srv/a', ('x', '/srv/a'), ('y', '/srv/a/')]\n");
    assert.deepEqual(
      filesystem(model).dirs.map((d) => [d.prefix, d.rootAsWritten, d.listPrefix]),
      [
        ['', '/srv/a', 'x'],
        ['x', '/srv/a', 'x'],
        ['y', '/srv/a/', 'y'],
      ],
    );
  });

  it("derives staticfiles.E001, E002 and E003 with Django's exact texts, only when staticfiles is installed", async () => {
    const e001 = await learn("STATICFILES_DIRS = ('/srv/assets')\nINSTALLED_APPS = ['django.contrib.staticfiles']\n");
    assert.deepEqual(e001.checks, [
      {
        id: 'staticfiles.E001',
        level: 'error',
        message: 'The STATICFILES_DIRS setting is not a tuple or list.',
        hint: 'Perhaps you forgot a trailing comma?',
      },
    ]);
    const others = await learn(
      "STATIC_ROOT = '/srv/root/'\nSTATICFILES_DIRS = [('pre/', '/srv/a'), '/srv/root']\nINSTALLED_APPS = ['django.contrib.staticfiles']\n",
    );
    assert.deepEqual(others.checks, [
      { id: 'staticfiles.E003', level: 'error', message: "The prefix 'pre/' in the STATICFILES_DIRS setting must not end with a slash." },
      { id: 'staticfiles.E002', level: 'error', message: 'The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.' },
    ]);
    const notInstalled = await learn("STATICFILES_DIRS = ('/srv/assets')\n");
    assert.deepEqual(notInstalled.checks, []);
  });

  it('adds W004 for a missing directory from Django 4.0 on', async () => {
    const model = await learn("STATICFILES_DIRS = ['/nonexistent/dir']\nINSTALLED_APPS = ['django.contrib.staticfiles']\n", {}, [
      fakeSitePackages('4, 2, 7'),
    ]);
    assert.equal(model.djangoVersion, '4.2.7');
    assert.deepEqual(model.checks, [
      {
        id: 'staticfiles.W004',
        level: 'warning',
        message: "The directory '/nonexistent/dir' in the STATICFILES_DIRS setting does not exist.",
      },
    ]);
  });

  it('adds the script prefix to a relative STATIC_URL from Django 3.1 on, not before', async () => {
    assert.equal((await learn("STATIC_URL = 'static/'\n", {}, [fakeSitePackages('3, 2, 25')])).staticUrl, '/static/');
    assert.equal((await learn("STATIC_URL = 'static/'\n", {}, [fakeSitePackages('3, 0, 14')])).staticUrl, 'static/');
    assert.equal((await learn("STATIC_URL = 'https://cdn.example.com/s/'\n")).staticUrl, 'https://cdn.example.com/s/');
  });

  it('records a custom finder as a custom entry plus a Problem', async () => {
    const model = await learn(
      "STATICFILES_FINDERS = ['django.contrib.staticfiles.finders.FileSystemFinder', 'compressor.finders.CompressorFinder']\n",
    );
    assert.deepEqual(model.finders[1], {
      kind: 'custom',
      className: 'compressor.finders.CompressorFinder',
      files: [],
      error: 'static mode cannot list custom finders; run in Django mode',
    });
    assert.ok(model.problems.some((p) => p.kind === 'custom-finder' && p.message.includes('compressor.finders.CompressorFinder')));
  });

  it('recognises manifest storages and picks STORAGES or STATICFILES_STORAGE by Django version', async () => {
    const whitenoise = await learn("STATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'\n");
    assert.equal(whitenoise.manifestStorage, true);
    const cached = await learn("STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.CachedStaticFilesStorage'\n");
    assert.equal(cached.manifestStorage, true);
    const both = `STATICFILES_STORAGE = 'legacy.Storage'
STORAGES = {'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}
`;
    const modern = await learn(both, {}, [fakeSitePackages('4, 2, 0')]);
    assert.equal(modern.storage, 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage');
    assert.equal(modern.manifestStorage, true);
    const old = await learn(both, {}, [fakeSitePackages('3, 2, 25')]);
    assert.equal(old.storage, 'legacy.Storage');
    assert.equal(old.manifestStorage, false);
  });

  it('locates apps in the project and in site-packages, keeping unlocated ones with a reason', async () => {
    const site = fakeSitePackages('3, 2, 25');
    const model = await learn(
      "INSTALLED_APPS = ['django.contrib.staticfiles', 'thirdparty', 'local', 'local_module', 'ghost', 'local.apps.Renamed']\n",
      {
        'local/__init__.py': '',
        'local/apps.py':
          "from django.apps import AppConfig\nimport os\nclass Renamed(AppConfig):\n    name = 'local'\n    label = 'renamed'\n    path = os.path.join(os.path.dirname(__file__), 'elsewhere')\n",
        'local/elsewhere/static/x.css': '',
        'local_module.py': '',
      },
      [site],
    );
    const byName = apps(model);
    assert.deepEqual(
      byName.map((a) => [a.name, a.label]),
      [
        ['django.contrib.staticfiles', 'staticfiles'],
        ['thirdparty', 'thirdparty'],
        ['local', 'renamed'],
        ['local_module', 'local_module'],
        ['ghost', 'ghost'],
        ['local', 'renamed'],
      ],
    );
    assert.equal(byName[0].path, path.join(site, 'django/contrib/staticfiles'));
    assert.equal(byName[0].staticDir, null, 'no static/ folder, so Django skips the app');
    assert.equal(byName[1].staticDir, path.join(site, 'thirdparty/static'));
    assert.equal(byName[1].templatesDir, path.join(site, 'thirdparty/templates'));
    assert.equal(byName[2].path, path.join(model.projectDir, 'local/elsewhere'), 'the single AppConfig in apps.py is used, with its path');
    assert.equal(byName[2].staticDir, path.join(model.projectDir, 'local/elsewhere/static'));
    assert.equal(byName[3].path, model.projectDir, 'a single-module app lives in its folder');
    assert.equal(byName[4].path, null);
    assert.match(byName[4].notLocatedReason ?? '', /no module or AppConfig class named 'ghost'/);
    assert.ok(model.problems.some((p) => p.kind === 'app-not-located' && p.message.includes("'ghost'")));
    assert.ok(
      model.problems.some((p) => p.kind === 'apps-not-unique'),
      'Django refuses duplicate labels',
    );
    assert.equal(model.staticfilesInstalled, true);
  });

  it('reads ignore_patterns from a StaticFilesConfig subclass', async () => {
    const model = await learn(
      "INSTALLED_APPS = ['proj.apps.Statics']\n",
      {
        'proj/apps.py':
          "from django.contrib.staticfiles.apps import StaticFilesConfig\nclass Statics(StaticFilesConfig):\n    ignore_patterns = StaticFilesConfig.ignore_patterns + ['*.scss']\n",
      },
      [fakeSitePackages('3, 2, 25')],
    );
    assert.deepEqual(model.ignorePatterns, ['CVS', '.*', '*~', '*.scss']);
    assert.equal(model.staticfilesInstalled, true);
  });

  it('reads TEMPLATES: backend, absolute DIRS, APP_DIRS, OPTIONS.builtins, Jinja2', async () => {
    const model = await learn(`from pathlib import Path
BASE_DIR = Path('/srv/app')
TEMPLATES = [
    {'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates', 'rel'], 'APP_DIRS': True,
     'OPTIONS': {'builtins': ['django.templatetags.static']}},
    {'BACKEND': 'django.template.backends.jinja2.Jinja2', 'DIRS': []},
]
`);
    assert.deepEqual(model.templates, [
      {
        backend: 'django.template.backends.django.DjangoTemplates',
        jinja: false,
        dirs: ['/srv/app/templates', path.join(model.projectDir, 'rel')],
        appDirs: true,
        builtins: ['django.templatetags.static'],
        name: 'django',
        searchDirs: ['/srv/app/templates', path.join(model.projectDir, 'rel')],
        loaders: ['cached.Loader(filesystem.Loader, app_directories.Loader)'],
      },
      {
        backend: 'django.template.backends.jinja2.Jinja2',
        jinja: true,
        dirs: [],
        appDirs: false,
        builtins: [],
        name: 'jinja2',
        searchDirs: [],
        loaders: ['jinja2.FileSystemLoader'],
      },
    ]);
  });

  it('names the setting, file, line and reason of what it cannot read', async () => {
    const model = await learn("def get_dirs():\n    print('x')\n    return []\n\nSTATICFILES_DIRS = get_dirs()\nDEBUG = is_debug()\n");
    const dirs = model.problems.find((p) => p.message.startsWith('STATICFILES_DIRS'));
    assert.deepEqual(dirs, {
      kind: 'setting-unreadable',
      message: 'STATICFILES_DIRS in proj/settings.py line 5 could not be read: calls get_dirs(), which static mode does not execute',
      file: path.join(model.projectDir, 'proj/settings.py'),
      line: 4,
    });
    assert.deepEqual(filesystem(model).dirs, []);
    assert.equal(model.debug, null, 'unknown, not a guess');
  });

  it('takes a call handed the module itself (a settings class exported to it) as setting anything, not nothing', async () => {
    // Modelled on settings kept as class attributes and exported into the module by a class method.
    const settings = [
      'from proj.loader import Settings',
      'class Base(Settings):',
      "    STATIC_URL = '/static/'",
      "    INSTALLED_APPS = ['django.contrib.staticfiles']",
      'Base.load_settings(__name__)',
      'globals().update({})',
      'print(__name__)',
      'import logging',
      'logger = logging.getLogger(__name__)',
      'import dynaconf',
      'settings = dynaconf.DjangoDynaconf(__name__)',
    ].join('\n');
    const model = await learn(settings, { 'proj/loader.py': 'class Settings:\n    pass\n' });
    const writers = model.problems.filter((p) => p.kind === 'settings-import-unread');
    assert.deepEqual(
      writers.map((p) => [p.line, p.message]),
      [
        [
          4,
          "proj/settings.py line 5 calls Base.load_settings() with this module's namespace, which static mode does not run; settings it sets are unknown",
        ],
        [
          5,
          "proj/settings.py line 6 calls globals().update() with this module's namespace, which static mode does not run; settings it sets are unknown",
        ],
        [
          10,
          "proj/settings.py line 11 calls dynaconf.DjangoDynaconf() with this module's namespace, which static mode does not run; settings it sets are unknown",
        ],
      ],
    );
    assert.equal(model.staticUrl, null);
    assert.ok(settingUnread(model, 'STATIC_URL'), 'unset here means unknown');

    // django-configurations: the settings are the attributes of the class DJANGO_CONFIGURATION names.
    const configured = await learn(
      [
        'from configurations import Configuration, values',
        'class Base(Configuration):',
        "    STATIC_URL = '/static/'",
        'class Dev(Base):',
        '    DEBUG = values.BooleanValue(True)',
      ].join('\n'),
    );
    assert.deepEqual(
      configured.problems.filter((p) => p.kind === 'settings-import-unread').map((p) => p.message),
      [
        'proj/settings.py line 2 defines Base, a django-configurations class: static mode does not read settings held in classes, so they are unknown (Django mode reads them)',
      ],
    );
    assert.ok(settingUnread(configured, 'INSTALLED_APPS'));
  });
  it('says which values came from environment defaults', async () => {
    const model = await learn(
      "import os\nSTATIC_ROOT = os.environ.get('STATIC_ROOT', '/srv/static')\nSTATIC_URL = os.getenv('STATIC_URL', '/s/')\n",
    );
    assert.equal(model.staticRoot, '/srv/static');
    assert.equal(model.staticUrl, '/s/');
    const notes = model.problems.filter((p) => p.kind === 'setting-from-environment').map((p) => p.message);
    assert.deepEqual(notes, [
      "STATIC_ROOT in proj/settings.py line 2 depends on environment variable STATIC_ROOT; static mode used the default written in settings ('/srv/static')",
      "STATIC_URL in proj/settings.py line 3 depends on environment variable STATIC_URL; static mode used the default written in settings ('/s/')",
    ]);
  });

  it('reports the unreadable entries of INSTALLED_APPS and keeps the others', async () => {
    const model = await learn("INSTALLED_APPS = ['django.contrib.staticfiles'] + env.list('EXTRA_APPS')\n");
    assert.deepEqual(
      apps(model).map((a) => a.name),
      ['django.contrib.staticfiles'],
    );
    assert.ok(
      model.problems.some(
        (p) => p.message === 'INSTALLED_APPS (some entries) in proj/settings.py line 1 could not be read: uses env, which is not defined',
      ),
    );
  });
});
