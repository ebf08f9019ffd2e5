import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, ServiceContext } from '../../../server/src/service/index';
import { demoContext } from './fixture';
import { docOf, docWithCursor, removeTrees } from './helpers';

const service = createLanguageService();

/** The document's text after the edits. */
function applied(doc: TextDocument, edits: ReturnType<typeof service.editsForMoves>): string {
  return TextDocument.applyEdits(doc, edits);
}

describe('language service: renaming static files', () => {
  let ctx: ServiceContext & { root: string };
  before(async () => {
    ctx = await demoContext();
  });
  after(removeTrees);

  it('rewrites the paths a moved file served, keeping quotes, leading slash and query', () => {
    const doc = docOf(
      [
        `{% load static %}`,
        `<script src="{% static 'js/app.js' %}"></script>`,
        `<script src="{% static "/js/app.js?v=3" %}"></script>`,
        `<script src="{% static 'js/app.jsx' %}"></script>`,
        `{{ static('js/app.js') }}`,
      ].join('\n'),
    );
    const move = { from: 'js/app.js', to: 'scripts/main.js', fromAbs: path.join(ctx.root, 'assets/js/app.js') };
    assert.equal(
      applied(doc, service.editsForMoves(doc, [move], ctx)),
      [
        `{% load static %}`,
        `<script src="{% static 'scripts/main.js' %}"></script>`,
        `<script src="{% static "/scripts/main.js?v=3" %}"></script>`,
        `<script src="{% static 'js/app.jsx' %}"></script>`,
        `{{ static('js/app.js') }}`, // not Jinja2 here: a Django template shows this text as is
      ].join('\n'),
    );
  });

  it('moves every path below a moved folder, in Jinja2 too', () => {
    const doc = docOf(`{{ static('js/app.js') }} {{ static("img/logo.png") }}`, 'jinja-html', 'file:///proj/templates/page.jinja');
    const move = { from: 'js', to: 'scripts/js', fromAbs: path.join(ctx.root, 'assets/js') };
    assert.equal(applied(doc, service.editsForMoves(doc, [move], ctx)), `{{ static('scripts/js/app.js') }} {{ static("img/logo.png") }}`);
  });

  it('leaves a path alone when another source still serves it or the file moving is not the one served', () => {
    const doc = docOf(`{% load static %}{% static 'css/site.css' %}`);
    // legacy/static/css/site.css is shadowed by assets/css/site.css: moving either leaves css/site.css served.
    for (const fromAbs of [path.join(ctx.root, 'assets/css/site.css'), path.join(ctx.root, 'legacy/static/css/site.css')]) {
      assert.deepEqual(service.editsForMoves(doc, [{ from: 'css/site.css', to: 'css/main.css', fromAbs }], ctx), []);
    }
  });

  it('prepares a rename on a path naming one file, and says why it refuses the others', () => {
    const prepare = (text: string) => {
      const { doc, pos } = docWithCursor(text);
      return service.prepareRename(doc, pos, ctx);
    };
    assert.deepEqual(prepare(`{% load static %}{% static 'js/a|pp.js' %}`), {
      range: { start: { line: 0, character: 28 }, end: { line: 0, character: 37 } },
      placeholder: 'js/app.js',
    });
    assert.match(
      String((prepare(`{% load static %}{% static 'css/si|te.css' %}`) as { message: string }).message),
      /provided by 2 sources/,
    );
    assert.match(String((prepare(`{% load static %}{% static 'css/nope|.css' %}`) as { message: string }).message), /not a static file/);
    assert.equal(prepare(`{% load static %}<p>|</p>`), null);
  });

  it('plans the file move for a new path inside the same source, and refuses paths it cannot serve', () => {
    const plan = (newName: string, at = `{% load static %}{% static 'js/a|pp.js' %}`) => {
      const { doc, pos } = docWithCursor(at);
      return service.planRename(doc, pos, newName, ctx);
    };
    assert.deepEqual(plan('/scripts/main.js'), {
      move: { from: 'js/app.js', to: 'scripts/main.js', fromAbs: path.join(ctx.root, 'assets/js/app.js') },
      toAbs: path.join(ctx.root, 'assets/scripts/main.js'),
    });
    assert.match((plan('css/print.css') as { message: string }).message, /already exists \(STATICFILES_DIRS\[0\]/);
    assert.match((plan('css') as { message: string }).message, /already exists as a folder/);
    assert.match((plan('js/app.js') as { message: string }).message, /current path/);
    assert.match((plan('../x.js') as { message: string }).message, /not a static path/);
    const vendor = `{% load static %}{% static 'vendor/htmx/htm|x.min.js' %}`;
    assert.match((plan('htmx.js', vendor) as { message: string }).message, /outside the 'vendor' prefix/);
    assert.deepEqual((plan('vendor/htmx.js', vendor) as { toAbs: string }).toAbs, path.join(ctx.root, 'vendor/htmx.js'));
  });
});
