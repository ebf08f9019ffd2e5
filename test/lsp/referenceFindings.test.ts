/**
 * The findings that need every reference (`static-case-mismatch`, `static-unreferenced`) in the report and the
 * summary, from what the workspace check recorded: the real server over stdio, a real Django 3.2 project, and
 * the same answer `django-static check --project` gives on it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { DjangoStaticSettings, ProjectSummary } from '../../server/src/protocol';
import { DJANGO_PYTHON, makeProject, removeTree } from '../unit/djangoFixtures';
import { CLI, ensureBuilt, LspClient } from './lspClient';

describe('language server: case mismatches and unreferenced files in the report', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  const configuration: Partial<DjangoStaticSettings> = { pythonPath: DJANGO_PYTHON, mode: 'django' };
  before(async function () {
    this.timeout(120000);
    ensureBuilt();
    root = makeProject(
      "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n" +
        "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]\n",
      {
        'templates/page.html':
          '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n<img src="{% static \'img/Logo.png\' %}">\n',
        // Named only from CSS: referenced, so not reported.
        'assets/css/site.css': '.a { background: url(../img/bg.png); }\n',
        'assets/img/bg.png': 'png',
        'assets/img/logo.png': 'png',
        'assets/img/orphan.png': 'png',
      },
    );
    client = await LspClient.start({ root, configuration });
  });
  after(async () => {
    await client?.stop();
    if (root) removeTree(root);
  });

  it('says pending until the workspace check has run, then lists what check --project lists', async () => {
    const first = await client.waitForProjects();
    const final = (list: ProjectSummary[]) => list[0]?.mode === 'django' && !list[0].refining;
    const announced = () => client.projectsChanged.filter(final).map((l) => l[0]);
    const done = await client.waitFor('the reference findings', () => announced().find((s) => s.referenceFindings), 30000);
    // Unknown is not missing: the first Django-mode summary comes before the templates are all read.
    const pending = announced()[0] ?? first[0];
    assert.equal(pending.referenceFindings, null);
    assert.match(pending.reportMarkdown, /`static-unreferenced`\): pending/);
    assert.deepEqual(done.referenceFindings, { caseMismatches: 1, unreferenced: 1 });
    const report = done.reportMarkdown;
    assert.match(report, /- `static-case-mismatch` `templates\/page\.html:3`: 'img\/Logo\.png' differs only in case from 'img\/logo\.png'/);
    assert.match(report, /- `static-unreferenced` `assets\/img\/orphan\.png`: No template, CSS or JS reference names 'img\/orphan\.png'/);
    assert.doesNotMatch(report, /bg\.png|`assets\/img\/logo\.png`|pending/);
    // The same findings as the CLI (one engine function, two readings of the project).
    const cli = spawnSync(process.execPath, [CLI, 'check', '--project', '--root', root, '--python', DJANGO_PYTHON], {
      cwd: root,
      encoding: 'utf8',
    });
    const codes = cli.stdout.split('\n').filter((l) => / static-(case-mismatch|unreferenced) /.test(l));
    assert.deepEqual(
      codes.map((l) => l.split(': ')[0] + ' ' + l.split(' ')[2]).sort(),
      ['assets/img/orphan.png:1:1 static-unreferenced', 'templates/page.html:3:1 static-case-mismatch'].sort(),
      cli.stdout + cli.stderr,
    );
  });

  it('follows an edit: fixing the case in the editor drops the finding', async () => {
    const page = path.join(root, 'templates/page.html');
    const seen = client.projectsChanged.length;
    client.open(page);
    client.change(page, 2, '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n<img src="{% static \'img/logo.png\' %}">\n');
    const fixed = await client.waitFor(
      'the summary after the edit',
      () => client.projectsChanged.slice(seen).find((l) => l[0]?.referenceFindings?.caseMismatches === 0)?.[0],
      30000,
    );
    assert.deepEqual(fixed.referenceFindings, { caseMismatches: 0, unreferenced: 1 });
    assert.match(fixed.reportMarkdown, /- `static-case-mismatch`: no reference differs in case from the file on disk/);
  });

  it('keeps the summary over a CSS edit that names the same files, and follows one that names another', async () => {
    const css = path.join(root, 'assets/css/site.css');
    const replays = () => client.logs.filter((l) => l.startsWith('Checked the references of')).length;
    const replayed = async (before: number) => client.waitFor('the CSS/JS replay', () => replays() > before || undefined, 30000);
    client.open(css, 'css');
    await replayed(replays() - 1);
    // Quiet: what the earlier edits announced has gone out.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let seen = client.projectsChanged.length;
    let before = replays();
    // A rule added after the reference: nothing it names moves.
    client.change(css, 2, '.a { background: url(../img/bg.png); }\n.c { color: red; }\n');
    await replayed(before);
    // The summary waits 1.5 s for quiet before it is sent: nothing comes, the findings did not change.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(client.projectsChanged.length, seen, 'a replay that named the same files announced the projects again');
    seen = client.projectsChanged.length;
    before = replays();
    client.change(css, 3, '.a { background: url(../img/bg.png); }\n.b { background: url(../img/orphan.png); }\n');
    await replayed(before);
    const named = await client.waitFor(
      'the summary after the CSS edit',
      () => client.projectsChanged.slice(seen).find((l) => l[0]?.referenceFindings?.unreferenced === 0)?.[0],
      30000,
    );
    assert.match(named.reportMarkdown, /`static-unreferenced`: every static file of the project is named by a reference/);
  });
});
