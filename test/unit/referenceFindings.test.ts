/**
 * `check --project`'s reference findings, through the real command line on a real project: a template and a
 * CSS file whose paths differ in case from the files on disk, and the project's static files nothing names,
 * with the template that builds paths from a variable named in each, a source map counted as its file's,
 * and a third-party app's files left out.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ensureBuilt, CLI } from '../lsp/lspClient';
import { DJANGO_PYTHON } from '../djangoVersions';
import { makeProject, makeTree, removeTree } from './djangoFixtures';

interface JsonFinding {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

describe('check --project: references by case, and files nothing names', function () {
  this.timeout(60000);
  let dir = '';
  let vendor = '';
  before(() => {
    ensureBuilt();
    vendor = makeTree({ 'vendorapp/__init__.py': '', 'vendorapp/static/vendorapp/unused.css': 'a{}' });
    dir = makeProject(
      `import sys\nsys.path.insert(0, ${JSON.stringify(vendor)})\n` +
        "INSTALLED_APPS = ['django.contrib.staticfiles', 'vendorapp']\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n" +
        "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]\n",
      {
        'assets/img/Logo.png': 'png',
        'assets/img/icon.svg': '<svg/>',
        'assets/img/unused.png': 'png',
        'assets/css/site.css': '.a {\n  background: url(../img/Icon.svg);\n}\n',
        'assets/js/app.js': 'export const x = 1;\n//# sourceMappingURL=app.js.map\n',
        'assets/js/app.js.map': '{}',
        'templates/page.html':
          '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n<img src="{% static \'img/logo.png\' %}">\n<script src="{% static \'js/app.js\' %}"></script>\n',
        'templates/dynamic.html': '{% load static %}\n<img src="{% static image_path %}">\n',
      },
    );
  });
  after(() => {
    removeTree(dir);
    removeTree(vendor);
  });

  it('reports each case mismatch on its line and each unnamed file of the project, naming the dynamic template', () => {
    const run = spawnSync(process.execPath, [CLI, 'check', '--project', '--format', 'json', '--python', DJANGO_PYTHON], {
      cwd: dir,
      encoding: 'utf8',
    });
    const out = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    const ours = out.findings.filter((f) => f.code === 'static-case-mismatch' || f.code === 'static-unreferenced');
    assert.deepStrictEqual(
      ours.map((f) => [f.code, f.file, f.line, f.severity]),
      [
        ['static-case-mismatch', path.join('assets', 'css', 'site.css'), 2, 'warning'],
        ['static-unreferenced', path.join('assets', 'img', 'unused.png'), 1, 'information'],
        ['static-case-mismatch', path.join('templates', 'page.html'), 3, 'warning'],
      ],
      run.stdout + run.stderr,
    );
    assert.match(ours[0].message, /'img\/Icon\.svg' differs only in case from 'img\/icon\.svg' on disk: it works on macOS and Windows/);
    assert.match(
      ours[1].message,
      /No template, CSS or JS reference names 'img\/unused\.png'\. 1 template builds static paths from variables \(templates\/dynamic\.html\)/,
    );
    assert.match(ours[2].message, /'img\/logo\.png' differs only in case from 'img\/Logo\.png'/);
  });
});
