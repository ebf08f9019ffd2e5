/**
 * Static mode's evaluator: every settings form it promises to read, checked on small settings files written
 * to a temp folder and run through the interpreter (nothing is executed by Python).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Interpreter } from '../../server/src/engine/staticMode/interpreter';
import { ModuleResolver } from '../../server/src/engine/staticMode/settingsFiles';
import { WATCHED_SETTINGS } from '../../server/src/engine/staticMode/toModel';
import { PyValue } from '../../server/src/engine/staticMode/values';
import { Problem } from '../../server/src/engine/model';
import { makeTree, removeTree } from './djangoFixtures';

/** A value as plain data: str → string, Path → {path}, tuple → {tuple}, unknown → {unknown: reason}. */
function plain(value: PyValue): unknown {
  switch (value.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'path':
      return { path: value.value };
    case 'list':
      return value.items.map(plain);
    case 'tuple':
      return { tuple: value.items.map(plain) };
    case 'dict':
      return Object.fromEntries([...value.entries.values()].map((e) => [String(plain(e.key)), plain(e.value)]));
    case 'unknown':
      return { unknown: value.reason, ...(value.spread ? { spread: true } : {}) };
    default:
      return { [value.kind]: true };
  }
}

interface Run {
  root: string;
  get(name: string): unknown;
  env(name: string): string[];
  problems: Problem[];
}

const roots: string[] = [];

/** A site-packages folder with nothing installed: modules found nowhere are then missing. */
function emptySitePackages(): string {
  const site = makeTree({ README: '' }, 'djstatic-site-');
  roots.push(site);
  return site;
}

/** Writes `proj/settings.py` (plus extra files) and runs the settings module. */
function run(settings: string, extra: Record<string, string> = {}, moduleName = 'proj.settings', sitePackages: string[] = []): Run {
  const root = makeTree(
    { 'proj/__init__.py': '', ...(settings !== '' || !extra['proj/settings.py'] ? { 'proj/settings.py': settings } : {}), ...extra },
    'djstatic-eval-',
  );
  roots.push(root);
  const interpreter = new Interpreter({
    cwd: root,
    resolver: new ModuleResolver([root], sitePackages),
    watchedNames: WATCHED_SETTINGS,
    sitePackagesKnown: sitePackages.length > 0,
  });
  const state = interpreter.importSettings(moduleName);
  assert.ok(state, `module ${moduleName} not found`);
  return {
    root: fs.realpathSync(root),
    get: (name) => {
      const binding = state.namespace.get(name);
      return binding ? plain(binding.value) : undefined;
    },
    env: (name) => [...(state.namespace.get(name)?.env ?? [])],
    problems: interpreter.problems,
  };
}

describe('static mode evaluator', () => {
  after(() => roots.forEach(removeTree));

  describe('paths', () => {
    it("reads startproject's Path(__file__).resolve().parent.parent", () => {
      const r = run('from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n');
      assert.deepEqual(r.get('BASE_DIR'), { path: r.root });
    });

    it('reads os.path.dirname(os.path.dirname(os.path.abspath(__file__))) chains', () => {
      const r = run(
        'import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nUP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n',
      );
      const root = path.dirname(fs.realpathSync(path.join(r.root, 'proj')));
      assert.equal(r.get('BASE_DIR'), root.replace(fs.realpathSync(r.root), r.root));
      assert.equal(r.get('UP'), path.dirname(r.get('BASE_DIR') as string));
    });

    it('joins with /, os.path.join, str(), Path(...) and joinpath like Python prints them', () => {
      const r = run(`import os
from pathlib import Path
B = Path('/srv/app/')
A = B / "static"
J = os.path.join(B, 'static', 'css/')
S = str(B / 'x')
P = Path('/x//y/./z/')
R = Path('rel') / '/abs' / 'k'
Q = Path('/srv', 'a', 'b')
JP = B.joinpath('a', 'b')
RS = 'pre' / Path('p')
N = os.path.normpath('/a/b/../c/./d')
BN = os.path.basename('/a/b.css')
PARENTS = Path('/a/b/c').parents[1]
NAME = Path('/a/b/c.tar.gz').name
`);
      assert.deepEqual(r.get('A'), { path: '/srv/app/static' });
      assert.equal(r.get('J'), '/srv/app/static/css/');
      assert.equal(r.get('S'), '/srv/app/x');
      assert.deepEqual(r.get('P'), { path: '/x/y/z' });
      assert.deepEqual(r.get('R'), { path: '/abs/k' });
      assert.deepEqual(r.get('Q'), { path: '/srv/a/b' });
      assert.deepEqual(r.get('JP'), { path: '/srv/app/a/b' });
      assert.deepEqual(r.get('RS'), { path: 'pre/p' });
      assert.equal(r.get('N'), '/a/c/d');
      assert.equal(r.get('BN'), 'b.css');
      assert.deepEqual(r.get('PARENTS'), { path: '/a' });
      assert.equal(r.get('NAME'), 'c.tar.gz');
    });

    it('resolves relative paths against the project folder (where Django runs)', () => {
      const r = run("import os\nfrom pathlib import Path\nA = os.path.abspath('static')\nB = Path('assets').resolve()\nC = os.getcwd()\n");
      assert.equal(r.get('A'), path.join(r.root, 'static').replace(r.root, r.root));
      assert.deepEqual(r.get('B'), { path: path.join(r.root, 'assets') });
    });
  });

  describe('strings', () => {
    it('concatenates, formats and decodes literals', () => {
      const r = run(`import os
BASE = '/srv'
A = BASE + '/static/'
B = 'a' 'b' "c"
C = f"{BASE}/x/{1 + 1}"
D = f'{BASE!r}'
E = '%s/static' % BASE
F = '{}/{name}'.format(BASE, name='n')
G = r'C:\\raw\\n'
H = 'tab\\tnew\\n'
I = f"{{literal}}"
K = """triple"""
L = ('multi'
     'line')
M = 'A-B'.lower().replace('-', '_')
N = '/x/'.rstrip('/')
`);
      assert.equal(r.get('A'), '/srv/static/');
      assert.equal(r.get('B'), 'abc');
      assert.equal(r.get('C'), '/srv/x/2');
      assert.equal(r.get('D'), "'/srv'");
      assert.equal(r.get('E'), '/srv/static');
      assert.equal(r.get('F'), '/srv/n');
      assert.equal(r.get('G'), 'C:\\raw\\n');
      assert.equal(r.get('H'), 'tab\tnew\n');
      assert.equal(r.get('I'), '{literal}');
      assert.equal(r.get('K'), 'triple');
      assert.equal(r.get('L'), 'multiline');
      assert.equal(r.get('M'), 'a_b');
      assert.equal(r.get('N'), '/x');
    });

    it('reports an f-string format spec as unreadable rather than guessing', () => {
      const r = run("X = 3\nA = f'{X:>4}'\n");
      assert.match((r.get('A') as { unknown: string }).unknown, /format spec/);
    });
  });

  describe('lists and tuples', () => {
    it('reads lists, tuples, (prefix, path) entries, trailing-comma tuples and * unpacking', () => {
      const r = run(`from pathlib import Path
D = [Path('/a'), ('pre', Path('/b')), '/c']
T = ('/only',)
U = '/x',
V = ('/not-a-tuple')
W = [*D[:1], 'extra']
`);
      assert.deepEqual(r.get('D'), [{ path: '/a' }, { tuple: ['pre', { path: '/b' }] }, '/c']);
      assert.deepEqual(r.get('T'), { tuple: ['/only'] });
      assert.deepEqual(r.get('U'), { tuple: ['/x'] });
      assert.equal(r.get('V'), '/not-a-tuple');
      assert.deepEqual(r.get('W'), [{ path: '/a' }, 'extra']);
    });

    it('applies +=, .append, .extend, .insert, .remove and + [...] in order, in place like Python', () => {
      const r = run(`A = ['a']
A += ['b']
A.append('c')
A.extend(('d', 'e'))
A.insert(0, 'first')
A.insert(-1, 'before-last')
A.remove('b')
B = A + ['new-list']
ALIAS = A
ALIAS += ['shared']
T = ('x',)
T += ('y',)
`);
      assert.deepEqual(r.get('A'), ['first', 'a', 'c', 'd', 'before-last', 'e', 'shared']);
      assert.deepEqual(r.get('B'), ['first', 'a', 'c', 'd', 'before-last', 'e', 'new-list']);
      assert.deepEqual(r.get('T'), { tuple: ['x', 'y'] });
    });

    it('keeps the known items when part of a list cannot be read', () => {
      const r = run("A = ['a'] + extra_apps()\nA += more()\nA.append('z')\n");
      const items = r.get('A') as unknown[];
      assert.equal(items[0], 'a');
      assert.deepEqual(items[1], { unknown: 'uses extra_apps, which is not defined', spread: true });
      assert.equal(items[3], 'z');
    });

    it('says a Python built-in it does not evaluate is unevaluated, not undefined', () => {
      const r = run("import types\nLOCAL = types.SimpleNamespace()\nDEBUG = getattr(LOCAL, 'DEBUG', False)\n");
      assert.deepEqual(r.get('DEBUG'), { unknown: 'uses getattr(), a Python built-in static mode does not evaluate' });
    });

    it('evaluates list comprehensions and for loops over known sequences', () => {
      const r = run(`from pathlib import Path
B = Path('/b')
C = [B / d for d in ('x', 'y', '') if d]
L = []
for name in ['one', 'two']:
    if name == 'two':
        continue
    L.append((name, B / name))
for k, v in {'a': 1}.items():
    PAIR = (k, v)
`);
      assert.deepEqual(r.get('C'), [{ path: '/b/x' }, { path: '/b/y' }]);
      assert.deepEqual(r.get('L'), [{ tuple: ['one', { path: '/b/one' }] }]);
      assert.deepEqual(r.get('PAIR'), { tuple: ['a', 1] });
    });
  });

  describe('dicts', () => {
    it('reads nested dicts, subscript assignment, update, ** and .get', () => {
      const r = run(`BASE = {'default': {'BACKEND': 'x'}}
STORAGES = {**BASE, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}
STORAGES['staticfiles']['BACKEND'] = 'whitenoise.storage.CompressedManifestStaticFilesStorage'
T = [{'OPTIONS': {}}]
T[0]['OPTIONS']['builtins'] = ['a']
T[0]['OPTIONS']['builtins'] += ['b']
D = dict(a=1)
D.update({'b': 2})
G = D.get('c', 'fallback')
`);
      assert.deepEqual(r.get('STORAGES'), {
        default: { BACKEND: 'x' },
        staticfiles: { BACKEND: 'whitenoise.storage.CompressedManifestStaticFilesStorage' },
      });
      assert.deepEqual(r.get('T'), [{ OPTIONS: { builtins: ['a', 'b'] } }]);
      assert.deepEqual(r.get('D'), { a: 1, b: 2 });
      assert.equal(r.get('G'), 'fallback');
    });
  });

  describe('imports', () => {
    it('runs `from .base import *` first, then continues (relative, absolute and aliased forms)', () => {
      const r = run(
        '',
        {
          'proj/settings/__init__.py': "from .base import *\nfrom proj.settings.extra import EXTRA as RENAMED\nA += ['init']\n",
          'proj/settings/base.py':
            "from pathlib import Path\nA = ['base']\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\n_PRIVATE = 1\n",
          'proj/settings/extra.py': "from .base import *\nEXTRA = BASE_DIR / 'extra'\n",
        },
        'proj.settings',
      );
      assert.deepEqual(r.get('A'), ['base', 'init']);
      assert.deepEqual(r.get('RENAMED'), { path: path.join(r.root, 'extra') });
      assert.equal(r.get('_PRIVATE'), undefined, 'star imports skip private names');
    });

    it('knows import os, import os.path, from os.path import join and from pathlib import Path', () => {
      const r = run(`import os.path
from os.path import join, dirname as dn
from os import path as p, environ
import pathlib
A = os.path.join('/a', 'b')
B = join(dn('/x/y'), 'z')
C = p.join('/c', 'd')
D = pathlib.Path('/p') / 'q'
E = environ.get('HOME_X', '/home')
`);
      assert.equal(r.get('A'), '/a/b');
      assert.equal(r.get('B'), '/x/z');
      assert.equal(r.get('C'), '/c/d');
      assert.deepEqual(r.get('D'), { path: '/p/q' });
      assert.equal(r.get('E'), '/home');
    });

    it('takes the except branch when a project module is missing, the body when it exists', () => {
      const missing = run(
        "try:\n    from .local import *\nexcept ImportError:\n    A = 'fallback'\nelse:\n    B = 'else'\nfinally:\n    C = 'finally'\n",
      );
      assert.equal(missing.get('A'), 'fallback');
      assert.equal(missing.get('B'), undefined);
      assert.equal(missing.get('C'), 'finally');
      const present = run("try:\n    from .local import *\nexcept ImportError:\n    A = 'fallback'\n", {
        'proj/local.py': "A = 'local'\n",
      });
      assert.equal(present.get('A'), 'local');
    });

    it('reports a missing project import outside try and reads on', () => {
      const r = run("from .nothere import *\nA = 'after'\n");
      assert.equal(r.get('A'), 'after');
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0].message, /^proj\/settings\.py line 1 imports proj\.nothere, which does not exist/);
    });

    it('treats third-party imports as unknown values, not errors', () => {
      const r = run('import dj_database_url\nfrom somelib import helper\nA = helper("X")\nB = dj_database_url.parse("x")\n');
      assert.match((r.get('A') as { unknown: string }).unknown, /calls helper\(\), which static mode does not execute/);
      assert.match((r.get('B') as { unknown: string }).unknown, /calls dj_database_url.parse\(\)/);
      assert.deepEqual(r.problems, []);
    });
  });

  describe('environment', () => {
    it('answers os.environ.get / os.getenv / setdefault with their defaults and remembers the variables', () => {
      const r = run(`import os
A = os.environ.get('STATIC_ROOT', '/srv/static')
B = os.getenv('DEBUG', 'false') == 'true'
C = os.environ.get('NOT_SET')
D = os.environ.setdefault('X', 'v')
E = [A]
F = os.environ['SECRET']
G = os.getenv('URL', default='/static/')
`);
      assert.equal(r.get('A'), '/srv/static');
      assert.deepEqual(r.env('A'), ['STATIC_ROOT']);
      assert.equal(r.get('B'), false);
      assert.equal(r.get('C'), null);
      assert.equal(r.get('D'), 'v');
      assert.deepEqual(r.env('E'), ['STATIC_ROOT'], 'the variable follows the value');
      assert.match((r.get('F') as { unknown: string }).unknown, /environment variable SECRET without a default/);
      assert.equal(r.get('G'), '/static/');
    });
  });

  describe('environment libraries', () => {
    it('answers python-decouple config() with its default, cast like decouple casts it', () => {
      const r = run(`from decouple import config, Csv
DEBUG = config('DEBUG', default='True', cast=bool)
OFF = config('OFF', default=False, cast=bool)
PORT = config('PORT', default='8000', cast=int)
HOSTS = config('HOSTS', default='a.com, b.com', cast=Csv())
STATIC_ROOT = config('STATIC_ROOT', default='/srv/static')
SECRET = config('SECRET_KEY')
`);
      assert.equal(r.get('DEBUG'), true);
      assert.equal(r.get('OFF'), false);
      assert.equal(r.get('PORT'), 8000);
      assert.deepEqual(r.get('HOSTS'), ['a.com', 'b.com']);
      assert.equal(r.get('STATIC_ROOT'), '/srv/static');
      assert.deepEqual(r.env('STATIC_ROOT'), ['STATIC_ROOT']);
      assert.match((r.get('SECRET') as { unknown: string }).unknown, /SECRET_KEY through config\(\) without a default/);
    });

    it('answers django-environ with scheme and call defaults', () => {
      const r = run(`import environ
env = environ.Env(DEBUG=(bool, False), STATIC_URL=(str, '/static/'))
environ.Env.read_env('.env')
env.read_env()
DEBUG = env('DEBUG')
STATIC_URL = env('STATIC_URL')
STATIC_ROOT = env.str('STATIC_ROOT', default='/srv/static')
APPS = env.list('EXTRA_APPS', default=['x'])
SECRET = env('SECRET_KEY')
`);
      assert.equal(r.get('DEBUG'), false);
      assert.equal(r.get('STATIC_URL'), '/static/');
      assert.equal(r.get('STATIC_ROOT'), '/srv/static');
      assert.deepEqual(r.get('APPS'), ['x']);
      assert.deepEqual(r.env('DEBUG'), ['DEBUG']);
      assert.match((r.get('SECRET') as { unknown: string }).unknown, /SECRET_KEY through django-environ without a default/);
    });
  });

  describe('sys.path', () => {
    it('follows str entries added to sys.path and ignores Path entries, as Python does', () => {
      const r = run(
        "import sys, os\nfrom pathlib import Path\nsys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), 'apps'))\nsys.path.append(Path(__file__).parent.parent / 'other')\nfrom catalog.conf import A\ntry:\n    from hidden.conf import B\nexcept ImportError:\n    B = 'not found'\n",
        {
          'apps/catalog/__init__.py': '',
          'apps/catalog/conf.py': "A = 'from apps'\n",
          'other/hidden/__init__.py': '',
          'other/hidden/conf.py': "B = 'found'\n",
        },
        'proj.settings',
        [emptySitePackages()],
      );
      assert.equal(r.get('A'), 'from apps');
      assert.equal(r.get('B'), 'not found');
    });
  });

  describe('optional packages', () => {
    it('takes the except branch for a package missing from known site-packages, keeps the stdlib and .pth folders', () => {
      const site = emptySitePackages();
      const editable = makeTree({ 'editable_pkg/__init__.py': "VALUE = 'editable'\n" }, 'djstatic-editable-');
      roots.push(editable);
      fs.writeFileSync(path.join(site, 'editable.pth'), `${editable}\nimport sys; sys.exit(1)\n`);
      const { withPthFolders } = require('../../server/src/engine/staticMode/settingsFiles');
      const r = run(
        "INSTALLED_APPS = ['django.contrib.staticfiles']\ntry:\n    import debug_toolbar\n    INSTALLED_APPS += ['debug_toolbar']\nexcept ImportError:\n    pass\nimport logging, json\nfrom editable_pkg import VALUE\n",
        {},
        'proj.settings',
        withPthFolders([site]),
      );
      assert.deepEqual(r.get('INSTALLED_APPS'), ['django.contrib.staticfiles']);
      assert.deepEqual(r.get('logging'), { external: true });
      assert.deepEqual(r.problems, []);
    });
  });

  describe('conditions', () => {
    it('runs if/elif/else when the condition is a known constant', () => {
      const r = run(`DEBUG = False
if DEBUG:
    A = 'debug'
elif not DEBUG and 1 < 2 <= 2:
    A = 'elif'
else:
    A = 'else'
B = 'yes' if DEBUG is False else 'no'
C = not DEBUG and 'x'
`);
      assert.equal(r.get('A'), 'elif');
      assert.equal(r.get('B'), 'yes');
      assert.equal(r.get('C'), 'x', 'Python reads `not a and b` as `(not a) and b`');
    });

    it('skips a block whose condition cannot be known and reports the settings it holds', () => {
      const r = run("STATIC_URL = '/static/'\nif is_production():\n    STATIC_URL = 'https://cdn/'\n    OTHER = 1\nX = OTHER\n");
      assert.equal(r.get('STATIC_URL'), '/static/');
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].kind, 'setting-unreadable');
      assert.equal(
        r.problems[0].message,
        'STATIC_URL in proj/settings.py line 3 could not be read: it is inside `if is_production():`, whose condition static mode cannot evaluate; static mode kept its earlier value',
      );
      assert.equal(r.problems[0].line, 2);
      assert.match((r.get('X') as { unknown: string }).unknown, /only assigned in a block static mode skipped/);
    });

    it('notes settings in a branch that an environment default decided', () => {
      const r = run("import os\nif os.environ.get('CI'):\n    STATIC_ROOT = '/ci'\nelse:\n    STATIC_ROOT = '/dev'\n");
      assert.equal(r.get('STATIC_ROOT'), '/dev');
      assert.deepEqual(r.env('STATIC_ROOT'), ['CI']);
      assert.equal(r.problems[0].kind, 'setting-from-environment');
      assert.match(
        r.problems[0].message,
        /STATIC_ROOT in proj\/settings\.py line 3 is set in a branch that depends on environment variable CI/,
      );
    });
  });

  describe('what cannot be read', () => {
    it('never calls functions with loops, branches or side effects, and says which call it skipped', () => {
      const r = run(
        'def get_dirs():\n    dirs = []\n    for d in ROOTS:\n        dirs.append(d)\n    return dirs\nSTATICFILES_DIRS = get_dirs()\n',
      );
      assert.deepEqual(r.get('STATICFILES_DIRS'), { unknown: 'calls get_dirs(), which static mode does not execute' });
      const decorated = run('import functools\n@functools.lru_cache()\ndef base():\n    return "/srv"\nX = base()\n');
      assert.deepEqual(decorated.get('X'), { unknown: 'calls base(), which static mode does not execute' });
    });

    it('reads what real settings write: __future__, an absent local settings file, env defaults', () => {
      const site = fs.mkdtempSync(path.join(os.tmpdir(), 'djstatic-site-'));
      try {
        const r = run(
          `from __future__ import absolute_import
import os
try:
    from .local import *
except ImportError:
    LOCAL = False
STATIC_URL = os.environ.get('STATIC_URL', '/assets/')
ROOT = os.getenv('STATIC_ROOT', '/srv/static') if os.getenv('USE_ROOT', '1') == '1' else None
`,
          {},
          'proj.settings',
          [site],
        );
        assert.equal(r.get('LOCAL'), false);
        assert.equal(r.get('STATIC_URL'), '/assets/');
        assert.equal(r.get('ROOT'), '/srv/static');
        assert.deepEqual(
          r.problems.filter((p) => p.kind !== 'setting-from-environment'),
          [],
        );
      } finally {
        fs.rmSync(site, { recursive: true, force: true });
      }
    });

    it('evaluates lambdas and small def helpers that return path expressions', () => {
      const r = run(`import os
from pathlib import Path
BASE_DIR = '/srv/app'
location = lambda x: os.path.join(BASE_DIR, x)
PATH = lambda root, *a: os.path.join(root, *a)
def theme_dir(name, sub='static'):
    """Where a theme keeps its files."""
    base = Path(BASE_DIR) / 'themes'
    return base / name / sub
A = location('static')
B = PATH(BASE_DIR, 'a', 'b')
C = theme_dir('dark')
D = theme_dir('light', sub='img')
E = [location(d) for d in ['x', 'y']]
F = theme_dir()
`);
      assert.equal(r.get('A'), '/srv/app/static');
      assert.equal(r.get('B'), '/srv/app/a/b');
      assert.deepEqual(r.get('C'), { path: '/srv/app/themes/dark/static' });
      assert.deepEqual(r.get('D'), { path: '/srv/app/themes/light/img' });
      assert.deepEqual(r.get('E'), ['/srv/app/x', '/srv/app/y']);
      assert.match((r.get('F') as { unknown: string }).unknown, /missing argument 'name'/);
    });

    it('reads on after a syntax error and reports it once', () => {
      const r = run("A = 'before'\nB = (\nC = 'after'\nD = [1,,]\n");
      assert.equal(r.get('A'), 'before');
      const syntax = r.problems.filter((p) => p.kind === 'settings-syntax-error');
      assert.equal(syntax.length, 1);
      assert.match(syntax[0].message, /^proj\/settings\.py line \d+ has a syntax error/);
    });

    it('reports a reachable raise and reads on', () => {
      const r = run("from django.core.exceptions import ImproperlyConfigured\nraise ImproperlyConfigured('no')\nA = 1\n");
      assert.equal(r.get('A'), 1);
      assert.equal(r.problems[0].kind, 'settings-raises');
    });

    it('does not loop forever on while loops or huge ranges', () => {
      const r = run("STATIC_URL = '/s/'\nwhile True:\n    STATIC_URL = 'x'\n");
      assert.equal(r.get('STATIC_URL'), '/s/');
      assert.equal(r.problems[0].kind, 'setting-unreadable');
    });
  });
});
