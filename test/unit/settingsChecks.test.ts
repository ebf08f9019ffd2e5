/**
 * Each settings check against real Django: a fixture whose real `manage.py check` (or collectstatic, findstatic,
 * the settings' deprecation warning, the storage Django builds) shows the problem on this version, and the
 * engine's finding on the line that wrote the value, in Django mode and in static mode alike. Where Django does
 * not have the problem on a version, neither does the engine.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { learnProject } from '../../server/src/engine/learn';
import { LearnMode } from '../../server/src/engine/model';
import { checkSettings, SettingsFinding } from '../../server/src/engine/settingsChecks';
import { readSettingsSource } from '../../server/src/engine/staticMode/settingsSource';
import { atLeast, describeEachDjango, DjangoVersion, newestDjango } from '../djangoVersions';
import { thirdPartySitePackages } from '../thirdParty';
import { DJANGO_PYTHON, MANAGE_PY, makeTree, removeTree } from './djangoFixtures';

const HEAD = `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'test'
DEBUG = False
ALLOWED_HOSTS = ['*']
DATABASES = {}
INSTALLED_APPS = [
    'django.contrib.staticfiles',
]
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]
STATIC_URL = '/static/'
`;

/** One check: the project's files, what real Django shows, and where the engine must say it (1-based lines). */
interface Case {
  name: string;
  /** `proj/settings.py` and friends; manage.py and proj/__init__.py are added. */
  files: (v: DjangoVersion) => Record<string, string>;
  /** The real command, and what its output shows on versions that have the problem. */
  django: string[];
  shows: RegExp;
  /** Versions with the problem (default: all). */
  applies?: (v: DjangoVersion) => boolean;
  expected: { code: string; file: string; line: number; djangoId?: string; text?: string };
  thirdParty?: string[];
}

const storageOf = (v: DjangoVersion, backend: string) =>
  atLeast(v.version, '4.2')
    ? `STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': '${backend}'}}\n`
    : `STATICFILES_STORAGE = '${backend}'\n`;

const PRINT_STORAGE = [
  'shell',
  '-c',
  'from django.contrib.staticfiles.storage import staticfiles_storage as s; s._setup(); print(type(s._wrapped).__name__)',
];

const CASES: Case[] = [
  {
    name: 'staticfiles.E001: STATICFILES_DIRS is a string',
    files: () => ({ 'proj/settings.py': `${HEAD}STATICFILES_DIRS = ('assets')\n` }),
    django: ['check'],
    shows: /staticfiles\.E001/,
    expected: { code: 'django-check', file: 'proj/settings.py', line: 12, djangoId: 'staticfiles.E001' },
  },
  {
    name: 'staticfiles.E002: STATIC_ROOT among STATICFILES_DIRS, appended in an importing file',
    files: () => ({
      'proj/base.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = []\n`,
      'proj/settings.py': `from .base import *\n\nSTATICFILES_DIRS.append(STATIC_ROOT)\n`,
      'collected/.keep': '',
    }),
    django: ['check'],
    shows: /staticfiles\.E002/,
    expected: { code: 'django-check', file: 'proj/settings.py', line: 3, djangoId: 'staticfiles.E002' },
  },
  {
    name: 'staticfiles.E003: a prefix ending in a slash, added with +=',
    files: () => ({
      'proj/base.py': `${HEAD}STATICFILES_DIRS = [BASE_DIR / 'assets']\n`,
      'proj/settings.py': `from .base import *\n\nSTATICFILES_DIRS += [\n    ('vendor/', BASE_DIR / 'vendor'),\n]\n`,
      'assets/.keep': '',
      'vendor/.keep': '',
    }),
    django: ['check'],
    shows: /staticfiles\.E003/,
    expected: { code: 'django-check', file: 'proj/settings.py', line: 4, djangoId: 'staticfiles.E003', text: "'vendor/'" },
  },
  {
    name: 'staticfiles.W004: a directory that does not exist (4.0+)',
    files: () => ({ 'proj/settings.py': `${HEAD}STATICFILES_DIRS = [\n    BASE_DIR / 'assets',\n]\n` }),
    django: ['check'],
    shows: /staticfiles\.W004/,
    applies: (v) => atLeast(v.version, '4.0'),
    expected: { code: 'django-check', file: 'proj/settings.py', line: 12, djangoId: 'staticfiles.W004' },
  },
  {
    name: "staticfiles.E005: STORAGES without 'staticfiles' (5.1+)",
    files: () => ({ 'proj/settings.py': `${HEAD}STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}}\n` }),
    django: ['check'],
    shows: /staticfiles\.E005/,
    applies: (v) => atLeast(v.version, '5.1'),
    expected: { code: 'django-check', file: 'proj/settings.py', line: 12, djangoId: 'staticfiles.E005' },
  },
  {
    name: 'urls.E006: STATIC_URL without its trailing slash',
    files: () => ({ 'proj/base.py': HEAD, 'proj/settings.py': `from .base import *\nSTATIC_URL = 'static'\n` }),
    django: ['check'],
    shows: /urls\.E006/,
    expected: { code: 'static-url-slash', file: 'proj/settings.py', line: 2, djangoId: 'urls.E006' },
  },
  {
    name: 'STATIC_URL equal to MEDIA_URL: collectstatic fails',
    files: () => ({ 'proj/settings.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nMEDIA_URL = '/static/'\n` }),
    django: ['collectstatic', '--noinput'],
    shows: /The MEDIA_URL and STATIC_URL settings must have different values/,
    expected: { code: 'static-media-url', file: 'proj/settings.py', line: 13 },
  },
  {
    name: 'MEDIA_ROOT equal to STATIC_ROOT: collectstatic fails',
    files: () => ({
      'proj/settings.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'public'\nMEDIA_URL = '/media/'\nMEDIA_ROOT = BASE_DIR / 'public'\n`,
    }),
    django: ['collectstatic', '--noinput'],
    shows: /The MEDIA_ROOT and STATIC_ROOT settings must have different values/,
    expected: { code: 'static-media-root', file: 'proj/settings.py', line: 14 },
  },
  {
    name: 'STATIC_ROOT unset with a manifest storage: collectstatic fails',
    files: (v) => ({ 'proj/settings.py': `${HEAD}${storageOf(v, 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage')}` }),
    django: ['collectstatic', '--noinput'],
    shows: /without having set the STATIC_ROOT setting to a filesystem path/,
    expected: { code: 'static-root-unset', file: 'proj/settings.py', line: 12 },
  },
  {
    name: 'django.contrib.staticfiles missing while templates use {% static %}: the URL renders, findstatic is unknown',
    files: () => ({
      'proj/settings.py': HEAD.replace("    'django.contrib.staticfiles',\n", ''),
      'templates/page.html': '{% load static %}<link href="{% static \'css/site.css\' %}">\n',
    }),
    django: [
      'shell',
      '-c',
      "from django.template.loader import render_to_string; print(render_to_string('page.html')); from django.core.management import call_command; call_command('findstatic', 'css/site.css')",
    ],
    shows: /<link href="\/static\/css\/site\.css">[\s\S]*Unknown command: 'findstatic'/,
    expected: { code: 'staticfiles-not-installed', file: 'proj/settings.py', line: 7 },
  },
  {
    name: "whitenoise.runserver_nostatic after staticfiles: staticfiles' runserver wins",
    files: () => ({
      'proj/base.py': HEAD,
      'proj/settings.py': `from .base import *\n\nINSTALLED_APPS += ['whitenoise.runserver_nostatic']\n`,
    }),
    django: ['shell', '-c', "from django.core.management import get_commands; print('runserver from', get_commands()['runserver'])"],
    shows: /runserver from django\.contrib\.staticfiles/,
    expected: { code: 'whitenoise-runserver-order', file: 'proj/settings.py', line: 3, text: "'whitenoise.runserver_nostatic'" },
    thirdParty: ['python3-whitenoise'],
  },
  {
    name: 'STATICFILES_STORAGE on 4.2: deprecated (the settings warn)',
    files: () => ({ 'proj/settings.py': `${HEAD}STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n` }),
    django: ['check'],
    shows: /The STATICFILES_STORAGE setting is deprecated/,
    applies: (v) => atLeast(v.version, '4.2') && !atLeast(v.version, '5.1'),
    expected: { code: 'staticfiles-storage-deprecated', file: 'proj/settings.py', line: 12 },
  },
  {
    name: 'STATICFILES_STORAGE on 5.1+: not read (the storage stays the default)',
    files: () => ({
      'proj/settings.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n`,
    }),
    django: PRINT_STORAGE,
    shows: /^StaticFilesStorage$/m,
    applies: (v) => atLeast(v.version, '5.1'),
    expected: { code: 'staticfiles-storage-unread', file: 'proj/settings.py', line: 13 },
  },
];

/** Real Django's combined output for `args` in `dir` (warnings shown, exit status ignored: failing is the point). */
function runDjango(v: DjangoVersion, dir: string, args: string[], pythonPath: string[]): string {
  const env = { ...v.env, PYTHONPATH: [...pythonPath, v.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
  const result = spawnSync(DJANGO_PYTHON, ['-W', 'always', 'manage.py', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return `${result.stdout}${result.stderr}`;
}

async function findings(v: DjangoVersion, dir: string, mode: LearnMode, pythonPath: string[]): Promise<SettingsFinding[]> {
  const PYTHONPATH = [...pythonPath, v.pythonpath].filter(Boolean).join(path.delimiter);
  const model = await learnProject(dir, { mode, python: DJANGO_PYTHON, ...(PYTHONPATH ? { env: { PYTHONPATH } } : {}) });
  assert.equal(model.mode, mode, `${mode} mode did not run: ${model.modeReason}`);
  // The CLI finds these by reading the project's templates; here the one template a case may have.
  const usingStatic = [path.join(dir, 'templates/page.html')].filter((t) => fs.existsSync(t));
  return checkSettings({ model, source: readSettingsSource(model), templatesUsingStatic: usingStatic });
}

describeEachDjango('engine/settingsChecks against real Django', (v) => {
  for (const c of CASES) {
    const applies = c.applies?.(v) ?? true;
    it(`${c.name}${applies ? '' : ' (not on this version)'}`, async function () {
      let extra: string[] = [];
      if (c.thirdParty) {
        const site = thirdPartySitePackages(c.thirdParty);
        if (!site) this.skip();
        extra = [site!];
      }
      const dir = makeTree({ 'manage.py': MANAGE_PY, 'proj/__init__.py': '', ...c.files(v) });
      try {
        const output = runDjango(v, dir, c.django, extra);
        if (applies) assert.match(output, c.shows, `real Django ${v.version} does not show the problem:\n${output}`);
        else assert.doesNotMatch(output, c.shows, `real Django ${v.version} shows the problem:\n${output}`);
        for (const mode of ['django', 'static'] as LearnMode[]) {
          const got = (await findings(v, dir, mode, extra)).filter((f) => f.code !== 'setting-not-evaluated');
          const ours = got.filter((f) => f.code === c.expected.code && (!c.expected.djangoId || f.djangoId === c.expected.djangoId));
          if (!applies) {
            assert.deepEqual(ours, [], `${mode} mode reports what Django ${v.version} does not`);
            continue;
          }
          assert.equal(ours.length, 1, `${mode} mode: expected one ${c.expected.code}, got ${JSON.stringify(got, null, 1)}`);
          const f = ours[0];
          assert.equal(path.relative(dir, f.file), c.expected.file, `${mode} mode: file`);
          assert.equal(f.line + 1, c.expected.line, `${mode} mode: line of ${f.message}`);
          if (c.expected.text) {
            const lines = fs.readFileSync(f.file, 'utf8').split('\n');
            assert.equal(lines[f.line].slice(f.startCharacter, f.endCharacter), c.expected.text, `${mode} mode: range`);
          }
          if (c.expected.djangoId) assert.match(f.message, new RegExp(`^${c.expected.djangoId.replace('.', '\\.')}: `));
        }
      } finally {
        removeTree(dir);
      }
    });
  }
});

const STORAGE_CLASSES = [
  'shell',
  '-c',
  "from django.core.files.storage import default_storage as d; from django.contrib.staticfiles.storage import staticfiles_storage as s; d._setup(); s._setup(); print('storages', type(d._wrapped).__name__, type(s._wrapped).__name__)",
];

/** The settings with the finding's fix applied, as the editor's quick fix writes them. */
function applyFix(f: SettingsFinding): void {
  const fix = f.fix!;
  const lines = fs.readFileSync(fix.file, 'utf8').split('\n');
  lines.splice(fix.startLine, fix.endLine - fix.startLine + 1, ...fix.newText.replace(/\n$/, '').split('\n'));
  fs.writeFileSync(fix.file, lines.join('\n'));
}

describeEachDjango('engine/settingsFixes: STATICFILES_STORAGE rewritten into STORAGES', (v) => {
  const variants: Array<{ name: string; files: Record<string, string>; storages: string; before: RegExp }> = [
    {
      name: 'a plain assignment, with DEFAULT_FILE_STORAGE unset',
      files: {
        'proj/settings.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_STORAGE = (\n    'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'  # hashed names\n)\nDEBUG = True\n`,
      },
      storages: 'storages FileSystemStorage ManifestStaticFilesStorage',
      before: atLeast(v.version, '5.1')
        ? /^storages FileSystemStorage StaticFilesStorage$/m
        : /The STATICFILES_STORAGE setting is deprecated/,
    },
    {
      name: 'a file over a base that sets STORAGES (4.2 refuses both)',
      files: {
        'proj/base.py': `${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nSTORAGES = {'default': {'BACKEND': 'django.core.files.storage.InMemoryStorage'}, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n`,
        'proj/settings.py': `from .base import *\nSTATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n`,
      },
      storages: 'storages InMemoryStorage ManifestStaticFilesStorage',
      before: atLeast(v.version, '5.1')
        ? /^storages InMemoryStorage StaticFilesStorage$/m
        : /STATICFILES_STORAGE\/STORAGES are mutually exclusive/,
    },
  ];
  if (!atLeast(v.version, '4.2')) return;
  for (const variant of variants) {
    it(`${variant.name}: the result loads without a warning and builds the storage the old setting named`, async () => {
      const dir = makeTree({ 'manage.py': MANAGE_PY, 'proj/__init__.py': '', ...variant.files });
      try {
        const before = await findings(v, dir, 'static', []);
        const finding = before.find((f) => f.code === 'staticfiles-storage-deprecated' || f.code === 'staticfiles-storage-unread');
        assert.ok(finding?.fix, JSON.stringify(before, null, 1));
        assert.match(runDjango(v, dir, STORAGE_CLASSES, []), variant.before, 'what real Django does before the fix');
        applyFix(finding);
        const output = runDjango(v, dir, STORAGE_CLASSES, []);
        assert.match(output, new RegExp(`^${variant.storages}$`, 'm'), output);
        assert.doesNotMatch(output, /STATICFILES_STORAGE|mutually exclusive|Error/, output);
        const after = await findings(v, dir, 'django', []);
        assert.deepEqual(
          after.filter((f) => f.code.startsWith('staticfiles-storage')),
          [],
        );
      } finally {
        removeTree(dir);
      }
    });
  }
});

describe('engine/settingsChecks: values from the environment', function () {
  this.timeout(60_000);
  it('in Django mode, a value read from an environment variable is what Django ran, not the default written in the file', async function () {
    const v = newestDjango();
    if (!v) this.skip();
    const dir = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/settings.py': `import os\n${HEAD}STATIC_ROOT = BASE_DIR / 'collected'\nMEDIA_URL = os.environ.get('MEDIA_URL', '/static/')\n`,
    });
    try {
      const env = { MEDIA_URL: '/media/', ...(v!.pythonpath ? { PYTHONPATH: v!.pythonpath } : {}) };
      const django = await learnProject(dir, { mode: 'django', python: DJANGO_PYTHON, env });
      assert.deepEqual(
        checkSettings({ model: django, source: readSettingsSource(django) }).map((f) => f.code),
        [],
      );
      // Static mode can only take the default, and says where it came from.
      const statics = await learnProject(dir, { mode: 'static', python: DJANGO_PYTHON, env });
      const codes = checkSettings({ model: statics, source: readSettingsSource(statics) }).map((f) => `${f.code}:${f.line + 1}`);
      assert.deepEqual(codes.sort(), ['setting-not-evaluated:14', 'static-media-url:14']);
    } finally {
      removeTree(dir);
    }
  });
});
