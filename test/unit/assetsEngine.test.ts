/**
 * engine/assets below the differential suite: the Python helpers against real Python, the storage class read
 * from a project's source, and the findings the generated trees do not make (leading outside STATIC_ROOT, not
 * UTF-8, a case mismatch, a file only an earlier run left, a storage that does not hash, one we cannot read).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ASSET_CODES, assetFindings, predictAssets } from '../../server/src/engine/assets';
import { LAYOUT_CODES } from '../../server/src/engine/staticLayout';
import { REFERENCE_CODES } from '../../server/src/engine/referenceFindings';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES } from '../../server/src/service/diagnosticCodes';
import {
  normpath,
  pjoin,
  psplit,
  pyJsonString,
  splitext,
  unquote,
  urldefrag,
  urlsplit,
  urlunsplit,
} from '../../server/src/engine/assets/python';
import { storageTraits } from '../../server/src/engine/assets/storage';
import { loadProject } from '../../server/src/engine/project';
import { DJANGO_PYTHON } from '../djangoVersions';
import { makeProject } from './djangoFixtures';

const SAMPLES = [
  'css/a.png',
  'css/../img/a.png',
  './a',
  '',
  '.',
  '/',
  '//x/y',
  '///x',
  'a//b/',
  'a/./b/../../..',
  '../x',
  'css/"../img/a.png"  ',
  'a.png?v=1',
  'a.eot?#iefix',
  'a.png#frag',
  'HTTP://example.com/x',
  'data:x,y',
  'a%20b.png',
  '%C3%BC.png',
  '%E2%82',
  '%zz',
  'x:y/z',
  ' \x01lead',
  'tab\there',
  'a[b',
  '.bashrc',
  'x.tar.gz',
  'dir.d/file',
  'ü/ñ.css',
  '😀.png',
  'a?b#c?d',
  '//[::1/x',
];

const PYTHON = String.raw`
import json, posixpath, sys
from urllib.parse import unquote, urldefrag, urlsplit, urlunsplit
out = []
for s in json.load(sys.stdin):
    row = {'normpath': posixpath.normpath(s), 'join': posixpath.join('css/sub', s), 'split': list(posixpath.split(s)),
           'splitext': list(posixpath.splitext(s)), 'unquote': unquote(s), 'json': json.dumps(s)}
    try:
        row['urlsplit'] = list(urlsplit(s)); row['unsplit'] = urlunsplit(urlsplit(s)); row['defrag'] = list(urldefrag(s))
    except ValueError as e:
        row['urlsplit'] = str(e)
    out.append(row)
print(json.dumps(out))
`;

function project(storageLine: string, files: Record<string, string | Buffer>): string {
  const text = Object.fromEntries(Object.entries(files).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const dir = makeProject(
    `INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = BASE_DIR / 'collected'\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\n${storageLine}\n`,
    text,
  );
  for (const [rel, bytes] of Object.entries(files)) if (typeof bytes !== 'string') fs.writeFileSync(path.join(dir, rel), bytes);
  return dir;
}

/** The storage in the setting the interpreter's Django reads (STATICFILES_STORAGE before 4.2, STORAGES after). */
function storage(backend: string): string {
  const storages =
    execFileSync(DJANGO_PYTHON, ['-c', 'import django; print(django.VERSION >= (4, 2))'], { encoding: 'utf8' }).trim() === 'True';
  return storages ? `STORAGES = {'staticfiles': {'BACKEND': '${backend}'}}` : `STATICFILES_STORAGE = '${backend}'`;
}
const MANIFEST = storage('django.contrib.staticfiles.storage.ManifestStaticFilesStorage');

async function findings(dir: string) {
  const { model, index } = await loadProject(dir, { mode: 'static', python: DJANGO_PYTHON });
  const prediction = predictAssets(model, index);
  return { prediction, findings: assetFindings(prediction) };
}

describe('engine/assets', () => {
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const make = (storageLine: string, files: Record<string, string | Buffer>) => {
    const dir = project(storageLine, files);
    made.push(dir);
    return dir;
  };

  it("has every code in the service's one table, with the severity it reports by default", async () => {
    for (const code of [...Object.values(ASSET_CODES), ...Object.values(LAYOUT_CODES), ...Object.values(REFERENCE_CODES)]) {
      assert.ok((ALL_DIAGNOSTIC_CODES as string[]).includes(code), code);
    }
    const dir = make(MANIFEST, { 'assets/css/a.css': '.a { b: url(gone.png) }\n' });
    for (const f of (await findings(dir)).findings) assert.strictEqual(f.severity, DIAGNOSTIC_CODES[f.code].severity, f.code);
  });

  it('ports posixpath, urllib.parse and json.dumps to the same strings as Python', () => {
    const real = JSON.parse(execFileSync(DJANGO_PYTHON, ['-c', PYTHON], { input: JSON.stringify(SAMPLES), encoding: 'utf8' })) as Array<
      Record<string, unknown>
    >;
    SAMPLES.forEach((s, i) => {
      const r = real[i];
      const where = JSON.stringify(s);
      assert.strictEqual(normpath(s), r.normpath, `normpath ${where}`);
      assert.strictEqual(pjoin('css/sub', s), r.join, `join ${where}`);
      assert.deepStrictEqual(psplit(s), r.split, `split ${where}`);
      assert.deepStrictEqual(splitext(s), r.splitext, `splitext ${where}`);
      assert.strictEqual(unquote(s), r.unquote, `unquote ${where}`);
      assert.strictEqual(pyJsonString(s), r.json, `json ${where}`);
      if (typeof r.urlsplit === 'string') {
        assert.throws(() => urlsplit(s), `urlsplit ${where}`);
        return;
      }
      const u = urlsplit(s);
      assert.deepStrictEqual([u.scheme, u.netloc, u.path, u.query, u.fragment], r.urlsplit, `urlsplit ${where}`);
      assert.strictEqual(urlunsplit(u), r.unsplit, `urlunsplit ${where}`);
      assert.deepStrictEqual(urldefrag(s), r.defrag, `urldefrag ${where}`);
    });
  });

  it("reads a project subclass's attributes and redefined methods from its source (static mode)", async () => {
    const dir = make(storage('proj.storage.Mine'), {
      'proj/storage.py':
        'from django.contrib.staticfiles import storage as s\nfrom whitenoise.storage import CompressedManifestStaticFilesStorage as Base\n\n\nclass Mine(Base):\n    support_js_module_import_aggregation = True\n    max_post_process_passes = 9\n\n    def post_process(self, *args, **kwargs):\n        yield from super().post_process(*args, **kwargs)\n',
    });
    const { model } = await loadProject(dir, { mode: 'static', python: DJANGO_PYTHON });
    const t = storageTraits(model);
    assert.strictEqual(t.hashes, true);
    assert.strictEqual(t.whitenoise, true);
    assert.strictEqual(t.jsModuleImports, true);
    assert.strictEqual(t.maxPasses, 9);
    assert.deepStrictEqual(t.overrides, ['post_process in proj.storage.Mine']);
  });

  it('says a storage it cannot read is not checked, instead of reporting it clean', async () => {
    const dir = make(storage('nowhere.Storage'), { 'assets/css/a.css': 'a { b: url(missing.png) }' });
    const { prediction, findings: list } = await findings(dir);
    assert.match(prediction.unknown ?? '', /could not be read/);
    assert.deepStrictEqual(list, []);
  });

  it('says an unread STATIC_URL is unknown, not unset', async () => {
    const dir = make(`${MANIFEST}\nfrom urllib.parse import urlparse\nSTATIC_URL = urlparse('http://x/sub').path + '/static/'`, {
      'assets/css/a.css': 'a { b: url(missing.png) }',
    });
    const { prediction, findings: list } = await findings(dir);
    assert.match(prediction.unknown ?? '', /STATIC_URL could not be read/);
    assert.doesNotMatch(prediction.unknown ?? '', /not set/);
    assert.deepStrictEqual(list, []);
  });

  it('reports what the generated trees do not make, each with its code and line', async () => {
    const dir = make(MANIFEST, {
      'assets/img/Logo.png': 'png',
      'assets/css/a.css': '.a { b: url(../img/logo.png) }\n.c { d: url(../../../etc/passwd) }\n.e { f: url(../img/old.png) }\n',
      'assets/css/latin1.css': Buffer.from([0x2e, 0x61, 0x7b, 0xe9, 0x7d]),
      'collected/img/old.png': 'left by an earlier run',
    });
    const list = (await findings(dir)).findings;
    const byCode = (code: string) => list.filter((f) => f.code === code);
    assert.strictEqual(byCode('asset-missing').length, 1);
    assert.match(byCode('asset-missing')[0].hint ?? '', /'img\/Logo.png' differs only in case/);
    assert.deepStrictEqual(byCode('asset-missing')[0].start, { line: 0, character: 12 });
    assert.match(
      byCode('asset-outside-root')[0].message,
      /SuspiciousFileOperation: The joined path \(\/.*etc\/passwd\) is located outside/,
    );
    assert.strictEqual(byCode('asset-outside-root')[0].start.line, 1);
    assert.strictEqual(byCode('asset-not-utf8')[0].dest, 'css/latin1.css');
    assert.strictEqual(byCode('asset-leftover-only')[0].start.line, 2);
    assert.ok(list.filter((f) => f.code !== 'asset-leftover-only').every((f) => f.severity === 'error'));
  });

  it('warns about browser 404s when the storage does not hash, and leaves alone what a browser resolves', async () => {
    const dir = make('', {
      'assets/img/a.png': 'png',
      'assets/css/a.css': '.a { b: url(  "../img/a.png"  ) }\n.c { d: url(HTTP://example.com/x.png) }\n.e { f: url(../img/none.png) }\n',
    });
    const list = (await findings(dir)).findings;
    assert.deepStrictEqual(
      list.map((f) => [f.code, f.severity, f.start.line]),
      [['asset-browser-404', 'warning', 2]],
    );
  });
});
