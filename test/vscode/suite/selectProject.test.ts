// Several manage.py in one workspace: Select Django Project decides what the commands act on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CollectResult } from '../../../client/src/collect';
import { activateAndLearn, listTree, waitFor, wsPath } from './helpers';

/** examples/demo in the repository (read only), from out/test/vscode/suite. */
const DEMO = path.resolve(__dirname, '../../../../examples/demo');

describe('Select Django Project', () => {
  const second = () => wsPath('second');

  before(async function () {
    this.timeout(90000);
    await activateAndLearn();
    fs.cpSync(DEMO, second(), { recursive: true, filter: (src) => !/(__pycache__|collected_static)/.test(src) });
  });

  after(async function () {
    this.timeout(60000);
    await vscode.commands.executeCommand('djangoStatic.selectProject', wsPath('manage.py'));
    fs.rmSync(second(), { recursive: true, force: true });
    await vscode.commands.executeCommand('djangoStatic.reindex');
  });

  it('switches the project Collect Static Files runs in', async function () {
    this.timeout(90000);
    const { api } = await activateAndLearn();
    await vscode.commands.executeCommand('djangoStatic.reindex');
    const secondManagePy = path.join(second(), 'manage.py');
    await waitFor(() => api.projects().some((p) => p.managePy === secondManagePy), 'the server to learn the second project', 45000);

    const chosen = await vscode.commands.executeCommand<string>('djangoStatic.selectProject', secondManagePy);
    assert.equal(chosen, secondManagePy);
    const result = await vscode.commands.executeCommand<CollectResult>('djangoStatic.collectStatic');
    assert.equal(result.status, 'done', result.message);
    assert.equal(result.outcome?.summary?.destination, path.join(second(), 'collected_static'));
    assert.ok(listTree(path.join(second(), 'collected_static')).includes('css/site.css'));
  });
});
