/**
 * The `find`, `list` and `info` commands on the demo project, against real Django 3.2 where Django has an
 * answer (findstatic, collectstatic --dry-run), and for their error handling (one sentence, no stack).
 */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const DEMO = path.join(REPO, 'examples/demo');
const PYTHON = '/usr/bin/python3';
const ENV = { ...process.env, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

function cli(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: ENV, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function django(args: string[]) {
  const r = spawnSync(PYTHON, ['manage.py', ...args], { cwd: DEMO, env: ENV, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('CLI find / list / info on the demo project', function () {
  this.timeout(120_000);
  before(function () {
    if (spawnSync(PYTHON, ['-c', 'import django']).status !== 0) this.skip();
    if (!fs.existsSync(CLI)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
  });

  const labels = [
    'css/site.css',
    'vendor/htmx/htmx.min.js',
    'htmx/htmx.min.js',
    'vendor',
    'vendor/',
    'nope.css',
    'js/legacy.js~',
    'admin/css/base.css',
    'css',
  ];
  for (const mode of ['django', 'static']) {
    it(`find prints what findstatic prints (${mode} mode)`, () => {
      const expected = django(['findstatic', ...labels]);
      const ours = cli(['find', '--root', DEMO, '--mode', mode, ...labels]);
      assert.strictEqual(ours.stderr, expected.stderr);
      assert.strictEqual(ours.stdout, expected.stdout);
      assert.strictEqual(ours.code, 0);
      const first = cli(['find', '--first', '--root', DEMO, '--mode', mode, 'css/site.css']);
      assert.strictEqual(first.stdout, django(['findstatic', '--first', 'css/site.css']).stdout);
    });
  }

  it('find fails with one sentence on an escaping path, like Django fails', () => {
    const expected = django(['findstatic', '../manage.py']);
    const ours = cli(['find', '--root', DEMO, '../manage.py']);
    assert.strictEqual(expected.code, 1);
    assert.strictEqual(ours.code, 1);
    assert.strictEqual(ours.stdout, '');
    assert.match(
      ours.stderr,
      /^django-static: SuspiciousFileOperation: The joined path \(.*\) is located outside of the base path component \(.*\)\.\n$/,
    );
  });

  it('list --json names what collectstatic would copy, winner first', () => {
    const ours = cli(['list', '--json', '--root', DEMO]);
    assert.strictEqual(ours.code, 0, ours.stderr);
    const listed = JSON.parse(ours.stdout) as Record<string, string[]>;
    const dry = django(['collectstatic', '--noinput', '--dry-run', '-v2']);
    // -v2 dry run: "Pretending to copy '<abs source>'" once per collected file, in copy order.
    const copied = [...dry.stdout.matchAll(/^Pretending to copy '(.*)'$/gm)].map((m) => m[1]).sort();
    assert.deepStrictEqual(
      Object.values(listed)
        .map((s) => s[0])
        .sort(),
      copied,
    );
    assert.deepStrictEqual(listed['css/site.css'], [path.join(DEMO, 'assets/css/site.css'), path.join(DEMO, 'legacy/static/css/site.css')]);
    assert.ok(!('js/legacy.js~' in listed), 'ignored by *~');
    assert.ok(!('.editorconfig' in listed), 'ignored by .*');
  });

  it('info reports mode, finders in order, counts and duplicates (text and JSON)', () => {
    const json = cli(['info', '--json', '--root', DEMO, '--mode', 'django']);
    assert.strictEqual(json.code, 0, json.stderr);
    const info = JSON.parse(json.stdout);
    assert.strictEqual(info.mode, 'django');
    assert.match(info.djangoVersion, /^3\.2/);
    assert.strictEqual(info.staticUrl, '/static/');
    assert.strictEqual(info.staticRoot, path.join(DEMO, 'collected_static'));
    assert.deepStrictEqual(
      info.finders.map((f: { className: string }) => f.className.split('.').pop()),
      ['FileSystemFinder', 'AppDirectoriesFinder'],
    );
    assert.deepStrictEqual(
      info.finders[0].locations.map((l: { prefix: string; files: number }) => [l.prefix, l.files]),
      [
        ['', 5],
        ['vendor', 2],
      ],
    );
    assert.deepStrictEqual(
      info.finders[1].locations.map((l: { label: string }) => l.label),
      ["app 'admin'", "app 'blog'", "app 'shop'", "app 'legacy'"],
    );
    assert.deepStrictEqual(info.duplicates, [{ path: 'css/site.css', sources: [info.finders[0].locations[0].label, "app 'legacy'"] }]);
    const text = cli(['info', '--root', DEMO, '--mode', 'static']);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Mode: +static \(/m);
    assert.match(text.stdout, /^Duplicates: +1$/m);
    assert.match(text.stdout, /STATICFILES_DIRS\[1\] 'vendor' → .*vendor \(2 files\)/);
  });

  it('errors are one sentence and a non-zero exit, never a stack trace', () => {
    for (const args of [
      ['find', '--root', DEMO],
      ['find', '--root', '/nonexistent/x', 'a.css'],
      ['list', '--bogus', '--root', DEMO],
      ['info', '--root', DEMO, '--mode', 'sideways'],
    ]) {
      const r = cli(args);
      assert.notStrictEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, /^django-static: [^\n]+\n$/, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
