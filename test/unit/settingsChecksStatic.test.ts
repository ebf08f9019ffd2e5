/**
 * The settings checks Django has no command for (WhiteNoise's documented order) and the ones about what static
 * mode could not see: unknown is never missing, and every setting it could not evaluate gets an information
 * finding on its own line saying why. Static mode only: no Django is run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { learnProject } from '../../server/src/engine/learn';
import { loadProject } from '../../server/src/engine/project';
import { settingsLenses } from '../../server/src/engine/settingsLenses';
import { checkSettings, SettingsFinding, SETTINGS_SEVERITY } from '../../server/src/engine/settingsChecks';
import { DIAGNOSTIC_CODES } from '../../server/src/service/diagnosticCodes';
import { readSettingsSource } from '../../server/src/engine/staticMode/settingsSource';
import { MANAGE_PY, makeTree, removeTree } from './djangoFixtures';

const HEAD = `import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
INSTALLED_APPS = ['django.contrib.staticfiles']
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]
STATIC_URL = '/static/'
`;

async function findingsFor(settings: string, base = HEAD): Promise<{ dir: string; findings: SettingsFinding[] }> {
  const dir = makeTree({
    'manage.py': MANAGE_PY,
    'proj/__init__.py': '',
    'proj/base.py': base,
    'proj/settings.py': `from .base import *\n${settings}`,
  });
  const model = await learnProject(dir, { mode: 'static', allowExecute: false });
  const page = path.join(dir, 'templates/page.html');
  return { dir, findings: checkSettings({ model, source: readSettingsSource(model), templatesUsingStatic: [page] }) };
}

function codes(findings: SettingsFinding[]): string[] {
  return findings.map((f) => `${f.code}@${path.basename(f.file)}:${f.line + 1}`);
}

const SECURITY = "'django.middleware.security.SecurityMiddleware'";
const WHITENOISE = "'whitenoise.middleware.WhiteNoiseMiddleware'";
const COMMON = "'django.middleware.common.CommonMiddleware'";

describe('engine/settingsChecks in static mode', function () {
  this.timeout(30000);
  const made: string[] = [];
  after(() => made.forEach(removeTree));
  const run = async (settings: string, base?: string) => {
    const result = await findingsFor(settings, base);
    made.push(result.dir);
    return result;
  };

  it('WhiteNoise directly after SecurityMiddleware, or first without it, is in order', async () => {
    for (const middleware of [`[${SECURITY}, ${WHITENOISE}, ${COMMON}]`, `[${WHITENOISE}, ${COMMON}]`]) {
      const { findings } = await run(`MIDDLEWARE = ${middleware}\n`);
      assert.deepEqual(codes(findings), [], middleware);
    }
  });

  it('WhiteNoise below another middleware, or above SecurityMiddleware, is reported on its own entry line', async () => {
    const { findings } = await run(`MIDDLEWARE = [\n    ${SECURITY},\n    ${COMMON},\n    ${WHITENOISE},\n]\n`);
    assert.deepEqual(codes(findings), ['whitenoise-middleware-order@settings.py:5']);
    assert.equal(findings[0].startCharacter, 4);
    assert.equal(findings[0].endCharacter, 4 + WHITENOISE.length);
    assert.match(findings[0].message, /\(here CommonMiddleware comes first\)/);
    const above = await run(`MIDDLEWARE = [${WHITENOISE}, ${SECURITY}]\n`);
    assert.deepEqual(codes(above.findings), ['whitenoise-middleware-order@settings.py:2']);
    assert.match(above.findings[0].message, /here it comes before django\.middleware\.security\.SecurityMiddleware/);
  });

  it('runserver_nostatic before staticfiles is in order', async () => {
    const { findings } = await run(
      '',
      HEAD.replace("['django.contrib.staticfiles']", "['whitenoise.runserver_nostatic', 'django.contrib.staticfiles']"),
    );
    assert.deepEqual(
      codes(findings).filter((c) => c.startsWith('whitenoise')),
      [],
    );
  });

  it('a setting static mode cannot evaluate gets an information finding on its line, with the reason, and no false error', async () => {
    const { findings } = await run(
      "STATIC_ROOT = os.environ['STATIC_ROOT']\nSTORAGES = {'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\nINSTALLED_APPS = load_apps()\n",
    );
    // STATIC_ROOT is unknown, not unset; INSTALLED_APPS is unknown, not missing staticfiles.
    assert.deepEqual(
      codes(findings).filter((c) => !c.startsWith('setting-not-evaluated')),
      [],
    );
    const info = findings.filter((f) => f.code === 'setting-not-evaluated');
    assert.deepEqual(codes(info), ['setting-not-evaluated@settings.py:2', 'setting-not-evaluated@settings.py:4']);
    assert.ok(info.every((f) => f.severity === 'information'));
    assert.match(info[0].message, /^Static mode could not evaluate this: STATIC_ROOT in proj\/settings\.py line 2 could not be read: /);
    assert.equal(info[0].setting, 'STATIC_ROOT');
    const line = fs.readFileSync(info[0].file, 'utf8').split('\n')[info[0].line];
    assert.equal(line.slice(info[0].startCharacter, info[0].endCharacter), line.trim());
  });

  it('an app that cannot be located is said on the line that added it', async () => {
    const { findings } = await run("INSTALLED_APPS += [\n    'not_installed_anywhere',\n]\n");
    const info = findings.filter((f) => f.code === 'setting-not-evaluated');
    assert.deepEqual(codes(info), ['setting-not-evaluated@settings.py:3']);
    assert.equal(info[0].setting, 'INSTALLED_APPS');
  });
});

describe('engine/settingsLenses on the demo project', function () {
  this.timeout(30000);
  it("puts each source's counts on the entry that names it, STATIC_ROOT's state and a sample URL on theirs", async () => {
    const demo = path.resolve(__dirname, '../../../examples/demo');
    const { model, index } = await loadProject(demo, { mode: 'static', allowExecute: false });
    const lenses = settingsLenses({ model, index, source: readSettingsSource(model)!, now: Date.now() });
    const settingsFile = path.join(demo, 'demo/settings.py');
    const text = fs.readFileSync(settingsFile, 'utf8').split('\n');
    const on = (needle: string) => lenses.filter((l) => text[l.line].slice(l.startCharacter, l.endCharacter).includes(needle));
    const legacy = on("'legacy'");
    assert.equal(legacy.length, 1, JSON.stringify(lenses, null, 1));
    // legacy's css/site.css loses to assets/css/site.css (STATICFILES_DIRS come first).
    assert.match(legacy[0].title, /^\d+ files? · shadows 0 · shadowed by [1-9]\d*$/);
    const assets = on("'assets'");
    assert.equal(assets.length, 1);
    assert.match(assets[0].title, /· shadows [1-9]\d* · shadowed by 0$/);
    assert.equal(assets[0].file, settingsFile);
    const root = lenses.find((l) => l.setting === 'STATIC_ROOT')!;
    assert.match(root.title, new RegExp(`^${path.join(demo, 'collected_static')}: `));
    const url = lenses.find((l) => l.setting === 'STATIC_URL')!;
    assert.match(url.title, /^\{% static '([^']+)' %\} → \/static\/\1$/);
  });
});

describe('settings codes in the diagnostic table', () => {
  it('has a row for each settings code, with the severity the engine gives it by default', () => {
    for (const [code, severity] of Object.entries(SETTINGS_SEVERITY)) {
      const row = (DIAGNOSTIC_CODES as Record<string, { severity: string }>)[code];
      assert.equal(row?.severity, severity, code);
    }
  });
});
