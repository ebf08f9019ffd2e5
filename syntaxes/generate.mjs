// Generates the three grammars (run: node syntaxes/generate.mjs) from one repository of Django template rules so they never drift apart.
import { writeFileSync } from 'node:fs';
const djangoScopes = '-meta.tag.template.django -meta.variable.template.django -comment.block.django -comment.line.django';
const strings = [
  { name: 'string.quoted.single.django', begin: "'", end: "'", beginCaptures: { 0: { name: 'punctuation.definition.string.begin.django' } }, endCaptures: { 0: { name: 'punctuation.definition.string.end.django' } } },
  { name: 'string.quoted.double.django', begin: '"', end: '"', beginCaptures: { 0: { name: 'punctuation.definition.string.begin.django' } }, endCaptures: { 0: { name: 'punctuation.definition.string.end.django' } } },
];
const repository = {
  django: { patterns: [{ include: '#comment-block' }, { include: '#comment-line' }, { include: '#static-tag' }, { include: '#tag' }, { include: '#variable' }] },
  'comment-line': {
    name: 'comment.line.django',
    begin: '\\{#', end: '#\\}',
    beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.django' } },
    endCaptures: { 0: { name: 'punctuation.definition.comment.end.django' } },
  },
  'comment-block': {
    name: 'comment.block.django',
    begin: '\\{%-?\\s*comment\\b.*?-?%\\}', end: '\\{%-?\\s*endcomment\\s*-?%\\}',
    beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.django' } },
    endCaptures: { 0: { name: 'punctuation.definition.comment.end.django' } },
  },
  'static-tag': {
    name: 'meta.tag.template.static.django meta.tag.template.django',
    begin: '(\\{%-?)\\s*(static)\\b', end: '(-?%\\})',
    beginCaptures: { 1: { name: 'punctuation.definition.tag.begin.django' }, 2: { name: 'keyword.control.tag-name.static.django' } },
    endCaptures: { 1: { name: 'punctuation.definition.tag.end.django' } },
    patterns: [
      {
        name: 'string.quoted.static-path.django',
        match: "(')([^']*)(')|(\")([^\"]*)(\")",
        captures: {
          1: { name: 'punctuation.definition.string.begin.django' }, 2: { name: 'string.unquoted.static-path.value.django' }, 3: { name: 'punctuation.definition.string.end.django' },
          4: { name: 'punctuation.definition.string.begin.django' }, 5: { name: 'string.unquoted.static-path.value.django' }, 6: { name: 'punctuation.definition.string.end.django' },
        },
      },
      { match: '\\bas\\b', name: 'keyword.other.as.django' },
      { include: '#expression' },
    ],
  },
  tag: {
    name: 'meta.tag.template.django',
    begin: '(\\{%-?)\\s*(end\\w*|\\w+)', end: '(-?%\\})',
    beginCaptures: { 1: { name: 'punctuation.definition.tag.begin.django' }, 2: { name: 'keyword.control.tag-name.django' } },
    endCaptures: { 1: { name: 'punctuation.definition.tag.end.django' } },
    patterns: [{ include: '#expression' }],
  },
  variable: {
    name: 'meta.variable.template.django',
    begin: '\\{\\{-?', end: '-?\\}\\}',
    beginCaptures: { 0: { name: 'punctuation.definition.variable.begin.django' } },
    endCaptures: { 0: { name: 'punctuation.definition.variable.end.django' } },
    patterns: [{ include: '#expression' }],
  },
  expression: {
    patterns: [
      ...strings,
      { match: '(\\|)\\s*([A-Za-z_]\\w*)', captures: { 1: { name: 'keyword.operator.filter.django' }, 2: { name: 'support.function.filter.django' } } },
      { match: '\\b(and|or|not|in|is|as|with|only|silent|from|by|reversed|noop|context)\\b', name: 'keyword.operator.word.django' },
      { match: '==|!=|<=|>=|<|>|=', name: 'keyword.operator.comparison.django' },
      { match: '\\b(True|False|None)\\b', name: 'constant.language.django' },
      { match: '-?\\b\\d+(?:\\.\\d+)?\\b', name: 'constant.numeric.django' },
      { match: ':', name: 'punctuation.separator.argument.django' },
      { match: '\\.', name: 'punctuation.accessor.django' },
      { match: '[A-Za-z_]\\w*', name: 'variable.other.django' },
    ],
  },
};
const header = { $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json' };
const injectionKey = `L:text.html.django ${djangoScopes}`;
writeFileSync(new URL('./django-html.tmLanguage.json', import.meta.url), JSON.stringify({
  ...header, name: 'Django HTML', scopeName: 'text.html.django',
  patterns: [{ include: '#django' }, { include: 'text.html.basic' }],
  injections: { [injectionKey]: { patterns: [{ include: '#django' }] } },
  repository,
}, null, 2) + '\n');
writeFileSync(new URL('./django-txt.tmLanguage.json', import.meta.url), JSON.stringify({
  ...header, name: 'Django Text', scopeName: 'text.django',
  patterns: [{ include: '#django' }],
  repository,
}, null, 2) + '\n');
writeFileSync(new URL('./django-injection.tmLanguage.json', import.meta.url), JSON.stringify({
  ...header, scopeName: 'text.html.django.injection',
  injectionSelector: `L:text.html -text.html.django ${djangoScopes}`,
  patterns: [{ include: '#django' }],
  repository,
}, null, 2) + '\n');
