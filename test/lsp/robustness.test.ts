import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { Methods, ProjectSummary } from '../../server/src/protocol';
import { baseCssCompletion, copyDemo, ensureBuilt, fileUri, labels, LspClient, positionOf, removeCopy } from './lspClient';

describe('language server: bad input and untrusted workspaces', function () {
  this.timeout(60000);
  before(() => ensureBuilt());
  const roots: string[] = [];
  /** Plain temp folders (not demo copies), removed whatever the outcome. */
  const folders: string[] = [];
  const clients: LspClient[] = [];
  after(async () => {
    for (const client of clients) await client.stop();
    for (const root of roots) removeCopy(root);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function start(
    prepare: (root: string) => void,
    options: { initializationOptions?: unknown } = {},
  ): Promise<{ root: string; client: LspClient; projects: ProjectSummary[] }> {
    const root = copyDemo();
    roots.push(root);
    prepare(root);
    const client = await LspClient.start({ root, ...options });
    clients.push(client);
    const projects = await client.waitForProjects(0, 45000);
    return { root, client, projects };
  }

  it('keeps working in static mode when the settings raise, and says why', async () => {
    const { root, client, projects } = await start((dir) => {
      const settings = path.join(dir, 'demo/settings.py');
      // And a STATIC_URL static mode cannot read: set, but not known without running the settings.
      fs.writeFileSync(
        settings,
        `import module_that_does_not_exist\n${fs.readFileSync(settings, 'utf8')}\nSTATIC_URL = url_from_somewhere()\n`,
      );
    });
    assert.equal(projects.length, 1);
    const [summary] = projects;
    assert.equal(summary.mode, 'static');
    assert.match(summary.modeReason, /module_that_does_not_exist|ModuleNotFoundError|ImportError/, summary.modeReason);
    assert.match(summary.reportMarkdown, /static/);
    // The report names the mode once and keeps Python names literal (escaped underscores).
    assert.match(summary.reportMarkdown, /- \*\*Mode:\*\* Static mode: [^\n]*module\\_that\\_does\\_not\\_exist/);
    assert.doesNotMatch(summary.reportMarkdown, /static: Static mode/);
    // Static mode still reads STATICFILES_DIRS and the apps, so the features work.
    const base = path.join(root, 'templates/base.html');
    const items = await baseCssCompletion(client, root);
    assert.ok(items.includes('site.css'), items.join(', '));
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'css/site.css'", 3),
    });
    const shown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(shown, /\*\*URL:\*\* not known: STATIC_URL could not be read/, shown);
    assert.doesNotMatch(shown, /ImproperlyConfigured/);
    assert.match(shown, /\n`assets\/css\/site\.css` · /, 'the file relative to the project');
    await client.waitForDiagnostics(path.join(root, 'templates/broken.html'), 'missing-file in static mode', (d) =>
      d.some((x) => x.code === 'missing-file'),
    );
  });

  it('keeps answering when the settings do not even parse', async () => {
    const { root, client, projects } = await start((dir) => {
      fs.appendFileSync(path.join(dir, 'demo/settings.py'), '\ndef broken(:\n    STATIC_URL = \n');
    });
    assert.equal(
      projects.length + (client.logs.some((l) => l.startsWith('showMessage')) ? 1 : 0) >= 1,
      true,
      'a project or a message saying why',
    );
    if (projects.length === 1) {
      assert.equal(projects[0].mode, 'static');
      assert.ok(projects[0].modeReason.length > 0);
    }
    const base = path.join(root, 'templates/base.html');
    client.open(base);
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'css/site.css'", 3),
    });
    assert.ok(hover === null || typeof hover === 'object');
    const again = await client.request<ProjectSummary[]>(Methods.projects, {});
    assert.equal(again.length, projects.length);
  });

  it('survives a template full of binary junk, on disk and open', async () => {
    const junk = Buffer.concat([
      Buffer.from("{% load static %}{% static '"),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      Buffer.from("\0\0{% static 'css/\uFFFF' %}{% static %}{{ {% %} }}{# "),
      Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00, 0xdc]),
    ]);
    const { root, client } = await start((dir) => fs.writeFileSync(path.join(dir, 'templates/junk.html'), junk));
    const file = path.join(root, 'templates/junk.html');
    // The workspace check read it from disk without dying: other templates still get diagnostics.
    await client.waitForDiagnostics(path.join(root, 'templates/no_load.html'), 'missing-load', (d) =>
      d.some((x) => x.code === 'missing-load'),
    );
    const text = junk.toString('latin1');
    client.open(file, 'django-html', text);
    const lines = text.split('\n');
    for (const line of [0, Math.floor(lines.length / 2), lines.length - 1]) {
      for (const character of [0, 5, 30, 200]) {
        const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
          textDocument: { uri: fileUri(file) },
          position: { line, character },
        });
        assert.ok(result === null || Array.isArray(result) || Array.isArray(result.items));
        await client.request('textDocument/hover', { textDocument: { uri: fileUri(file) }, position: { line, character } });
        await client.request('textDocument/definition', { textDocument: { uri: fileUri(file) }, position: { line, character } });
      }
    }
    const diagnostics = await client.waitFor<Diagnostic[]>('diagnostics of the open junk', () => client.diagnostics.get(fileUri(file)));
    assert.ok(Array.isArray(diagnostics));
    await client.request('textDocument/documentLink', { textDocument: { uri: fileUri(file) } });
    const projects = await client.request<ProjectSummary[]>(Methods.projects, {});
    assert.equal(projects.length, 1, 'the server is still alive and answering');
  });

  it('never runs Python in an untrusted workspace', async () => {
    const marker = path.join(os.tmpdir(), `ds-untrusted-${process.pid}-${Date.now()}`);
    const { projects } = await start(
      (dir) => {
        // Executing these settings would leave a marker file behind.
        const settings = path.join(dir, 'demo/settings.py');
        fs.appendFileSync(settings, `\nopen(${JSON.stringify(marker)}, 'w').write('ran')\n`);
      },
      { initializationOptions: { trusted: false, settings: {} } },
    );
    assert.equal(projects.length, 1);
    assert.equal(projects[0].mode, 'static');
    assert.match(projects[0].modeReason, /trust/i);
    assert.equal(fs.existsSync(marker), false, 'settings were not executed');
  });

  it('says why when a project cannot be learned at all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-nosettings-'));
    folders.push(dir);
    fs.writeFileSync(path.join(dir, 'manage.py'), "print('no settings module here')\n");
    const client = await LspClient.start({ root: dir });
    clients.push(client);
    const projects = await client.waitForProjects(0, 20000);
    assert.deepEqual(projects, []);
    const message = await client.waitFor('a message saying why', () => client.logs.find((l) => l.startsWith('showMessage:')));
    assert.match(message, /manage\.py/);
    assert.match(message, /settings/i);
  });

  it('learns nothing in an empty folder and still answers', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-empty-'));
    folders.push(empty);
    const client = await LspClient.start({ root: empty });
    clients.push(client);
    const projects = await client.waitForProjects(0, 20000);
    assert.deepEqual(projects, []);
    const page = path.join(empty, 'page.html');
    client.open(page, 'html', "{% load static %}{% static 'x.css' %}");
    const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: fileUri(page) },
      position: { line: 0, character: 28 },
    });
    assert.deepEqual(labels(result), []);
  });
});
