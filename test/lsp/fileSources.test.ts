import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Methods, StaticFileSource } from '../../server/src/protocol';
import { copyDemo, ensureBuilt, LspClient, removeCopy } from './lspClient';

describe('djangoStatic/fileSources (the Static Files view\'s "Show Shadowed Copies")', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  before(async () => {
    ensureBuilt();
    root = copyDemo();
    client = await LspClient.start({ root });
    await client.waitForProjects();
  });
  after(async () => {
    await client?.stop();
    if (root) removeCopy(root);
  });

  it('lists every source of a shadowed path in finder order, the collected one first', async () => {
    const sources = await client.request<StaticFileSource[]>(Methods.fileSources, { projectDir: root, path: 'css/site.css' });
    assert.deepEqual(
      sources.map((s) => [s.absPath, s.collected]),
      [
        [path.join(root, 'assets/css/site.css'), true],
        [path.join(root, 'legacy/static/css/site.css'), false],
      ],
    );
    assert.equal(sources[1].source, 'legacy');
  });

  it('answers an empty list for an unknown path or project', async () => {
    assert.deepEqual(await client.request(Methods.fileSources, { projectDir: root, path: 'css/nope.css' }), []);
    assert.deepEqual(await client.request(Methods.fileSources, { projectDir: '/nowhere', path: 'css/site.css' }), []);
  });
});
