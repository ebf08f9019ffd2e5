import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_CACHE_ENV } from '../../server/src/launch/codeCache';
import { baseCssCompletion, copyDemo, ensureBuilt, LspClient, removeCopy } from './lspClient';

/**
 * The V8 code cache of `django-static lsp --stdio` (launch/codeCache.ts), over stdio: made after the first
 * answer, used by the next start, and a damaged or foreign file costs the cache only, never the answer.
 */
describe('language server over stdio: the code cache', function () {
  this.timeout(60000);
  let root: string;
  let folder: string;

  before(() => {
    ensureBuilt();
    root = copyDemo();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-code-cache-'));
  });
  after(() => {
    removeCopy(root);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const cacheFiles = () => fs.readdirSync(folder).filter((name) => name.endsWith('.v8cache'));

  /** Starts the server, asks for a completion that needs the learned project, and stops it; returns its log. */
  async function startAndAsk(serverModule = false): Promise<string[]> {
    const before = cacheFiles().map((name) => fs.readFileSync(path.join(folder, name)));
    const env = { [CODE_CACHE_ENV]: folder };
    const client = await LspClient.start({ root, configuration: { mode: 'static' }, env, serverModule });
    try {
      const items = await baseCssCompletion(client, root);
      assert.ok(items.includes('site.css'), items.join(', '));
      // The cache is written shortly after the first answer (nothing is written once one was used).
      const started = client.logs.find((l) => l.startsWith('Started in')) ?? '';
      const written = () =>
        cacheFiles().some((name) => !before.some((old) => old.equals(fs.readFileSync(path.join(folder, name))))) || undefined;
      if (!/code cache: used/.test(started)) await client.waitFor('the cache file', written);
      return [...client.logs];
    } finally {
      await client.stop();
    }
  }

  const startLine = (logs: string[]) => logs.find((l) => l.startsWith('Started in')) ?? logs.join('\n');

  it('is made after the first answer, in the given folder only, and used by the next start', async () => {
    assert.match(startLine(await startAndAsk()), /code cache: absent/);
    const files = cacheFiles();
    assert.equal(files.length, 1, files.join(', '));
    assert.match(files[0], /^cli-bundle-[0-9a-f]{8}\.v8cache$/);
    assert.deepEqual(
      fs.readdirSync(root).filter((n) => /cache/i.test(n)),
      [],
      'nothing is written into the project',
    );
    assert.match(startLine(await startAndAsk()), /code cache: used/);
  });

  it('ignores a damaged file (V8 would take it) and a foreign one, answers right, and makes a good one again', async () => {
    const file = path.join(folder, cacheFiles()[0]);
    const good = fs.readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    fs.writeFileSync(file, damaged);
    assert.match(startLine(await startAndAsk()), /code cache: damaged/);
    assert.match(startLine(await startAndAsk()), /code cache: used/, 'the damaged file was replaced');

    fs.writeFileSync(file, Buffer.concat([Buffer.from('not a code cache\n'), good.subarray(0, 4096)]));
    assert.match(startLine(await startAndAsk()), /code cache: foreign/);
    assert.match(startLine(await startAndAsk()), /code cache: used/);
  });

  it('serves dist/server.js (as VS Code starts it) too, from a cache file of its own', async () => {
    assert.match(startLine(await startAndAsk(true)), /code cache: absent/);
    assert.ok(
      cacheFiles().some((name) => /^server-bundle-[0-9a-f]{8}\.v8cache$/.test(name)),
      cacheFiles().join(', '),
    );
    assert.match(startLine(await startAndAsk(true)), /code cache: used/);
  });

  it('is off when the folder is not an absolute path, and the server starts all the same', async () => {
    const client = await LspClient.start({ root, configuration: { mode: 'static' }, env: { [CODE_CACHE_ENV]: 'relative/cache' } });
    try {
      const line = await client.waitFor('the start line', () => client.logs.find((l) => l.startsWith('Started in')));
      assert.match(line, /code cache: off/);
      assert.equal(fs.existsSync(path.join(root, 'relative')), false);
    } finally {
      await client.stop();
    }
  });
});
