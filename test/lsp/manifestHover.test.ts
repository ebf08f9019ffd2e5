/**
 * Hover on `{% static %}` with ManifestStaticFilesStorage: the URL production renders from the manifest the
 * engine predicts, checked against the staticfiles.json real collectstatic writes, per Django version; and
 * STATIC_ROOT's staticfiles.json named stale once a file changes (an image's new bytes rename the CSS that
 * references it), until collectstatic writes what was predicted.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { atLeast, describeEachDjango, DJANGO_PYTHON } from '../djangoVersions';
import { makeProject, removeTree } from '../unit/djangoFixtures';
import { ensureBuilt, fileUri, LspClient, positionOf } from './lspClient';

const PAGE = '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n<img src="{% static \'img/logo.png\' %}">\n';

function text(hover: Hover | null): string {
  if (!hover) return '';
  return typeof hover.contents === 'string' ? hover.contents : ((hover.contents as MarkupContent).value ?? JSON.stringify(hover.contents));
}

describeEachDjango('language server: hover shows the URL from the predicted manifest', (v) => {
  let root: string;
  let client: LspClient;
  let page: string;
  const pythonPath = process.env.PYTHONPATH;
  const collect = (): Record<string, string> => {
    execFileSync(DJANGO_PYTHON, ['manage.py', 'collectstatic', '--noinput', '-v0'], { cwd: root, env: v.env, stdio: 'pipe' });
    return (JSON.parse(fs.readFileSync(path.join(root, 'collected/staticfiles.json'), 'utf8')) as { paths: Record<string, string> }).paths;
  };
  const hoverOn = (needle: string) =>
    client.request<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri(page) }, position: positionOf(page, needle, 3) });
  /** The hover on `needle` once it matches `pattern` (the replay runs on a timer), or the last one after 20 s. */
  const waitForHover = async (needle: string, pattern: RegExp): Promise<string> => {
    const deadline = Date.now() + 20000;
    for (;;) {
      const shown = text(await hoverOn(needle));
      if (pattern.test(shown) || Date.now() > deadline) return shown;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  before(async function () {
    ensureBuilt();
    const storage = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage';
    root = makeProject(
      "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n" +
        "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]\n" +
        (atLeast(v.version, '4.2') ? `STORAGES = {'staticfiles': {'BACKEND': '${storage}'}}\n` : `STATICFILES_STORAGE = '${storage}'\n`),
      {
        'assets/css/site.css': '.logo { background: url("../img/logo.png"); }\n',
        'assets/img/logo.png': 'png one',
        'templates/page.html': PAGE,
      },
    );
    page = path.join(root, 'templates/page.html');
    // The server's interpreter reads this version's Django (static mode asks it for the version).
    process.env.PYTHONPATH = v.env.PYTHONPATH;
    client = await LspClient.start({ root, clientWatches: true, configuration: { pythonPath: DJANGO_PYTHON, mode: 'static' } });
    await client.waitForProjects();
    client.open(page);
  });
  after(async () => {
    process.env.PYTHONPATH = pythonPath;
    await client?.stop();
    if (root) removeTree(root);
  });

  it('renders the hashed URL collectstatic writes, says nothing is stale, then that staticfiles.json is', async () => {
    const first = collect();
    client.sendWatchedFile(path.join(root, 'collected/staticfiles.json'), FileChangeType.Created);
    const url = `/static/${first['css/site.css']}`;
    let shown = await waitForHover("'css/site.css'", new RegExp(`After the next collectstatic.*${url.replace(/\./g, '\\.')}`));
    assert.match(shown, /After the next collectstatic\*\* \(predicted manifest\): `\/static\/css\/site\.[0-9a-f]{12}\.css`/, shown);
    assert.ok(shown.includes(url), `${url} in\n${shown}`);
    assert.doesNotMatch(shown, /stale/);
    assert.ok(text(await hoverOn("'img/logo.png'")).includes(`/static/${first['img/logo.png']}`));

    // New bytes in the image: its hashed name changes, and so does the CSS file's that references it.
    fs.writeFileSync(path.join(root, 'assets/img/logo.png'), 'png two');
    client.sendWatchedFile(path.join(root, 'assets/img/logo.png'), FileChangeType.Changed);
    shown = await waitForHover("'css/site.css'", /stale/);
    assert.match(
      shown,
      new RegExp(`staticfiles\\.json is stale: it maps \`css/site\\.css\` to \`${first['css/site.css'].replace(/\./g, '\\.')}\``),
      shown,
    );
    const predicted = /the next collectstatic writes `([^`]+)`/.exec(shown)?.[1];
    assert.ok(predicted && predicted !== first['css/site.css'], shown);

    // Real collectstatic writes exactly the predicted name, and the manifest is no longer stale.
    const second = collect();
    assert.equal(second['css/site.css'], predicted);
    client.sendWatchedFile(path.join(root, 'collected/staticfiles.json'), FileChangeType.Changed);
    shown = await waitForHover("'css/site.css'", new RegExp(`^(?![\\s\\S]*stale)[\\s\\S]*${predicted.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(shown, /stale/, shown);
  });

  it('says the next collectstatic fails, and writes no manifest, when a CSS reference is missing', async () => {
    fs.writeFileSync(path.join(root, 'assets/css/site.css'), '.logo { background: url("../img/gone.png"); }\n');
    client.sendWatchedFile(path.join(root, 'assets/css/site.css'), FileChangeType.Changed);
    const shown = await waitForHover("'css/site.css'", /it fails/);
    assert.match(
      shown,
      /After the next collectstatic:\*\* none: it fails \(css\/site\.css: ValueError: The file 'img\/gone\.png' could not be found/,
      shown,
    );
  });
});
