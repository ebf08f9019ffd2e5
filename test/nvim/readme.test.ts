import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, copyDemo, ensureBuilt, REPO, removeCopy } from '../lsp/lspClient';

const NVIM = process.env.NVIM_BIN || '/usr/bin/nvim';
const MARKER = '<!-- test/nvim/readme.test.ts runs the next block -->';

/** The README's Neovim 0.7 block, exactly as a user would paste it. */
function readmeBlock(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  assert.ok(at >= 0, `README.md lost the marker ${MARKER}`);
  const block = /```lua\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, 'no lua block after the marker');
  return block[1];
}

interface Result {
  errors: string[];
  filetype?: string;
  clients?: string[];
  diagnostics?: { lnum: number; message: string }[];
}

describe('README: the Neovim 0.7 configuration, as written', function () {
  this.timeout(90000);
  let root: string;
  let result: Result;

  before(function () {
    if (!fs.existsSync(NVIM)) {
      console.log(`      SKIPPED: Neovim is not installed at ${NVIM} (apt-get install neovim, or set NVIM_BIN).`);
      this.skip();
    }
    ensureBuilt();
    root = copyDemo();
    const work = path.dirname(root);
    // `django-static` on PATH, as after installing the packed CLI.
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'django-static'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const config = path.join(work, 'readme.lua');
    fs.writeFileSync(config, readmeBlock());
    const out = path.join(work, 'readme-result.json');
    const run = spawnSync(
      NVIM,
      ['--headless', '--clean', '-n', '-c', `luafile ${config}`, '-c', `luafile ${path.join(REPO, 'test', 'nvim', 'readmeCheck.lua')}`],
      {
        cwd: root,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DS_OUT: out },
        encoding: 'utf8',
        timeout: 80000,
      },
    );
    assert.ok(fs.existsSync(out), `nvim wrote no result (status ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    result = JSON.parse(fs.readFileSync(out, 'utf8')) as Result;
  });

  after(() => root && removeCopy(root));

  it('attaches django-static to the template by its file type and shows the missing path', () => {
    assert.deepEqual(result.errors, []);
    assert.ok(['html', 'htmldjango'].includes(result.filetype ?? ''), result.filetype);
    assert.deepEqual(result.clients, ['django-static']);
    const missing = result.diagnostics?.find((d) => d.message.includes("'css/sites.css' is not found"));
    assert.equal(missing?.lnum, 4, JSON.stringify(result.diagnostics));
  });
});
