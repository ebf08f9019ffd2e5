import * as assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  InitializeResult,
  IPCMessageReader,
  IPCMessageWriter,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { copyDemo, ensureBuilt, fileUri, removeCopy, REPO } from './lspClient';

const SERVER = path.join(REPO, 'dist', 'server.js');

async function initializeAndExit(connection: ProtocolConnection, root: string, exited: Promise<number | null>): Promise<InitializeResult> {
  connection.listen();
  const result = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: fileUri(root),
    workspaceFolders: null,
    capabilities: {},
  });
  connection.sendNotification('initialized', {});
  await connection.sendRequest('shutdown');
  connection.sendNotification('exit');
  assert.equal(await exited, 0, 'exit code 0 after shutdown + exit');
  connection.dispose();
  return result;
}

describe('language server transports (dist/server.js as VS Code starts it)', function () {
  this.timeout(30000);
  let root: string;
  before(() => {
    ensureBuilt();
    root = copyDemo();
  });
  after(() => root && removeCopy(root));

  it('speaks over node IPC (--node-ipc)', async () => {
    const child = fork(SERVER, ['--node-ipc'], { cwd: root, silent: true });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const result = await initializeAndExit(
      createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child)),
      root,
      exited,
    );
    assert.ok(result.capabilities.completionProvider);
  });

  it('speaks over stdio (--stdio)', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: root });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const result = await initializeAndExit(connection, root, exited);
    assert.equal(result.serverInfo?.name, 'django-static');
  });
});
