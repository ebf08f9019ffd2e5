import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, Range, TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, LanguageService, ServiceContext } from '../../../server/src/service/index';
import { INCOMPLETE_ITEMS, WHOLE_FOLDER_ITEMS } from '../../../server/src/service/completion';
import { docWithCursor, makeContext, removeTrees } from './helpers';
import { demoContext } from './fixture';

const service = createLanguageService();

function complete(ctx: ServiceContext, text: string, languageId = 'django-html') {
  const { doc, pos } = docWithCursor(text, languageId);
  return { doc, items: service.doComplete(doc, pos, ctx).items };
}

/** A service for a client that fills the given properties in from `CompletionList.itemDefaults`. */
function serviceWithDefaults(itemDefaults: string[]): LanguageService {
  return createLanguageService({ clientCapabilities: { textDocument: { completion: { completionList: { itemDefaults } } } } });
}

function completeList(withService: LanguageService, ctx: ServiceContext, text: string) {
  const { doc, pos } = docWithCursor(text);
  return { doc, list: withService.doComplete(doc, pos, ctx) };
}

/** What a client such as VS Code hands back for resolving: the item with the list's default data applied. */
function asClientSendsBack(list: CompletionList, item: CompletionItem): CompletionItem {
  return { ...item, data: item.data ?? list.itemDefaults?.data };
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

/** The document after the edits (non-overlapping, as LSP requires), applied from the end. */
function applyEdits(doc: TextDocument, edits: TextEdit[]): string {
  let text = doc.getText();
  for (const edit of [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start))) {
    text = text.slice(0, doc.offsetAt(edit.range.start)) + edit.newText + text.slice(doc.offsetAt(edit.range.end));
  }
  return text;
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

  it('says beside the name when collectstatic ignores a file, and lists it last', () => {
    const { items } = complete(ctx, `{% load static %}{% static '|' %}`);
    assert.deepEqual(byLabel(items, 'backup.css~').labelDetails, { description: 'ignored by collectstatic' });
    assert.equal(byLabel(items, 'backup.css~').sortText, '2backup.css~');
    const css = complete(ctx, `{% load static %}{% static 'css/|' %}`).items;
    assert.ok(
      css.every((i) => i.labelDetails === undefined),
      'collected files carry no note',
    );
  });

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
    assert.deepEqual(
      complete(ctx, `{% static 'vendor/|' %}`).items.map((i) => i.label),
      ['htmx/'],
    );
    assert.deepEqual(
      complete(ctx, `{% static 'vendor/htmx/h|' %}`).items.map((i) => i.label),
      ['htmx.min.js'],
    );
    assert.deepEqual(
      complete(ctx, `{% static 'blog/css/|' %}`).items.map((i) => i.label),
      ['blog.css'],
    );
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

  it('without itemDefaults support, puts the edit on every item and the folder id on every file', () => {
    const { doc, list } = completeList(service, ctx, `{% load static %}{% static 'css/|' %}`);
    assert.equal(list.itemDefaults, undefined);
    const site = byLabel(list.items, 'site.css');
    assert.equal(typeof site.data, 'number');
    const range = editOf(site).range;
    assert.equal(doc.getText(range), '');
    const sent = JSON.parse(JSON.stringify(site)) as CompletionItem;
    assert.deepEqual(sent, { label: 'site.css', kind: CompletionItemKind.File, data: site.data, textEdit: { range, newText: 'site.css' } });
    assert.equal(byLabel(list.items, 'print.css').data, site.data);
  });

  describe('with a client that takes itemDefaults (LSP 3.17)', () => {
    const withDefaults = serviceWithDefaults(['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data']);

    it('sends the edit range and the folder id once, and files as label and kind alone', () => {
      const { doc, list } = completeList(withDefaults, ctx, `{% load static %}{% static "css/si|te.css" %}`);
      const range = list.itemDefaults?.editRange as Range;
      assert.ok(range, 'itemDefaults.editRange');
      assert.equal(doc.getText(range), 'site.css');
      assert.equal(typeof list.itemDefaults?.data, 'number');
      assert.deepEqual(byLabel(list.items, 'site.css'), { label: 'site.css', kind: CompletionItemKind.File });
      for (const item of list.items) {
        assert.equal(item.textEdit, undefined, item.label);
        assert.equal(item.data, undefined, item.label);
        assert.equal(item.insertText, undefined, item.label);
        assert.equal(item.textEditText, undefined, `${item.label}: its label is what gets inserted`);
      }
    });

    it('keeps sort text and folders’ filter text, detail and re-trigger command', () => {
      const { list } = completeList(withDefaults, ctx, `{% load static %}{% static '|' %}`);
      const css = byLabel(list.items, 'css/');
      assert.equal(css.textEditText, undefined, 'inserts its label, css/');
      assert.equal(css.filterText, 'css');
      assert.equal(css.sortText, '0css');
      assert.equal(css.command?.command, 'editor.action.triggerSuggest');
      assert.match(css.detail ?? '', /assets/);
      assert.equal(byLabel(list.items, 'backup.css~').sortText, '2backup.css~', 'files sort after folders, ignored ones last');
    });

    it('inserts a folder without its slash when one already follows, through textEditText', () => {
      const { doc, list } = completeList(withDefaults, ctx, `{% static 'c|/site.css' %}`);
      assert.equal(doc.getText(list.itemDefaults?.editRange as Range), 'c');
      const css = byLabel(list.items, 'css/');
      assert.equal(css.textEditText, 'css');
      assert.equal(css.textEdit, undefined);
      assert.equal(byLabel(list.items, 'js/').textEditText, 'js');
      assert.equal(byLabel(list.items, 'backup.css~').textEditText, undefined);
      // The cached items stay untouched for the next answer without a slash after the cursor.
      const again = completeList(withDefaults, ctx, `{% static 'c|' %}`).list;
      assert.equal(byLabel(again.items, 'css/').textEditText, undefined);
    });

    it('resolves a file whose folder id comes from itemDefaults.data', () => {
      const { list } = completeList(withDefaults, ctx, `{% load static %}{% static 'css/|' %}`);
      const site = asClientSendsBack(list, byLabel(list.items, 'site.css'));
      const resolved = withDefaults.resolveCompletionItem(site, ctx);
      assert.equal(resolved.detail, 'assets/ · 6 B');
      assert.match((resolved.documentation as { value: string }).value, /Shadowed/);
      const image = completeList(withDefaults, ctx, `{% static 'img/|' %}`).list;
      const logo = withDefaults.resolveCompletionItem(asClientSendsBack(image, byLabel(image.items, 'logo.png')), ctx);
      assert.match((logo.documentation as { value: string }).value, /!\[img\/logo\.png\]/);
    });

    it('uses only the defaults the client supports', () => {
      const rangeOnly = completeList(serviceWithDefaults(['editRange']), ctx, `{% static 'css/|' %}`).list;
      assert.deepEqual(Object.keys(rangeOnly.itemDefaults ?? {}), ['editRange']);
      const site = byLabel(rangeOnly.items, 'site.css');
      assert.equal(site.textEdit, undefined);
      assert.equal(withDefaults.resolveCompletionItem(site, ctx).detail, 'assets/ · 6 B', 'the folder id stays on the item');

      const dataOnly = completeList(serviceWithDefaults(['data', 'commitCharacters']), ctx, `{% static 'c|/x' %}`).list;
      assert.deepEqual(Object.keys(dataOnly.itemDefaults ?? {}), ['data']);
      assert.equal(editOf(byLabel(dataOnly.items, 'css/')).newText, 'css');
      assert.equal(byLabel(dataOnly.items, 'backup.css~').data, undefined);
      assert.ok(editOf(byLabel(dataOnly.items, 'backup.css~')), 'the edit stays on the item');

      const neither = completeList(serviceWithDefaults(['commitCharacters']), ctx, `{% static 'css/|' %}`).list;
      assert.equal(neither.itemDefaults, undefined);
    });

    it('leaves the {% static %} snippet with its own edit', () => {
      const { doc, list } = completeList(withDefaults, ctx, `<p>\n{% sta|`);
      assert.equal(list.itemDefaults, undefined);
      assert.equal(doc.getText(editOf(list.items[0]).range), '{% sta');
    });
  });

  describe("a tag typed by hand where HTML auto-closed the { ({% static 'css/'})", () => {
    it('completes the path and turns the } into %}, for files and folders', () => {
      const { doc, items } = complete(ctx, `{% load static %}<link href="x">{% static 'css/|'}`, 'html');
      const site = byLabel(items, 'site.css');
      assert.equal(
        applyEdits(doc, [editOf(site), ...(site.additionalTextEdits ?? [])]),
        `{% load static %}<link href="x">{% static 'css/site.css' %}`,
      );
      const top = complete(ctx, `{% static "|"}</p>`, 'html');
      const css = byLabel(top.items, 'css/');
      assert.equal(applyEdits(top.doc, [editOf(css), ...(css.additionalTextEdits ?? [])]), `{% static "css/" %}</p>`);
    });

    it('closes a tag typed without any auto-closing, at the end of the line or inside an attribute', () => {
      for (const [text, expected] of [
        [`{% static 'css/|'`, `{% static 'css/site.css' %}`],
        [`<link href="{% static 'css/|'">{% if x %}`, `<link href="{% static 'css/site.css' %}">{% if x %}`],
      ]) {
        const { doc, items } = complete(ctx, text, 'html');
        const site = byLabel(items, 'site.css');
        assert.equal(applyEdits(doc, [editOf(site), ...(site.additionalTextEdits ?? [])]), expected);
      }
    });

    it('leaves a closed tag, and a quote still open, alone', () => {
      for (const text of [`{% static 'css/|' %}`, `{% static 'css/|' as x %}{}`, `{% static 'css/|`, `{% static "css/|" %}'`]) {
        assert.ok(
          complete(ctx, text, 'html').items.every((i) => i.additionalTextEdits === undefined),
          text,
        );
      }
    });
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

    it("replaces the lone } of HTML's auto-closed { (html documents), not only django-html's %}", () => {
      for (const languageId of ['html', 'django-html']) {
        const { doc, items } = complete(ctx, `{% load static %}\n<p>{% sta|}</p>`, languageId);
        const edit = editOf(items[0]);
        assert.equal(doc.getText(edit.range), '{% sta}', languageId);
        assert.equal(applyEdits(doc, [edit]), "{% load static %}\n<p>{% static '$1' %}$0</p>", languageId);
      }
      const jinja = complete(ctx, `{{ sta|}}`, 'jinja-html');
      assert.equal(applyEdits(jinja.doc, [editOf(jinja.items[0])]), "{{ static('$1') }}$0");
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

  it('builds a 5,000-entry folder once per index state and answers later keystrokes from it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) files[`assets/big/file${String(i).padStart(4, '0')}.js`] = 'x';
    const big = await makeContext(files, { dirs: ['assets'] });
    // Count what completion asks the index: a keystroke in a big folder must not walk it again.
    let lookups = 0;
    const index = big.index;
    const counting: ServiceContext = {
      ...big,
      index: new Proxy(index, {
        get(target, key) {
          const value = Reflect.get(target, key, target);
          if (!['children', 'get', 'listChildren', 'ignoredFiles'].includes(key as string))
            return typeof value === 'function' ? value.bind(target) : value;
          return (...args: unknown[]) => {
            lookups++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    };
    const { doc, pos } = docWithCursor(`{% load static %}{% static 'big/|' %}`);
    assert.equal(service.doComplete(doc, pos, counting).items.length, 5000);
    const first = lookups;
    assert.ok(first > 0 && first < 5000 * 2 + 10, `first answer: ${first} lookups`);
    for (let i = 0; i < 5; i++) assert.equal(service.doComplete(doc, pos, counting).items.length, 5000);
    assert.equal(lookups, first, 'later answers reuse the folder');
    const added = `${big.model.finders[0].kind === 'filesystem' ? big.model.finders[0].dirs[0].root : ''}/big/new.js`;
    fs.writeFileSync(added, 'n');
    assert.ok(index.fileAdded(added));
    assert.equal(service.doComplete(doc, pos, counting).items.length, 5001, 'an index change is seen');
  });

  describe('a folder too big to send whole (a vendored node_modules under a prefix)', () => {
    let vendored: ServiceContext;
    const count = WHOLE_FOLDER_ITEMS + 2_000;
    before(async () => {
      const files: Record<string, string> = { 'node/pkg/sub/a.js': '', 'node/pkg/Zed.css': '' };
      for (let i = 0; i < count; i++) files[`node/pkg/m${i}.js`] = '';
      vendored = await makeContext(files, { dirs: [['vendor', 'node']] });
    });

    const labels = (typed: string) => {
      const { doc, pos } = docWithCursor(`{% load static %}{% static 'vendor/pkg/${typed}|' %}`);
      const list = service.doComplete(doc, pos, vendored);
      return { list, labels: list.items.map((i) => i.label) };
    };

    it('sends a bounded list marked incomplete, so the client asks again as the user types', () => {
      const { list } = labels('');
      assert.equal(list.isIncomplete, true);
      assert.equal(list.items.length, INCOMPLETE_ITEMS);
    });

    it('narrows to the names starting with what was typed, ignoring case, and is complete once they fit', () => {
      const narrowed = labels('M12');
      assert.equal(narrowed.list.isIncomplete, false);
      const expected = Array.from({ length: count }, (_, i) => `m${i}.js`).filter((name) => name.startsWith('m12'));
      assert.deepEqual([...narrowed.labels].sort(), expected.sort());
      assert.deepEqual(labels('s').labels, ['sub/']);
      assert.deepEqual(labels('z').labels, ['Zed.css']);
      assert.deepEqual(labels('q').labels, []);
    });

    it('looks up only the files it sends, not the whole folder', () => {
      let gets = 0;
      const index = vendored.index;
      const counting: ServiceContext = {
        ...vendored,
        index: new Proxy(index, {
          get(target, key) {
            const value = Reflect.get(target, key, target);
            if (typeof value !== 'function') return value;
            if (key === 'children') return () => assert.fail('a big folder is listed, not looked up whole');
            if (key !== 'get') return value.bind(target);
            return (path: string) => (gets++, index.get(path));
          },
        }),
      };
      const { doc, pos } = docWithCursor(`{% load static %}{% static 'vendor/pkg/m9|' %}`);
      const list = service.doComplete(doc, pos, counting);
      assert.equal(list.items.length, INCOMPLETE_ITEMS);
      assert.equal(gets, INCOMPLETE_ITEMS);
      service.doComplete(doc, pos, counting);
      assert.equal(gets, INCOMPLETE_ITEMS, 'a second keystroke reuses the items built');
    });

    it('keeps a prefix with more matches than the bound incomplete', () => {
      const { list, labels: names } = labels('m');
      assert.equal(list.isIncomplete, true);
      assert.equal(names.length, INCOMPLETE_ITEMS);
      assert.ok(names.every((name) => name.startsWith('m')));
    });
  });
});
