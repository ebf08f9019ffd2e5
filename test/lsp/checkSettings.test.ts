/**
 * `django-static check` on settings files: findings on the assigning line in every format, and `--format sarif`
 * valid against the SARIF 2.1.0 schema (vendored from the public spec in test/fixtures/sarif).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { MANAGE_PY, makeTree, removeTree } from '../unit/djangoFixtures';
import { CLI, ensureBuilt } from './lspClient';

const SCHEMA = path.join(__dirname, '../../../test/fixtures/sarif/sarif-2.1.0-rtm.5.json');

const BASE = `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
INSTALLED_APPS = ['django.contrib.staticfiles']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.common.CommonMiddleware',
]
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]
STATIC_URL = 'static'
`;

const SETTINGS = `from .base import *

MIDDLEWARE.append('whitenoise.middleware.WhiteNoiseMiddleware')
STATICFILES_DIRS = [('css/', BASE_DIR / 'assets')]
`;

function check(root: string, format: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'check', '--root', root, '--mode', 'static', '--format', format], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The SARIF schema is draft-04; Ajv 8 reads it once `id` is `$id` and its regular expressions are not unicode ones. */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', true);
  return ajv.compile(schema);
}

describe('django-static check on settings files', function () {
  this.timeout(60000);
  let root: string;
  before(() => {
    ensureBuilt();
    root = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/base.py': BASE,
      'proj/settings.py': SETTINGS,
      'assets/site.css': '',
      'templates/page.html': '{% load static %}<link href="{% static \'css/site.css\' %}">\n',
    });
  });
  after(() => root && removeTree(root));

  it('prints each finding at file:line:column of the statement that wrote it', () => {
    const { code, stdout, stderr } = check(root, 'text');
    assert.equal(code, 1, stderr);
    const lines = stdout.trim().split('\n');
    assert.ok(lines.includes('proj/base.py:10:1: error static-url-slash urls.E006: The STATIC_URL setting must end with a slash.'), stdout);
    assert.ok(
      lines.some(
        (l) =>
          l.startsWith('proj/settings.py:3:19: warning whitenoise-middleware-order ') && l.includes('(here CommonMiddleware comes first)'),
      ),
      stdout,
    );
    assert.ok(
      lines.includes(
        "proj/settings.py:4:22: error django-check staticfiles.E003: The prefix 'css/' in the STATICFILES_DIRS setting must not end with a slash.",
      ),
      stdout,
    );
    assert.match(lines[lines.length - 1], /in 1 template and 2 settings files \(1 project\)\./);
  });

  it("gives json findings the setting and Django's id, and github annotations the line", () => {
    const json = JSON.parse(check(root, 'json').stdout) as {
      findings: Array<{ file: string; line: number; code: string; settings?: { setting: string; djangoId?: string } }>;
    };
    const e003 = json.findings.find((f) => f.settings?.djangoId === 'staticfiles.E003');
    assert.deepEqual(e003 && { file: e003.file, line: e003.line, setting: e003.settings!.setting }, {
      file: 'proj/settings.py',
      line: 4,
      setting: 'STATICFILES_DIRS',
    });
    const github = check(root, 'github').stdout;
    assert.match(
      github,
      /^::error file=proj\/base\.py,line=10,col=1,endLine=10,endColumn=\d+,title=django-static static-url-slash::urls\.E006: /m,
    );
  });

  it('writes a SARIF 2.1.0 log that the schema accepts, with a rule and help text per code and a region per result', () => {
    const { code, stdout, stderr } = check(root, 'sarif');
    assert.equal(code, 1, stderr);
    const validate = sarifValidator();
    assert.ok(validate(JSON.parse(stdout)), JSON.stringify(validate.errors, null, 1));
    // The validator is not a rubber stamp: a result without its message is refused.
    const broken = JSON.parse(stdout);
    delete broken.runs[0].results[0].message;
    assert.equal(validate(broken), false);

    const run = JSON.parse(stdout).runs[0];
    const rules = run.tool.driver.rules as Array<{ id: string; help: { text: string } }>;
    for (const id of ['missing-file', 'django-check', 'static-url-slash', 'whitenoise-middleware-order', 'staticfiles-storage-unread']) {
      const rule = rules.find((r) => r.id === id);
      assert.ok(rule && rule.help.text.length > 20, `rule ${id}`);
    }
    const e003 = run.results.find((r: { message: { text: string } }) => r.message.text.startsWith('staticfiles.E003'));
    assert.equal(rules[e003.ruleIndex].id, 'django-check');
    assert.equal(e003.level, 'error');
    assert.deepEqual(e003.locations[0].physicalLocation, {
      artifactLocation: { uri: 'proj/settings.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 22, endLine: 4, endColumn: 28 },
    });
  });
});
