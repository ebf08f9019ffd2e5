// The collect commands against real Django: what lands in STATIC_ROOT, the confirmation, Problems entries.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CollectResult } from '../../../client/src/collect';
import type { ShownReport } from '../../../client/src/report';
import { activateAndLearn, listTree, waitFor, workspaceRoot, wsPath } from './helpers';

const PYTHON = '/usr/bin/python3';

/** What real `manage.py collectstatic` writes, from a separate copy of the same project. */
function referenceCollect(): { files: string[]; root: string } {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'djstatic-reference-'));
  fs.cpSync(workspaceRoot(), copy, { recursive: true, filter: (src) => !src.includes('collected_static') && !src.includes('__pycache__') });
  const run = spawnSync(PYTHON, ['manage.py', 'collectstatic', '--noinput'], { cwd: copy, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return { files: listTree(path.join(copy, 'collected_static')), root: path.join(copy, 'collected_static') };
}

describe('collectstatic commands in a real VS Code', () => {
  const staticRoot = () => wsPath('collected_static');

  before(async function () {
    this.timeout(90000);
    await activateAndLearn();
    fs.rmSync(staticRoot(), { recursive: true, force: true });
  });

  it('Collect Static Files writes exactly what real collectstatic writes', async () => {
    const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.collectStatic');
    assert.equal(result.status, 'done', result.message);
    const reference = referenceCollect();
    const written = listTree(staticRoot());
    assert.deepEqual(written, reference.files);
    for (const file of written) {
      assert.ok(fs.readFileSync(path.join(staticRoot(), file)).equals(fs.readFileSync(path.join(reference.root, file))), `${file} differs`);
    }
    assert.equal(result.outcome?.summary?.modified, written.length);
    assert.match(result.message, new RegExp(`^${written.length} static files copied to '${staticRoot()}'`));
  });

  it("says an ignored duplicate once: the server's shadowed finding, no second collectstatic entry", async () => {
    const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.collectStatic');
    assert.equal(result.status, 'done', result.message);
    assert.deepEqual(result.outcome?.duplicates, ['css/site.css'], 'real collectstatic reports the duplicate');
    assert.match(result.message, /1 duplicate path ignored \(see the Static Files view\)/);
    const base = vscode.Uri.file(wsPath('templates', 'base.html'));
    await vscode.workspace.openTextDocument(base);
    await waitFor(
      () =>
        vscode.languages
          .getDiagnostics(base)
          .find((d) => d.source === 'django-static' && (typeof d.code === 'object' ? d.code.value : d.code) === 'shadowed'),
      "the server's shadowed finding on base.html",
    );
    const collectEntries = vscode.languages
      .getDiagnostics()
      .flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'collectstatic');
    assert.deepEqual(
      collectEntries.map((d) => d.message),
      [],
      'no collectstatic entry repeats it',
    );
  });

  it('Clear and Collect names STATIC_ROOT and the file count, and cancelling deletes nothing', async () => {
    fs.writeFileSync(path.join(staticRoot(), 'stale-from-an-old-build.txt'), 'old');
    const before = listTree(staticRoot());
    const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.clearAndCollect', { confirm: false });
    assert.equal(result.status, 'declined', result.message);
    assert.equal(result.filesToDelete, before.length);
    assert.ok(result.confirmation?.includes(fs.realpathSync(staticRoot())), result.confirmation);
    assert.ok(result.confirmation?.includes(`${before.length} files`), result.confirmation);
    assert.deepEqual(listTree(staticRoot()), before, 'cancelling must leave every file in place');
  });

  it('Clear and Collect, confirmed, removes stale files and collects again', async () => {
    const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.clearAndCollect', { confirm: true });
    assert.equal(result.status, 'done', result.message);
    assert.deepEqual(listTree(staticRoot()), referenceCollect().files);
    assert.equal(result.outcome?.deleted, result.filesToDelete);
  });

  it('refuses to clear when STATIC_ROOT is the project folder, before asking', async () => {
    const settingsFile = wsPath('demo', 'settings_danger.py');
    fs.writeFileSync(settingsFile, 'from .settings import *\nSTATIC_ROOT = BASE_DIR\n');
    const config = vscode.workspace.getConfiguration('djangoStatic');
    await config.update('settingsModule', 'demo.settings_danger', vscode.ConfigurationTarget.Workspace);
    try {
      const before = listTree(workspaceRoot());
      const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.clearAndCollect', { confirm: true });
      assert.equal(result.status, 'refused', result.message);
      assert.match(result.message, /project folder itself/);
      assert.equal(result.confirmation, undefined, 'must refuse before asking');
      assert.deepEqual(listTree(workspaceRoot()), before);
    } finally {
      await config.update('settingsModule', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(settingsFile);
    }
  });

  it('shows one clear message when STATIC_ROOT is not set', async () => {
    const settingsFile = wsPath('demo', 'settings_noroot.py');
    fs.writeFileSync(settingsFile, 'from .settings import *\nSTATIC_ROOT = None\n');
    const config = vscode.workspace.getConfiguration('djangoStatic');
    await config.update('settingsModule', 'demo.settings_noroot', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.collectStatic');
      assert.equal(result.status, 'failed');
      assert.equal(result.outcome?.failure?.kind, 'static-root-unset');
      assert.match(result.message, /STATIC_ROOT is not set/);
    } finally {
      await config.update('settingsModule', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(settingsFile);
    }
  });

  it('shows the server report in a panel, and a settings code lens opens it filtered to its source', async () => {
    const { api } = await activateAndLearn();
    // The report gains its reference findings once the workspace check has read every template and CSS/JS
    // file (until then it says they are pending): compare the shown report with the summary after that.
    const project = await waitFor(() => api.projects().find((p) => p.referenceFindings), 'the reference findings', 60000);
    const whole = await vscode.commands.executeCommand<ShownReport>('djangoStatic.showReport');
    assert.ok(project.reportMarkdown.length > 0, 'empty report');
    assert.equal(whole.markdown, project.reportMarkdown);
    assert.equal(whole.filteredTo, null);
    assert.ok(!whole.html.includes('class="filter"'), 'the whole report has no "show all" bar');

    // The lens on the 'legacy' app, clicked as VS Code clicks it: its command with its arguments.
    const settings = await vscode.workspace.openTextDocument(vscode.Uri.file(wsPath('demo', 'settings.py')));
    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', settings.uri);
      return lenses?.find((l) => settings.getText(l.range) === "'legacy'" && l.command);
    }, 'the lens on legacy');
    const filtered = await vscode.commands.executeCommand<ShownReport>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(filtered.filteredTo, "app 'legacy'");
    // legacy's css/site.css loses to assets/css/site.css; nothing of the other sources is listed.
    assert.match(filtered.markdown, /## What shadows it \(1\)\n\n- `css\/site\.css`: `[^`]*assets\/css\/site\.css`/);
    assert.ok(!filtered.markdown.includes('print.css'), 'only the filtered source');
    assert.match(filtered.html, /Filtered to <strong>app &#39;legacy&#39;<\/strong> — <button id="show-all"/);
    const counts = /^(\d+) files? · shadows (\d+) · shadowed by (\d+)$/.exec(lens.command!.title)!;
    assert.match(filtered.markdown, new RegExp(`## Files it provides \\(${counts[1]}\\)`));
    assert.match(filtered.markdown, new RegExp(`## What shadows it \\(${counts[3]}\\)`));
  });
});
