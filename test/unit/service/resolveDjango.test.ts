/**
 * What the service says about a literal path, checked against what real Django does with it: render the
 * URL with `static()`, then ask the development server's `serve` view for it (DEBUG=True). A path we
 * resolve to a file must be served; one we call missing, a folder or escaping must not be.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService } from '../../../server/src/service/index';
import { resolvePath, lookupPathOf } from '../../../server/src/service/resolve';
import { docOf, makeContext, removeTrees } from './helpers';
import { describeEachDjango } from '../../djangoVersions';

const PYTHON = '/usr/bin/python3';
/** The environment that selects the Django version of the running block. */
let env: NodeJS.ProcessEnv = process.env;

const NAMES = [
  'css/site.css',
  '/css/site.css',
  '//css/site.css',
  './css/site.css',
  'css//site.css',
  'css/../css/site.css',
  'CSS/site.css',
  'css',
  'css/nope.css',
  'vendor/htmx/htmx.min.js',
  'htmx/htmx.min.js',
  '.well-known/x.txt',
  'backup.css~',
  'a b.css',
  'é.css',
  'blog/css/blog.css',
  'css/site.css?v=1',
  'only/in/app.js',
  'x/../../x.css',
];

function djangoServes(root: string, names: string[]): Array<[string, string]> {
  const script = `
import json, sys
cfg = json.load(sys.stdin)
from django.conf import settings
settings.configure(DEBUG=True, STATIC_URL='/static/', STATIC_ROOT=cfg['root'] + '/static_root',
    INSTALLED_APPS=['django.contrib.staticfiles', 'blog', 'legacy'],
    STATICFILES_DIRS=[cfg['root'] + '/assets', ('vendor', cfg['root'] + '/vendor')], ALLOWED_HOSTS=['*'])
sys.path.insert(0, cfg['root'])
import django
django.setup()
from django.templatetags.static import static
from django.contrib.staticfiles.views import serve
from django.test import RequestFactory
from urllib.parse import unquote
rf = RequestFactory()
out = []
for name in cfg['names']:
    url = static(name)
    if not url.startswith('/static/'):
        out.append(['outside', url]); continue
    try:
        serve(rf.get(url), unquote(url[len('/static/'):]))
        out.append(['served', url])
    except Exception as e:
        out.append(['not served', '%s: %s' % (type(e).__name__, e)])
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ root, names }), encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describeEachDjango('service/resolve against the real development server', (v) => {
  before(() => {
    env = v.env;
  });
  after(removeTrees);

  it('calls a path a file exactly when Django serves it', async () => {
    const ctx = await makeContext(
      {
        'assets/css/site.css': 'a',
        'assets/.well-known/x.txt': 'dot',
        'assets/backup.css~': 'tilde',
        'assets/a b.css': 'space',
        'assets/é.css': 'accent',
        'vendor/htmx/htmx.min.js': 'h',
        'blog/__init__.py': '',
        'blog/static/blog/css/blog.css': 'b',
        'legacy/__init__.py': '',
        'legacy/static/only/in/app.js': 'l',
      },
      { dirs: ['assets', ['vendor', 'vendor']], apps: ['blog', 'legacy'] },
    );
    const served = djangoServes(ctx.root, NAMES);
    if (process.env.SHOW_DJANGO) console.log(served);
    const service = createLanguageService();
    NAMES.forEach((name, i) => {
      const resolution = resolvePath(lookupPathOf(name, ctx.model), ctx.index);
      const django = served[i];
      assert.equal(
        resolution.kind === 'file',
        django[0] === 'served',
        `${JSON.stringify(name)}: we say ${resolution.kind}, Django ${django.join(' ')}`,
      );
      // And the diagnostics agree: a served file never gets missing-file/is-folder/escapes-root.
      const doc = docOf(`{% load static %}{% static '${name.replace(/'/g, "\\'")}' %}`);
      const codes = service.doValidation(doc, ctx).map((d) => d.code);
      const blocking = codes.filter((c) => c === 'missing-file' || c === 'is-folder' || c === 'escapes-root');
      assert.equal(
        blocking.length === 0,
        django[0] === 'served',
        `${JSON.stringify(name)}: ${codes.join(',')} vs Django ${django.join(' ')}`,
      );
    });
    assert.ok(fs.existsSync(path.join(ctx.root, 'assets/é.css')));
  });
});
