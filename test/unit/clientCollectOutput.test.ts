// parseCollectOutput / parseFindstaticOutput / the settings probe against output from real Django 3.2.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCollectOutput, parseFindstaticOutput, parseSettingsProbe, SETTINGS_PROBE_CODE } from '../../client/src/collectOutput';
import { DJANGO_PYTHON, removeTree } from './djangoFixtures';

const DEMO = path.resolve(__dirname, '../../../examples/demo');

function manage(project: string, args: string[], input = '') {
  const r = spawnSync(DJANGO_PYTHON, ['manage.py', ...args], { cwd: project, encoding: 'utf8', input });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
}

describe('client: collectstatic output parsing (real Django)', function () {
  this.timeout(60000);
  let project = '';

  beforeEach(() => {
    project = mkdtempSync(path.join(os.tmpdir(), 'djstatic-collect-'));
    cpSync(DEMO, project, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('collected_static') });
  });
  afterEach(() => removeTree(project));

  it('reads the summary and the duplicate destination paths of a first and a second run', () => {
    const first = manage(project, ['collectstatic', '--noinput']);
    assert.equal(first.code, 0, first.stderr);
    const parsed = parseCollectOutput(first.stdout, first.stderr, first.code);
    const root = path.join(project, 'collected_static');
    assert.equal(parsed.failure, null);
    assert.ok(parsed.summary, first.stdout);
    assert.equal(parsed.summary.destination, root);
    assert.equal(parsed.summary.modified, countFiles(root));
    assert.equal(parsed.summary.unmodified, 0);
    // legacy/static/css/site.css is shadowed by assets/css/site.css (see the demo settings).
    assert.ok(parsed.duplicates.includes('css/site.css'), parsed.duplicates.join(','));

    const second = manage(project, ['collectstatic', '--noinput']);
    const again = parseCollectOutput(second.stdout, second.stderr, second.code);
    assert.equal(again.summary?.modified, 0);
    assert.equal(again.summary?.unmodified, countFiles(root));
    assert.match(again.summary?.line ?? '', /^0 static files copied to '.*', \d+ unmodified\.$/);

    const cleared = manage(project, ['collectstatic', '--noinput', '--clear']);
    const clearParsed = parseCollectOutput(cleared.stdout, cleared.stderr, cleared.code);
    assert.equal(clearParsed.deleted, parsed.summary.modified);
    assert.equal(clearParsed.summary?.modified, parsed.summary.modified);
  });

  it('explains an unset STATIC_ROOT in one sentence', () => {
    writeFileSync(path.join(project, 'demo', 'settings_noroot.py'), 'from .settings import *\nSTATIC_ROOT = None\n');
    const run = manage(project, ['collectstatic', '--noinput', '--settings', 'demo.settings_noroot']);
    assert.notEqual(run.code, 0);
    const parsed = parseCollectOutput(run.stdout, run.stderr, run.code);
    assert.equal(parsed.failure?.kind, 'static-root-unset');
    assert.match(parsed.failure?.message ?? '', /STATIC_ROOT is not set/);
  });

  it('names the missing file and the referencing file when manifest post-processing fails', () => {
    writeFileSync(
      path.join(project, 'demo', 'settings_manifest.py'),
      "from .settings import *\nSTATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n",
    );
    writeFileSync(path.join(project, 'assets', 'css', 'broken.css'), "body { background: url('x.png'); }\n");
    const run = manage(project, ['collectstatic', '--noinput', '--settings', 'demo.settings_manifest']);
    assert.notEqual(run.code, 0);
    const parsed = parseCollectOutput(run.stdout, run.stderr, run.code);
    assert.equal(parsed.failure?.kind, 'missing-referenced-file', run.stderr);
    assert.equal(parsed.failure?.missingPath, 'css/x.png');
    assert.equal(parsed.failure?.referencedFrom, 'css/broken.css');
  });

  it('reports other ImproperlyConfigured errors and CommandErrors', () => {
    writeFileSync(path.join(project, 'demo', 'settings_bad.py'), 'from .settings import *\nSTATICFILES_DIRS = [STATIC_ROOT]\n');
    const bad = manage(project, ['collectstatic', '--noinput', '--settings', 'demo.settings_bad']);
    const parsedBad = parseCollectOutput(bad.stdout, bad.stderr, bad.code);
    assert.ok(parsedBad.failure, bad.stderr);
    assert.match(parsedBad.failure.message, /STATICFILES_DIRS/);

    manage(project, ['collectstatic', '--noinput']); // Django only prompts when STATIC_ROOT holds files
    const prompt = manage(project, ['collectstatic'], 'no\n');
    const parsedPrompt = parseCollectOutput(prompt.stdout, prompt.stderr, prompt.code);
    assert.equal(parsedPrompt.failure?.kind, 'cancelled');
  });

  it('reads every findstatic match in finder order', () => {
    const run = manage(project, ['findstatic', 'css/site.css', 'js/app.js', 'nope/missing.css']);
    const found = parseFindstaticOutput(run.stdout);
    assert.deepEqual(found.get('css/site.css'), [
      path.join(project, 'assets', 'css', 'site.css'),
      path.join(project, 'legacy', 'static', 'css', 'site.css'),
    ]);
    assert.deepEqual(found.get('js/app.js'), [path.join(project, 'assets', 'js', 'app.js')]);
    assert.equal(found.has('nope/missing.css'), false);
  });

  it('probes STATIC_ROOT and STATICFILES_DIRS through manage.py shell', () => {
    const run = manage(project, ['shell', '-c', SETTINGS_PROBE_CODE]);
    assert.equal(run.code, 0, run.stderr);
    const probed = parseSettingsProbe(run.stdout)!;
    assert.deepEqual(
      { staticRoot: probed.staticRoot, staticfilesDirs: probed.staticfilesDirs },
      {
        staticRoot: path.join(project, 'collected_static'),
        staticfilesDirs: [path.join(project, 'assets'), path.join(project, 'vendor')],
      },
    );
    // What Clear and Collect must not delete: apps, templates, the settings package, the environment.
    assert.ok(probed.apps.some((a) => a.label === 'staticfiles'));
    assert.ok(probed.settingsDir?.startsWith(project), String(probed.settingsDir));
    assert.ok(probed.pythonPrefixes.length > 0);
    assert.equal(parseSettingsProbe('noise\n'), null);
  });

  it('turns an unexplained non-zero exit into its last stderr line', () => {
    const parsed = parseCollectOutput('', 'Traceback (most recent call last):\n  ...\nModuleNotFoundError: No module named "django"\n', 1);
    assert.equal(parsed.failure?.kind, 'error');
    assert.match(parsed.failure?.message ?? '', /exited with code 1: ModuleNotFoundError/);
  });

  it('never writes into examples/demo (every run above used a temp copy)', () => {
    assert.equal(existsSync(path.join(DEMO, 'collected_static')), false);
  });
});
