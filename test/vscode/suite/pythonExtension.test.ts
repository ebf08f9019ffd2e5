// The interpreter hand-off from the Python extension (a stand-in implementing its environments API):
// used when djangoStatic.pythonPath is empty, and followed when the user picks another interpreter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CollectResult } from '../../../client/src/collect';
import { activateAndLearn, waitFor } from './helpers';

interface EnvironmentsStub {
  environments: { updateActiveEnvironmentPath(p: string): Promise<void> };
}

describe('interpreter from the Python extension', () => {
  let links = '';
  const pythonAt = (name: string) => path.join(links, name, 'bin', 'python');

  before(async function () {
    this.timeout(90000);
    const python = vscode.extensions.getExtension<EnvironmentsStub>('ms-python.python');
    if (!python) this.skip();
    await activateAndLearn();
    // Two distinct interpreter paths (symlinks to the Debian python3 with Django) so a switch is visible.
    links = fs.mkdtempSync(path.join(os.tmpdir(), 'djstatic-pythons-'));
    for (const name of ['env-a', 'env-b']) {
      fs.mkdirSync(path.dirname(pythonAt(name)), { recursive: true });
      fs.symlinkSync('/usr/bin/python3', pythonAt(name));
    }
  });

  after(async function () {
    this.timeout(60000);
    await vscode.workspace.getConfiguration('djangoStatic').update('pythonPath', '/usr/bin/python3', vscode.ConfigurationTarget.Workspace);
    const { api } = await activateAndLearn();
    await waitFor(() => api.projects()[0]?.python === '/usr/bin/python3', 'the server to return to /usr/bin/python3', 45000);
    if (links) fs.rmSync(links, { recursive: true, force: true });
  });

  it('uses the active interpreter when djangoStatic.pythonPath is empty, and follows changes', async function () {
    this.timeout(120000);
    const stub = await vscode.extensions.getExtension<EnvironmentsStub>('ms-python.python')!.activate();
    const { api } = await activateAndLearn();
    await stub.environments.updateActiveEnvironmentPath(pythonAt('env-a'));
    await vscode.workspace.getConfiguration('djangoStatic').update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.projects()[0]?.python === pythonAt('env-a'), 'the server to learn with env-a', 45000);

    const collected = await vscode.commands.executeCommand<CollectResult>('djangoStatic.collectStatic');
    assert.equal(collected.status, 'done', collected.message);
    assert.deepEqual(collected.interpreter, { path: pythonAt('env-a'), source: 'python-extension' });

    await stub.environments.updateActiveEnvironmentPath(pythonAt('env-b'));
    await waitFor(() => api.projects()[0]?.python === pythonAt('env-b'), 'the server to follow the switch to env-b', 45000);
    assert.equal(api.projects()[0].mode, 'django');
  });
});
