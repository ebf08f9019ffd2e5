import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, copyDemo, ensureBuilt, REPO, removeCopy } from '../lsp/lspClient';

const NVIM = process.env.NVIM_BIN || '/usr/bin/nvim';
/** The Lua probe lives beside the TypeScript sources (tsc does not copy it to out/). */
const PROBE = path.join(REPO, 'test', 'nvim', 'lspProbe.lua');

interface ProbeResult {
  errors: string[];
  filetype?: string;
  projects?: { projectDir: string; mode: string }[];
  completion?: string[];
  definition?: string[];
  hover?: string;
  asked_before_learned?: boolean;
  answered_ms?: number;
  diagnostics?: { code?: string; message: string; lnum: number }[];
}

/** Runs the Lua probe in a headless Neovim against a fresh copy of the demo; `env` adds to its inputs. */
function runProbe(root: string, env: Record<string, string> = {}): ProbeResult {
  const out = path.join(path.dirname(root), 'nvim-result.json');
  const run = spawnSync(NVIM, ['--headless', '--clean', '-n', '-c', `luafile ${PROBE}`], {
    cwd: root,
    env: { ...process.env, DS_CLI: CLI, DS_ROOT: root, DS_OUT: out, ...env },
    encoding: 'utf8',
    timeout: 80000,
  });
  assert.ok(fs.existsSync(out), `nvim wrote no result (status ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeResult;
}

function skipWithoutNvim(context: Mocha.Context): void {
  if (!fs.existsSync(NVIM)) {
    console.log(`      SKIPPED: Neovim is not installed at ${NVIM} (apt-get install neovim, or set NVIM_BIN).`);
    context.skip();
  }
}

describe('Neovim (built-in LSP client) against django-static lsp --stdio', function () {
  this.timeout(90000);
  let root: string;
  let result: ProbeResult;

  before(function () {
    skipWithoutNvim(this);
    ensureBuilt();
    root = copyDemo();
    const started = Date.now();
    result = runProbe(root);
    console.log(`      nvim session took ${Date.now() - started} ms (filetype ${result.filetype})`);
  });

  after(() => root && removeCopy(root));

  it('runs without errors and learns the project', () => {
    assert.deepEqual(result.errors, []);
    assert.equal(result.projects?.[0]?.projectDir, root);
  });

  it("completes inside {% static 'css/| %}", () => {
    assert.ok(result.completion?.includes('site.css'), JSON.stringify(result.completion));
    assert.ok(result.completion?.includes('print.css'), JSON.stringify(result.completion));
  });

  it('jumps to the winning file first, then the shadowed copy', () => {
    assert.deepEqual(result.definition, [path.join(root, 'assets/css/site.css'), path.join(root, 'legacy/static/css/site.css')]);
  });

  it('shows the shadowed warning on the open template', () => {
    assert.ok(
      result.diagnostics?.some((d) => d.code === 'shadowed' && d.lnum === 6),
      JSON.stringify(result.diagnostics),
    );
  });
});

describe('Neovim asking right after the server is initialized, before the project is learned', function () {
  this.timeout(90000);
  let root: string;
  let result: ProbeResult;

  before(function () {
    skipWithoutNvim(this);
    ensureBuilt();
    root = copyDemo();
    result = runProbe(root, { DS_IMMEDIATE: '1' });
    console.log(
      `      first answers after ${result.answered_ms?.toFixed(0)} ms (asked before the project was announced: ${result.asked_before_learned})`,
    );
  });

  after(() => root && removeCopy(root));

  it('gets the right completion, definition and hover, not empty answers', () => {
    assert.deepEqual(result.errors, []);
    assert.ok(result.completion?.includes('site.css'), JSON.stringify(result.completion));
    assert.deepEqual(result.definition, [path.join(root, 'assets/css/site.css'), path.join(root, 'legacy/static/css/site.css')]);
    assert.match(result.hover ?? '', /assets\/css\/site\.css/);
  });
});
