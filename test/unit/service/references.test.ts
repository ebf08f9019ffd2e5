import * as assert from 'node:assert/strict';
import { createLanguageService, ServiceContext } from '../../../server/src/service/index';
import { demoContext } from './fixture';
import { docOf, docWithCursor, removeTrees } from './helpers';

const service = createLanguageService();

describe('language service: references of a static path', () => {
  let ctx: ServiceContext;
  before(async () => {
    ctx = await demoContext();
  });
  after(removeTrees);

  it('names the file a literal path serves under the cursor, and nothing elsewhere', () => {
    const at = (text: string, languageId?: string) => {
      const { doc, pos } = docWithCursor(text, languageId);
      return service.referencedPathAt(doc, pos, ctx);
    };
    assert.equal(at(`{% load static %}{% static 'css/si|te.css' %}`), 'css/site.css');
    assert.equal(at(`{% load static %}{% static "/css/./site.css?v=3|" %}`), 'css/site.css');
    assert.equal(at(`{{ static('js/|app.js') }}`, 'jinja-html'), 'js/app.js');
    assert.equal(at(`{% load static %}{% static some_var| %}`), null, 'a dynamic path names no file');
    assert.equal(at(`<p>css/si|te.css</p>`), null);
    assert.equal(at(`{% load static %}{% static '../|x.css' %}`), null, 'a path that climbs out serves nothing');
  });

  it('finds every literal path that serves the same file, whatever its spelling', () => {
    const doc = docOf(
      [
        `{% load static %}`,
        `<link href="{% static 'css/site.css' %}">`,
        `<link href="{% static '/css/site.css?v=2' %}">`,
        `<link href="{% static "css/./site.css#top" %}">`,
        `<link href="{% static 'css/site.cs' %}">`,
        `<link href="{% static 'legacy/css/site.css' %}">`,
        `{# {% static 'css/site.css' %} in a comment is not a tag #}`,
      ].join('\n'),
    );
    const found = service.findReferencesTo(doc, 'css/site.css', ctx);
    assert.deepEqual(
      found.map((l) => [l.uri, l.range.start.line, l.range.start.character, l.range.end.character]),
      [
        [doc.uri, 1, 23, 35],
        [doc.uri, 2, 23, 40],
        [doc.uri, 3, 23, 41],
      ],
    );
  });
});
