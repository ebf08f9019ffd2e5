/**
 * The files the editor links from CSS and JS, checked against real collectstatic for each Django version:
 * ManifestStaticFilesStorage (a subclass with `support_js_module_import_aggregation`) rewrites a reference
 * to the file's hashed name, so the hashed names in Django's output are exactly the files its patterns and
 * url_converter found. Ours must link exactly those files, and nothing for what Django leaves as written.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createLanguageService } from '../../../server/src/service/index';
import { atLeast, describeEachDjango, DJANGO_PYTHON } from '../../djangoVersions';
import { docOf, makeContext, removeTrees } from './helpers';

const CSS = [
  '@import "print.css";',
  '@import url("../img/imported.png");',
  '.a { background: url(../img/a.png); }',
  ".b { background: url('/static/img/b.png?v=1#x'); }",
  '.c { background: url(data:image/png;base64,AAAA); }',
  '.d { background: url(//cdn.example/x.png); }',
  '.e { background: url(#frag); }',
  '.f { background: URL(../img/c.png); }',
  '/* url(../img/commented.png) in a comment */',
  '.g { background: url(/elsewhere/x.png); }',
  '/*# sourceMappingURL=site.css.map */',
  '',
].join('\n');

const JS = [
  'import { a } from "./lib.js";',
  'export { b } from "./reexported.js";',
  'import "./side.js";',
  'const lazy = import("./lazy.js");',
  'import*as ns from "./ns.js";',
  'const url = "https://example.com/x.js";',
  '//# sourceMappingURL=app.js.map',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'assets/css/site.css': CSS,
  'assets/css/print.css': '.p {}',
  'assets/css/site.css.map': '{}',
  'assets/img/imported.png': 'i',
  'assets/img/a.png': 'a',
  'assets/img/b.png': 'b',
  'assets/img/c.png': 'c',
  'assets/img/commented.png': 'd',
  'assets/js/app.js': JS,
  'assets/js/lib.js': 'export const a = 1;',
  'assets/js/reexported.js': 'export const b = 2;',
  'assets/js/side.js': '',
  'assets/js/lazy.js': '',
  'assets/js/ns.js': '',
  'assets/js/app.js.map': '{}',
  'proj_storage.py':
    'from django.contrib.staticfiles.storage import ManifestStaticFilesStorage\n\n' +
    'class JsStorage(ManifestStaticFilesStorage):\n    support_js_module_import_aggregation = True\n',
};

const COLLECT = String.raw`
import io, json, os, sys
root = sys.argv[1]
sys.path.insert(0, root)
import django
from django.conf import settings
storage = 'proj_storage.JsStorage'
extra = {'STORAGES': {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': storage}}} \
    if django.VERSION >= (4, 2) else {'STATICFILES_STORAGE': storage}
settings.configure(STATIC_URL='/static/', STATIC_ROOT=os.path.join(root, 'static_root'), INSTALLED_APPS=['django.contrib.staticfiles'],
    STATICFILES_DIRS=[os.path.join(root, 'assets')], **extra)
django.setup()
from django.core.management import call_command
call_command('collectstatic', interactive=False, verbosity=0, stdout=io.StringIO())
with open(os.path.join(root, 'static_root', 'staticfiles.json')) as f:
    paths = json.load(f)['paths']
out = {}
for name in ('css/site.css', 'js/app.js'):
    with open(os.path.join(root, 'static_root', paths[name])) as f:
        out[name] = f.read()
print(json.dumps({'paths': paths, 'out': out}))
`;

describeEachDjango('CSS/JS links against real collectstatic', (v) => {
  after(removeTrees);

  it('links exactly the files whose hashed names Django writes into each file', async () => {
    const ctx = await makeContext(FILES, { manifestStorage: true, djangoVersion: v.version });
    ctx.model.storage = 'proj_storage.JsStorage';
    const run = spawnSync(DJANGO_PYTHON, ['-c', COLLECT, ctx.root], { encoding: 'utf8', env: v.env });
    if (run.status !== 0) throw new Error(run.stderr);
    const django = JSON.parse(run.stdout) as { paths: Record<string, string>; out: Record<string, string> };
    const service = createLanguageService();
    const found: string[] = [];
    for (const [name, text] of [
      ['css/site.css', CSS],
      ['js/app.js', JS],
    ]) {
      const written = django.out[name];
      const rewritten = Object.entries(django.paths)
        .filter(([original, hashed]) => original !== name && written.includes(path.posix.basename(hashed)))
        .map(([original]) => original)
        .sort();
      const doc = docOf(text, name.endsWith('.css') ? 'css' : 'javascript', URI.file(path.join(ctx.root, 'assets', name)).toString());
      const linked = service
        .findDocumentLinks(doc, ctx)
        .map((l) => path.relative(path.join(ctx.root, 'assets'), URI.parse(l.target!).fsPath))
        .sort();
      assert.deepEqual(linked, rewritten, `${name} in Django ${v.version}:\n${written}`);
      found.push(...linked);
    }
    // Not a comparison of two empty lists: what each version rewrites is known.
    const expected = ['css/print.css', 'img/a.png', 'img/b.png', 'img/c.png', 'img/commented.png', 'img/imported.png'];
    if (atLeast(v.version, '4.0')) expected.push('css/site.css.map');
    // 4.2 finds ns.js too, though `import*as` is 5.0's: `import "./side.js";` starts a match whose `(?s:.*?)`
    // runs over the next lines to the first `from "…";`. Django really does it; so do we.
    if (atLeast(v.version, '4.2')) expected.push('js/lazy.js', 'js/lib.js', 'js/reexported.js', 'js/side.js', 'js/ns.js');
    if (atLeast(v.version, '4.1')) expected.push('js/app.js.map');
    assert.deepEqual(found.sort(), expected.sort());
  });
});
