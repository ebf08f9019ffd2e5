import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chmodSync, promises as fsp } from 'node:fs';
import { findProjects, settingsModuleFromSource } from '../../server/src/engine/discover';
import { learnProject } from '../../server/src/engine/learn';
import { checkSettings } from '../../server/src/engine/settingsChecks';
import { readSettingsSource } from '../../server/src/engine/staticMode/settingsSource';
import { staticFolders } from '../../server/src/engine/model';
import {
  findInterpreter,
  checkDjango,
  interpreterCandidates,
  sitePackagesOf,
  sitePackagesWithoutRunning,
} from '../../server/src/engine/interpreter';
import { DJANGO_PYTHON, MANAGE_PY, makeTree, removeTree } from './djangoFixtures';

const DEMO = path.resolve(__dirname, '../../../examples/demo');

describe('findProjects', () => {
  const cleanup: string[] = [];
  let savedEnv: string | undefined;
  beforeEach(() => {
    savedEnv = process.env.DJANGO_SETTINGS_MODULE;
    delete process.env.DJANGO_SETTINGS_MODULE;
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.DJANGO_SETTINGS_MODULE;
    else process.env.DJANGO_SETTINGS_MODULE = savedEnv;
    cleanup.splice(0).forEach(removeTree);
  });

  it('finds the demo project and reads its settings module from manage.py', async () => {
    const projects = await findProjects(DEMO);
    assert.deepEqual(projects, [{ projectDir: DEMO, managePy: path.join(DEMO, 'manage.py'), settingsModule: 'demo.settings' }]);
  });

  it('finds manage.py in nested folders, nearest first, and skips dependencies and virtual environments', async () => {
    const root = makeTree({
      'services/api/manage.py': MANAGE_PY,
      'a/b/c/d/site/manage.py': MANAGE_PY.replace('proj.settings', 'deep.settings'),
      'node_modules/pkg/manage.py': MANAGE_PY,
      '.git/manage.py': MANAGE_PY,
      '.venv/lib/python3.11/site-packages/x/manage.py': MANAGE_PY,
      'venv/manage.py': MANAGE_PY,
      'myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'myenv/lib/tool/manage.py': MANAGE_PY,
    });
    cleanup.push(root);
    const projects = await findProjects(root);
    assert.deepEqual(
      projects.map((p) => [path.relative(root, p.managePy!), p.settingsModule]),
      [
        ['services/api/manage.py', 'proj.settings'],
        ['a/b/c/d/site/manage.py', 'deep.settings'],
      ],
    );
    assert.equal(projects[0].projectDir, path.join(root, 'services/api'));
  });

  it("does not enter apps' static, template, locale and migration folders, nor the folders it is told to prune", async () => {
    const root = makeTree({
      'shop/__init__.py': '',
      'shop/static/shop/manage.py': MANAGE_PY,
      'shop/templates/manage.py': MANAGE_PY,
      'shop/migrations/manage.py': MANAGE_PY,
      'shop/tools/manage.py': MANAGE_PY.replace('proj.settings', 'tools.settings'),
      'static/site/manage.py': MANAGE_PY.replace('proj.settings', 'plain.settings'),
      'assets/vendor/manage.py': MANAGE_PY,
      'bower_components/pkg/manage.py': MANAGE_PY,
    });
    cleanup.push(root);
    const projects = await findProjects(root, undefined, { prune: [path.join(root, 'assets')] });
    // A folder named static outside a Python package is an ordinary folder: only an app's own is its data.
    assert.deepEqual(
      projects.map((p) => [path.relative(root, p.managePy!), p.settingsModule]),
      [
        ['shop/tools/manage.py', 'tools.settings'],
        ['static/site/manage.py', 'plain.settings'],
      ],
    );
  });

  it('reads as many folders to learn and discover a project with 4 static folders as one with 800', async () => {
    const folderReads = async (foldersPerSource: number): Promise<number[]> => {
      const files: Record<string, string> = {
        'manage.py': MANAGE_PY,
        'proj/__init__.py': '',
        'proj/settings.py':
          "INSTALLED_APPS = ['django.contrib.staticfiles', 'shop']\nSTATIC_URL = '/static/'\nSTATICFILES_DIRS = ['frontend/build']\n",
        'shop/__init__.py': '',
        'services/api/manage.py': MANAGE_PY,
      };
      for (let i = 0; i < foldersPerSource; i++) {
        files[`frontend/build/js/g${i}/a/b/f.js`] = '';
        files[`shop/static/shop/g${i}/a/f.css`] = '';
      }
      const root = makeTree(files);
      cleanup.push(root);
      const readdir = fsp.readdir;
      let reads = 0;
      fsp.readdir = ((...args: Parameters<typeof readdir>) => {
        reads++;
        return readdir(...args);
      }) as typeof readdir;
      try {
        const model = await learnProject(root, { mode: 'static', allowExecute: false });
        const learning = reads;
        const projects = await findProjects(root, undefined, { prune: staticFolders(model) });
        assert.deepEqual(
          projects.map((p) => path.relative(root, p.projectDir)),
          ['', 'services/api'],
        );
        return [learning, reads - learning];
      } finally {
        fsp.readdir = readdir;
      }
    };
    assert.deepEqual(await folderReads(400), await folderReads(2));
  });

  it('puts the root manage.py first', async () => {
    const root = makeTree({ 'manage.py': MANAGE_PY, 'sub/manage.py': MANAGE_PY.replace('proj.', 'sub.') });
    cleanup.push(root);
    const projects = await findProjects(root);
    assert.deepEqual(
      projects.map((p) => p.projectDir),
      [root, path.join(root, 'sub')],
    );
  });

  it('prefers the override, then DJANGO_SETTINGS_MODULE, then manage.py', async () => {
    const root = makeTree({ 'manage.py': MANAGE_PY });
    cleanup.push(root);
    assert.equal((await findProjects(root))[0].settingsModule, 'proj.settings');
    process.env.DJANGO_SETTINGS_MODULE = 'from_env.settings';
    assert.equal((await findProjects(root))[0].settingsModule, 'from_env.settings');
    assert.equal((await findProjects(root, 'cli.settings'))[0].settingsModule, 'cli.settings');
  });

  it('guesses <pkg>.settings when manage.py does not name one', async () => {
    const root = makeTree({ 'manage.py': 'import sys\n', 'site/__init__.py': '', 'site/settings.py': '' });
    cleanup.push(root);
    const [project] = await findProjects(root);
    assert.equal(project.settingsModule, 'site.settings');
    assert.deepEqual(project.settingsGuessed, ['site.settings']);
  });

  it("takes the project's .env when manage.py names no settings module, but manage.py's over it", async () => {
    const root = makeTree({ 'manage.py': 'import sys\n', '.env': 'DEBUG=1\nDJANGO_SETTINGS_MODULE="site.settings.dev"\n' });
    cleanup.push(root);
    const [project] = await findProjects(root);
    assert.equal(project.settingsModule, 'site.settings.dev');
    assert.equal(project.settingsGuessed, undefined);
    await fsp.writeFile(path.join(root, 'manage.py'), MANAGE_PY);
    assert.equal((await findProjects(root))[0].settingsModule, 'proj.settings');
  });

  it("guesses a module of a settings package whose __init__.py holds nothing, and says so in the model's problems", async () => {
    // Modelled on projects that set DJANGO_SETTINGS_MODULE in the shell or a container's environment only.
    const settings = ['from pathlib import Path', 'BASE_DIR = Path(__file__).resolve().parent.parent.parent', "SECRET_KEY = 'x'"];
    const root = makeTree({
      'manage.py': 'import sys\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
      'mysite/__init__.py': '',
      'mysite/settings/__init__.py': '# Settings: pick one with DJANGO_SETTINGS_MODULE.\n',
      'mysite/settings/base.py': [...settings, "INSTALLED_APPS = ['django.contrib.staticfiles']", "STATIC_URL = '/static/'"].join('\n'),
      'mysite/settings/development.py': "from .base import *\nINSTALLED_APPS += ['devapp']\n",
      'mysite/settings/production.py': "from .base import *\nSTATIC_ROOT = '/srv/static'\n",
      'devapp/__init__.py': '',
      'devapp/static/devapp/panel.css': '',
    });
    cleanup.push(root);
    const [project] = await findProjects(root);
    assert.equal(project.settingsModule, 'mysite.settings.development');
    assert.deepEqual(project.settingsGuessed, ['mysite.settings.base', 'mysite.settings.development', 'mysite.settings.production']);
    for (const mode of ['static', 'django'] as const) {
      const model = await learnProject(root, { mode, python: DJANGO_PYTHON });
      assert.equal(model.mode, mode, model.modeReason);
      assert.equal(model.settingsModule, 'mysite.settings.development');
      assert.ok(staticFolders(model).includes(path.join(root, 'devapp/static')), `${mode}: ${JSON.stringify(staticFolders(model))}`);
      const guessed = model.problems.find((p) => p.kind === 'settings-module-guessed');
      assert.match(
        guessed?.message ?? '',
        /^manage\.py does not set DJANGO_SETTINGS_MODULE.*: mysite\.settings\.development was guessed \(the others: mysite\.settings\.base, mysite\.settings\.production\)\. Set djangoStatic\.settingsModule/,
      );
      // Said with the project's problems: not a setting static mode failed to evaluate on manage.py's first line.
      const findings = checkSettings({ model, source: readSettingsSource(model), templatesUsingStatic: [] });
      assert.ok(!findings.some((f) => f.file === path.join(root, 'manage.py')), JSON.stringify(findings));
    }
    // A settings package whose __init__.py holds settings is the module itself.
    await fsp.writeFile(path.join(root, 'mysite/settings/__init__.py'), 'from .base import *\n');
    assert.equal((await findProjects(root))[0].settingsModule, 'mysite.settings');
    // Named, it is no guess.
    const named = await learnProject(root, { mode: 'static', settings: 'mysite.settings.production' });
    assert.ok(!named.problems.some((p) => p.kind === 'settings-module-guessed'));
  });

  it('uses the root as the project when there is no manage.py but a settings module is given', async () => {
    const root = makeTree({ 'conf/settings.py': '' });
    cleanup.push(root);
    assert.deepEqual(await findProjects(root), []);
    assert.deepEqual(await findProjects(root, 'conf.settings'), [{ projectDir: root, managePy: null, settingsModule: 'conf.settings' }]);
  });
});

describe('settingsModuleFromSource', () => {
  it('reads setdefault calls with either quote style and raw strings', () => {
    assert.equal(settingsModuleFromSource(`import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.settings")\n`), 'a.settings');
    assert.equal(
      settingsModuleFromSource(`import os\nos.environ.setdefault(\n  'DJANGO_SETTINGS_MODULE',\n  r'b.settings.dev',\n)\n`),
      'b.settings.dev',
    );
  });

  it('reads a settings module chosen by an environment variable, with its written default', () => {
    assert.equal(
      settingsModuleFromSource(
        `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', os.environ.get('APP_SETTINGS', 'site.settings.dev'))\n`,
      ),
      'site.settings.dev',
    );
    assert.equal(
      settingsModuleFromSource(
        `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.' + os.getenv('DJANGO_ENV', 'local'))\n`,
      ),
      'site.settings.local',
    );
    assert.equal(settingsModuleFromSource(`import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', os.getenv('APP_SETTINGS'))\n`), null);
  });

  it('reads a plain os.environ assignment', () => {
    assert.equal(settingsModuleFromSource(`import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'c.settings'\n`), 'c.settings');
  });

  it('ignores comments, strings, other keys and computed values', () => {
    const source = [
      'import os',
      "# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'commented.settings')",
      `DOC = "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'string.settings')"`,
      "os.environ.setdefault('OTHER', 'other.settings')",
      "os.environ.setdefault('DJANGO_SETTINGS_MODULE', f'{name}.settings')",
      "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'real.settings')",
    ].join('\n');
    assert.equal(settingsModuleFromSource(source), 'real.settings');
    assert.equal(settingsModuleFromSource('import os\n'), null);
    assert.equal(settingsModuleFromSource('def broken(:\n'), null);
  });
});

describe('interpreter discovery', () => {
  const cleanup: string[] = [];
  afterEach(() => cleanup.splice(0).forEach(removeTree));

  it('tries the explicit interpreter, then project venvs, then python3 and /usr/bin/python3', async () => {
    const root = makeTree({ '.venv/bin/python': '#!/bin/sh\nexit 1\n', 'venv/bin/python': '' });
    cleanup.push(root);
    const candidates = await interpreterCandidates(root, 'my/python');
    assert.deepEqual(candidates.slice(0, 3), [
      path.join(root, 'my/python'),
      path.join(root, '.venv/bin/python'),
      path.join(root, 'venv/bin/python'),
    ]);
    assert.deepEqual(candidates.slice(-2), ['python3', '/usr/bin/python3']);
  });

  it('finds a virtual environment at the repository root above a nested project, and looks no higher', async () => {
    const outer = makeTree({ '.venv/bin/python': '', 'repo/.git/HEAD': '', 'repo/.venv/bin/python': '', 'repo/src/site/manage.py': '' });
    cleanup.push(outer);
    const candidates = await interpreterCandidates(path.join(outer, 'repo/src/site'));
    assert.ok(candidates.includes(path.join(outer, 'repo/.venv/bin/python')));
    assert.ok(!candidates.includes(path.join(outer, '.venv/bin/python')));
  });

  it('never replaces an explicit interpreter that cannot be used', async () => {
    const root = makeTree({});
    cleanup.push(root);
    const choice = await findInterpreter(root, '/nonexistent/python');
    assert.equal(choice.python, null);
    assert.equal(choice.attempts.length, 1);
    assert.equal(choice.attempts[0].python, '/nonexistent/python');
    assert.match(choice.attempts[0].reason ?? '', /cannot run it/);
  });

  it('skips interpreters without Django and keeps the first that imports it', async () => {
    const root = makeTree({ '.venv/bin/python': '#!/bin/sh\nexit 1\n' });
    cleanup.push(root);
    chmodSync(path.join(root, '.venv/bin/python'), 0o755);
    const choice = await findInterpreter(root);
    assert.equal(choice.attempts[0].python, path.join(root, '.venv/bin/python'));
    assert.ok(choice.attempts[0].reason);
    assert.ok(choice.python, 'a Python with Django exists on this machine');
    assert.match(choice.djangoVersion ?? '', /^\d+\.\d+/);
    for (const failed of choice.attempts.slice(0, -1)) assert.ok(failed.reason);
  });

  it('recognises real Django at /usr/bin/python3 and caches the answer', async () => {
    const first = await checkDjango(DJANGO_PYTHON);
    assert.match(first.djangoVersion ?? '', /^3\.2\./);
    const started = Date.now();
    assert.deepEqual(await checkDjango(DJANGO_PYTHON), first);
    assert.ok(Date.now() - started < 20);
  });

  it('asks the interpreter for its site-packages, where Django lives', async () => {
    const folders = await sitePackagesOf(DJANGO_PYTHON);
    assert.ok(folders.includes('/usr/lib/python3/dist-packages'), folders.join(', '));
  });

  it('finds site-packages without running anything: project venv first', async () => {
    const root = makeTree({ '.venv/lib/python3.11/site-packages/pkg/__init__.py': '' });
    cleanup.push(root);
    const folders = await sitePackagesWithoutRunning(root);
    assert.equal(folders[0], path.join(root, '.venv/lib/python3.11/site-packages'));
    assert.ok(folders.includes('/usr/lib/python3/dist-packages'));
  });
});
