import * as assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../lsp/lspClient';
import { userEnv } from '../packaging/env';

/**
 * The hook in .pre-commit-hooks.yaml, run by a real pre-commit (Debian's) in a generated Django project:
 * pre-commit clones this repository, builds its node environment against the system's node (nodeenv
 * `-n system`, which downloads nothing), installs the packed CLI into it, and runs it on `git commit`.
 */
const PYTHON = '/usr/bin/python3';

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

describe('pre-commit hook django-static-check (real pre-commit, local clone)', function () {
  this.timeout(300000);
  let work: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
    const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
    if (result.error) throw result.error;
    return result;
  }
  function ok(cmd: string, args: string[], cwd: string): string {
    const result = run(cmd, args, cwd);
    assert.equal(result.status, 0, `${cmd} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  before(function () {
    if (!which('pre-commit')) {
      console.log('      skipped: pre-commit is not installed (Debian: apt-get install pre-commit; scripts/test.sh does)');
      this.skip();
    }
    if (spawnSync(PYTHON, ['-c', 'import django']).status !== 0) {
      console.log(`      skipped: ${PYTHON} cannot import django (Debian: python3-django)`);
      this.skip();
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-precommit-'));
    // Throw-away pre-commit store and git identity; prefer npm's cache (the hook's npm install of the clone).
    env = userEnv({
      PRE_COMMIT_HOME: path.join(work, 'pre-commit-home'),
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
      GIT_CONFIG_GLOBAL: '/dev/null',
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    });

    // A local clone holding this working tree as one commit, so uncommitted changes are what gets tested.
    const clone = path.join(work, 'hook-repo');
    ok('git', ['clone', '--quiet', '--no-checkout', REPO, clone], work);
    ok('git', ['checkout', '--quiet', ok('git', ['rev-parse', 'HEAD'], REPO).trim()], clone);
    const changed = [
      ...ok('git', ['diff', '--name-only', 'HEAD'], REPO).split('\n'),
      ...ok('git', ['ls-files', '--others', '--exclude-standard'], REPO).split('\n'),
    ].filter((f) => f && f !== 'node_modules');
    for (const file of changed) {
      const from = path.join(REPO, file);
      const to = path.join(clone, file);
      if (fs.existsSync(from)) {
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(from, to);
      } else {
        fs.rmSync(to, { force: true });
      }
    }
    ok('git', ['add', '-A'], clone);
    ok('git', ['commit', '--quiet', '--allow-empty', '-m', 'working tree'], clone);
    const rev = ok('git', ['rev-parse', 'HEAD'], clone).trim();

    // A generated Django project with one static file and a template that asks for a misspelt one.
    project = path.join(work, 'site');
    fs.mkdirSync(project);
    ok(PYTHON, ['-m', 'django', 'startproject', 'mysite', project], work);
    const settings = path.join(project, 'mysite', 'settings.py');
    fs.appendFileSync(settings, "\nSTATICFILES_DIRS = [BASE_DIR / 'static']\nTEMPLATES[0]['DIRS'] = [BASE_DIR / 'templates']\n");
    fs.mkdirSync(path.join(project, 'static', 'css'), { recursive: true });
    fs.writeFileSync(path.join(project, 'static', 'css', 'site.css'), 'body { margin: 0; }\n');
    fs.mkdirSync(path.join(project, 'templates'));
    fs.writeFileSync(
      path.join(project, 'templates', 'page.html'),
      '{% load static %}\n<link rel="stylesheet" href="{% static \'css/sitee.css\' %}">\n',
    );
    fs.writeFileSync(
      path.join(project, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${clone}\n    rev: ${rev}\n    hooks:\n      - id: django-static-check\n`,
    );
    ok('git', ['init', '--quiet'], project);
    ok('pre-commit', ['install'], project);
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('a broken {% static %} path fails the commit, with the finding', () => {
    ok('git', ['add', '-A'], project);
    const started = Date.now();
    const commit = run('git', ['commit', '-m', 'broken'], project);
    console.log(`      first commit (hook environment built): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const output = commit.stdout + commit.stderr;
    assert.notEqual(commit.status, 0, output);
    assert.match(output, /django-static check\.+Failed/);
    assert.match(
      output,
      /templates\/page\.html:2:\d+: error missing-file 'css\/sitee\.css' is not found by any static files finder\. Did you mean 'css\/site\.css'\?/,
    );
    // Nothing was committed.
    assert.notEqual(run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], project).status, 0);
    // The node environment is nodeenv's `system` shim around this machine's node: nothing was downloaded.
    const store = env.PRE_COMMIT_HOME as string;
    const envs = fs
      .readdirSync(store)
      .filter((d) => d.startsWith('repo'))
      .flatMap((d) => fs.readdirSync(path.join(store, d)).filter((e) => e.startsWith('node_env')));
    assert.deepEqual(envs, ['node_env-system']);
  });

  it('the fixed path passes and the commit is made', () => {
    const page = path.join(project, 'templates', 'page.html');
    fs.writeFileSync(page, fs.readFileSync(page, 'utf8').replace('sitee.css', 'site.css'));
    ok('git', ['add', '-A'], project);
    const started = Date.now();
    const commit = run('git', ['commit', '-m', 'fixed'], project);
    console.log(`      second commit: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const output = commit.stdout + commit.stderr;
    assert.equal(commit.status, 0, output);
    assert.match(output, /django-static check\.+Passed/);
    assert.equal(ok('git', ['log', '--format=%s'], project).trim(), 'fixed');
  });
});
