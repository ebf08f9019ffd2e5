import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../lsp/lspClient';

/** What the .vsix must hold: the bundles, the helper, grammars, the icon, the README and its screenshots. */
function meantToShip(): string[] {
  const inFolder = (dir: string, pattern: RegExp) =>
    fs
      .readdirSync(path.join(REPO, dir))
      .filter((n) => pattern.test(n))
      .map((n) => `${dir}/${n}`);
  return [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'language-configuration.json',
    'images/icon.png',
    'dist/client.js',
    'dist/server-bundle.js',
    'dist/server.js',
    'dist/python/introspect.py',
    ...inFolder('syntaxes', /\.tmLanguage\.json$/),
    ...inFolder('docs/images', /\.png$/),
  ].sort();
}

describe('Marketplace manifest and vsce ls', function () {
  this.timeout(60000);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;

  before(() => {
    // vsce lists files that exist: the bundles must be built (either build, development or production).
    if (!['client.js', 'server.js', 'cli.js'].every((f) => fs.existsSync(path.join(REPO, 'dist', f)))) {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
    }
  });

  it('vsce ls lists exactly the files meant to ship (no sources, maps, tests, CLI bundle or icon source)', () => {
    const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
    const result = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const listed = result.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    assert.deepEqual(listed, meantToShip());
  });

  it('names an icon that is a square PNG of at least 128 pixels, no guessed repository, keywords and a changelog', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    const png = fs.readFileSync(path.join(REPO, 'images', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height are the first two big-endian words after the chunk header at byte 8.
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.equal(width, height);
    assert.ok(width >= 128, `icon is ${width}px`);
    // No public repository exists yet: a guessed URL would send Marketplace users to someone else's page.
    assert.equal(manifest.repository, undefined);
    assert.match(String((manifest.scripts as Record<string, string>).package), /--allow-missing-repository/);
    assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.includes('django'));
    // The Marketplace rejects more than 30 keywords.
    assert.ok((manifest.keywords as string[]).length <= 30);
    assert.match(fs.readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n\n## 0\.1\.0/);
  });
});
