/**
 * Differential check of the lexer and split_contents against real Django (/usr/bin/python3), on every
 * version of the matrix.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { splitContents, tokenize } from '../../../server/src/service/lexer';
import { describeEachDjango } from '../../djangoVersions';

const PYTHON = '/usr/bin/python3';
/** The environment that selects the Django version of the running block. */
let env: NodeJS.ProcessEnv = process.env;

const SAMPLES = [
  `a{% load static %}b{{ x }}c{# note #}`,
  `{% static\n'a' %}{% a\n{% b %}`,
  `{% a %} %}{{ '}}' }}{# #} #}`,
  `{% verbatim %}{% static "a" %}{{ x }}{% endverbatim %}{% y %}`,
  `{% verbatim v %}{% endverbatim %}{% endverbatim v %}{% x %}{% verbatimx %}{% z %}`,
  `{%%}{{}}{##}{%}{{{ a }}}{% {% b %}`,
  `{% static 'it\\'s.css' as v %}{% static _("a b.css") %}{% static "a" "b" %}{% static a"b c"d e %}`,
  `{% static 'open x %}\r\n{% load i18n static %}\t{%\tstatic\t"t" %}`,
  `{# {% static 'a' %} #}{% comment "x" %}{% static 'b' %}{% endcomment %}`,
];

function djangoTokens(samples: string[]): Array<Array<[string, string, string[] | null]>> {
  const script = `
import json, sys
from django.template.base import Lexer, TokenType
out = []
for text in json.load(sys.stdin):
    toks = []
    for t in Lexer(text).tokenize():
        kind = {TokenType.TEXT: 'text', TokenType.VAR: 'var', TokenType.BLOCK: 'block', TokenType.COMMENT: 'comment'}[t.token_type]
        toks.append([kind, t.contents, t.split_contents() if kind == 'block' else None])
    out.append(toks)
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(samples), encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** Deterministic pseudo-random templates built from the pieces the lexer cares about. */
function randomTemplates(count: number, seed: number): string[] {
  const pieces = [
    '{%',
    '%}',
    '{{',
    '}}',
    '{#',
    '#}',
    ' ',
    ' ',
    '\n',
    "'",
    '"',
    'static',
    'verbatim',
    'endverbatim',
    'verbatim v',
    'endverbatim v',
    'comment',
    'x',
    '_(',
    ')',
    '\\',
    'a b',
    '{',
    '}',
    '%',
    '#',
    '{% verbatim %}',
    '{% endverbatim %}',
  ];
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    const length = 5 + Math.floor(next() * 40);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
    return text;
  });
}

describeEachDjango('service/lexer against real Django Lexer', (v) => {
  before(() => {
    env = v.env;
  });
  it('agrees on 500 random templates (tokens, contents, split_contents)', () => {
    const samples = randomTemplates(500, 20261126);
    const expected = djangoTokens(samples);
    samples.forEach((sample, i) => {
      const ours = tokenize(sample).map((t) => [
        t.kind,
        t.contents,
        t.kind === 'block' ? splitContents(t.contents).map((b) => b.text) : null,
      ]);
      assert.deepEqual(ours, expected[i], `random sample ${i}: ${JSON.stringify(sample)}`);
    });
  });

  it('produces the same tokens and split_contents on tricky inputs', () => {
    const expected = djangoTokens(SAMPLES);
    SAMPLES.forEach((sample, i) => {
      const ours = tokenize(sample).map((t) => [
        t.kind,
        t.contents,
        t.kind === 'block' ? splitContents(t.contents).map((b) => b.text) : null,
      ]);
      // Django's comment blocks are tokens too; its text tokens are never merged, and neither are ours.
      assert.deepEqual(ours, expected[i], `sample ${i}: ${JSON.stringify(sample)}`);
    });
  });
});
