import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { learnProject } from '../../../server/src/engine/learn';
import { checkSettings } from '../../../server/src/engine/settingsChecks';
import { readSettingsSource } from '../../../server/src/engine/staticMode/settingsSource';
import { settingsCodeActions, settingsDiagnostics } from '../../../server/src/service/settingsDocument';
import { MANAGE_PY, makeTree, removeTree } from '../djangoFixtures';

describe('service/settingsDocument', () => {
  it('puts a finding on its line and range, and the STATICFILES_STORAGE fix on it', async () => {
    const dir = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/settings.py':
        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\n  \nSTATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\nSTATIC_ROOT = '/tmp/x'\n",
      'requirements.txt': 'Django==5.2\n',
    });
    try {
      const model = await learnProject(dir, { mode: 'static', allowExecute: false });
      const facts = { findings: checkSettings({ model, source: readSettingsSource(model) }), lenses: [] };
      const file = path.join(dir, 'proj/settings.py');
      const [d] = settingsDiagnostics(file, facts);
      assert.deepEqual(settingsDiagnostics(file, facts, { 'staticfiles-storage-unread': 'off' }), []);
      assert.equal(settingsDiagnostics(file, facts, { 'staticfiles-storage-unread': 'hint' })[0].severity, DiagnosticSeverity.Hint);
      assert.equal(d.code, 'staticfiles-storage-unread');
      assert.equal(d.severity, DiagnosticSeverity.Warning);
      assert.deepEqual(d.range, Range.create(3, 0, 3, fs.readFileSync(file, 'utf8').split('\n')[3].length));
      const [action] = settingsCodeActions(file, 'file://x', Range.create(3, 0, 3, 0), facts);
      assert.match(
        action.edit!.changes!['file://x'][0].newText,
        /"staticfiles": \{\n {8}"BACKEND": 'django\.contrib\.staticfiles\.storage\.ManifestStaticFilesStorage',/,
      );
    } finally {
      removeTree(dir);
    }
  });
});
