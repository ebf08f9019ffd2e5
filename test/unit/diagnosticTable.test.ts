import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { REPO_ROOT, renderPackageJson, renderReadme } from '../../scripts/diagnosticDocs';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES } from '../../server/src/service/diagnosticCodes';
import { DEFAULT_SEVERITY } from '../../server/src/service';

const STALE = 'is out of date with server/src/service/diagnosticCodes.ts: run `npm run docs:diagnostics`';

describe('the diagnostic code table', () => {
  it("is what package.json's djangoStatic.severity schema says", () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
    assert.equal(renderPackageJson(text), text, `package.json ${STALE}`);
  });

  it('is what the README lists', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    assert.equal(renderReadme(text), text, `README.md ${STALE}`);
    for (const code of ALL_DIAGNOSTIC_CODES) assert.ok(text.includes(`\`${code}\` (${DIAGNOSTIC_CODES[code].severity})`), code);
  });

  it('gives every code its default severity', () => {
    assert.deepEqual(Object.keys(DEFAULT_SEVERITY), ALL_DIAGNOSTIC_CODES);
    assert.equal(DEFAULT_SEVERITY['missing-file'], DiagnosticSeverity.Error);
    assert.equal(DEFAULT_SEVERITY['unknown-source'], DiagnosticSeverity.Information);
    assert.equal(DEFAULT_SEVERITY['hardcoded-url'], DiagnosticSeverity.Information, 'not hint: VS Code leaves hints out of Problems');
  });

  it('notices a stale README or package.json', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').replace('`shadowed` (warning)', '`shadowed` (error)');
    assert.notEqual(renderReadme(readme), readme);
    const manifest = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8').replace('Default: warning.', 'Default: error.');
    assert.notEqual(renderPackageJson(manifest), manifest);
  });
});
