// Which documents a static file change re-checks: precise enough to skip unrelated templates, never
// missing one whose diagnostics (existence or did-you-mean) could change. What a validation depends on is
// recorded by the index lookups themselves (resolvePath, suggestPaths) in IndexQuestions.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { StaticIndexApi } from '../../server/src/engine/indexTypes';
import { basename, destinationOf } from '../../server/src/engine/paths';
import { IndexQuestions } from '../../server/src/service/indexQuestions';
import { boundedDistance } from '../../server/src/service/editDistance';
import { resolvePath } from '../../server/src/service/resolve';
import { prepareSuggestions, suggestPaths } from '../../server/src/service/suggest';

/** Just what resolvePath and suggestPaths read from an index. */
function indexOf(paths: string[]): StaticIndexApi {
  const forEachFile = (visit: (folder: string, name: string) => void) => {
    for (const p of paths) {
      const slash = p.lastIndexOf('/');
      visit(slash === -1 ? '' : p.slice(0, slash), p.slice(slash + 1));
    }
  };
  function* filesByFolder(): IterableIterator<[string, string[]]> {
    const byFolder = new Map<string, string[]>();
    forEachFile((folder, name) => byFolder.set(folder, [...(byFolder.get(folder) ?? []), name]));
    yield* byFolder;
  }
  const get = (p: string) => (paths.includes(p) ? { path: p, providers: [{}] } : undefined);
  const isFolder = (p: string) => paths.some((q) => q.startsWith(`${p}/`));
  return { size: paths.length, generation: paths.length, forEachFile, filesByFolder, get, isFolder } as unknown as StaticIndexApi;
}

describe('workspace: which documents a change re-checks (IndexQuestions)', () => {
  /** A template referencing css/site.css, css/missing.css (offered css/mising.css) and the folder img. */
  function asked(): IndexQuestions {
    const questions = new IndexQuestions();
    const index = indexOf(['css/site.css', 'css/mising.css', 'img/a.png']);
    for (const path of ['css/site.css', 'css/missing.css', 'img']) resolvePath(path, index, questions);
    assert.equal(suggestPaths('css/missing.css', index, 3, questions)[0], 'css/mising.css');
    return questions;
  }

  it('re-checks documents that reference a changed path, a folder of it, or a path below it', () => {
    assert.equal(asked().touchedBy({ added: ['css/missing.css'], removed: [] }), true);
    assert.equal(asked().touchedBy({ added: [], removed: ['css'] }), true);
    assert.equal(asked().touchedBy({ added: ['img/logo.png'], removed: [] }), true);
  });

  it('re-checks when a shown suggestion disappears, not when an unrelated file does', () => {
    assert.equal(asked().touchedBy({ added: [], removed: ['css/mising.css'] }), true);
    assert.equal(asked().touchedBy({ added: [], removed: ['vendor/lib/other.js'] }), false);
  });

  it('re-checks when an added file may become a suggestion for a missing reference', () => {
    assert.equal(asked().touchedBy({ added: ['css/zzz.js'], removed: [] }), true, 'same folder');
    assert.equal(asked().touchedBy({ added: ['other/missng.css'], removed: [] }), true, 'close basename');
    assert.equal(asked().touchedBy({ added: ['d0/incremental/added.css'], removed: [] }), false);
  });

  it('covers every suggestion the service actually makes', () => {
    const paths = [
      'css/site.css',
      'css/Site2.css',
      'css/sit.css',
      'js/app.js',
      'js/ap.js',
      'js/vendor/app.min.js',
      'img/logo.png',
      'img/log.png',
      'app/css/missing_1_2.css',
      'app/css/missing_1_3.css',
      'fonts/a.woff',
      'a.css',
      'b/a.css',
    ];
    const missing = ['css/sitee.css', 'CSS/Site.css', 'js/app.jss', 'img/logo.svg', 'app/css/missing_1_4.css', 'x/a.css', 'logo.png'];
    let checked = 0;
    for (const m of missing) {
      for (const candidate of suggestPaths(m, indexOf(paths), 5)) {
        // Asked before the candidate existed: adding it must re-check the document.
        const questions = new IndexQuestions();
        suggestPaths(m, indexOf(paths.filter((p) => p !== candidate)), 3, questions);
        assert.ok(questions.touchedBy({ added: [candidate], removed: [] }), `${candidate} suggested for ${m}`);
        checked++;
      }
    }
    assert.ok(checked > 5, `only ${checked} suggestions made`);
  });

  it('normalises like the service', () => {
    assert.equal(destinationOf('/css/./a/../site.css'), 'css/site.css');
    assert.equal(destinationOf('../x'), null);
  });

  it("normalises as Python's posixpath.normpath does once the leading slashes go (normal paths take a shortcut)", () => {
    const paths = ['css/site.css', 'a', '', '.', '..', '...', '.a/b.', 'a..b/c', 'a/.b', 'a//b', 'a/', '//a', '/..', 'a/./b'];
    paths.push('a/b/..', 'a/../..', '../a', 'a/b/../../c', 'x/.../y', 'é/ü.css', 'a/ b /c', ' ./a');
    // Python prints, per path, the normpath of it without its leading slashes, or None when it climbs above the top.
    const script =
      'import json, posixpath, sys\n' +
      'def dest(p):\n  n = posixpath.normpath(p.lstrip("/"))\n  return None if n == ".." or n.startswith("../") else ("" if n == "." else n)\n' +
      'print(json.dumps([dest(p) for p in json.load(sys.stdin)]))';
    const out = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(paths), encoding: 'utf8' });
    const expected = JSON.parse(out) as Array<string | null>;
    assert.deepEqual(
      paths.map((p) => destinationOf(p)),
      expected,
    );
  });
});

describe('did-you-mean: bounded work per missing path in a monorepo-sized tree', () => {
  const paths: string[] = [];
  for (let i = 0; i < 20_000; i++) paths.push(`vendor/pkg/item_${i}.js`);
  for (let i = 0; i < 3_000; i++) paths.push(`vendor/p${i}/index.js`);
  const index = indexOf(paths);

  it('still finds a typo in a 20,000-file folder (through the names, not by reading the folder)', () => {
    assert.equal(suggestPaths('vendor/pkg/item_12.jss', index)[0], 'vendor/pkg/item_12.js');
    assert.equal(suggestPaths('vendor/pkg/itme_1234.js', index)[0], 'vendor/pkg/item_1234.js');
  });

  it('compares a bounded number of the 3,000 paths sharing a name, the right folder first', () => {
    assert.deepEqual(suggestPaths('vendor/p2999/index.jss', index, 1), ['vendor/p2999/index.js']);
    const started = Date.now();
    for (let i = 0; i < 200; i++) assert.equal(suggestPaths(`vendor/pkg/item_${i}.jss`, index)[0], `vendor/pkg/item_${i}.js`);
    for (let i = 0; i < 200; i++) assert.equal(suggestPaths(`vendor/q${i}/index.js`, index).length, 3);
    // Unbounded, each of these read the 20,000-file folder or scored 3,000 paths (seconds in all).
    assert.ok(Date.now() - started < 10_000, `400 suggestions took ${Date.now() - started} ms`);
  });
});

describe('did-you-mean: its tables built ahead, a piece at a time (prepareSuggestions)', () => {
  it('builds them in steps of bounded work, and answers as the tables a query builds itself', () => {
    const paths: string[] = [];
    for (let i = 0; i < 50_000; i++) paths.push(`vendor/m${i % 500}/file_${i}.js`);
    const prepared = indexOf(paths);
    let steps = 0;
    for (const _ of prepareSuggestions(prepared)) steps++;
    // 50,000 files, then 50,000 names, at 20,000 a step: the caller gets a turn in between.
    assert.ok(steps >= 4, `${steps} steps`);
    // Built already: preparing again has nothing to do.
    assert.equal([...prepareSuggestions(prepared)].length, 0);
    const fresh = indexOf(paths);
    for (const missing of ['vendor/m3/file_3.jss', 'vendor/m7/flie_1007.js', 'vendor/x/file_42.js', 'other/FILE_9.JS'])
      assert.deepEqual(suggestPaths(missing, prepared), suggestPaths(missing, fresh), missing);
  });
});

describe('did-you-mean: the basename pass finds what comparing every name finds', () => {
  // Names built from a few syllables share most bigrams, so the filter's counting (the common bigrams
  // read last) decides which names reach the edit distance: its answers must be those of trying them all.
  let seed = 11;
  const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const syllables = ['item', 'it', 'em', '_', '1', '2', '12', 'site', 'sit', 'e', 'mi', 'ss', 'ing'];
  const nameOf = (): string =>
    Array.from({ length: 2 + random(4) }, () => syllables[random(syllables.length)]).join('') + (random(2) ? '.js' : '.css');
  const paths = [...new Set(Array.from({ length: 150 }, (_, i) => `f${i % 7}/${nameOf()}`))];
  const index = indexOf(paths);

  /** suggestPaths' ranking over every path of a folder the missing path does not share (no same-folder pass). */
  function everyName(missing: string, limit: number): string[] {
    const typedBase = basename(missing).toLowerCase();
    const maxBase = Math.max(1, Math.floor(typedBase.length / 3));
    const maxDistance = Math.max(2, Math.floor(missing.length / 3));
    const ranked: Array<{ path: string; rank: number }> = [];
    for (const p of paths) {
      const base = basename(p).toLowerCase();
      if (boundedDistance(typedBase, base, maxBase) > maxBase) continue;
      const folded = boundedDistance(missing.toLowerCase(), p.toLowerCase(), Math.max(maxDistance, missing.length));
      const full = folded + (missing === p || folded > 0 ? 0 : 0.1);
      ranked.push({ path: p, rank: Math.min(full, maxDistance + (base === typedBase ? 0.5 : 1)) });
    }
    ranked.sort((x, y) => x.rank - y.rank || (x.path < y.path ? -1 : 1));
    return ranked.slice(0, limit).map((r) => r.path);
  }

  it('on 300 typos of names sharing most of their bigrams', () => {
    const letters = 'aeimst_12.';
    for (let q = 0; q < 300; q++) {
      let name = basename(paths[random(paths.length)]);
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(name.length);
        const op = random(3);
        const letter = letters[random(letters.length)];
        name =
          op === 0
            ? name.slice(0, at) + name.slice(at + 1)
            : op === 1
              ? name.slice(0, at) + letter + name.slice(at)
              : name.slice(0, at) + letter + name.slice(at + 1);
      }
      const missing = `nowhere/${name}`;
      assert.deepEqual(suggestPaths(missing, index, 5), everyName(missing, 5), missing);
    }
  });
});
