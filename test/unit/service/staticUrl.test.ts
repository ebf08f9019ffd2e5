/**
 * The URL `{% static %}` renders, checked against real Django's `django.templatetags.static.static()` on
 * every version of the matrix, for each storage/DEBUG/STATIC_URL configuration (reference §4.3).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { renderStaticUrl, pythonQuote, pythonUrljoin } from '../../../server/src/service/staticUrl';
import { makeModel, makeTree, removeTrees } from './helpers';
import { describeEachDjango, DjangoVersion } from '../../djangoVersions';

const PYTHON = '/usr/bin/python3';

const NAMES = [
  'css/m.css',
  '/css/m.css',
  '//css/m.css',
  'a b&c.css',
  'x\\y.css',
  '../x.css',
  '../../x.css',
  'css//site.css',
  'css/m.css?v=1#x',
  'img/',
  'é.css',
  "it's(1)*~!.css",
  '',
  'http://cdn.example/x.css',
  './a/./b.css',
  'a/../../b.css',
  'css/m.css#frag',
  'f.eot?#iefix',
  'a;b.css',
];
const MANIFEST: Record<string, string> = {
  'css/m.css': 'css/m.0123456789ab.css',
  'a b&c.css': 'a b&c.aaaaaaaaaaaa.css',
  'f.eot': 'f.bbbbbbbbbbbb.eot',
};

interface Config {
  name: string;
  staticUrl: string;
  installed: boolean;
  manifest: boolean;
  debug: boolean;
}

const CONFIGS: Config[] = [
  { name: 'StaticFilesStorage', staticUrl: '/static/', installed: true, manifest: false, debug: true },
  { name: 'relative STATIC_URL', staticUrl: 'static/', installed: true, manifest: false, debug: true },
  { name: 'CDN STATIC_URL', staticUrl: 'https://cdn.example.com/s/', installed: true, manifest: false, debug: false },
  { name: 'staticfiles not installed', staticUrl: '/static/', installed: false, manifest: false, debug: true },
  { name: 'Manifest, DEBUG=False', staticUrl: '/static/', installed: true, manifest: true, debug: false },
  { name: 'Manifest, DEBUG=True', staticUrl: '/static/', installed: true, manifest: true, debug: true },
];

function djangoRender(v: DjangoVersion, config: Config, staticRoot: string): Array<[string, string]> {
  const script = `
import json, sys
cfg = json.load(sys.stdin)
import django
from django.conf import settings
storage = 'django.contrib.staticfiles.storage.' + ('ManifestStaticFilesStorage' if cfg['manifest'] else 'StaticFilesStorage')
if django.VERSION >= (4, 2):
    chosen = {'STORAGES': {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': storage}}}
else:
    chosen = {'STATICFILES_STORAGE': storage}
settings.configure(
    DEBUG=cfg['debug'], STATIC_URL=cfg['staticUrl'], STATIC_ROOT=cfg['root'],
    INSTALLED_APPS=['django.contrib.staticfiles'] if cfg['installed'] else [],
    **chosen,
)
django.setup()
from django.templatetags.static import static
out = []
for name in cfg['names']:
    try:
        out.append(['url', static(name)])
    except Exception as e:
        out.append(['error', '%s: %s' % (type(e).__name__, e)])
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify({ ...config, root: staticRoot, names: NAMES }),
    encoding: 'utf8',
    env: v.env,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe('service/staticUrl', () => {
  after(removeTrees);

  it('ports quote() and urljoin()', () => {
    assert.equal(pythonQuote('a b/é~', "/~!*()'"), 'a%20b/%C3%A9~');
    assert.equal(pythonUrljoin('/static/', 'css//a.css'), '/static/css/a.css');
    assert.equal(pythonUrljoin('/static/', '../x.css'), '/x.css');
    assert.equal(pythonUrljoin('https://cdn.example.com/s/', '../x.css'), 'https://cdn.example.com/x.css');
    assert.equal(pythonUrljoin('/static/', '/css/x.css'), '/css/x.css');
  });

  describeEachDjango('matches real Django for every configuration', (v) => {
    for (const config of CONFIGS) {
      it(config.name, () => {
        const root = makeTree({ 'static_root/staticfiles.json': JSON.stringify({ paths: MANIFEST, version: '1.0' }) });
        const staticRoot = path.join(root, 'static_root');
        const expected = djangoRender(v, config, staticRoot);
        const model = makeModel(root, {
          djangoVersion: v.version,
          staticUrl: config.staticUrl,
          staticfilesInstalled: config.installed,
          manifestStorage: config.manifest,
          debug: config.debug,
        });
        const manifest = new Map(Object.entries(MANIFEST));
        NAMES.forEach((name, i) => {
          const ours = renderStaticUrl(model, name, config.debug, manifest);
          const got: [string, string] = ours.kind === 'url' ? ['url', ours.url] : ['error', ours.message];
          assert.deepEqual(got, expected[i], `${config.name}: ${JSON.stringify(name)}`);
        });
      });
    }
  });

  it('explains a missing manifest', () => {
    const model = makeModel('/p', { manifestStorage: true, debug: false });
    const rendered = renderStaticUrl(model, 'css/a.css', false, undefined);
    assert.equal(rendered.kind, 'error');
    assert.match((rendered as { message: string }).message, /Missing staticfiles manifest entry for 'css\/a\.css'.*collectstatic/);
  });
});
