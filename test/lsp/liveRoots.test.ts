/**
 * Static folders the settings name but that do not exist yet (an app without `static/`, a STATICFILES_DIRS
 * entry not created) must start counting as soon as they appear, without a manual reindex.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, FileChangeType, FileSystemWatcher } from 'vscode-languageserver-protocol/node';
import { copyDemo, ensureBuilt, LspClient, removeCopy } from './lspClient';

const missing =
  (value: string) =>
  (d: Diagnostic[]): boolean =>
    d.some((x) => x.code === 'missing-file' && String(x.message).includes(value));
const notMissing =
  (value: string) =>
  (d: Diagnostic[]): boolean =>
    !missing(value)(d);

for (const clientWatches of [false, true]) {
  describe(`language server: static folders created after start-up (${clientWatches ? 'client events' : 'own watcher'})`, function () {
    this.timeout(60000);
    let root: string;
    let client: LspClient;
    let cart: string;
    let base: string;
    /** Where the two folders wait while the server starts without them. */
    let away: string;

    before(async function () {
      this.timeout(120000);
      ensureBuilt();
      root = copyDemo();
      away = path.join(path.dirname(root), 'away');
      fs.mkdirSync(away);
      fs.renameSync(path.join(root, 'shop/static'), path.join(away, 'shop-static'));
      fs.renameSync(path.join(root, 'vendor'), path.join(away, 'vendor'));
      cart = path.join(root, 'shop/templates/shop/cart.html');
      base = path.join(root, 'templates/base.html');
      client = await LspClient.start({ root, clientWatches });
      await client.waitForProjects();
      await client.waitForDiagnostics(cart, 'shop/js/cart.js missing', missing('shop/js/cart.js'));
      await client.waitForDiagnostics(base, 'vendor/htmx/htmx.min.js missing', missing('vendor/htmx/htmx.min.js'));
      if (!clientWatches) await client.waitFor('own watcher ready', () => client.logs.find((l) => /Watching \d+ folders/.test(l)));
    });
    after(async () => {
      await client?.stop();
      if (root) removeCopy(root);
    });

    if (clientWatches) {
      it('asks the client to watch where the missing folders would appear', async () => {
        const registration = await client.waitFor('a didChangeWatchedFiles registration', () =>
          client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
        );
        const watchers = (registration.registerOptions as { watchers: FileSystemWatcher[] }).watchers;
        const bases = watchers.map((w) => (typeof w.globPattern === 'string' ? w.globPattern : String(w.globPattern.baseUri)));
        assert.ok(
          bases.some((b) => b.endsWith('/demo/shop')),
          bases.join('\n'),
        );
      });
    }

    it("picks up an app's static/ folder when it is created", async () => {
      const created = path.join(root, 'shop/static');
      fs.renameSync(path.join(away, 'shop-static'), created);
      if (clientWatches) client.sendWatchedFile(created, FileChangeType.Created);
      await client.waitForDiagnostics(cart, 'shop/js/cart.js found', notMissing('shop/js/cart.js'), 15000);
    });

    it('picks up a STATICFILES_DIRS folder when it is created', async () => {
      const created = path.join(root, 'vendor');
      fs.renameSync(path.join(away, 'vendor'), created);
      if (clientWatches) client.sendWatchedFile(created, FileChangeType.Created);
      await client.waitForDiagnostics(base, 'vendor/htmx/htmx.min.js found', notMissing('vendor/htmx/htmx.min.js'), 15000);
    });
  });
}
