import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exactOrSeries, findDjangoPin, pinIn } from '../../server/src/engine/staticMode/djangoPins';
import { learnStatic } from '../../server/src/engine/staticMode';
import { makeProject, removeTree, writeTree } from './djangoFixtures';

describe('static mode: the Django version from dependency pins', () => {
  const made: string[] = [];
  after(() => made.forEach(removeTree));

  it('reads specifiers that name one version or one series, and nothing looser', () => {
    assert.equal(exactOrSeries('==4.2.11'), '4.2.11');
    assert.equal(exactOrSeries('===5.2'), '5.2');
    assert.equal(exactOrSeries('==4.2.*'), '4.2');
    assert.equal(exactOrSeries('~=4.2.0'), '4.2');
    assert.equal(exactOrSeries('~=4.2'), '4.2', 'any 4.x: the newest 4.x series');
    assert.equal(exactOrSeries('>=4.2,<5.0'), '4.2');
    assert.equal(exactOrSeries('>=3.2, <4'), '3.2');
    assert.equal(exactOrSeries('<5.3,>=5.1'), '5.2');
    assert.equal(exactOrSeries('^4.2'), '4.2');
    assert.equal(exactOrSeries('^5.0'), '5.2');
    assert.equal(exactOrSeries('>=4.2'), null);
    assert.equal(exactOrSeries('!=4.0'), null);
  });

  it('finds the pin in each file format real projects use', () => {
    assert.deepEqual(pinIn('requirements.txt', '# web\nDjango==4.2.11 ; python_version >= "3.8"\npsycopg2\n'), {
      version: '4.2.11',
      line: 1,
    });
    assert.deepEqual(pinIn('requirements.txt', 'django-environ==0.11\ndjango[argon2]>=5.1,<5.2\n'), { version: '5.1', line: 1 });
    assert.equal(pinIn('requirements.txt', 'django-debug-toolbar==4.3\ndjangorestframework==3.15\n'), null);
    assert.deepEqual(pinIn('pyproject.toml', '[project]\ndependencies = [\n  "Django>=4.2,<5.0",\n  "whitenoise",\n]\n'), {
      version: '4.2',
      line: 2,
    });
    assert.deepEqual(pinIn('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^5.0"\n'), {
      version: '5.2',
      line: 2,
    });
    assert.deepEqual(pinIn('pyproject.toml', '[tool.poetry.dependencies]\nDjango = { version = "~4.2.7", extras = ["bcrypt"] }\n'), {
      version: '4.2',
      line: 1,
    });
    assert.deepEqual(pinIn('Pipfile', '[packages]\ndjango = "==3.2.25"\n'), { version: '3.2.25', line: 1 });
    assert.deepEqual(
      pinIn('poetry.lock', '[[package]]\nname = "asgiref"\nversion = "3.8.1"\n\n[[package]]\nname = "django"\nversion = "5.0.6"\n'),
      { version: '5.0.6', line: 6 },
    );
    assert.deepEqual(pinIn('uv.lock', '[[package]]\nname = "django"\nversion = "5.2.1"\nsource = { registry = "x" }\n'), {
      version: '5.2.1',
      line: 2,
    });
    assert.deepEqual(pinIn('Pipfile.lock', JSON.stringify({ default: { Django: { version: '==4.1.13' } } }, null, 2)), {
      version: '4.1.13',
      line: 2,
    });
  });

  it('prefers a lock file, then base/production requirement files, looking up to the repository root', () => {
    const root = fs.mkdtempSync('/tmp/djstatic-pins-');
    made.push(root);
    writeTree(root, {
      '.git/HEAD': '',
      'requirements/dev.txt': 'Django==5.0\n',
      'requirements/base.txt': 'Django==4.2.3\n',
      'src/manage.py': '',
    });
    assert.equal(findDjangoPin(path.join(root, 'src'))?.version, '4.2.3');
    writeTree(root, { 'poetry.lock': '[[package]]\nname = "Django"\nversion = "4.2.9"\n' });
    const pin = findDjangoPin(path.join(root, 'src'))!;
    assert.equal(pin.version, '4.2.9');
    assert.equal(pin.file, path.join(root, 'poetry.lock'));
  });

  it('uses the pin when no django package is located, and says where it came from', async () => {
    const dir = makeProject("INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATICFILES_STORAGE = 'x.Storage'\n", {
      'requirements.txt': 'Django~=5.1.0\n',
    });
    made.push(dir);
    const model = await learnStatic({
      projectDir: dir,
      managePy: path.join(dir, 'manage.py'),
      settingsModule: 'proj.settings',
      python: null,
      sitePackages: [],
      modeReason: 'test',
    });
    assert.equal(model.djangoVersion, '5.1');
    // 5.1 no longer reads STATICFILES_STORAGE.
    assert.equal(model.storage, 'django.contrib.staticfiles.storage.StaticFilesStorage');
    const note = model.problems.find((p) => p.kind === 'django-version-from-pins')!;
    assert.equal(note.message, 'The django package was not located, so its version is taken from requirements.txt line 1: Django 5.1.');
    assert.equal(note.file, path.join(dir, 'requirements.txt'));
  });

  it("prefers the pin over the system's own Django, which is not the project's", async function () {
    if (!fs.existsSync('/usr/lib/python3/dist-packages/django/__init__.py')) this.skip();
    const dir = makeProject("INSTALLED_APPS = ['django.contrib.staticfiles']\n", { 'requirements.txt': 'Django==5.2.4\n' });
    made.push(dir);
    const model = await learnStatic({
      projectDir: dir,
      managePy: path.join(dir, 'manage.py'),
      settingsModule: 'proj.settings',
      python: null,
      sitePackages: ['/usr/lib/python3/dist-packages'],
      modeReason: 'test',
    });
    assert.equal(model.djangoVersion, '5.2.4');
    assert.match(
      model.problems.find((p) => p.kind === 'django-version-from-pins')!.message,
      /the only django package found is the system's 3\.2\.\d+/,
    );
  });
});
