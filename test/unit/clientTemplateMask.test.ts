// The HTML a template reads as for VS Code's HTML server: template syntax masked, offsets kept.
import * as assert from 'node:assert/strict';
import { blockFolds, inConstruct, maskTemplate, startTagBefore, tokenized, untokenized } from '../../client/src/templateMask';

describe('client: template mask for the HTML features', () => {
  it('blanks tags, variables and comments to spaces of the same length, keeping line breaks', () => {
    const source = `{% load static %}\n<link href="{% static "css/site.css" %}">{{ title }}{# note\nspans #}<p>`;
    const { text, constructs } = maskTemplate(source);
    assert.equal(text.length, source.length);
    assert.equal(text, `${' '.repeat(17)}\n<link href="${' '.repeat(27)}">${' '.repeat(11)}${' '.repeat(7)}\n${' '.repeat(8)}<p>`);
    assert.deepEqual(
      constructs.map(([s, e]) => source.slice(s, e)),
      ['{% load static %}', '{% static "css/site.css" %}', '{{ title }}', '{# note\nspans #}'],
    );
  });

  it('blanks script and style code that held template syntax, and leaves template-free code alone', () => {
    const source = `<script>var x = {{ data|safe }};</script><script>let y = 1;</script><style>a{color:{{ c }}}</style><p style="width: {{ w }}px" onclick="go()">`;
    const { text } = maskTemplate(source);
    assert.equal(text.length, source.length);
    assert.match(text, /^<script>\s+<\/script><script>let y = 1;<\/script><style>\s+<\/style><p style="\s+" onclick="go\(\)">$/);
  });

  it('leaves an unclosed tag being typed as it is, without swallowing the markup up to the next tag', () => {
    const source = '<p>\n  {% sta\n</p>\n{% endblock %}';
    assert.equal(maskTemplate(source).text, `<p>\n  {% sta\n</p>\n${' '.repeat(14)}`);
  });

  it('knows which offsets are inside template syntax (where HTML has nothing to offer)', () => {
    const source = `<a>{% static 'css/' %}</a>`;
    const masked = maskTemplate(source);
    const open = source.indexOf('{%');
    const close = source.indexOf('%}') + 2;
    assert.equal(inConstruct(masked, open), false, 'just before {%');
    assert.equal(inConstruct(masked, source.indexOf("css/'") + 4), true, 'in the path');
    assert.equal(inConstruct(masked, close), false, 'just after %}');
    assert.equal(inConstruct(maskTemplate('<p></p>'), 2), false);
  });

  it('names the element a typed > closes, not void elements, self-closing tags or template syntax', () => {
    const before = (text: string) => startTagBefore(maskTemplate(text), text.length);
    assert.equal(before('<div class="a {% if x %}b{% endif %}" data-x=1>'), 'div');
    assert.equal(before(`<a title='x>y' href="{% url 'home' %}">`), 'a');
    assert.equal(before('<br>'), undefined);
    assert.equal(before('<img src="{% static "x.png" %}">'), undefined);
    assert.equal(before('<p/>'), undefined);
    assert.equal(before('{% if a > b %}'), undefined);
    assert.equal(before('x => y>'), undefined);
  });

  it('stands constructs in as words for the formatter and puts them back only when each is there once', () => {
    const source = '<p>{% if a %}{{ x }}{% endif %}</p>';
    const words = tokenized(source);
    assert.ok(words);
    assert.equal(words.text, '<p>_djs0__djs1__djs2_</p>');
    assert.equal(untokenized('<p>\n  _djs0_ _djs1_\n  _djs2_\n</p>', words.constructs), '<p>\n  {% if a %} {{ x }}\n  {% endif %}\n</p>');
    assert.equal(untokenized('<p>_djs0__djs2_</p>', words.constructs), undefined, 'one lost');
    assert.equal(untokenized('<p>_djs0__djs1__djs1__djs2_</p>', words.constructs), undefined, 'one doubled');
    assert.equal(tokenized('<p>_djs0_</p>'), undefined, 'the words are in the text already');
    const script = `<script>var x = {{ data|safe }};</script><script>let y = 1;</script>`;
    const code = tokenized(script);
    assert.equal(code?.text, '<script>/*_djs0_*/</script><script>let y = 1;</script>', 'script code with template syntax kept whole');
    assert.equal(untokenized(code?.text ?? '', code?.constructs ?? []), script);
  });

  it('folds multi-line blocks by name, nested and unbalanced, the end tag left visible', () => {
    const source = [
      '{% block content %}',
      '  {% if a %}',
      '    x',
      '  {% endif %}',
      '  {% for i in l %}{% endfor %}',
      '{% endblock %}',
      '{% endwith %}',
    ].join('\n');
    assert.deepEqual(blockFolds(source), [
      [0, 4],
      [1, 2],
    ]);
    assert.deepEqual(blockFolds('{%- macro m() -%}\n  a\n{%- endmacro %}'), [[0, 1]]);
  });
});
