/**
 * The Jinja2 scanner against real Jinja2 (Debian python3-jinja2 for /usr/bin/python3): every `static(...)`
 * call Jinja's parser sees, with a constant first argument, is a literal reference with the same value.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createLanguageService } from '../../../server/src/service/index';
import { docOf } from './helpers';

const PYTHON = '/usr/bin/python3';
const haveJinja = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import jinja2'], { encoding: 'utf8' }).status === 0;

const SAMPLES = [
  `{{ static('a.css') }}{% set x = static("b.js") %}`,
  `{# static('c') #}{% raw %}{{ static('d') }}{% endraw %}{{\n static( 'e.css' ) }}`,
  `{{ "}}" ~ static('f') }}{{ static(v) }}{{ url('x') }}`,
  `{%- if x -%}{{ static('g h.css') }}{%- endif -%}<img src="{{ static('i\\'j.png') }}">`,
  `{% for f in fs %}{{ static('k/' ~ f) }}{% endfor %}{{ x.static('no') }}`,
];

function jinjaCalls(samples: string[]): Array<Array<string | null>> {
  const script = `
import json, sys
from jinja2 import Environment, nodes
env = Environment()
out = []
for src in json.load(sys.stdin):
    calls = []
    for call in env.parse(src).find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == 'static':
            arg = call.args[0] if call.args else None
            calls.append(arg.value if isinstance(arg, nodes.Const) else None)
    out.append(calls)
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(samples), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

(haveJinja ? describe : describe.skip)('service/jinja against real Jinja2', () => {
  it('finds the same static() calls with the same constant paths', () => {
    const expected = jinjaCalls(SAMPLES);
    const service = createLanguageService();
    SAMPLES.forEach((sample, i) => {
      const refs = service.parseTemplate(docOf(sample, 'jinja-html')).references;
      const ours = refs.map((r) => (r.kind === 'literal' ? r.value : null));
      // Jinja's find_all walks the tree depth-first; both lists follow source order here.
      assert.deepEqual(ours, expected[i], `sample ${i}: ${JSON.stringify(sample)}`);
    });
  });
});
