import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { claimedKind, createLanguageService, READERS, readerFor, readsDocument } from '../../../server/src/service/index';
import { docOf } from './helpers';

/** Every registered reader, through the one interface the service uses. */
function read(kind: 'django' | 'jinja', text: string) {
  const doc = TextDocument.create('file:///t', kind, 1, text);
  return readerFor(kind)!.read(text, { positionAt: (offset) => doc.positionAt(offset) });
}

describe('service/readers (one interface per document kind)', () => {
  it('registers the Django and Jinja2 template readers under their kinds', () => {
    for (const [kind, reader] of Object.entries(READERS)) assert.equal(reader.kind, kind);
    assert.ok(readerFor('django'));
    assert.ok(readerFor('jinja'));
  });

  it('claims Jinja2 by language id or extension and leaves other templates to the engines', () => {
    assert.equal(claimedKind('jinja-html', 'file:///a.html'), 'jinja');
    assert.equal(claimedKind('html', 'file:///a.j2'), 'jinja');
    assert.equal(claimedKind('django-html', 'file:///a.html'), undefined);
    // What the server and the publisher hand to the service: templates and every claimed kind.
    assert.equal(readsDocument('django-html', 'file:///a.html'), true);
    assert.equal(readsDocument('plaintext', 'file:///a.j2'), true);
    // Python files are read as settings documents (their findings come from the project, not the text).
    assert.equal(claimedKind('python', 'file:///settings.py'), 'python-settings');
    assert.equal(readsDocument('python', 'file:///a.py'), true);
    assert.equal(readsDocument('markdown', 'file:///a.md'), false);
  });

  it('says how each reference is written and which destination it asks for', () => {
    const django = read('django', "{% load static %}{% static '/css/../css/a.css?v=1' %}{% static name %}{% static %}").references;
    assert.deepEqual(
      django.map((r) => [r.syntax, r.kind, r.destination]),
      [
        ['tag', 'literal', 'css/a.css'],
        ['tag', 'dynamic', null],
        ['tag', 'empty', null],
      ],
    );
    const jinja = read('jinja', "{{ static('img/./x.png#top') }} {{ static('../up') }} {{ static(v) }}").references;
    assert.deepEqual(
      jinja.map((r) => [r.syntax, r.kind, r.destination]),
      [
        ['static-call', 'literal', 'img/x.png'],
        ['static-call', 'literal', null],
        ['static-call', 'dynamic', null],
      ],
    );
  });

  it('features answer from the destinations readers give (one path however it is spelled)', () => {
    const service = createLanguageService();
    const model = service.parseTemplate(docOf("{% static 'a.css' %}", 'django-html'));
    assert.equal(model.references.length, 1);
    assert.deepEqual(service.referencedPaths(docOf("{% static 'a.css' %}{% static '/a.css?x' %}", 'django-html')), ['a.css']);
  });
});
