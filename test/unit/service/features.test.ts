import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeAction, Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, isTemplateLanguage, ServiceContext } from '../../../server/src/service/index';
import { docOf, docWithCursor, makeContext, removeTrees } from './helpers';
import { demoContext } from './fixture';

const service = createLanguageService();
const LOAD = '{% load static %}';

function hoverText(ctx: ServiceContext, text: string, languageId = 'django-html'): string {
  const { doc, pos } = docWithCursor(text, languageId);
  const hover = service.doHover(doc, pos, ctx);
  return hover ? (hover.contents as MarkupContent).value : '';
}

function applyEdits(doc: TextDocument, edits: TextEdit[]): string {
  return TextDocument.applyEdits(doc, edits);
}

function actionsFor(ctx: ServiceContext, text: string, withDiagnostics = true): { doc: TextDocument; actions: CodeAction[] } {
  const doc = docOf(text);
  const diagnostics: Diagnostic[] = withDiagnostics ? service.doValidation(doc, ctx) : [];
  const range = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  return { doc, actions: service.getCodeActions(doc, range, { diagnostics }, ctx) };
}

function applied(doc: TextDocument, action: CodeAction): string {
  return applyEdits(doc, action.edit!.changes![doc.uri]);
}

describe('service features', () => {
  let ctx: ServiceContext & { root: string };
  before(async () => {
    ctx = await demoContext();
  });
  after(removeTrees);

  describe('definition', () => {
    it('goes to the winner first, then shadowed copies', () => {
      const { doc, pos } = docWithCursor(`${LOAD}{% static 'css/si|te.css' %}`);
      const locations = service.findDefinition(doc, pos, ctx);
      assert.deepEqual(
        locations.map((l) => l.uri),
        [`file://${ctx.root}/assets/css/site.css`, `file://${ctx.root}/legacy/static/css/site.css`],
      );
    });

    it('resolves prefixed and leading-slash paths, and nothing for missing, dynamic or outside a tag', () => {
      const at = (text: string) => {
        const { doc, pos } = docWithCursor(text);
        return service.findDefinition(doc, pos, ctx).map((l) => l.uri);
      };
      assert.deepEqual(at(`{% static 'vendor/htmx/htmx.min.js|' %}`), [`file://${ctx.root}/vendor/htmx/htmx.min.js`]);
      assert.deepEqual(at(`{% static '/js/|app.js' %}`), [`file://${ctx.root}/assets/js/app.js`]);
      assert.deepEqual(at(`{% static 'js/nope|.js' %}`), []);
      assert.deepEqual(at(`{% static js|_var %}`), []);
      assert.deepEqual(at(`<p>te|xt</p>{% static 'js/app.js' %}`), []);
    });

    it('works in Jinja2 templates', () => {
      const { doc, pos } = docWithCursor(`{{ static('js/a|pp.js') }}`, 'jinja-html');
      assert.deepEqual(
        service.findDefinition(doc, pos, ctx).map((l) => l.uri),
        [`file://${ctx.root}/assets/js/app.js`],
      );
    });
  });

  describe('document links', () => {
    it('links every resolvable literal path to the winner with a tooltip', () => {
      const doc = docOf(`${LOAD}{% static 'css/site.css' %}\n{% static "js/app.js" as a %}{% static 'nope.css' %}{% static v %}`);
      const links = service.findDocumentLinks(doc, ctx);
      assert.deepEqual(
        links.map((l) => [doc.getText(l.range), l.target]),
        [
          ['css/site.css', `file://${ctx.root}/assets/css/site.css`],
          ['js/app.js', `file://${ctx.root}/assets/js/app.js`],
        ],
      );
      // VS Code renders the tooltip as a Markdown link's text: escaped, it keeps `[0]`; the folder is the project's.
      assert.equal(links[0].tooltip, 'STATICFILES\\_DIRS\\[0\\] → assets (shadows 1 other file)');
    });
  });

  describe('hover', () => {
    it('shows the file, finder, source, size, shadowed copies and URL', () => {
      const text = hoverText(ctx, `${LOAD}{% static 'css/si|te.css' %}`);
      assert.match(text, /found by FileSystemFinder \(STATICFILES\\_DIRS\\\[0\\\] → assets\)/);
      assert.match(text, /\n`assets\/css\/site\.css` · 6 B/, 'relative to the project');
      assert.match(text, /Shadowed.*\n- `legacy\/static\/css\/site\.css` — app 'legacy'/);
      assert.match(text, /\*\*URL:\*\* `\/static\/css\/site\.css`$/);
      assert.doesNotMatch(text, /runserver|DEBUG=True/, 'said once in the report, not on every hover');
      assert.ok(!text.includes(ctx.root), 'no absolute path inside the project');
    });

    it('previews images and names the app finder', () => {
      const text = hoverText(ctx, `{% static 'blog/css/blog.c|ss' %}`);
      assert.match(text, /AppDirectoriesFinder \(app 'blog'\)/);
      assert.match(hoverText(ctx, `{% static 'img/lo|go.png' %}`), /!\[img\/logo\.png\]\(file:\/\/\/.*logo\.png\)/);
    });

    it('explains dynamic, empty, missing, folder and escaping paths', () => {
      assert.match(hoverText(ctx, `{% static some|_var %}`), /dynamic path, resolved at render time/);
      assert.match(hoverText(ctx, `{% stat|ic %}`), /takes at least one argument/);
      assert.match(hoverText(ctx, `{% static 'css/sites|.css' %}`), /no finder finds this path[\s\S]*Did you mean `css\/site\.css`/);
      assert.match(hoverText(ctx, `{% static 'cs|s' %}`), /is a folder/);
      assert.match(hoverText(ctx, `{% static '../x|.css' %}`), /escapes the static roots/);
    });

    it('gives the hashed URL from the manifest, and the manifest error, with DEBUG off', async () => {
      const manifest = new Map([['css/print.css', 'css/print.abcdef123456.css']]);
      const hashed = await demoContext({ manifestStorage: true, debug: false }, { manifest });
      const text = hoverText(hashed, `{% static 'css/pri|nt.css' %}`);
      assert.match(text, /DEBUG=True: `\/static\/css\/print\.css`/);
      assert.match(text, /DEBUG=False \(hashed names\): `\/static\/css\/print\.abcdef123456\.css` \(from staticfiles\.json\)/);
      assert.match(hoverText(hashed, `{% static '/css/pri|nt.css' %}`), /Missing staticfiles manifest entry for '\/css\/print\.css'/);
    });

    it('uses STATIC_URL with urljoin semantics (CDN, ..)', async () => {
      const cdn = await demoContext({ staticUrl: 'https://cdn.example.com/s/' });
      assert.match(hoverText(cdn, `{% static 'css/pri|nt.css' %}`), /`https:\/\/cdn\.example\.com\/s\/css\/print\.css`/);
      assert.match(hoverText(cdn, `{% static 'a b|.css' %}`), /`https:\/\/cdn\.example\.com\/s\/a%20b\.css`/);
    });

    it('says the URL is not known when static mode could not read STATIC_URL, instead of ImproperlyConfigured', async () => {
      const unread = await demoContext({ staticUrl: null });
      unread.model.mode = 'static';
      unread.model.problems.push({
        kind: 'setting-unreadable',
        message: 'STATIC_URL in demo/settings.py line 3 could not be read: calls f()',
      });
      const text = hoverText(unread, `{% static 'css/pri|nt.css' %}`);
      assert.match(text, /\*\*URL:\*\* not known: STATIC_URL could not be read/);
      assert.doesNotMatch(text, /ImproperlyConfigured/);
      const unset = await demoContext({ staticUrl: null });
      unset.model.mode = 'static';
      assert.match(hoverText(unset, `{% static 'css/pri|nt.css' %}`), /ImproperlyConfigured/, 'a STATIC_URL that is really unset');
    });

    it('escapes Markdown in project text (a path with underscores and brackets)', async () => {
      const odd = await makeContext({ 'assets/__init__/[a].css': '' }, { dirs: ['assets'] });
      const text = hoverText(odd, `{% static '__init__/[a|].css' %}`);
      assert.match(text, /^\*\*`__init__\/\[a\]\.css`\*\*/);
    });

    it('returns null outside references', () => {
      const { doc, pos } = docWithCursor(`<p>|</p>{% static 'a' %}`);
      assert.equal(service.doHover(doc, pos, ctx), null);
    });
  });

  describe('code actions', () => {
    it('replaces a missing path with each suggestion, the closest preferred', () => {
      const { doc, actions } = actionsFor(ctx, `${LOAD}{% static 'css/sites.css' %}`);
      assert.equal(actions[0].title, "Change to 'css/site.css'");
      assert.equal(actions[0].isPreferred, true);
      assert.equal(applied(doc, actions[0]), `${LOAD}{% static 'css/site.css' %}`);
    });

    it('adds {% load static %} after {% extends %}, or at the top', () => {
      const child = actionsFor(
        ctx,
        `{% extends "base.html" %}\n{% block a %}{% static 'js/app.js' %}{% static 'js/app.js' %}{% endblock %}`,
      );
      assert.equal(child.actions.length, 1, 'one load action for several tags');
      assert.equal(
        applied(child.doc, child.actions[0]),
        `{% extends "base.html" %}\n${LOAD}\n{% block a %}{% static 'js/app.js' %}{% static 'js/app.js' %}{% endblock %}`,
      );
      const top = actionsFor(ctx, `<p>{% static 'js/app.js' %}</p>`);
      assert.equal(applied(top.doc, top.actions[0]), `${LOAD}\n<p>{% static 'js/app.js' %}</p>`);
      const lastLine = actionsFor(ctx, `{% extends "b.html" %}`);
      assert.equal(lastLine.actions.length, 0);
    });

    it('turns staticfiles into static and drops a leading slash', () => {
      const legacy = actionsFor(ctx, `{% load i18n staticfiles %}{% static 'js/app.js' %}`);
      assert.equal(applied(legacy.doc, legacy.actions[0]), `{% load i18n static %}{% static 'js/app.js' %}`);
      const slash = actionsFor(ctx, `${LOAD}{% static '/js/app.js' %}`);
      assert.equal(slash.actions[0].title, 'Remove the leading slash');
      assert.equal(applied(slash.doc, slash.actions[0]), `${LOAD}{% static 'js/app.js' %}`);
    });

    it('turns a hard-coded URL into {% static %}, adding the load when missing', () => {
      const { doc, actions } = actionsFor(ctx, `<img src="/static/img/logo.png">\n<script src="/static/js/app.js?v=2"></script>`);
      assert.equal(actions.length, 2);
      assert.equal(
        applied(doc, actions[0]),
        `${LOAD}\n<img src="{% static 'img/logo.png' %}">\n<script src="/static/js/app.js?v=2"></script>`,
      );
      assert.equal(
        applied(doc, actions[1]),
        `${LOAD}\n<img src="/static/img/logo.png">\n<script src="{% static 'js/app.js' %}?v=2"></script>`,
      );
      const loaded = actionsFor(ctx, `${LOAD}<img src="/static/img/logo.png">`);
      assert.equal(applied(loaded.doc, loaded.actions[0]), `${LOAD}<img src="{% static 'img/logo.png' %}">`);
    });

    it('turns a hard-coded URL into static() in Jinja2, without a load', () => {
      const doc = docOf(`<img src="/static/img/logo.png">`, 'jinja-html');
      const diagnostics = service.doValidation(doc, ctx);
      const [action] = service.getCodeActions(doc, diagnostics[0].range, { diagnostics }, ctx);
      assert.equal(applied(doc, action), `<img src="{{ static('img/logo.png') }}">`);
    });

    it('turns {{ STATIC_URL }}path into {% static %}', () => {
      const { doc, actions } = actionsFor(ctx, `${LOAD}<link href="{{ STATIC_URL }}css/site.css">`);
      assert.equal(applied(doc, actions[0]), `${LOAD}<link href="{% static 'css/site.css' %}">`);
    });

    it('works when the client sends no diagnostics or drops their data', () => {
      const none = actionsFor(ctx, `${LOAD}{% static 'css/sites.css' %}`, false);
      assert.equal(none.actions[0].title, "Change to 'css/site.css'");
      const doc = docOf(`${LOAD}{% static 'css/sites.css' %}`);
      const stripped = service.doValidation(doc, ctx).map((d) => ({ ...d, data: undefined }));
      const actions = service.getCodeActions(doc, stripped[0].range, { diagnostics: stripped }, ctx);
      assert.equal(actions[0].title, "Change to 'css/site.css'");
    });

    it('honours context.only', () => {
      const doc = docOf(`${LOAD}{% static 'css/sites.css' %}`);
      const diagnostics = service.doValidation(doc, ctx);
      assert.deepEqual(service.getCodeActions(doc, diagnostics[0].range, { diagnostics, only: ['refactor'] }, ctx), []);
      assert.equal(
        service.getCodeActions(doc, diagnostics[0].range, { diagnostics, only: ['quickfix'] }, ctx)[0].title,
        "Change to 'css/site.css'",
      );
    });
  });

  describe('referencedPaths and isTemplateLanguage', () => {
    it('lists normalised literal paths only', () => {
      const doc = docOf(
        `${LOAD}{% static '/css/site.css' %}{% static './js//app.js' %}{% static v %}{% static 'a.css?v=1' %}{% static 'css/site.css' %}`,
      );
      assert.deepEqual(service.referencedPaths(doc), ['css/site.css', 'js/app.js', 'a.css']);
    });

    it('recognises template languages and extensions', () => {
      assert.equal(isTemplateLanguage('django-html'), true);
      assert.equal(isTemplateLanguage('jinja-html'), true);
      assert.equal(isTemplateLanguage('python'), false);
      assert.equal(isTemplateLanguage('plaintext', 'file:///p/app/templates/mail/body.txt'), true);
      assert.equal(isTemplateLanguage('plaintext', 'file:///p/notes.txt'), false);
      assert.equal(isTemplateLanguage('plaintext', 'file:///p/x.j2'), true);
    });
  });

  it('reads a document as Jinja2 when only a Jinja2 engine covers its folder', async () => {
    const jinja = await demoContext({ templates: [{ backend: 'django.template.backends.jinja2.Jinja2', jinja: true, dirs: [] }] });
    const doc = docOf(`{{ static('css/sites.css') }}`, 'html', `file://${jinja.root}/templates/page.html`);
    assert.deepEqual(
      service.doValidation(doc, jinja).map((d) => d.code),
      ['missing-file'],
    );
  });

  it('sees files added to the index (completion and diagnostics refresh)', async () => {
    const live = await demoContext();
    const text = `${LOAD}{% static 'js/|' %}`;
    const before = docWithCursor(text);
    assert.deepEqual(
      service.doComplete(before.doc, before.pos, live).items.map((i) => i.label),
      ['app.js'],
    );
    const added = path.join(live.root, 'assets/js/new.js');
    fs.writeFileSync(added, 'x');
    assert.equal(live.index.fileAdded(added), true);
    const after = docWithCursor(text);
    assert.deepEqual(
      service.doComplete(after.doc, after.pos, live).items.map((i) => i.label),
      ['app.js', 'new.js'],
    );
    // A rename keeps the index size: the caches must still notice.
    const renamed = path.join(live.root, 'assets/js/newer.js');
    fs.renameSync(added, renamed);
    live.index.fileRemoved(added);
    live.index.fileAdded(renamed);
    const third = docWithCursor(text);
    assert.deepEqual(
      service.doComplete(third.doc, third.pos, live).items.map((i) => i.label),
      ['app.js', 'newer.js'],
    );
  });
});

describe('service entry points never throw', () => {
  it('answers bad documents and contexts with empty results', () => {
    const service = createLanguageService();
    const broken = {
      uri: 'file:///x.html',
      languageId: 'html',
      version: 1,
      getText: () => {
        throw new Error('boom');
      },
    } as unknown as TextDocument;
    const pos = { line: 0, character: 0 };
    const badCtx = { model: null, index: null, settings: null } as unknown as ServiceContext;
    assert.equal(service.parseTemplate(broken).references.length, 0);
    assert.deepEqual(service.doComplete(broken, pos, badCtx).items, []);
    assert.deepEqual(service.doValidation(broken, badCtx), []);
    assert.deepEqual(service.findDefinition(broken, pos, badCtx), []);
    assert.equal(service.doHover(broken, pos, badCtx), null);
    assert.deepEqual(service.findDocumentLinks(broken, badCtx), []);
    assert.deepEqual(service.getCodeActions(broken, { start: pos, end: pos }, { diagnostics: [] }, badCtx), []);
    assert.deepEqual(service.referencedPaths(broken), []);
    const fine = docOf(`{% load static %}{% static 'a.css' %}`);
    assert.deepEqual(service.doValidation(fine, badCtx), []);
    assert.equal(service.doHover(fine, { line: 0, character: 30 }, badCtx), null);
  });
});
