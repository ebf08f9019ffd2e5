/**
 * Editor features inside CSS and JS files of a static source, resolved the way the storage's patterns and
 * url_converter read them (relative to the file's destination, STATIC_URL-absolute against the root).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupContent } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { createLanguageService, ServiceContext } from '../../../server/src/service/index';
import { assetDocumentsReferencing } from '../../../server/src/workspace/assetDocuments';
import type { WorkspaceProject } from '../../../server/src/workspace/projectManager';
import { PNG } from './fixture';
import { docOf, docWithCursor, makeContext, removeTrees } from './helpers';

const service = createLanguageService();

const FILES: Record<string, string | Buffer> = {
  'assets/css/site.css': '',
  'assets/css/print.css': '',
  'assets/css/parts/grid.css': '',
  'assets/img/logo.png': PNG,
  'assets/js/app.js': '',
  'assets/js/lib.js': '',
  'vendor/widget/widget.css': '',
  'vendor/widget/w.png': PNG,
  'blog/static/blog/blog.css': '',
  // Not namespaced: the same destination as assets/css/print.css, which wins.
  'blog/static/css/print.css': '',
  'loose/loose.css': '',
  'assets/css/refs/named.css': '.n { background: url(../../img/logo.png); }',
  'assets/css/refs/escaped.css': '.e { background: url(../../img/%6Cogo.png); }',
  'assets/css/refs/other.css': '.o { background: url(../../img/other.png); width: 100%; }',
  'proj_storage.py':
    'from django.contrib.staticfiles.storage import ManifestStaticFilesStorage\n\n' +
    'class JsStorage(ManifestStaticFilesStorage):\n    support_js_module_import_aggregation = True\n',
};

async function context(djangoVersion = '4.2.16', storage?: string): Promise<ServiceContext & { root: string }> {
  const ctx = await makeContext(FILES, { dirs: ['assets', ['vendor', 'vendor']], apps: ['blog'], manifestStorage: true, djangoVersion });
  if (storage) ctx.model.storage = storage;
  return ctx;
}

/** A document of the file at `rel` in the tree, its text with a `|` cursor. */
function at(ctx: { root: string }, rel: string, text: string) {
  const languageId = rel.endsWith('.css') ? 'css' : 'javascript';
  return docWithCursor(text, languageId, URI.file(path.join(ctx.root, rel)).toString());
}

function labels(ctx: ServiceContext & { root: string }, rel: string, text: string): string[] {
  const { doc, pos } = at(ctx, rel, text);
  return service.doComplete(doc, pos, ctx).items.map((i) => i.label);
}

function definition(ctx: ServiceContext & { root: string }, rel: string, text: string): string[] {
  const { doc, pos } = at(ctx, rel, text);
  return service.findDefinition(doc, pos, ctx).map((l) => path.relative(ctx.root, URI.parse(l.uri).fsPath));
}

function hover(ctx: ServiceContext & { root: string }, rel: string, text: string): string {
  const { doc, pos } = at(ctx, rel, text);
  return String((service.doHover(doc, pos, ctx)?.contents as MarkupContent | undefined)?.value ?? '');
}

describe('language service: CSS and JS references as the storage reads them', () => {
  let ctx: ServiceContext & { root: string };
  before(async () => {
    ctx = await context();
  });
  after(removeTrees);

  it('completes inside url(), @import and source maps from the folder the URL names, relative to the file', () => {
    const css = 'assets/css/site.css';
    assert.deepEqual(labels(ctx, css, '.a { background: url(../img/|); }'), ['logo.png']);
    assert.deepEqual(labels(ctx, css, '.a { background: url("|"); }'), ['parts/', 'print.css', 'refs/', 'site.css']);
    assert.deepEqual(labels(ctx, css, '@import "parts/|";'), ['grid.css']);
    assert.deepEqual(labels(ctx, css, '/*# sourceMappingURL=parts/| */'), ['grid.css']);
    // STATIC_URL-absolute: against the static root; a prefixed source's files are below their prefix.
    assert.deepEqual(labels(ctx, css, '.a { background: url(/static/vendor/widget/|); }'), ['w.png', 'widget.css']);
    assert.ok(labels(ctx, css, '.a { background: url(/static/|); }').includes('blog/'));
    // Left alone by collectstatic: nothing to complete.
    assert.deepEqual(labels(ctx, css, '.a { background: url(https://cdn.example/|); }'), []);
    assert.deepEqual(labels(ctx, css, '.a { background: url(/elsewhere/|); }'), []);
    assert.deepEqual(labels(ctx, css, '.a { color: red; }|'), []);
    // In a prefixed source the file's destination is below the prefix.
    assert.deepEqual(labels(ctx, 'vendor/widget/widget.css', '.w { background: url(|); }'), ['w.png', 'widget.css']);
  });

  it('goes to the file the storage would look up, and links it', () => {
    assert.deepEqual(definition(ctx, 'assets/css/site.css', '.a { background: url(../img/lo|go.png); }'), ['assets/img/logo.png']);
    assert.deepEqual(definition(ctx, 'assets/css/parts/grid.css', '@import url("../../img/logo.png?v=2#x|");'), ['assets/img/logo.png']);
    assert.deepEqual(definition(ctx, 'blog/static/blog/blog.css', '.b { background: url(/static/img/|logo.png); }'), [
      'assets/img/logo.png',
    ]);
    assert.deepEqual(definition(ctx, 'assets/css/site.css', '.a { background: url(data:image/png;base64,AA|AA); }'), []);
    const doc = docOf(
      '.a { background: url(../img/logo.png); }\n.b { background: url(../img/nope.png); }\n@import "print.css";\n',
      'css',
      URI.file(path.join(ctx.root, 'assets/css/site.css')).toString(),
    );
    const links = service.findDocumentLinks(doc, ctx);
    assert.deepEqual(
      links.map((l) => [
        l.range.start.line,
        l.range.start.character,
        l.range.end.character,
        path.relative(ctx.root, URI.parse(l.target!).fsPath),
      ]),
      [
        [0, 21, 36, 'assets/img/logo.png'],
        [2, 9, 18, 'assets/css/print.css'],
      ],
    );
    // The publisher owns CSS/JS diagnostics (the whole-project replay): the template checks say nothing here.
    assert.deepEqual(service.doValidation(doc, ctx), []);
  });

  it('says in the hover what collectstatic looks up, or why it leaves the URL alone', () => {
    const found = hover(ctx, 'assets/css/site.css', '.a { background: url(../img/lo|go.png); }');
    assert.match(found, /looks up `img\/logo\.png` below STATIC_ROOT \(from `css\/site\.css`\) and writes its hashed name/);
    assert.match(
      hover(ctx, 'assets/css/site.css', '.a { background: url(data:image/png;base64,A|A); }'),
      /leaves this URL as written: it starts with a scheme/,
    );
    assert.match(hover(ctx, 'assets/css/site.css', '.a { background: url(/elsewhere/x|.png); }'), /absolute path outside STATIC_URL/);
    assert.match(hover(ctx, 'assets/css/site.css', '.a { background: url(../../../x|.png); }'), /escapes the static roots/);
    assert.doesNotMatch(found, /shadowed/);
    // The shadowed copy is read at its destination too, and the hover says collectstatic never processes it.
    assert.match(
      hover(ctx, 'blog/static/css/print.css', '.a { background: url(../img/lo|go.png); }'),
      /from `css\/print\.css`[\s\S]*This copy is shadowed by `assets\/css\/print\.css`: collectstatic copies and post-processes that one/,
    );
  });

  it('gives a CSS file outside every static source nothing (unknown is not missing)', () => {
    const { doc, pos } = at(ctx, 'loose/loose.css', '.a { background: url(../assets/img/lo|go.png); }');
    assert.deepEqual(service.doComplete(doc, pos, ctx).items, []);
    assert.deepEqual(service.findDefinition(doc, pos, ctx), []);
    assert.equal(service.doHover(doc, pos, ctx), null);
    assert.deepEqual(service.referencedPaths(doc, ctx), []);
    // Without a project no CSS file has references: its destination is not known.
    assert.deepEqual(service.referencedPaths(docOf('.a { background: url(x.png); }', 'css', 'file:///x/site.css')), []);
  });

  it('finds the references of a static file and rewrites them, relative to each file, when it moves', () => {
    const site = docOf(
      ".a { background: url(../img/logo.png?v=1); }\n.b { background: url('/static/img/logo.png'); }\n.c { background: url(./../img/logo.png); }\n",
      'css',
      URI.file(path.join(ctx.root, 'assets/css/site.css')).toString(),
    );
    const { doc, pos } = at(ctx, 'assets/css/site.css', site.getText().replace('logo.png?', 'lo|go.png?'));
    assert.equal(service.referencedPathAt(doc, pos, ctx), 'img/logo.png');
    assert.deepEqual(
      service.findReferencesTo(site, 'img/logo.png', ctx).map((l) => l.range.start.line),
      [0, 1, 2],
    );
    const plan = service.planRename(doc, pos, 'css/parts/brand.png', ctx);
    assert.ok(plan && 'move' in plan, JSON.stringify(plan));
    const edits = service.editsForMoves(site, [plan.move], ctx);
    assert.equal(
      TextDocument.applyEdits(site, edits),
      ".a { background: url(parts/brand.png?v=1); }\n.b { background: url('/static/css/parts/brand.png'); }\n.c { background: url(./parts/brand.png); }\n",
    );
    // A folder move that carries the CSS file too: the URL is relative to where the file will be.
    const grid = docOf(
      '.g { background: url(../../img/logo.png); }',
      'css',
      URI.file(path.join(ctx.root, 'assets/css/parts/grid.css')).toString(),
    );
    const moves = [
      { from: 'css', to: 'styles/v2', fromAbs: path.join(ctx.root, 'assets/css') },
      { from: 'img', to: 'images', fromAbs: path.join(ctx.root, 'assets/img') },
    ];
    assert.equal(
      TextDocument.applyEdits(grid, service.editsForMoves(grid, moves, ctx)),
      '.g { background: url(../../../images/logo.png); }',
    );
    // The CSS file alone moves: its relative URLs to files that stay are written from where it goes; absolute
    // ones and ones naming no file stay as they are.
    const own = docOf(
      ".o { background: url(../img/logo.png); }\n.p { background: url('/static/img/logo.png'); }\n.q { background: url(nope.png); }\n",
      'css',
      URI.file(path.join(ctx.root, 'assets/css/site.css')).toString(),
    );
    const self = [{ from: 'css/site.css', to: 'css/deep/er/site.css', fromAbs: path.join(ctx.root, 'assets/css/site.css') }];
    assert.equal(
      TextDocument.applyEdits(own, service.editsForMoves(own, self, ctx)),
      ".o { background: url(../../../img/logo.png); }\n.p { background: url('/static/img/logo.png'); }\n.q { background: url(nope.png); }\n",
    );
  });
});

describe('workspace: the CSS/JS files that reference a static file', () => {
  after(removeTrees);

  it('finds closed files from the sources, an escaped name too, and leaves files outside the workspace out', async () => {
    const ctx = await context();
    const project = { stage: 'final', model: ctx.model, index: ctx.index } as unknown as WorkspaceProject;
    const host = (roots: string[]) => ({
      service,
      projects: () => [project],
      roots: () => roots,
      openDocument: () => undefined,
      contextFor: () => ctx,
    });
    const found = assetDocumentsReferencing(host([ctx.root]), (p) => p === 'img/logo.png', ['logo.png']);
    assert.deepEqual(found.map((d) => path.relative(ctx.root, URI.parse(d.uri).fsPath)).sort(), [
      'assets/css/refs/escaped.css',
      'assets/css/refs/named.css',
    ]);
    assert.deepEqual(
      assetDocumentsReferencing(host([path.join(ctx.root, 'loose')]), (p) => p === 'img/logo.png', ['logo.png']),
      [],
    );
  });
});

describe('language service: CSS and JS references per Django version and storage', () => {
  after(removeTrees);
  const JS = '//# sourceMappingURL=lib.js|\n';

  it('reads source maps from 4.0 (CSS) and 4.1 (JS) on, as the version does', async () => {
    const old = await context('3.2.25');
    const now = await context('4.2.16');
    assert.deepEqual(definition(old, 'assets/css/site.css', '/*# sourceMappingURL=print.c|ss */'), []);
    assert.deepEqual(definition(now, 'assets/css/site.css', '/*# sourceMappingURL=print.c|ss */'), [
      'assets/css/print.css',
      'blog/static/css/print.css', // the shadowed copy follows the winner
    ]);
    // Django 3.2 post-processes no JS at all.
    assert.deepEqual(definition(old, 'assets/js/app.js', JS), []);
    assert.deepEqual(definition(now, 'assets/js/app.js', JS), ['assets/js/lib.js']);
  });

  it('reads JS imports only where the storage sets support_js_module_import_aggregation (4.2+), import*as from 5.0', async () => {
    const plain = await context('4.2.16');
    const js42 = await context('4.2.16', 'proj_storage.JsStorage');
    const js32 = await context('3.2.25', 'proj_storage.JsStorage');
    const js52 = await context('5.2.8', 'proj_storage.JsStorage');
    const named = 'import { a } from "./lib|.js";\n';
    assert.deepEqual(definition(plain, 'assets/js/app.js', named), []);
    assert.deepEqual(definition(js32, 'assets/js/app.js', named), []);
    assert.deepEqual(definition(js42, 'assets/js/app.js', named), ['assets/js/lib.js']);
    assert.deepEqual(labels(js42, 'assets/js/app.js', 'import("./|");'), ['app.js', 'lib.js']);
    // `import * as x` is matched by every 4.2+ pattern (a space follows `import`); 5.0 added the spaceless form.
    const star = 'import*as lib from "./lib|.js";\n';
    assert.deepEqual(definition(js42, 'assets/js/app.js', star), []);
    assert.deepEqual(definition(js52, 'assets/js/app.js', star), ['assets/js/lib.js']);
  });
});
