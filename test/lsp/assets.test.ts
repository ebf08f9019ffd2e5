/**
 * CSS/JS in the editor: the real server over stdio, a generated Django 3.2 project with
 * ManifestStaticFilesStorage. The same findings `django-static check` prints, on the CSS file's own lines;
 * completion, definition, references and rename inside `url()` and `@import`, relative to the file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CompletionList,
  DiagnosticSeverity,
  FileChangeType,
  Location,
  RenameFile,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { DjangoStaticSettings } from '../../server/src/protocol';
import { DJANGO_PYTHON, makeProject, makeTree, removeTree } from '../unit/djangoFixtures';
import { ensureBuilt, fileUri, labels, LspClient } from './lspClient';

const CSS = 'body { color: red; }\n.logo {\n  background: url("../img/logo.png");\n}\n';

describe('language server: CSS/JS references as collectstatic post-processes them', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  let vendor: string;
  let css: string;
  let thirdParty: string;
  const configuration: Partial<DjangoStaticSettings> = { pythonPath: DJANGO_PYTHON, mode: 'django' };
  before(async function () {
    this.timeout(120000);
    ensureBuilt();
    // An installed app outside the workspace, as site-packages would hold it.
    vendor = makeTree({ 'vendorapp/__init__.py': '', 'vendorapp/static/vendorapp/widget.css': '.w { background: url(gone.gif); }\n' });
    thirdParty = path.join(vendor, 'vendorapp/static/vendorapp/widget.css');
    root = makeProject(
      `import sys\nsys.path.insert(0, ${JSON.stringify(vendor)})\n` +
        "INSTALLED_APPS = ['django.contrib.staticfiles', 'vendorapp']\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n" +
        "STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n",
      { 'assets/css/site.css': CSS, 'assets/css/fine.css': '.a { background: url(site.css); }\n', 'loose/loose.css': '' },
    );
    css = path.join(root, 'assets/css/site.css');
    client = await LspClient.start({ root, clientWatches: true, configuration, workspaceEdits: true });
    await client.waitForProjects();
  });
  after(async () => {
    await client?.stop();
    if (root) removeTree(root);
    if (vendor) removeTree(vendor);
  });

  it('shows a missing url() target as an error on its line, and drops it once the file exists', async () => {
    const started = Date.now();
    const [missing] = await client.waitForDiagnostics(css, 'asset-missing', (d) => d.some((x) => x.code === 'asset-missing'));
    const shownMs = Date.now() - started;
    assert.equal(missing.source, 'django-static');
    assert.equal(missing.severity, DiagnosticSeverity.Error);
    assert.equal(missing.range.start.line, 2, JSON.stringify(missing));
    assert.match(String(missing.message), /img\/logo\.png/);
    // A file without problems gets nothing at all.
    assert.equal(client.diagnostics.get(fileUri(path.join(root, 'assets/css/fine.css'))), undefined);

    const logo = path.join(root, 'assets/img/logo.png');
    fs.mkdirSync(path.dirname(logo));
    fs.writeFileSync(logo, 'png');
    const createdAt = Date.now();
    client.sendWatchedFile(path.dirname(logo), FileChangeType.Created);
    await client.waitForDiagnostics(css, 'asset-missing gone (empty publish)', (d) => d.length === 0);
    console.log(`      first shown ${shownMs} ms after learning; cleared ${Date.now() - createdAt} ms after the file appeared`);
  });

  it("shows a third-party app's file only while it is open", async () => {
    const uri = fileUri(thirdParty);
    assert.equal(client.diagnostics.get(uri), undefined, 'published for a closed file outside the workspace');
    client.open(thirdParty, 'css');
    const [missing] = await client.waitForDiagnostics(thirdParty, 'asset-missing while open', (d) => d.length > 0);
    assert.equal(missing.code, 'asset-missing');
    assert.equal(missing.range.start.line, 0);
    client.close(thirdParty);
    await client.waitForDiagnostics(thirdParty, 'cleared on close', (d) => d.length === 0);
  });

  it("counts an open file's unsaved text, and the saved text again once it closes", async () => {
    client.open(css, 'css');
    client.change(css, 2, CSS.replace('logo.png', 'nothere.png'));
    const [edited] = await client.waitForDiagnostics(css, 'asset-missing for the unsaved name', (d) => d.length > 0);
    assert.match(String(edited.message), /nothere\.png/);
    assert.equal(edited.range.start.line, 2);
    client.close(css);
    await client.waitForDiagnostics(css, 'cleared: the saved text is fine', (d) => d.length === 0);
  });

  it('re-checks after a save only the saved file and the files that reach it', async () => {
    const fine = path.join(root, 'assets/css/fine.css');
    // Replays still due from the earlier tests (a close, a created file) would take this save along.
    const replays = () => client.logs.filter((l) => /files replayed/.test(l)).length;
    const quiet = async () => {
      for (let seen = -1; seen !== replays();) {
        seen = replays();
        await new Promise((r) => setTimeout(r, 700));
      }
    };
    await quiet();
    const before = client.logs.length;
    fs.writeFileSync(fine, '.a { background: url(site.css); }\n.b { background: url(../img/absent.png); }\n');
    client.sendWatchedFile(fine, FileChangeType.Changed);
    const [absent] = await client.waitForDiagnostics(fine, 'asset-missing after the save', (d) => d.length > 0);
    assert.match(String(absent.message), /img\/absent\.png/);
    assert.equal(absent.range.start.line, 1);
    // fine.css is the only file that changed and nothing looks it up: one file of the three replayed.
    const checked = await client.waitFor('the replay log', () => client.logs.slice(before).find((l) => /files replayed/.test(l)));
    assert.match(checked, /of 3 CSS\/JS files in \d+ ms \(1 files replayed\)/, client.logs.slice(before).join('\n'));
    // Saving site.css, which fine.css looks up, replays both.
    await quiet();
    const again = client.logs.length;
    fs.writeFileSync(css, CSS + '/* saved */\n');
    client.sendWatchedFile(css, FileChangeType.Changed);
    await client.waitFor('the replay after saving site.css', () => client.logs.slice(again).find((l) => /files replayed/.test(l)));
    assert.match(
      client.logs.slice(again).find((l) => /files replayed/.test(l))!,
      /\(2 files replayed\)/,
    );
    fs.writeFileSync(fine, '.a { background: url(site.css); }\n');
    client.sendWatchedFile(fine, FileChangeType.Changed);
    await client.waitForDiagnostics(fine, 'cleared after the fix is saved', (d) => d.length === 0);
  });

  it('follows djangoStatic.severity: a deleted target is back as an error, then gone when the code is off', async () => {
    const logo = path.join(root, 'assets/img/logo.png');
    fs.unlinkSync(logo);
    client.sendWatchedFile(logo, FileChangeType.Deleted);
    const [back] = await client.waitForDiagnostics(css, 'asset-missing back', (d) => d.length > 0);
    assert.equal(back.severity, DiagnosticSeverity.Error);
    configuration.severity = { 'asset-missing': 'warning' };
    client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(css, 'a warning', (d) => d.length === 1 && d[0].severity === DiagnosticSeverity.Warning);
    configuration.severity = { 'asset-missing': 'off' };
    client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(css, 'turned off', (d) => d.length === 0);
  });

  /** Opens `rel` with `text` (a `|` marks the cursor) and returns its uri and the cursor's position. */
  function openAt(rel: string, text: string): { uri: string; position: { line: number; character: number } } {
    const file = path.join(root, rel);
    const offset = text.indexOf('|');
    const plain = text.replace('|', '');
    client.open(file, 'css', plain);
    return { uri: fileUri(file), position: TextDocument.create('x', 'css', 0, plain).positionAt(offset) };
  }

  it('completes and goes to definition inside url() and @import, relative to the CSS file', async () => {
    const started = Date.now();
    const inUrl = openAt('assets/css/fine.css', '.a { background: url("|"); }\n@import "fine.css";\n');
    const items = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: inUrl.uri },
      position: inUrl.position,
    });
    assert.deepEqual(labels(items), ['fine.css', 'site.css']);
    client.close(path.join(root, 'assets/css/fine.css'));
    const up = openAt('assets/css/site.css', '.a { background: url(../|); }\n');
    const top = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: up.uri }, position: up.position });
    assert.deepEqual(labels(top), ['css/', 'img/', 'vendorapp/']);
    const onImport = openAt('assets/css/fine.css', '@import "si|te.css";\n');
    const found = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: onImport.uri },
      position: onImport.position,
    });
    assert.deepEqual(
      found.map((l) => path.relative(root, URI.parse(l.uri).fsPath)),
      ['assets/css/site.css'],
    );
    console.log(`      completion and definition answered in ${Date.now() - started} ms`);
    client.close(path.join(root, 'assets/css/fine.css'));
    client.close(path.join(root, 'assets/css/site.css'));
  });

  it('gives a CSS file outside every static source nothing', async () => {
    const loose = openAt('loose/loose.css', '.a { background: url(../assets/css/|site.css); }\n');
    const items = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: loose.uri },
      position: loose.position,
    });
    assert.deepEqual(labels(items), []);
    const found = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: loose.uri },
      position: loose.position,
    });
    assert.deepEqual(found, []);
    client.close(path.join(root, 'loose/loose.css'));
  });

  it('finds and renames an image through the url()s of open and closed CSS files, each relative to its file', async () => {
    const brand = path.join(root, 'assets/img/brand.png');
    fs.mkdirSync(path.dirname(brand), { recursive: true });
    fs.writeFileSync(brand, 'png');
    client.sendWatchedFile(brand, FileChangeType.Created);
    // A closed file on disk, and an open one whose text is not saved.
    fs.writeFileSync(path.join(root, 'assets/css/fine.css'), '.a { background: url(../img/brand.png); }\n');
    client.sendWatchedFile(path.join(root, 'assets/css/fine.css'), FileChangeType.Changed);
    const site = openAt('assets/css/site.css', ".b { background: url('/static/img/bra|nd.png'); }\n");
    const where = () =>
      client.request<Location[]>('textDocument/references', {
        textDocument: { uri: site.uri },
        position: site.position,
        context: { includeDeclaration: false },
      });
    // The index learns of brand.png from the watched-file event: ask until it has.
    let found: Location[] = [];
    for (let i = 0; i < 50 && found.length < 2; i++) {
      found = await where();
      if (found.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(found.map((l) => path.relative(root, URI.parse(l.uri).fsPath)).sort(), ['assets/css/fine.css', 'assets/css/site.css']);
    const started = Date.now();
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: site.uri },
      position: site.position,
      newName: 'img/icons/brand.png',
    });
    const renameMs = Date.now() - started;
    const changes = edit.documentChanges ?? [];
    assert.deepEqual(
      changes
        .filter(RenameFile.is)
        .map((r) => [path.relative(root, URI.parse(r.oldUri).fsPath), path.relative(root, URI.parse(r.newUri).fsPath)]),
      [['assets/img/brand.png', 'assets/img/icons/brand.png']],
    );
    const texts = new Map<string, string>();
    for (const change of changes.filter(TextDocumentEdit.is)) {
      const file = URI.parse(change.textDocument.uri).fsPath;
      const before =
        file === path.join(root, 'assets/css/site.css')
          ? ".b { background: url('/static/img/brand.png'); }\n"
          : fs.readFileSync(file, 'utf8');
      texts.set(path.relative(root, file), TextDocument.applyEdits(TextDocument.create('x', 'css', 0, before), change.edits as TextEdit[]));
    }
    assert.deepEqual(Object.fromEntries(texts), {
      'assets/css/fine.css': '.a { background: url(../img/icons/brand.png); }\n',
      'assets/css/site.css': ".b { background: url('/static/img/icons/brand.png'); }\n",
    });
    console.log(`      rename answered in ${renameMs} ms`);
    client.close(path.join(root, 'assets/css/site.css'));
  });

  it('moving a CSS file in the explorer offers its own relative url()s, written from where it goes', async () => {
    const from = path.join(root, 'assets/css/fine.css');
    const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: fileUri(from), newUri: fileUri(path.join(root, 'assets/css/sub/fine.css')) }],
    });
    const changes = (edit?.documentChanges ?? []).filter(TextDocumentEdit.is);
    assert.deepEqual(
      changes.map((c) => path.relative(root, URI.parse(c.textDocument.uri).fsPath)),
      ['assets/css/fine.css'],
    );
    const doc = TextDocument.create('x', 'css', 0, fs.readFileSync(from, 'utf8'));
    assert.equal(TextDocument.applyEdits(doc, changes[0].edits as TextEdit[]), '.a { background: url(../../img/brand.png); }\n');
  });
});
