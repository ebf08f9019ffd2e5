import * as assert from 'node:assert/strict';
import { smartSplit, splitContents, tokenize } from '../../../server/src/service/lexer';
import { createLanguageService } from '../../../server/src/service/index';
import { docOf } from './helpers';

const kinds = (text: string) => tokenize(text).map((t) => [t.kind, t.contents]);

describe('service/lexer (Django Lexer.tokenize port)', () => {
  it('splits text, blocks, variables and comments with stripped contents and offsets', () => {
    const text = 'a{% load static %}b{{ x }}c{# note #}';
    const tokens = tokenize(text);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.contents]),
      [
        ['text', 'a'],
        ['block', 'load static'],
        ['text', 'b'],
        ['var', 'x'],
        ['text', 'c'],
        ['comment', 'note'],
      ],
    );
    assert.equal(text.slice(tokens[1].contentsStart, tokens[1].contentsStart + 11), 'load static');
  });

  it('never lets a tag cross a newline (non-greedy, no DOTALL)', () => {
    assert.deepEqual(kinds("{% static\n'a' %}"), [['text', "{% static\n'a' %}"]]);
    assert.deepEqual(kinds('{% a\n{% b %}'), [
      ['text', '{% a\n'],
      ['block', 'b'],
    ]);
  });

  it('ends a tag at the first closing delimiter', () => {
    assert.deepEqual(kinds('{% a %} %}'), [
      ['block', 'a'],
      ['text', ' %}'],
    ]);
    assert.deepEqual(kinds("{{ '}}' }}"), [
      ['var', "'"],
      ['text', "' }}"],
    ]);
  });

  it('treats everything inside verbatim as text, including named verbatim pairs', () => {
    assert.deepEqual(kinds('{% verbatim %}{% static "a" %}{{ x }}{% endverbatim %}'), [
      ['block', 'verbatim'],
      ['text', '{% static "a" %}'],
      ['text', '{{ x }}'],
      ['block', 'endverbatim'],
    ]);
    assert.deepEqual(
      kinds('{% verbatim v %}{% endverbatim %}{% endverbatim v %}{% x %}').map((k) => k[0]),
      ['block', 'text', 'block', 'block'],
    );
    // `verbatimx` is not a verbatim tag: content[:9] must be 'verbatim' or 'verbatim '.
    assert.deepEqual(
      kinds('{% verbatimx %}{% a %}').map((k) => k[0]),
      ['block', 'block'],
    );
  });

  it('survives unterminated tags and binary junk', () => {
    assert.deepEqual(kinds('{% static "a"'), [['text', '{% static "a"']]);
    assert.deepEqual(kinds('{'), [['text', '{']]);
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    assert.doesNotThrow(() => tokenize(junk + '{%' + junk));
  });

  it('stays linear on a long line full of unclosed openers', () => {
    const line = '{% '.repeat(200_000);
    const started = process.cpuUsage();
    tokenize(line);
    assert.ok(process.cpuUsage(started).user < 500_000, 'tokenize took too long');
  });
});

describe('service/lexer split_contents', () => {
  it('keeps quoted sections together and reports offsets', () => {
    const bits = smartSplit(`static "a b.css" as  v`, 10);
    assert.deepEqual(
      bits.map((b) => b.text),
      ['static', '"a b.css"', 'as', 'v'],
    );
    assert.deepEqual([bits[1].start, bits[1].end], [17, 26]);
  });

  it('handles escaped quotes and falls back on unclosed quotes', () => {
    assert.deepEqual(
      smartSplit(`static 'it\\'s.css'`).map((b) => b.text),
      ['static', "'it\\'s.css'"],
    );
    assert.deepEqual(
      smartSplit(`static 'open x`).map((b) => b.text),
      ['static', "'open", 'x'],
    );
    assert.deepEqual(
      smartSplit(`static a"b c"d`).map((b) => b.text),
      ['static', 'a"b c"d'],
    );
  });

  it('glues _("…") translation bits back together', () => {
    assert.deepEqual(
      splitContents(`static _("a b.css") as x`).map((b) => b.text),
      ['static', '_("a b.css")', 'as', 'x'],
    );
  });
});

describe('service/scanner (parseTemplate)', () => {
  const service = createLanguageService();
  const parse = (text: string, languageId = 'django-html') => service.parseTemplate(docOf(text, languageId));

  it('reads literal, double-quoted, translated, variable and filtered paths', () => {
    const t = parse(
      `{% load static %}{% static 'a.css' %}{% static "b c.css" as v %}{% static _("t.css") %}{% static p %}{% static "x"|add:y %}`,
    );
    assert.deepEqual(
      t.references.map((r) => [r.kind, r.value, r.asVariable]),
      [
        ['literal', 'a.css', undefined],
        ['literal', 'b c.css', 'v'],
        ['literal', 't.css', undefined],
        ['dynamic', 'p', undefined],
        ['dynamic', '"x"|add:y', undefined],
      ],
    );
    assert.ok(t.references.every((r) => r.loaded));
  });

  it('applies the `as` rule and ignores extra tokens', () => {
    const t = parse(`{% load static %}{% static "a" "b" %}{% static "a" "b" as v %}`);
    assert.deepEqual(
      t.references.map((r) => [r.value, r.asVariable]),
      [
        ['a', undefined],
        ['a', 'as'],
      ],
    );
  });

  it('marks the path range inside the quotes and unescapes', () => {
    const text = `{% load static %}<a href="{% static 'it\\'s.css' %}">`;
    const t = parse(text);
    const ref = t.references[0];
    assert.equal(ref.value, "it's.css");
    assert.equal(text.slice(ref.pathStart, ref.pathEnd), "it\\'s.css");
  });

  it('skips {# #}, {% comment %} blocks and verbatim bodies', () => {
    const t = parse(
      `{% load static %}{# {% static 'a' %} #}{% comment "x" %}\n{% static 'b' %}\n{% endcomment %}` +
        `{% verbatim %}{% static 'c' %}{% endverbatim %}{% static 'd' %}`,
    );
    assert.deepEqual(
      t.references.map((r) => r.value),
      ['d'],
    );
    assert.equal(t.skipped.length >= 3, true);
  });

  it('does not treat a multi-line tag as a tag', () => {
    const t = parse(`{% load static %}{% static\n'a.css' %}`);
    assert.equal(t.references.length, 0);
  });

  it('knows whether a load came before each tag, in every load form', () => {
    const refs = parse(`{% static 'a' %}{% load i18n static %}{% static 'b' %}`).references;
    assert.deepEqual(
      refs.map((r) => r.loaded),
      [false, true],
    );
    assert.equal(parse(`{% load static from static %}{% static 'a' %}`).references[0].loaded, true);
    assert.equal(parse(`{% load get_media_prefix from static %}{% static 'a' %}`).references[0].loaded, false);
    const legacy = parse(`{% load staticfiles %}{% static 'a' %}`).references[0];
    assert.deepEqual([legacy.loaded, legacy.afterRemovedLoad], [false, true]);
  });

  it('counts a load inside an {% extends %} child and records the extends tag', () => {
    const t = parse(`{% extends "base.html" %}\n{% load static %}\n{% block c %}{% static 'a' %}{% endblock %}`);
    assert.equal(t.references[0].loaded, true);
    assert.equal(t.extendsRange?.start.line, 0);
  });

  it('reads {% static %} without an argument as empty', () => {
    assert.equal(parse(`{% static %}`).references[0].kind, 'empty');
  });

  it('reads Jinja2 static() calls, across lines, skipping comments and raw blocks', () => {
    const t = parse(
      `{{ static('a.css') }}{% set x = static("b.js") %}{# static('c') #}{% raw %}{{ static('d') }}{% endraw %}` +
        `{{\n static( 'e.css' ) }}{{ static(v) }}{{ static() }}{{ "}}" ~ static('f') }}`,
      'jinja-html',
    );
    assert.deepEqual(
      t.references.map((r) => [r.kind, r.value]),
      [
        ['literal', 'a.css'],
        ['literal', 'b.js'],
        ['literal', 'e.css'],
        ['dynamic', 'v'],
        ['empty', ''],
        ['literal', 'f'],
      ],
    );
    assert.ok(t.references.every((r) => r.loaded && r.flavor === 'jinja'));
  });

  it('collects plain-text src/href values but not ones built from tags', () => {
    const t = parse(`<img src="/static/a.png"><a href='{% url "x" %}'>x</a><script SRC = "/js/x.js"></script>`);
    assert.deepEqual(
      t.urlAttributes.map((a) => [a.attribute, a.value]),
      [
        ['src', '/static/a.png'],
        ['src', '/js/x.js'],
      ],
    );
  });

  it('never throws on binary input or huge files', () => {
    const junk = Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 31) % 256)).toString('latin1');
    assert.doesNotThrow(() => parse(junk));
    assert.doesNotThrow(() => parse(junk, 'jinja'));
    const big = Array.from({ length: 5000 }, (_, i) => `<p>{% static 'css/f${i}.css' %}</p>`).join('\n');
    const started = process.cpuUsage();
    const t = parse('{% load static %}\n' + big);
    const ms = process.cpuUsage(started).user / 1000;
    assert.equal(t.references.length, 5000);
    // A guard against quadratic scanning, not a performance target (see `npm run bench`).
    assert.ok(ms < 2000, `parse of 5,000 lines took ${ms} ms`);
  });

  it('parses once per uri+version', () => {
    const doc = docOf(`{% load static %}{% static 'a' %}`);
    assert.equal(service.parseTemplate(doc), service.parseTemplate(doc));
  });
});
