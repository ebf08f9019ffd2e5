import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Methods, StaticFileFindings, StaticFileSource } from '../../server/src/protocol';
import { copyDemo, ensureBuilt, LspClient, removeCopy } from './lspClient';

describe('djangoStatic/fileSources and djangoStatic/findings (the Static Files view\'s "Show Shadowed Copies" and badges)', function () {
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

  it("counts the workspace's published findings per file for the view's badges: by served path, missing paths too", async () => {
    const broken = path.join(root, 'templates', 'broken.html');
    // Every workspace template is checked without being opened; wait for broken.html's findings.
    await client.waitForDiagnostics(broken, 'the missing css/sites.css', (d) => d.some((x) => x.code === 'missing-file'));
    const findings = await client.request<StaticFileFindings[]>(Methods.findings, { projectDir: root });
    const about = (p: string) => findings.find((f) => f.path === p);
    assert.deepEqual(about('css/sites.css'), { path: 'css/sites.css', errors: 1, warnings: 0, others: 0 });
    // broken.html's '/js/app.js' has a leading slash: the finding is about the file it serves.
    assert.ok((about('js/app.js')?.warnings ?? 0) >= 1, JSON.stringify(about('js/app.js')));
    // Every template referencing css/site.css gets the shadowed warning.
    assert.ok((about('css/site.css')?.warnings ?? 0) >= 1, JSON.stringify(about('css/site.css')));
    assert.deepEqual(await client.request(Methods.findings, { projectDir: '/nowhere' }), []);
  });
});
