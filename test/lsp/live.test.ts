import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, FileChangeType, FileSystemWatcher } from 'vscode-languageserver-protocol/node';
import { Methods, ProjectSummary, StaticFileItem } from '../../server/src/protocol';
import { copyDemo, ensureBuilt, LspClient, removeCopy } from './lspClient';

const hasMissing = (d: Diagnostic[]): boolean => d.some((x) => x.code === 'missing-file');

/** Milliseconds from `action` until the diagnostics of `file` satisfy `predicate`. */
async function timeUntil(
  client: LspClient,
  file: string,
  what: string,
  predicate: (d: Diagnostic[]) => boolean,
  action: () => void,
): Promise<number> {
  const started = Date.now();
  action();
  await client.waitForDiagnostics(file, what, predicate, 10000);
  return Date.now() - started;
}

async function pollUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('language server: live updates from the file system', function () {
  this.timeout(60000);
  before(() => ensureBuilt());

  describe('with its own watcher (client cannot watch files)', () => {
    let root: string;
    let client: LspClient;
    let broken: string;
    before(async function () {
      this.timeout(120000);
      root = copyDemo();
      broken = path.join(root, 'templates/broken.html');
      client = await LspClient.start({ root, clientWatches: false });
      await client.waitForProjects();
      await client.waitForDiagnostics(broken, 'initial missing-file', hasMissing);
      // The watcher walks the trees in the background after learning; changes count from when it is ready.
      await client.waitFor('own watcher ready', () => client.logs.find((l) => /Watching \d+ folders/.test(l)));
    });
    after(async () => {
      await client?.stop();
      if (root) removeCopy(root);
    });

    it('does not ask the client to watch and watches the static roots itself', () => {
      assert.equal(client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length, 0);
      assert.ok(
        client.logs.some((l) => /Watching \d+ folders/.test(l)),
        client.logs.join('\n'),
      );
    });

    it('drops the missing-file diagnostic when the file is added and brings it back on delete', async () => {
      const added = path.join(root, 'assets/css/sites.css');
      const addMs = await timeUntil(
        client,
        broken,
        'missing-file gone',
        (d) => !hasMissing(d),
        () => fs.writeFileSync(added, 'body{}'),
      );
      const deleteMs = await timeUntil(client, broken, 'missing-file back', hasMissing, () => fs.unlinkSync(added));
      console.log(`      own watcher: add → diagnostics ${addMs} ms, delete → diagnostics ${deleteMs} ms`);
    });

    it('announces the new file count after static files change', async () => {
      const seen = client.projectsChanged.length;
      const before = client.projectsChanged[seen - 1][0].fileCount;
      fs.writeFileSync(path.join(root, 'assets/css/counted.css'), '');
      const after = await client.waitForProjects(seen, 5000);
      assert.equal(after[0].fileCount, before + 1);
      fs.unlinkSync(path.join(root, 'assets/css/counted.css'));
      const again = await client.waitForProjects(seen + 1, 5000);
      assert.equal(again[0].fileCount, before);
    });

    it('follows a rename of a referenced file and of a whole folder', async () => {
      const base = path.join(root, 'templates/base.html');
      const cssDir = path.join(root, 'assets/css');
      fs.renameSync(path.join(cssDir, 'print.css'), path.join(cssDir, 'print2.css'));
      await client.waitForDiagnostics(base, 'css/print.css missing after rename', hasMissing);
      fs.renameSync(path.join(cssDir, 'print2.css'), path.join(cssDir, 'print.css'));
      await client.waitForDiagnostics(base, 'css/print.css back', (d) => !hasMissing(d));

      // A folder moved away and back: every file below it leaves and returns.
      const jsDir = path.join(root, 'assets/js');
      const moved = path.join(root, 'assets-js-away');
      fs.renameSync(jsDir, moved);
      await client.waitForDiagnostics(base, 'js/app.js missing after the folder moved', hasMissing);
      fs.renameSync(moved, jsDir);
      await client.waitForDiagnostics(base, 'js/app.js back with its folder', (d) => !hasMissing(d));
    });

    it('indexes files in a folder created after start-up', async () => {
      const dir = path.join(root, 'assets/fresh/deeper');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'new.js'), '1');
      const deadline = Date.now() + 5000;
      let files: StaticFileItem[] = [];
      while (Date.now() < deadline) {
        files = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: root });
        if (files.some((f) => f.path === 'fresh/deeper/new.js')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(
        files.some((f) => f.path === 'fresh/deeper/new.js'),
        'new file in a new folder is indexed',
      );
      // And a later file in that new folder is seen too (the new folder is watched).
      fs.writeFileSync(path.join(dir, 'later.js'), '2');
      const later = Date.now() + 5000;
      while (Date.now() < later) {
        files = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: root });
        if (files.some((f) => f.path === 'fresh/deeper/later.js')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(
        files.some((f) => f.path === 'fresh/deeper/later.js'),
        'file added later in the new folder is indexed',
      );
    });

    it('re-learns the project when its settings change', async () => {
      const seen = client.projectsChanged.length;
      fs.mkdirSync(path.join(root, 'extra/css'), { recursive: true });
      fs.writeFileSync(path.join(root, 'extra/css/extra.css'), 'p{}');
      const settings = path.join(root, 'demo/settings.py');
      fs.appendFileSync(settings, "\nSTATICFILES_DIRS += [('extra', BASE_DIR / 'extra')]\n");
      // Other notices (file counts) may come first: wait for the re-learned index itself.
      await pollUntil(
        async () => {
          const files = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: root });
          return files.some((f) => f.path === 'extra/css/extra.css');
        },
        'the new STATICFILES_DIRS entry to be indexed',
        30000,
      );
      assert.ok(client.projectsChanged.length > seen, 'the re-learn was announced');
      assert.match(client.projectsChanged[client.projectsChanged.length - 1][0].reportMarkdown, /extra/);
    });

    it('sees files appear in a symlinked folder inside a static root', async () => {
      const outside = path.join(path.dirname(root), 'outside-linked');
      fs.mkdirSync(outside, { recursive: true });
      fs.symlinkSync(outside, path.join(root, 'assets/linked'));
      const page = path.join(root, 'templates/linked.html');
      fs.writeFileSync(page, '{% load static %}<link href="{% static \'linked/new.css\' %}">\n');
      await client.waitForDiagnostics(page, 'missing linked/new.css', hasMissing);
      // The link itself appeared after start-up: wait until its folder is indexed and watched.
      await new Promise((r) => setTimeout(r, 300));
      fs.writeFileSync(path.join(outside, 'new.css'), 'a{}');
      await client.waitForDiagnostics(page, 'linked/new.css found through the link', (d) => !hasMissing(d));
    });

    it('reads STATIC_ROOT/staticfiles.json when collectstatic writes it, and again when it changes', async () => {
      const staticRoot = path.join(root, 'collected_static');
      const manifestEntries = async (): Promise<string | undefined> => {
        const [summary] = await client.request<ProjectSummary[]>(Methods.projects, {});
        return /\*\*Manifest:\*\* (\d+) entries/.exec(summary.reportMarkdown)?.[1];
      };
      assert.equal(await manifestEntries(), undefined);
      const watchLogs = (): number => client.logs.filter((l) => /Watching \d+ folders/.test(l)).length;
      const before = watchLogs();
      fs.mkdirSync(staticRoot);
      fs.writeFileSync(
        path.join(staticRoot, 'staticfiles.json'),
        JSON.stringify({ paths: { 'css/site.css': 'css/site.0123456789ab.css' }, version: '1.0' }),
      );
      await pollUntil(async () => (await manifestEntries()) === '1', 'manifest with 1 entry');
      // The new STATIC_ROOT is watched once the watcher has re-walked its targets.
      await client.waitFor('watcher updated for STATIC_ROOT', () => (watchLogs() > before ? true : undefined));
      fs.writeFileSync(
        path.join(staticRoot, 'staticfiles.json'),
        JSON.stringify({ paths: { 'css/site.css': 'css/site.0123456789ab.css', 'js/app.js': 'js/app.ba9876543210.js' }, version: '1.0' }),
      );
      await pollUntil(async () => (await manifestEntries()) === '2', 'manifest with 2 entries');
    });

    it('re-checks a closed template edited on disk', async () => {
      const noLoad = path.join(root, 'templates/no_load.html');
      await client.waitForDiagnostics(noLoad, 'missing-load', (d) => d.some((x) => x.code === 'missing-load'));
      const original = fs.readFileSync(noLoad, 'utf8');
      fs.writeFileSync(noLoad, original.replace('{% block content %}', '{% load static %}{% block content %}'));
      await client.waitForDiagnostics(noLoad, 'missing-load gone', (d) => !d.some((x) => x.code === 'missing-load'));
      fs.writeFileSync(noLoad, original);
      await client.waitForDiagnostics(noLoad, 'missing-load back', (d) => d.some((x) => x.code === 'missing-load'));
    });

    it('shows a new template on disk without opening it', async () => {
      const fresh = path.join(root, 'templates/fresh.html');
      fs.writeFileSync(fresh, '{% load static %}<link href="{% static \'css/nothing-here.css\' %}">\n');
      await client.waitForDiagnostics(fresh, 'missing-file in a new template', hasMissing);
      fs.unlinkSync(fresh);
      await client.waitForDiagnostics(fresh, 'cleared after delete', (d) => d.length === 0);
    });
  });

  describe('with the client watching (didChangeWatchedFiles)', () => {
    let root: string;
    let client: LspClient;
    let broken: string;
    before(async function () {
      this.timeout(120000);
      root = copyDemo();
      broken = path.join(root, 'templates/broken.html');
      client = await LspClient.start({ root, clientWatches: true });
      await client.waitForProjects();
      await client.waitForDiagnostics(broken, 'initial missing-file', hasMissing);
    });
    after(async () => {
      await client?.stop();
      if (root) removeCopy(root);
    });

    it('registers watchers for the static roots, templates and settings instead of watching itself', async () => {
      const registration = await client.waitFor('a didChangeWatchedFiles registration', () =>
        client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
      );
      const watchers = (registration.registerOptions as { watchers: FileSystemWatcher[] }).watchers;
      const bases = watchers.map((w) => (typeof w.globPattern === 'string' ? w.globPattern : String(w.globPattern.baseUri)));
      assert.ok(
        bases.some((b) => b.endsWith('/demo/assets')),
        bases.join('\n'),
      );
      assert.ok(
        bases.some((b) => b.endsWith('/demo/vendor')),
        bases.join('\n'),
      );
      assert.ok(
        bases.some((b) => b.endsWith('/demo/demo')),
        'the settings folder',
      );
      assert.ok(!client.logs.some((l) => /Watching \d+ folders/.test(l)), 'no own watcher');
    });

    it('updates diagnostics from the events the client sends', async () => {
      const added = path.join(root, 'assets/css/sites.css');
      fs.writeFileSync(added, 'body{}');
      const addMs = await timeUntil(
        client,
        broken,
        'missing-file gone',
        (d) => !hasMissing(d),
        () => client.sendWatchedFile(added, FileChangeType.Created),
      );
      fs.unlinkSync(added);
      const deleteMs = await timeUntil(client, broken, 'missing-file back', hasMissing, () =>
        client.sendWatchedFile(added, FileChangeType.Deleted),
      );
      console.log(`      client events: add → diagnostics ${addMs} ms, delete → diagnostics ${deleteMs} ms`);
    });

    it('re-checks the templates using a static root that is deleted and comes back', async () => {
      const base = path.join(root, 'templates/base.html');
      const vendor = path.join(root, 'vendor');
      const away = path.join(root, 'vendor-away');
      const vendorMissing = (d: Diagnostic[]) => d.some((x) => x.code === 'missing-file' && String(x.message).includes('vendor/htmx'));
      fs.renameSync(vendor, away);
      client.sendWatchedFile(vendor, FileChangeType.Deleted);
      await client.waitForDiagnostics(base, 'vendor/htmx missing', vendorMissing);
      fs.renameSync(away, vendor);
      client.sendWatchedFile(vendor, FileChangeType.Created);
      await client.waitForDiagnostics(base, 'vendor/htmx back', (d) => !vendorMissing(d));
    });

    it('handles a folder deletion reported as one event', async () => {
      const base = path.join(root, 'templates/base.html');
      const jsDir = path.join(root, 'assets/js');
      const moved = path.join(root, 'js-away');
      fs.renameSync(jsDir, moved);
      client.sendWatchedFile(jsDir, FileChangeType.Deleted);
      await client.waitForDiagnostics(base, 'js/app.js missing', hasMissing);
      fs.renameSync(moved, jsDir);
      client.sendWatchedFile(jsDir, FileChangeType.Created);
      await client.waitForDiagnostics(base, 'js/app.js back', (d) => !hasMissing(d));
    });
  });
});
