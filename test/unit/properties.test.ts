/**
 * Property-based tests (fast-check) on the template readers (lexer, Django scanner, Jinja scanner) and the
 * settings reader: they never throw, stay within their budgets, keep every range inside the document, and
 * give the same answer when unrelated text is added. 10,000+ generated cases per run; the seed is printed
 * (PROPERTY_SEED=<n> replays a run, PROPERTY_RUNS=<n> scales the case counts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenize } from '../../server/src/service/lexer';
import { readerFor } from '../../server/src/service/readers';
import { MAX_REFERENCES_PER_DOCUMENT } from '../../server/src/service/templateModel';
import { Interpreter } from '../../server/src/engine/staticMode/interpreter';
import { ModuleResolver } from '../../server/src/engine/staticMode/settingsFiles';
import { WATCHED_SETTINGS } from '../../server/src/engine/staticMode/toModel';
import { keyOf } from '../../server/src/engine/staticMode/values';

const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const SCALE = Number(process.env.PROPERTY_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

// Pieces templates are made of: delimiters, tag names, quotes, paths, markup, and arbitrary characters.
const TEMPLATE_PIECES = [
  '{%',
  '%}',
  '{{',
  '}}',
  '{#',
  '#}',
  '{',
  '}',
  '%',
  '#',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  "'",
  '"',
  '\\',
  '/',
  '-',
  '+',
  '|',
  '_(',
  ')',
  'static',
  'load',
  'static from',
  'staticfiles',
  'as',
  'comment',
  'endcomment',
  'verbatim',
  'endverbatim',
  'extends',
  'raw',
  'endraw',
  'css/site.css',
  '/css/a.css',
  '../x',
  'img/é.png',
  '<img src="',
  "<link href='",
  '">',
  "'>",
  '/static/js/app.js',
  '{{ STATIC_URL }}',
  'static(',
  'url_for(',
  "'static'",
  'filename=',
  '{% load static %}',
  "{% static 'a.css' %}",
  '😀',
  '\u0000',
  'ß',
];
const templateText = fc
  .array(fc.oneof(fc.constantFrom(...TEMPLATE_PIECES), fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map((parts) => parts.join(''));
/** Text that cannot open, close or quote anything: an unrelated edit. */
const plainText = fc.stringMatching(/^[a-z ]{0,20}\n$/);

interface Scanned {
  references: {
    value: string;
    pathStart: number;
    pathEnd: number;
    tagStart: number;
    tagEnd: number;
    pathRange: unknown;
    tagRange: unknown;
  }[];
  urlAttributes: { start: number; end: number }[];
  loads: { tagStart: number; tagEnd: number }[];
  skipped: Array<[number, number]>;
}

function scan(flavor: 'django' | 'jinja', text: string): Scanned {
  const doc = TextDocument.create('file:///t.html', 'django-html', 0, text);
  const positionAt = (offset: number) => doc.positionAt(offset);
  return readerFor(flavor)!.read(text, { positionAt }) as Scanned;
}

function assertInside(result: Scanned, length: number): void {
  const inside = (from: number, to: number, what: string) =>
    assert.ok(from >= 0 && from <= to && to <= length, `${what} ${from}..${to} outside 0..${length}`);
  for (const ref of result.references) {
    inside(ref.tagStart, ref.tagEnd, 'tag');
    inside(ref.pathStart, ref.pathEnd, 'path');
    assert.ok(ref.pathStart >= ref.tagStart && ref.pathEnd <= ref.tagEnd, 'path inside its tag');
  }
  for (const attr of result.urlAttributes) inside(attr.start, attr.end, 'url attribute');
  for (const load of result.loads) inside(load.tagStart, load.tagEnd, 'load');
  for (const [from, to] of result.skipped) inside(from, to, 'skipped');
  assert.ok(result.references.length <= MAX_REFERENCES_PER_DOCUMENT + 1);
}

/** References as values and offsets, shifted back by `shift`. */
function shape(result: Scanned, shift = 0): string {
  return JSON.stringify(
    result.references.map((r) => [r.value, r.pathStart - shift, r.pathEnd - shift, r.tagStart - shift, r.tagEnd - shift]),
  );
}

/** keyOf, or a marker for a value that contains itself (`A += [[A]]`), which has no finite key. */
function safeKey(value: Parameters<typeof keyOf>[0]): string {
  try {
    return keyOf(value);
  } catch (error) {
    if (error instanceof RangeError) return '<contains itself>';
    throw error;
  }
}

describe(`property-based: template and settings readers (seed ${SEED})`, function () {
  this.timeout(120_000);
  before(() => console.log(`      fast-check seed ${SEED} (PROPERTY_SEED=${SEED} replays this run)`));
  const params = (numRuns: number) => ({ seed: SEED, numRuns });

  it('lexer: never throws; tokens tile the text in order', () => {
    fc.assert(
      fc.property(templateText, (text) => {
        const tokens = tokenize(text);
        let at = 0;
        for (const token of tokens) {
          assert.ok(token.start >= at && token.end >= token.start && token.end <= text.length, `token ${token.start}..${token.end}`);
          at = token.end;
        }
      }),
      params(runs(2500)),
    );
  });

  for (const flavor of ['django', 'jinja'] as const) {
    it(`${flavor} scanner: never throws, ranges inside the document, fast`, () => {
      fc.assert(
        fc.property(templateText, (text) => {
          const started = Date.now();
          assertInside(scan(flavor, text), text.length);
          assert.ok(Date.now() - started < 500);
        }),
        params(runs(2000)),
      );
    });

    it(`${flavor} scanner: the same references when unrelated text is added before or after`, () => {
      fc.assert(
        fc.property(templateText, plainText, (text, extra) => {
          const base = `${text}\n{# end #}\n`;
          const alone = scan(flavor, base);
          assert.equal(shape(scan(flavor, extra + base), extra.length), shape(alone));
          // Text added after the last tag changes nothing (a tag left open reads to the end, so it does depend on it).
          if (alone.references.every((r) => r.tagEnd < base.length)) assert.equal(shape(scan(flavor, base + extra)), shape(alone));
        }),
        params(runs(1000)),
      );
    });
  }

  describe('settings reader', () => {
    let dir = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prop-'));
      fs.mkdirSync(path.join(dir, 'proj'));
      fs.writeFileSync(path.join(dir, 'proj/__init__.py'), '');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const name = fc.constantFrom('A', 'B', 'BASE_DIR', 'STATICFILES_DIRS', 'STATIC_ROOT', 'INSTALLED_APPS', 'X');
    const atom = fc.oneof(
      name,
      fc.integer({ min: -3, max: 50 }).map(String),
      fc.constantFrom(
        "'a'",
        "'css/'",
        '"x" * 3',
        'Path(__file__)',
        'os.path.join(BASE_DIR, "s")',
        'None',
        'True',
        '[]',
        '{}',
        "os.environ.get('K', 'd')",
        '__file__',
      ),
    );
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc
          .tuple(tie('e'), fc.constantFrom(' + ', ' * ', ' / ', ' % ', ' ** ', ' if A else ', ' and ', ' or ', ' == ', ' in '), tie('e'))
          .map(([a, op, b]) => `(${a}${op}${b})`),
        fc.array(tie('e'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
        fc
          .tuple(
            tie('e'),
            fc.constantFrom('.upper()', '.split("a")', '.append(1)', '[0]', '[1:]', '.replace("a", "bb")', '.join(["x", "y"])'),
          )
          .map(([a, m]) => `${a}${m}`),
        tie('e').map((a) => `[x for x in ${a}]`),
      ),
    })).e;
    const statement = fc.oneof(
      fc.tuple(name, expr).map(([n, e]) => `${n} = ${e}`),
      fc.tuple(name, expr).map(([n, e]) => `${n} += ${e}`),
      fc.tuple(expr, name, expr).map(([it, n, e]) => `for _ in ${it}:\n    ${n} = ${e}`),
      fc.tuple(expr, name, expr).map(([c, n, e]) => `if ${c}:\n    ${n} = ${e}\nelse:\n    pass`),
      fc.constantFrom(
        'import os',
        'from pathlib import Path',
        'try:\n    import missing_mod\nexcept ImportError:\n    pass',
        'def f():\n    return 1',
        '((((',
        'while A:\n    pass',
      ),
    );
    const settings = fc
      .array(statement, { maxLength: 12 })
      .map((lines) => `import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n${lines.join('\n')}\n`);
    const limits = { maxValueSize: 20_000, maxTotalSize: 200_000, maxSteps: 20_000, maxMillis: 500 };

    function read(source: string) {
      // One file rewritten per case (a fresh resolver and interpreter each time, so nothing is cached).
      const moduleName = 'proj.settings';
      const file = path.join(dir, 'proj', 'settings.py');
      fs.writeFileSync(file, source);
      const interpreter = new Interpreter({ cwd: dir, resolver: new ModuleResolver([dir], []), watchedNames: WATCHED_SETTINGS, limits });
      const started = Date.now();
      const state = interpreter.importSettings(moduleName)!;
      const ms = Date.now() - started;
      return { interpreter, state, ms, lines: source.split('\n').length };
    }

    it('never throws, stays within its budget, reports lines inside the file', () => {
      fc.assert(
        fc.property(settings, (source) => {
          const { interpreter, ms, lines } = read(source);
          assert.ok(interpreter.budget.stepsTaken <= limits.maxSteps + 1, `${interpreter.budget.stepsTaken} steps`);
          assert.ok(ms < limits.maxMillis + 1000, `took ${ms} ms`);
          for (const problem of interpreter.problems)
            if (problem.line !== undefined) assert.ok(problem.line >= 0 && problem.line < lines, `line ${problem.line} of ${lines}`);
        }),
        params(runs(1200)),
      );
    });

    it('reads the same settings when a comment or an unrelated assignment is added at the end', () => {
      fc.assert(
        fc.property(settings, (source) => {
          const a = read(source);
          const b = read(`${source}# an unrelated comment\nUNRELATED_SETTING = 'x'\n`);
          if (a.interpreter.budget.exhausted || b.interpreter.budget.exhausted) return; // a time limit may land anywhere
          // A file Python cannot parse is recovered from differently depending on what follows the error.
          if ([...a.interpreter.problems, ...b.interpreter.problems].some((p) => p.kind === 'settings-syntax-error')) return;
          for (const watched of ['STATICFILES_DIRS', 'STATIC_ROOT', 'INSTALLED_APPS']) {
            const before = a.state.namespace.get(watched)?.value;
            const after = b.state.namespace.get(watched)?.value;
            assert.equal(after && safeKey(after), before && safeKey(before), watched);
          }
        }),
        params(runs(300)),
      );
    });
  });
});
