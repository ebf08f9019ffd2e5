import * as assert from 'node:assert/strict';
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyDemo, REPO, removeCopy } from '../lsp/lspClient';
import { userEnv } from './env';

/** What `npm pack` must ship: the CLI's loader and bundle and the helper it runs; npm adds the rest itself. */
const SHIPPED = ['LICENSE', 'README.md', 'dist/cli-bundle.js', 'dist/cli.js', 'dist/python/introspect.py', 'package.json'];

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

describe('npm pack: the django-static command line from a clean folder', function () {
  this.timeout(120000);
  let work: string;
  let demo: string;
  let pack: PackResult;
  let bin: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-pack-'));
    demo = copyDemo();
    // Real `npm pack`, prepack build included (nothing is built beforehand on purpose).
    const packed = run('npm', ['pack', '--json', '--pack-destination', work], REPO);
    assert.equal(packed.status, 0, packed.stderr);
    pack = (JSON.parse(packed.stdout) as PackResult[])[0];
    console.log(
      `      package ${pack.filename}: ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`,
    );
    // A clean folder: no package.json, and --offline proves the package needs nothing from a registry.
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, pack.filename)], app);
    assert.equal(installed.status, 0, installed.stderr);
    bin = path.join(app, 'node_modules', '.bin', 'django-static');
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (demo) removeCopy(demo);
  });

  it('ships exactly the CLI bundle, its helper, README, LICENSE and package.json', () => {
    assert.deepEqual(pack.files.map((f) => f.path).sort(), SHIPPED);
  });

  it('declares no runtime dependencies (esbuild bundled them), so it installs offline', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(path.dirname(bin), '..', 'django-static-files', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(
      fs.readdirSync(path.join(path.dirname(bin), '..')).filter((n) => !n.startsWith('.')),
      ['django-static-files'],
    );
  });

  it('npx django-static check --root prints the demo findings and exits 1, in django mode', () => {
    const result = run('npx', ['--offline', 'django-static', 'check', '--root', demo], path.join(work, 'app'));
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const rel = (p: string) => path.relative(path.join(work, 'app'), path.join(demo, p));
    assert.ok(
      lines.includes(
        `${rel('templates/broken.html')}:5:43: error missing-file 'css/sites.css' is not found by any static files finder. Did you mean 'css/site.css'?`,
      ),
      result.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`${rel('templates/no_load.html')}:4:13: error missing-load`)),
      result.stdout,
    );
    assert.equal(
      lines[lines.length - 1],
      '2 errors, 2 warnings, 1 information in 5 templates and 5 CSS/JS files with references (1 project).',
    );
    // Django mode needs dist/python/introspect.py from the package itself (the clone is not above this folder).
    assert.match(result.stderr, /django mode \(Ran Django [\d.]+ with /);
  });

  it('django-static lsp --stdio answers initialize (the lazily imported server is in the bundle)', async () => {
    const child = spawn(bin, ['lsp', '--stdio'], { cwd: demo, env: userEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { processId: null, rootUri: null, capabilities: {} },
      });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const reply = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no initialize reply: ${out}`)), 20000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('"capabilities"')) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server exited ${code}: ${out}`));
        });
      });
      assert.match(reply, /"id":1/);
      assert.match(reply, /"completionProvider"/);
    } finally {
      child.kill();
    }
  });
});
