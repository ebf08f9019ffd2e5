/**
 * Re-learning one project while the whole workspace is being learned again, over real LSP on stdio: the
 * re-learn must use the project as the queued learn left it, not as it was when the event came in.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { Methods, ProjectSummary } from '../../server/src/protocol';
import { DjangoStaticSettings } from '../../server/src/protocol';
import { MANAGE_PY, makeTree, removeTree } from '../unit/djangoFixtures';
import { ensureBuilt, LspClient } from './lspClient';

const settings = (url: string) => `SECRET_KEY = 'x'
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_URL = '${url}'
`;

describe('LSP: re-learning a project while the workspace is learned again', function () {
  this.timeout(60000);
  let root: string | undefined;
  let client: LspClient | undefined;
  before(() => ensureBuilt());
  after(async () => {
    await client?.stop();
    if (root) removeTree(root);
  });

  it('restoring the settings module and then deleting the old settings file keeps the project, on the module now set', async () => {
    root = makeTree({
      'manage.py': MANAGE_PY,
      'proj/__init__.py': '',
      'proj/settings.py': settings('/main/'),
      'proj/settings_alt.py': settings('/alt/'),
    });
    // The client answers workspace/configuration from this object, so changing it changes the settings.
    const configuration: Partial<DjangoStaticSettings> = { settingsModule: 'proj.settings_alt' };
    client = await LspClient.start({ root, configuration, clientWatches: true });
    const first = await client.waitForProjects();
    assert.equal(first[0]?.staticUrl, '/alt/');

    const seen = client.projectsChanged.length;
    configuration.settingsModule = '';
    client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // The file event comes while the workspace is still being learned for the restored module.
    const alt = path.join(root, 'proj/settings_alt.py');
    fs.rmSync(alt);
    client.sendWatchedFile(alt, FileChangeType.Deleted);

    await client.waitFor('the restored settings module learned', () =>
      client!.projectsChanged.slice(seen).some((p) => p.length === 1 && p[0].staticUrl === '/main/' && !p[0].refining) ? true : undefined,
    );
    // Whatever the re-learn of the deleted file's project announces comes within the re-learn delay and one learn.
    const settled = client.projectsChanged.length;
    await client
      .waitFor('a later announcement', () => (client!.projectsChanged.length > settled ? true : undefined), 4000)
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const latest = client.projectsChanged[client.projectsChanged.length - 1];
    const now = await client.request<ProjectSummary[]>(Methods.projects, {});
    for (const projects of [latest, now]) {
      assert.deepEqual(
        projects.map((p) => p.staticUrl),
        ['/main/'],
        `one project, on proj.settings; log:\n${client.logs.filter((l) => /learn|Learned/.test(l)).join('\n')}`,
      );
    }
  });
});
