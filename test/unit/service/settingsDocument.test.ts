import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { learnProject } from '../../../server/src/engine/learn';
import { checkSettings } from '../../../server/src/engine/settingsChecks';
import { readSettingsSource } from '../../../server/src/engine/staticMode/settingsSource';
import { mapLines } from '../../../server/src/service/lineMap';
import { settingsCodeActions, settingsCodeLenses, settingsDiagnostics, settingsHover } from '../../../server/src/service/settingsDocument';
import type { SettingsLens } from '../../../server/src/engine/settingsLenses';
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

  it('follows unsaved edits: findings and lenses move with their lines, none on an edited line, and lenses say "as saved"', async () => {
    const saved = "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = 'static'\nSTATICFILES_STORAGE = 'x.Storage'\n";
    const file = '/p/settings.py';
    const finding = (code: 'static-url-slash' | 'staticfiles-storage-unread', line: number) => ({
      code,
      severity: 'warning' as const,
      message: code,
      file,
      line,
      startCharacter: 0,
      endCharacter: 5,
      setting: 'S',
      ...(code === 'staticfiles-storage-unread'
        ? { fix: { title: 'Rewrite', file, startLine: line, endLine: line, newText: 'STORAGES = {}\n' } }
        : {}),
    });
    const lens: SettingsLens = {
      file,
      line: 0,
      startCharacter: 0,
      endCharacter: 14,
      setting: 'INSTALLED_APPS',
      title: '3 files',
      detail: ['Provides 3 files'],
    };
    const facts = {
      findings: [finding('static-url-slash', 1), finding('staticfiles-storage-unread', 2)],
      lenses: [lens],
      savedText: () => saved,
    };
    const lines = (text: string) => settingsDiagnostics(file, facts, {}, text).map((d) => `${d.code}@${d.range.start.line}`);

    assert.deepEqual(lines(saved), ['static-url-slash@1', 'staticfiles-storage-unread@2']);
    assert.equal(settingsCodeLenses(file, facts, '/p', saved)[0].command?.title, '3 files');
    // Two lines typed above: everything moves down two lines, and says it is the saved file's.
    const above = `import os\n\n${saved}`;
    assert.deepEqual(lines(above), ['static-url-slash@3', 'staticfiles-storage-unread@4']);
    const [moved] = settingsCodeLenses(file, facts, '/p', above);
    assert.equal(moved.range.start.line, 2);
    assert.equal(moved.command?.title, '3 files (as saved)');
    assert.match(
      String((settingsHover(file, { line: 2, character: 3 }, facts, above)?.contents as { value: string }).value),
      /Counted from the saved file/,
    );
    const [fix] = settingsCodeActions(file, 'file:///p/settings.py', Range.create(4, 0, 4, 0), facts, above);
    assert.deepEqual(fix.edit!.changes!['file:///p/settings.py'][0].range, Range.create(4, 0, 5, 0));
    // The STATIC_URL line being fixed: its finding waits for the save instead of sitting on the new text.
    assert.deepEqual(lines(saved.replace("'static'", "'static/'")), ['staticfiles-storage-unread@2']);
    // Unknown saved text and an edited document: nothing is placed.
    assert.deepEqual(settingsDiagnostics(file, { ...facts, savedText: () => null }, {}, above), []);
  });
});

describe('service/lineMap', () => {
  it('maps unchanged lines through insertions, deletions and edits, and no changed line', () => {
    const map = mapLines('a\nb\nc\nd\ne', 'a\nX\nc\nY\nd\ne');
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(map), [0, undefined, 2, 4, 5, undefined]);
    const same = mapLines('a\nb', 'a\nb');
    assert.equal(same(1), 1);
    assert.deepEqual([0, 1, 2].map(mapLines('a\nb\nc', 'a\nc')), [0, undefined, 1]);
  });
});
