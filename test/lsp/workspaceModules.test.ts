import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectModel } from '../../server/src/engine/model';
import { model as fixtureModel } from '../unit/indexFixtures';
import { parseManifest, readManifest } from '../../server/src/workspace/manifest';
import { discoverTemplates, templateDirs } from '../../server/src/workspace/templates';
import { FileChange, TreeWatcher } from '../../server/src/workspace/watcher';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function model(projectDir: string, overrides: Partial<ProjectModel> = {}): ProjectModel {
  return { ...fixtureModel([]), projectDir, managePy: path.join(projectDir, 'manage.py'), settingsModule: 'proj.settings', ...overrides };
}

describe('workspace modules', () => {
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  describe('manifest', () => {
    it('parses staticfiles.json paths and rejects anything else', async () => {
      assert.deepEqual([...parseManifest('{"paths": {"a.css": "a.123.css", "n": 1}, "version": "1.1"}', '5.2')!], [['a.css', 'a.123.css']]);
      assert.equal(parseManifest('not json', '5.2'), undefined);
      assert.equal(parseManifest('[1,2]', '5.2'), undefined);
      assert.equal(parseManifest('{"paths": [], "version": "1.0"}', '5.2'), undefined);
      assert.equal(parseManifest('{"paths": {}}', '5.2'), undefined);
      assert.equal(parseManifest('null', '5.2'), undefined);
      assert.equal(await readManifest(null, '5.2'), undefined);
      assert.equal(await readManifest('/nonexistent/folder', '5.2'), undefined);
    });
  });

  describe('templates', () => {
    it('uses DIRS and app template folders inside the workspace, template globs, minus ignore globs', async () => {
      const root = tree({
        'templates/base.html': '',
        'templates/emails/welcome.txt': '',
        'templates/node_modules/pkg/x.html': '',
        'templates/static.css': '',
        'blog/templates/blog/list.html': '',
        'jinja/page.j2': '',
        'other/templates/not-an-app.html': '',
      });
      made.push(root);
      const outside = tree({ 'templates/admin/base.html': '' });
      made.push(outside);
      const m = model(root, {
        templates: [
          {
            backend: 'django.template.backends.django.DjangoTemplates',
            jinja: false,
            dirs: [path.join(root, 'templates')],
            appDirs: true,
            builtins: [],
          },
        ],
        finders: [
          {
            kind: 'app',
            className: 'django.contrib.staticfiles.finders.AppDirectoriesFinder',
            apps: [
              {
                name: 'blog',
                label: 'blog',
                path: path.join(root, 'blog'),
                staticDir: null,
                templatesDir: path.join(root, 'blog/templates'),
              },
              { name: 'admin', label: 'admin', path: outside, staticDir: null, templatesDir: path.join(outside, 'templates') },
            ],
          },
        ],
      });
      assert.deepEqual(templateDirs(m, [root]), [path.join(root, 'templates'), path.join(root, 'blog/templates')]);
      const found = await discoverTemplates(m, { templateGlobs: ['jinja/**/*.j2'], ignoreGlobs: ['**/node_modules/**'] }, [root]);
      assert.deepEqual(
        found.map((f) => path.relative(root, f)),
        ['blog/templates/blog/list.html', 'jinja/page.j2', 'templates/base.html', 'templates/emails/welcome.txt'],
      );
    });

    it('falls back to every templates/ folder when the model names none', async () => {
      const root = tree({ 'a/templates/x.html': '', 'b/templates/sub/y.htm': '', 'c/z.html': '' });
      made.push(root);
      const found = await discoverTemplates(model(root), { templateGlobs: [], ignoreGlobs: [] });
      assert.deepEqual(
        found.map((f) => path.relative(root, f)),
        ['a/templates/x.html', 'b/templates/sub/y.htm'],
      );
    });
  });

  describe('TreeWatcher', () => {
    /** Waits up to 3 s for `predicate`, naming the events seen so far when it never holds. */
    const eventually = async (events: FileChange[], predicate: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + 3000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`no event: ${what}; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    it('reports created, changed and deleted files, new folders and their contents, folder deletions', async () => {
      const root = tree({ 'static/css/a.css': '', 'static/node_modules/x.js': '' });
      made.push(root);
      const events: FileChange[] = [];
      const watcher = new TreeWatcher((changes) => events.push(...changes), { skipDirNames: new Set(['node_modules']), debounceMs: 10 });
      await watcher.setTargets([{ dir: path.join(root, 'static'), recursive: true }]);
      assert.equal(watcher.watchedFolderCount, 2, 'static and static/css; node_modules skipped');
      const waitFor = (predicate: () => boolean, what: string) => eventually(events, predicate, what);
      const has = (rel: string, kind: FileChange['kind']) => () => events.some((e) => e.path === path.join(root, rel) && e.kind === kind);

      fs.writeFileSync(path.join(root, 'static/css/b.css'), 'x');
      await waitFor(has('static/css/b.css', 'created'), 'created b.css');
      fs.mkdirSync(path.join(root, 'static/img'));
      await waitFor(has('static/img', 'created'), 'created folder');
      fs.writeFileSync(path.join(root, 'static/img/logo.svg'), '<svg/>');
      await waitFor(has('static/img/logo.svg', 'created'), 'file in the new folder');
      fs.rmSync(path.join(root, 'static/css'), { recursive: true });
      await waitFor(has('static/css', 'deleted'), 'deleted folder');
      fs.writeFileSync(path.join(root, 'static/node_modules/y.js'), '');
      await new Promise((r) => setTimeout(r, 150));
      assert.ok(!events.some((e) => e.path.includes('node_modules/y.js')), 'skipped folders stay unwatched');
      watcher.dispose();
    });

    it('reports a folder that appears while the targets are being set up again', async () => {
      const root = tree({ 'manage.py': '' });
      made.push(root);
      const events: FileChange[] = [];
      // A long debounce: the folder's event is flushed only after the second setTargets has watched it.
      const watcher = new TreeWatcher((changes) => events.push(...changes), { debounceMs: 300 });
      const targets = [
        { dir: root, recursive: false },
        { dir: path.join(root, 'vendor'), recursive: true },
      ];
      await watcher.setTargets(targets);
      fs.mkdirSync(path.join(root, 'vendor/htmx'), { recursive: true });
      fs.writeFileSync(path.join(root, 'vendor/htmx/htmx.js'), '');
      await watcher.setTargets(targets);
      await eventually(events, () => events.some((e) => e.path === path.join(root, 'vendor') && e.kind === 'created'), 'the new folder');
      watcher.dispose();
    });

    it('polls folders past the watch limit and still reports changes there', async () => {
      const root = tree({ 'static/a/x.css': '', 'static/b/y.css': '' });
      made.push(root);
      const events: FileChange[] = [];
      const watcher = new TreeWatcher((changes) => events.push(...changes), { maxWatchedFolders: 1, pollMs: 50, debounceMs: 10 });
      await watcher.setTargets([{ dir: path.join(root, 'static'), recursive: true }]);
      assert.equal(watcher.watchedFolderCount, 3);
      assert.equal(watcher.polledFolderCount, 2);
      const waitFor = (predicate: () => boolean, what: string) => eventually(events, predicate, what);
      const has = (rel: string, kind: FileChange['kind']) => () => events.some((e) => e.path === path.join(root, rel) && e.kind === kind);
      fs.writeFileSync(path.join(root, 'static/b/z.css'), '');
      await waitFor(has('static/b/z.css', 'created'), 'created in a polled folder');
      fs.unlinkSync(path.join(root, 'static/a/x.css'));
      await waitFor(has('static/a/x.css', 'deleted'), 'deleted in a polled folder');
      watcher.dispose();
    });
  });
});
