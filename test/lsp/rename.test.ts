/**
 * Renaming static files over real JSON-RPC: rename on a `{% static %}` path (the file and every path that
 * served it), and the edits offered when the editor moves a file or folder (only with confirmation).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, FileChangeType, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { copyDemo, ensureBuilt, fileUri, LspClient, positionOf, removeCopy } from './lspClient';

const rel = (root: string, uri: string) => path.relative(root, URI.parse(uri).fsPath);

/** Applies the template edits of a workspace edit to the files on disk (as the editor would, after confirming). */
function applyTextEdits(edit: WorkspaceEdit): void {
  for (const change of edit.documentChanges ?? []) {
    if (!TextDocumentEdit.is(change)) continue;
    const file = URI.parse(change.textDocument.uri).fsPath;
    const doc = TextDocument.create(change.textDocument.uri, 'django-html', 0, fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, TextDocument.applyEdits(doc, change.edits as TextEdit[]));
  }
}

describe('language server: renaming static files', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  let base: string;
  let broken: string;

  before(async function () {
    this.timeout(120000);
    ensureBuilt();
    root = copyDemo();
    base = path.join(root, 'templates/base.html');
    broken = path.join(root, 'templates/broken.html');
    client = await LspClient.start({ root, clientWatches: true, workspaceEdits: true });
    await client.waitForProjects();
    client.open(base);
    await client.waitForDiagnostics(broken, 'checked', () => true);
  });
  after(async () => {
    await client?.stop();
    if (root) removeCopy(root);
  });

  it('offers rename and file-move participation', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(caps.workspace?.fileOperations?.willRename?.filters.length);
  });

  it('prepares a rename on a path one file serves, and refuses a shadowed one with the reason', async () => {
    const prepared = await client.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'js/app.js'", 3),
    });
    assert.equal(prepared.placeholder, 'js/app.js');
    await assert.rejects(
      client.request('textDocument/prepareRename', {
        textDocument: { uri: fileUri(base) },
        position: positionOf(base, "'css/site.css'", 3),
      }),
      /provided by 2 sources/,
    );
  });

  it('renames the file and every template path that served it', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'js/app.js'", 3),
      newName: 'js/main.js',
    });
    const changes = edit.documentChanges ?? [];
    const renames = changes.filter(RenameFile.is);
    assert.deepEqual(
      renames.map((r) => [rel(root, r.oldUri), rel(root, r.newUri)]),
      [['assets/js/app.js', 'assets/js/main.js']],
    );
    assert.ok(RenameFile.is(changes[changes.length - 1]), 'the file moves after the templates are edited');
    const edits = changes.filter(TextDocumentEdit.is);
    assert.deepEqual(
      edits.map((e) => [rel(root, e.textDocument.uri), e.textDocument.version, (e.edits as TextEdit[]).map((t) => t.newText)]).sort(),
      [
        ['templates/base.html', 1, ['js/main.js']],
        ['templates/broken.html', null, ['/js/main.js']],
      ],
    );
    assert.equal(edit.changeAnnotations, undefined, 'the user typed the new name: no extra confirmation');

    // The client says it is about to move that very file: the rename already carried the edits.
    const echo = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: renames[0].oldUri, newUri: renames[0].newUri }],
    });
    assert.equal(echo, null);
  });

  it('asks before rewriting the paths a moved folder served, and the moved files are then found', async () => {
    const oldDir = path.join(root, 'assets/img');
    const newDir = path.join(root, 'assets/images');
    const edit = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: fileUri(oldDir), newUri: fileUri(newDir) }],
    });
    assert.ok(edit, 'edits for the templates using img/logo.svg');
    const [annotationId, annotation] = Object.entries(edit.changeAnnotations ?? {})[0];
    assert.equal(annotation.needsConfirmation, true);
    const edits = (edit.documentChanges ?? []).filter(TextDocumentEdit.is);
    for (const change of edits) for (const e of change.edits) assert.equal((e as { annotationId?: string }).annotationId, annotationId);
    // The demo's site.css points at the logo too: its url() follows, relative to the CSS file.
    assert.deepEqual(edits.map((e) => rel(root, e.textDocument.uri)).sort(), [
      'assets/css/site.css',
      'templates/base.html',
      'templates/no_load.html',
    ]);

    // Do what the editor does once the user confirms: move the folder, write the edits, report the changes.
    fs.renameSync(oldDir, newDir);
    applyTextEdits(edit);
    // The editor reports the move itself (workspace/didRenameFiles); no file-watcher events for the folder.
    client.sendNotification('workspace/didRenameFiles', { files: [{ oldUri: fileUri(oldDir), newUri: fileUri(newDir) }] });
    for (const change of edits) client.sendWatchedFile(URI.parse(change.textDocument.uri).fsPath, FileChangeType.Changed);
    const noLoad = path.join(root, 'templates/no_load.html');
    const logoMissing = (d: Diagnostic[]) => d.some((x) => x.code === 'missing-file' && String(x.message).includes('logo.svg'));
    await client.waitForDiagnostics(noLoad, 'images/logo.svg found', (d) => !logoMissing(d));
    assert.match(fs.readFileSync(noLoad, 'utf8'), /\{% static 'images\/logo\.svg' %\}/);
    assert.match(fs.readFileSync(path.join(root, 'assets/css/site.css'), 'utf8'), /url\("\.\.\/images\/logo\.svg"\)/);
  });

  it('offers nothing for moves outside the static folders, or to an editor that cannot ask first', async () => {
    const templateMove = await client.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
      files: [{ oldUri: fileUri(path.join(root, 'templates/broken.html')), newUri: fileUri(path.join(root, 'templates/fixed.html')) }],
    });
    assert.equal(templateMove, null);
    const plain = await LspClient.start({ root, clientWatches: true });
    try {
      await plain.waitForProjects();
      await plain.waitForDiagnostics(broken, 'checked', () => true);
      const edit = await plain.request<WorkspaceEdit | null>('workspace/willRenameFiles', {
        files: [{ oldUri: fileUri(path.join(root, 'assets/css/print.css')), newUri: fileUri(path.join(root, 'assets/css/paper.css')) }],
      });
      assert.equal(edit, null);
      plain.open(base);
      await assert.rejects(
        plain.request('textDocument/rename', {
          textDocument: { uri: fileUri(base) },
          position: positionOf(base, "'vendor/htmx", 3),
          newName: 'vendor/htmx.js',
        }),
        /cannot rename files/,
      );
    } finally {
      await plain.stop();
    }
  });
});
