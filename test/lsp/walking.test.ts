/**
 * Requests answered while the static folders are still walked: a project whose first source holds tens of
 * thousands of files answers completion, definition and hover before its walk has ended (the server's log
 * says so when it answers), with what findstatic says, and publishes no diagnostic until the walk has ended
 * (unknown is not missing).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionItem, CompletionList, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol/node';
import { ensureBuilt, fileUri, labels, LspClient, positionOf } from './lspClient';

/** Files in the first source: its walk lasts long enough to be seen, its writing a second or two. */
const FOLDERS = 48;
const FILES_PER_FOLDER = 250;

function write(root: string, rel: string, text: string): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function makeProject(root: string): string {
  write(root, 'manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n");
  write(root, 'proj/__init__.py', '');
  write(
    root,
    'proj/settings.py',
    [
      'from pathlib import Path',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      "INSTALLED_APPS = ['django.contrib.staticfiles', 'shop']",
      "STATIC_URL = '/static/'",
      "STATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'more']",
      "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates'], 'APP_DIRS': True}]",
      '',
    ].join('\n'),
  );
  write(root, 'shop/__init__.py', '');
  write(root, 'shop/static/css/site.css', 'shadowed {}\n');
  write(root, 'more/css/site.css', 'wins {}\n');
  for (let f = 0; f < FOLDERS; f++) {
    const dir = path.join(root, 'assets/big', `g${f}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < FILES_PER_FOLDER; i++) fs.writeFileSync(path.join(dir, `f${i}.js`), '');
  }
  return write(
    root,
    'templates/page.html',
    [
      '{% load static %}',
      '<link href="{% static \'css/site.css\' %}">',
      '<script src="{% static \'big/g0/f1.js\' %}"></script>',
      '<link href="{% static \'css/nope.css\' %}">',
      '',
    ].join('\n'),
  );
}

const hoverText = (hover: Hover | null): string => (hover ? (hover.contents as MarkupContent).value : '');

describe('language server over stdio: answers while the static folders are walked', function () {
  this.timeout(60_000);
  let root = '';
  let client: LspClient | undefined;
  before(() => ensureBuilt());
  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers from the disk before the walk has ended, and publishes nothing missing until it has', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-walking-'));
    const page = makeProject(root);
    client = await LspClient.start({ root, configuration: { mode: 'static' } });
    client.open(page);
    const uri = fileUri(page);
    const at = (needle: string, offset: number) => ({ textDocument: { uri }, position: positionOf(page, needle, offset) });
    const [completion, definition, hover] = await Promise.all([
      client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', at("'big/g0/f1.js'", "'big/g0/".length)),
      client.request<Location[]>('textDocument/definition', at("'css/site.css'", 3)),
      client.request<Hover | null>('textDocument/hover', at("'big/g0/f1.js'", 3)),
    ]);
    // What the server had said when the answers came (its log and the responses share one stream, in order).
    const logsThen = [...client.logs];
    const publishedThen = client.published.filter((p) => p.uri === uri && p.diagnostics.length > 0).length;
    const announcedThen = client.projectsChanged.length;

    assert.ok(labels(completion).includes('f1.js'), labels(completion).slice(0, 10).join(', '));
    assert.equal(labels(completion).length, FILES_PER_FOLDER, 'the folder listed whole, from the disk');
    assert.deepEqual(
      definition.map((l) => l.uri),
      [fileUri(path.join(root, 'more/css/site.css')), fileUri(path.join(root, 'shop/static/css/site.css'))],
      'the winner first, then the shadowed copy, in finder order',
    );
    assert.match(hoverText(hover), /assets\/big\/g0\/f1\.js/);
    const answering = logsThen.find((l) => /Answering requests about/.test(l));
    assert.match(answering ?? logsThen.join('\n'), /still being walked/);
    assert.equal(publishedThen, 0, 'no diagnostic before the walk has ended');
    assert.equal(announcedThen, 0, 'the project is announced once indexed');

    // Once walked, the missing file is said to be missing.
    const missing = (d: { code?: unknown; message: unknown }[]) => d.filter((x) => x.code === 'missing-file').map((x) => String(x.message));
    const diagnostics = await client.waitForDiagnostics(page, 'css/nope.css missing', (d) => missing(d).length > 0);
    assert.deepEqual(
      missing(diagnostics).map((m) => m.match(/'[^']+'/)?.[0]),
      ["'css/nope.css'"],
    );
    const walked = await client.waitFor('the static reading', () => client!.logs.find((l) => /statically in \d+ ms/.test(l)));
    assert.match(walked, new RegExp(`${FOLDERS * FILES_PER_FOLDER + 1} static paths`));
  });
});
