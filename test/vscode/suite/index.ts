/**
 * Mocha entry point loaded by VS Code's extension host (`extensionTestsPath`). Runs every
 * `*.test.js` beside it (only `restricted.test.js` when the workspace is not trusted) and writes a JSON summary next to the workspace folder, because in code-server
 * the extension host's console is not the harness's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { resultFileFor, SuiteResult } from '../results';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  const grep = process.env.DJANGO_STATIC_TEST_GREP;
  if (grep) mocha.grep(grep);
  // A Restricted Mode window runs only the restricted-mode suite; a trusted one runs everything else.
  const restrictedOnly = !vscode.workspace.isTrusted;
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (f === 'restricted.test.js') === restrictedOnly);
  // The first-answer suite is timed against a server that has answered nothing yet: it goes first.
  const first = (f: string): number => (f === 'firstAnswer.test.js' ? 0 : 1);
  for (const file of files.sort((a, b) => first(a) - first(b) || a.localeCompare(b))) {
    mocha.addFile(path.join(__dirname, file));
  }
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const result: SuiteResult = { passed: [], failed: [], pending: [], durationMs: 0 };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      result.durationMs = Date.now() - started;
      if (workspace) fs.writeFileSync(resultFileFor(workspace), JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed.`));
      else resolve();
    });
    runner.on('pass', (test) => result.passed.push(test.fullTitle()));
    runner.on('pending', (test) => result.pending.push(test.fullTitle()));
    runner.on('fail', (test, err: Error) => result.failed.push({ title: test.fullTitle(), error: String(err?.stack ?? err) }));
  });
}
