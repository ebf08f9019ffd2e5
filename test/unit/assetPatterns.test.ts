/**
 * Our port of HashedFilesMixin's patterns against Python's `re` running the real patterns of each Django
 * version (JS module imports switched on), on hand-picked edges and on seeded random texts built from the
 * tokens that matter: every match must start at the same character and capture the same text.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { behaviourOf } from '../../server/src/engine/djangoVersion';
import { patternsFor } from '../../server/src/engine/assets/patterns';
import { describeEachDjango, DJANGO_PYTHON } from '../djangoVersions';
import { seededRandom } from '../seeded';

const PYTHON = String.raw`
import json, re, sys
from django.contrib.staticfiles.storage import HashedFilesMixin
class S(HashedFilesMixin):
    support_js_module_import_aggregation = True
patterns = list(S.patterns)
extra = getattr(S, '_js_module_import_aggregation_patterns', None)
if extra:
    patterns.append(extra)
table = {}
for ext, pats in patterns:
    for p in pats:
        table.setdefault(ext, []).append(re.compile(p[0] if isinstance(p, (tuple, list)) else p, re.IGNORECASE))
out = []
for text in json.load(sys.stdin):
    found = []
    for ext in sorted(table):
        for i, c in enumerate(table[ext]):
            for m in c.finditer(text):
                g = m.groupdict()
                url = g['url'] if 'url' in g else m.group(2)
                found.append([ext, i, m.start(), m.group(0), url])
    out.append(found)
print(json.dumps(out))
`;

const EDGES = [
  'a { b: url(  "../img/a.png"  ); }',
  'url( ../img/a.png )',
  'URL(\'x.png\') Url("y.png") uRl(z.png)',
  '/* url(in-comment.png) */',
  '@import "a.css"; @IMPORT \'b.css\'; @import url("c.css"); @import  " sp.css";',
  '/*# sourceMappingURL=site.css.map */\n/*# sourceMappingURL=crlf.css.map */\r\n/*#\tsourceMappingURL=tab.map */',
  '/*# SOURCEMAPPINGURL=upper.map */\n//# sourceMappingURL=app.js.map\n//# sourceMappingURL=x.map   \n  //# sourceMappingURL=indented.map',
  'import { a } from "./m.js";\nimport {b,\n c} from \'../n.js\' ;\nexport { d } from "./o.js";\nimport "./p.js";\nimport("./q.js")\nimport * as ns from "./r.js";',
  'ıMPORT { a } from "./dotless.js"; İMPORT { a } from "./dotted.js"; import ſomething from "./s.js"; import{x} from "./brace.js";',
  'url(\u2028a.png) url(\x1cb.png) url(\u00a0c.png) url(\ufeffd.png) url(e\u2028.png)',
  'url(😀.png) url("é.png") @import "ü\u0085.css";',
  'import a from "x.js"; import b from "/abs.js"; import c from ".rel.js"',
  'url(a.png\nb.png) url() url("") @import "";',
];

const TOKENS = [
  'url(',
  'URL(',
  ')',
  '"',
  "'",
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  '@import',
  'import',
  'IMPORT',
  'export',
  'from',
  ' * as ',
  '{ a }',
  ';',
  'a.png',
  './m.js',
  '../n.js',
  '/*# sourceMappingURL=',
  '//# sourceMappingURL=',
  ' */',
  '*/',
  'ı',
  'ſ',
  'İ',
  '\u2028',
  '\x1c',
  '\u00a0',
  '\ufeff',
  '😀',
  '#f',
  '?v=1',
  'data:x',
  '(',
  '/',
];

function randomTexts(seed: number, count: number): string[] {
  const next = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let n = 3 + Math.floor(next() * 25); n > 0; n--) s += TOKENS[Math.floor(next() * TOKENS.length)];
    out.push(s);
  }
  return out;
}

function ours(series: string, text: string): Array<[string, number, number, string, string | null]> {
  const found: Array<[string, number, number, string, string | null]> = [];
  const groups = patternsFor(behaviourOf(series).assets, true);
  for (const g of [...groups].sort((a, b) => (a.glob < b.glob ? -1 : 1))) {
    g.patterns.forEach((p, i) => {
      const re = new RegExp(p.regex.source, p.regex.flags);
      for (let m = re.exec(text); m; m = re.exec(text)) {
        found.push([g.glob, i, [...text.slice(0, m.index)].length, m[0], m.groups?.url ?? null]);
        if (m[0] === '') re.lastIndex++;
      }
    });
  }
  return found;
}

describeEachDjango('CSS/JS patterns against Python re', (v) => {
  it('match where the real patterns match, capturing the same URL', () => {
    const texts = [...EDGES, ...randomTexts(1313, 400)];
    const real = JSON.parse(
      execFileSync(DJANGO_PYTHON, ['-c', PYTHON], { input: JSON.stringify(texts), env: v.env, encoding: 'utf8' }),
    ) as unknown[];
    texts.forEach((text, i) => assert.deepStrictEqual(ours(v.series, text), real[i], `text ${i}: ${JSON.stringify(text)}`));
  });
});
