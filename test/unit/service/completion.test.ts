import * as assert from 'node:assert/strict';
import { CompletionItem, CompletionItemKind, InsertTextFormat, TextEdit } from 'vscode-languageserver-types';
import { createLanguageService, ServiceContext } from '../../../server/src/service/index';
import { docWithCursor, makeContext, removeTrees } from './helpers';
import { demoContext } from './fixture';

const service = createLanguageService();

function complete(ctx: ServiceContext, text: string, languageId = 'django-html') {
  const { doc, pos } = docWithCursor(text, languageId);
  return { doc, items: service.doComplete(doc, pos, ctx).items };
}

function byLabel(items: CompletionItem[], label: string): CompletionItem {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
  return item;
}

/** Documentation (like a file's detail) is left out of the list and filled in by completionItem/resolve. */
function documentationOf(ctx: ServiceContext, item: CompletionItem): string | undefined {
  assert.equal(item.documentation, undefined, 'the list itself carries no documentation');
  const resolved = service.resolveCompletionItem(item, ctx).documentation;
  return resolved === undefined ? undefined : (resolved as { value: string }).value;
}

function editOf(item: CompletionItem): TextEdit {
  return item.textEdit as TextEdit;
}

describe('service/completion', () => {
  let ctx: ServiceContext;
  before(async () => {
    ctx = await demoContext();
  });
  after(removeTrees);

  it('offers the top-level folders of every source, each continuing into the folder', () => {
    const { items } = complete(ctx, `{% load static %}{% static '|' %}`);
    assert.deepEqual(items.map((i) => i.label).sort(), ['.well-known/', 'backup.css~', 'blog/', 'css/', 'img/', 'js/', 'vendor/']);
    const css = byLabel(items, 'css/');
    assert.equal(css.kind, CompletionItemKind.Folder);
    assert.equal(editOf(css).newText, 'css/');
    assert.equal(css.command?.command, 'editor.action.triggerSuggest');
    assert.match(css.detail ?? '', /assets/);
    assert.match(css.detail ?? '', /legacy/);
    assert.match(byLabel(items, 'vendor/').detail ?? '', /vendor/);
  });

  it('lists files of a folder with source and size, marking shadowed copies', () => {
    const { doc, items } = complete(ctx, `{% load static %}{% static 'css/|' %}`);
    const site = byLabel(items, 'site.css');
    assert.equal(site.kind, CompletionItemKind.File);
    assert.equal(site.detail, undefined, 'size and source come with completionItem/resolve');
    assert.equal(service.resolveCompletionItem(site, ctx).detail, 'assets/ · 6 B');
    const docs = documentationOf(ctx, site) ?? '';
    assert.match(docs, /Shadowed/);
    assert.match(docs, /legacy/);
    const edit = editOf(site);
    assert.equal(doc.getText(edit.range), '');
    assert.equal(edit.range.start.character, `{% load static %}{% static 'css/`.length);
    assert.equal(documentationOf(ctx, byLabel(items, 'print.css')), undefined);
  });

  it('replaces the typed partial segment, up to the closing quote', () => {
    const { doc, items } = complete(ctx, `{% load static %}{% static "css/si|te.css" %}`);
    const edit = editOf(byLabel(items, 'site.css'));
    assert.equal(doc.getText(edit.range), 'site.css');
  });

  it('previews images as markdown', () => {
    const { items } = complete(ctx, `{% load static %}{% static 'img/|' %}`);
    const logo = byLabel(items, 'logo.png');
    assert.match(documentationOf(ctx, logo) ?? '', /!\[img\/logo\.png\]\(file:\/\/\/.*assets\/img\/logo\.png\)/);
  });

  it('walks into prefixed folders and app folders', () => {
    assert.deepEqual(complete(ctx, `{% static 'vendor/|' %}`).items.map((i) => i.label), ['htmx/']);
    assert.deepEqual(complete(ctx, `{% static 'vendor/htmx/h|' %}`).items.map((i) => i.label), ['htmx.min.js']);
    assert.deepEqual(complete(ctx, `{% static 'blog/css/|' %}`).items.map((i) => i.label), ['blog.css']);
  });

  it('completes while the tag is still unterminated, and in _("…")', () => {
    assert.ok(complete(ctx, `{% static "css/|`).items.some((i) => i.label === 'site.css'));
    assert.ok(complete(ctx, `{% static _("css/|") %}`).items.some((i) => i.label === 'site.css'));
  });

  it('offers nothing for unknown folders, escaping paths, comments, verbatim and plain text', () => {
    assert.equal(complete(ctx, `{% static 'nope/|' %}`).items.length, 0);
    assert.equal(complete(ctx, `{% static '../|' %}`).items.length, 0);
    assert.equal(complete(ctx, `{# {% static 'css/|' %} #}`).items.length, 0);
    assert.equal(complete(ctx, `{% comment %}\n{% static 'css/|' %}\n{% endcomment %}`).items.length, 0);
    assert.equal(complete(ctx, `{% verbatim %}{% static 'css/|' %}{% endverbatim %}`).items.length, 0);
    assert.equal(complete(ctx, `<a href='css/|'>`).items.length, 0);
    assert.equal(complete(ctx, `{% static 'css/site.css' %} '|`).items.length, 0);
  });

  it('does not double the slash when a folder is chosen before an existing one', () => {
    const { items } = complete(ctx, `{% static 'c|/site.css' %}`);
    assert.equal(editOf(byLabel(items, 'css/')).newText, 'css');
  });

  it('completes Jinja2 static() calls', () => {
    const { items } = complete(ctx, `{{ static('css/|') }}`, 'jinja-html');
    assert.ok(items.some((i) => i.label === 'site.css'));
    assert.equal(complete(ctx, `{% static 'css/|' %}`, 'jinja-html').items.length, 0);
  });

  describe('the {% static %} snippet', () => {
    it('adds {% load static %} at the top when missing', () => {
      const { doc, items } = complete(ctx, `<p>\n{% sta|`);
      assert.equal(items.length, 1);
      const item = items[0];
      assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
      assert.equal(editOf(item).newText, "{% static '$1' %}$0");
      assert.equal(doc.getText(editOf(item).range), '{% sta');
      assert.deepEqual(item.additionalTextEdits, [TextEdit.insert({ line: 0, character: 0 }, '{% load static %}\n')]);
    });

    it('puts the load after {% extends %} and replaces an auto-closed %}', () => {
      const { doc, items } = complete(ctx, `{% extends "base.html" %}\n{% block a %}{% st| %}{% endblock %}`);
      assert.equal(doc.getText(editOf(items[0]).range), '{% st %}');
      assert.deepEqual(items[0].additionalTextEdits, [TextEdit.insert({ line: 1, character: 0 }, '{% load static %}\n')]);
    });

    it('adds no load when one comes before, or when static is a builtin', async () => {
      assert.equal(complete(ctx, `{% load static %}\n{% s|`).items[0].additionalTextEdits, undefined);
      const builtin = await makeContext({ 'assets/a.css': '' }, { templates: [{ builtins: ['django.templatetags.static'] }] });
      assert.equal(complete(builtin, `{% s|`).items[0].additionalTextEdits, undefined);
    });

    it('still adds a load when the only one comes after the cursor', () => {
      assert.equal(complete(ctx, `{% sta|\n{% load static %}`).items[0].additionalTextEdits?.length, 1);
    });

    it('offers {{ static(…) }} in Jinja2 without a load, and nothing for other tags', () => {
      const item = complete(ctx, `{{ sta|`, 'jinja-html').items[0];
      assert.equal(editOf(item).newText, "{{ static('$1') }}$0");
      assert.equal(item.additionalTextEdits, undefined);
      assert.equal(complete(ctx, `{% blo|`).items.length, 0);
      assert.equal(complete(ctx, `{% sta|tic 'x' %}`).items.length, 0);
    });
  });

  it('answers a 5,000-entry folder in under 10 ms', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) files[`assets/big/file${String(i).padStart(4, '0')}.js`] = 'x';
    const big = await makeContext(files, { dirs: ['assets'] });
    const { doc, pos } = docWithCursor(`{% load static %}{% static 'big/|' %}`);
    service.doComplete(doc, pos, big); // warm-up: JIT and the index's lazy sizes
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.cpuUsage();
      const list = service.doComplete(doc, pos, big);
      runs.push(process.cpuUsage(started).user / 1000);
      assert.equal(list.items.length, 5000);
    }
    const median = runs.sort((a, b) => a - b)[2];
    assert.ok(median < 10, `median ${median.toFixed(2)} ms`);
  });
});
