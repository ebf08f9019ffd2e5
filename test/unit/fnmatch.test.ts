import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { compileGlobs, compileIgnorePatterns, compilePathOnlyPatterns, fnmatchcase } from '../../server/src/engine/fnmatch';
import { normpath, safeJoin } from '../../server/src/engine/paths';
import { seededRandom } from '../seeded';

const PYTHON = '/usr/bin/python3';

/** Asks real Python for fnmatchcase over every (name, pattern) pair in one process. */
function pythonFnmatch(pairs: Array<[string, string]>): boolean[] {
  const script = 'import sys,json,fnmatch\nprint(json.dumps([fnmatch.fnmatchcase(n,p) for n,p in json.load(sys.stdin)]))';
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function pythonPaths(cases: Array<[string, string]>): Array<[string, string | null]> {
  const script = [
    'import sys,json,posixpath',
    'from django.utils._os import safe_join',
    'from django.core.exceptions import SuspiciousFileOperation',
    'out=[]',
    'for base,rel in json.load(sys.stdin):',
    '    try: sj=safe_join(base,rel)',
    '    except SuspiciousFileOperation: sj=None',
    '    out.append([posixpath.normpath(rel) if rel else ".", sj])',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('fnmatch (Python-compatible)', () => {
  it('follows the rules Django relies on', () => {
    assert.ok(fnmatchcase('.hidden', '.*'));
    assert.ok(fnmatchcase('a/b/c.css', 'a/*'), '* crosses /');
    assert.ok(fnmatchcase('x.css~', '*~'));
    assert.ok(!fnmatchcase('b.css', '*.CSS'), 'case-sensitive');
    assert.ok(fnmatchcase('a.js', '[ab].js'));
    assert.ok(!fnmatchcase('c.js', '[ab].js'));
    assert.ok(fnmatchcase('c.js', '[!ab].js'));
    assert.ok(fnmatchcase('[x', '[x'), 'unclosed bracket is literal');
    assert.ok(fnmatchcase('a\nb', 'a?b'), '? matches a newline (DOTALL)');
  });

  it('normalises ignore patterns like collectstatic (normpath)', () => {
    const ignored = compileIgnorePatterns(['./css/b.css', 'vendor/lib/']);
    assert.ok(ignored('css/b.css'));
    assert.ok(ignored('vendor/lib'));
    assert.ok(!ignored('vendor/lib/v.js'));
  });

  it('agrees with real Python on 3000 random patterns and names', () => {
    const next = seededRandom(1234);
    const alphabet = ['a', 'b', 'c', '-', '!', '^', ']', '[', '*', '?', '/', '.', '\\', 'é', 'z', '&', '~', '|', 'A'];
    const pick = (len: number) => Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 3000; i++) {
      const pattern = pick(1 + Math.floor(next() * 7));
      const name = next() < 0.5 ? pick(Math.floor(next() * 6)) : pattern.replace(/[[\]*?!]/g, () => pick(1));
      pairs.push([name, pattern]);
    }
    const expected = pythonFnmatch(pairs);
    const mismatches = pairs.filter(([n, p], i) => fnmatchcase(n, p) !== expected[i]);
    assert.deepStrictEqual(mismatches.slice(0, 10), []);
    // The fast paths for plain shapes must agree too (patterns without `/`, so normpath keeps them).
    const plain = pairs.filter(([, p]) => !p.includes('/') && p !== '.' && p !== '..');
    const plainMismatches = plain.filter(([n, p]) => compileIgnorePatterns([p])(n) !== fnmatchcase(n, p));
    assert.deepStrictEqual(plainMismatches.slice(0, 10), []);
    for (const [n, p] of [
      ['a.css', '*'],
      ['x~', '*~'],
      ['.a', '.*'],
      ['CVS', 'CVS'],
      ['xabx', '*ab*'],
      ['ab', '*ab*'],
    ]) {
      assert.strictEqual(compileIgnorePatterns([p])(n), true, `${p} ~ ${n}`);
    }
  });
});

describe('ignore patterns on whole paths (collectstatic tests folder names, the file name and the path)', () => {
  it('leaves out only the patterns a path cannot match beyond its names, with the same verdict on every path', () => {
    assert.strictEqual(compilePathOnlyPatterns(['CVS', '.*', '*~']), null, 'the defaults need no path test');
    assert.strictEqual(compilePathOnlyPatterns(['*.min.js', 'tmp*', '*cache*']), null);
    assert.ok(compilePathOnlyPatterns(['css/*.css'])?.('css/a.css'));
    assert.ok(compilePathOnlyPatterns(['a?c'])?.('a/c'), 'a wildcard can match the slash');
    const next = seededRandom(99);
    const alphabet = ['a', 'b', '.', '~', '*', '?', '/', 'c'];
    const pick = (len: number) => Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const patterns = [pick(1 + Math.floor(next() * 4)), pick(1 + Math.floor(next() * 3))];
      const parts = Array.from({ length: 2 + Math.floor(next() * 2) }, () => pick(1 + Math.floor(next() * 3)).replace(/\//g, 'a'));
      const path = parts.join('/');
      const byName = compileIgnorePatterns(patterns);
      const names = parts.some(byName);
      const pathOnly = compilePathOnlyPatterns(patterns);
      assert.strictEqual(names || (pathOnly?.(path) ?? false), names || byName(path), `${JSON.stringify(patterns)} on ${path}`);
    }
  });
});

describe('paths (posixpath / safe_join)', () => {
  it('agrees with real Python normpath and Django safe_join', () => {
    const rels = [
      'css/site.css',
      './css/site.css',
      'css//site.css',
      'css/site.css/',
      'css/../css/x',
      '../x',
      '/etc/passwd',
      '',
      '.',
      '..',
      'a/../../b',
      '//x',
      '///x',
      'a/./b/',
      'x/..',
      'é b/ç',
      '.../x',
      'a/..b',
    ];
    const cases: Array<[string, string]> = rels.map((r) => ['/srv/root', r]);
    cases.push(['/', 'etc/x'], ['/', '../x']);
    const expected = pythonPaths(cases);
    cases.forEach(([base, rel], i) => {
      assert.strictEqual(normpath(rel), expected[i][0], `normpath(${JSON.stringify(rel)})`);
      const ours = safeJoin(base, rel);
      assert.strictEqual(ours.ok ? ours.path : null, expected[i][1], `safe_join(${base}, ${JSON.stringify(rel)})`);
    });
  });

  it('globs for ignoreGlobs: ** spans folders, * stays in a segment', () => {
    const filter = compileGlobs(['**/node_modules/**', '*.map', 'build/**'])!;
    assert.ok(filter.skipsFolder('node_modules', 'node_modules'));
    assert.ok(filter.skipsFolder('a/node_modules', 'node_modules'));
    assert.ok(!filter.skipsFolder('a/node_modulesx', 'node_modulesx'));
    assert.ok(filter.skipsFolder('build', 'build'));
    assert.ok(!filter.skipsFolder('a/build', 'build'));
    assert.ok(filter.skipsFile!('x.map'));
    assert.ok(!filter.skipsFile!('a/x.map'));
    assert.ok(filter.skipsFile!('build/x.js'));
  });
});
