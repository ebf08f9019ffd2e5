/**
 * A Python settings file in the editor, over real LSP on stdio: the settings findings on their lines, the
 * lenses and hovers on the settings that name sources, and the STATICFILES_STORAGE quick fix.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-types';
import { MANAGE_PY, makeTree, removeTree } from '../unit/djangoFixtures';
import { ensureBuilt, fileUri, LspClient } from './lspClient';

const SETTINGS = `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_URL = 'static'
STATIC_ROOT = BASE_DIR / 'collected'
STATICFILES_DIRS = [BASE_DIR / 'assets']
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
`;

/** A static-mode server on a fresh project of `files` (manage.py, proj/__init__.py and requirements.txt added), stopped and removed after the suite. */
function serverOn(files: Record<string, string>): { root: () => string; client: () => LspClient } {
  let root = '';
  let client: LspClient | undefined;
  before(async () => {
    ensureBuilt();
    root = makeTree({ 'manage.py': MANAGE_PY, 'proj/__init__.py': '', 'requirements.txt': 'Django==5.2\n', ...files });
    client = await LspClient.start({ root, configuration: { mode: 'static' } });
    await client.waitForProjects();
  });
  after(async () => {
    await client?.stop();
    if (root) removeTree(root);
  });
  return { root: () => root, client: () => client! };
}

describe('LSP: Python settings documents', function () {
  this.timeout(60000);
  const server = serverOn({ 'proj/settings.py': SETTINGS, 'assets/css/site.css': 'body {}\n' });
  let root: string;
  let client: LspClient;
  let settings: string;
  before(() => {
    root = server.root();
    client = server.client();
    settings = path.join(root, 'proj/settings.py');
  });

  it('publishes the settings findings on the assigning lines', async () => {
    client.open(settings, 'python');
    const diagnostics: Diagnostic[] = await client.waitForDiagnostics(settings, 'settings findings', (d) => d.length >= 2);
    const byCode = new Map(diagnostics.map((d) => [String(d.code), d]));
    assert.deepEqual(byCode.get('static-url-slash')?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 21 } });
    assert.equal(byCode.get('staticfiles-storage-unread')?.range.start.line, 7);
  });

  it('puts a lens and a hover on the STATICFILES_DIRS entry, and offers the STORAGES rewrite', async () => {
    const uri = fileUri(settings);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const dirs = lenses.find((l) => l.range.start.line === 6);
    assert.match(dirs?.command?.title ?? '', /^1 file · shadows 0 · shadowed by 0$/);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 33 } });
    assert.match((hover?.contents as MarkupContent).value, /Provides 1 file to collectstatic/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } },
      context: { diagnostics: [] },
    });
    const fix = actions.find((a) => a.title === 'Rewrite STATICFILES_STORAGE into STORAGES');
    const edit = fix?.edit?.changes?.[uri]?.[0];
    assert.deepEqual(edit?.range, { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } });
    assert.match(edit?.newText ?? '', /^STORAGES = \{\n {4}"default": \{/);
  });

  it("follows unsaved edits with the saved file's findings and lenses, and says so", async () => {
    const uri = fileUri(settings);
    const at = (d: Diagnostic[]) => d.map((x) => `${x.code}@${x.range.start.line}`).sort();
    const shows = (what: string, expected: string) => client.waitForDiagnostics(settings, what, (d) => at(d).join() === expected);
    // Two lines typed at the top, not saved: the findings move down with their lines.
    client.change(settings, 2, `import os\n\n${SETTINGS}`);
    await shows('findings moved two lines', 'static-url-slash@6,staticfiles-storage-unread@9');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.find((l) => l.range.start.line === 8)?.command?.title, '1 file · shadows 0 · shadowed by 0 (as saved)');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 33 } });
    assert.match((hover?.contents as MarkupContent).value, /Counted from the saved file \(as saved\): save to count your edits/);
    // The STATIC_URL line edited: its finding waits for the save rather than sit on text it was not made from.
    client.change(settings, 3, SETTINGS.replace("STATIC_URL = 'static'", "STATIC_URL = 'static/'"));
    await shows('the edited line without its finding', 'staticfiles-storage-unread@7');
    // Back to the saved text: everything as before, without the note.
    client.change(settings, 4, SETTINGS);
    await shows('the saved findings', 'static-url-slash@4,staticfiles-storage-unread@7');
    const again = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(again.find((l) => l.range.start.line === 6)?.command?.title, '1 file · shadows 0 · shadowed by 0');
  });
});

describe('LSP: staticfiles-not-installed in the settings file', function () {
  this.timeout(60000);
  const PAGE = `{% load static %}<link href="{% static 'css/site.css' %}">\n`;
  const server = serverOn({
    'proj/settings.py': `SECRET_KEY = 'x'\nINSTALLED_APPS = [\n    'django.contrib.admin',\n]\nTEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': ['templates']}]\nSTATIC_URL = '/static/'\n`,
    'templates/page.html': PAGE,
  });

  it('is published on the INSTALLED_APPS line from the templates the workspace check read, and follows an edited template', async () => {
    const [root, client] = [server.root(), server.client()];
    const settings = path.join(root, 'proj/settings.py');
    client.open(settings, 'python');
    const missing = (d: Diagnostic[]) => d.find((x) => x.code === 'staticfiles-not-installed');
    const shown = await client.waitForDiagnostics(settings, 'staticfiles-not-installed', (d) => !!missing(d));
    assert.deepEqual(missing(shown)?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } });
    assert.match(String(missing(shown)!.message), /1 template uses \{% static %\} \(templates\/page\.html\)/);
    // The template's {% static %} removed in the editor (not saved): the settings file stops saying it.
    const page = path.join(root, 'templates/page.html');
    client.open(page, 'django-html', PAGE);
    client.change(page, 2, '<link href="/static/css/site.css">\n');
    await client.waitForDiagnostics(settings, 'no staticfiles-not-installed', (d) => !missing(d));
  });
});
