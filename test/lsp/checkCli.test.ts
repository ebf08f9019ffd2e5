import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, copyDemo, ensureBuilt, removeCopy } from './lspClient';

function check(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('django-static check', function () {
  this.timeout(60000);
  let root: string;
  before(() => {
    ensureBuilt();
    root = copyDemo();
  });
  after(() => root && removeCopy(root));

  it('prints the demo findings as path:line:col: severity code message and exits 1', () => {
    const { code, stdout, stderr } = check(['--root', root], root);
    assert.equal(code, 1, stderr);
    const lines = stdout.trim().split('\n');
    assert.ok(
      lines.includes(
        "templates/broken.html:5:43: error missing-file 'css/sites.css' is not found by any static files finder. Did you mean 'css/site.css'?",
      ),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('templates/broken.html:7:') && l.includes('warning leading-slash')),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('templates/broken.html:9:') && l.includes('information hardcoded-url') && l.includes('img/logo.svg')),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('templates/no_load.html:4:') && l.includes('error missing-load')),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('templates/base.html:') && l.includes('warning shadowed') && l.includes('assets')),
      stdout,
    );
    assert.match(
      lines[lines.length - 1],
      /^2 errors, 2 warnings, 1 information in 5 templates and 5 CSS\/JS files with references \(1 project\)\.$/,
    );
    assert.match(stderr, /django mode/);
  });

  it('prints paths relative to the working directory', () => {
    const { stdout } = check(['--root', root], os.tmpdir());
    const rel = path.relative(os.tmpdir(), path.join(root, 'templates/broken.html'));
    assert.ok(
      stdout.split('\n').some((l) => l.startsWith(`${rel}:5:43: error missing-file`)),
      stdout,
    );
  });

  it('emits JSON with 1-based positions and a summary', () => {
    const { code, stdout } = check(['--root', root, '--format', 'json'], root);
    assert.equal(code, 1);
    const data = JSON.parse(stdout) as {
      projects: { projectDir: string; mode: string }[];
      findings: { file: string; line: number; column: number; severity: string; code: string }[];
      summary: { templates: number; assetFiles: number; error: number; warning: number; hint: number };
    };
    assert.equal(data.projects[0].projectDir, root);
    assert.deepEqual(data.summary, { templates: 5, assetFiles: 5, error: 2, warning: 2, information: 1, hint: 0 });
    const missing = data.findings.find((f) => f.code === 'missing-file');
    assert.deepEqual([missing?.file, missing?.line, missing?.column], ['templates/broken.html', 5, 43]);
  });

  it('emits GitHub Actions annotations, information and hints as notices', () => {
    const { code, stdout } = check(['--root', root, '--format', 'github'], root);
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n');
    assert.ok(
      lines.includes(
        "::error file=templates/broken.html,line=5,col=43,endLine=5,endColumn=56,title=django-static missing-file::'css/sites.css' is not found by any static files finder. Did you mean 'css/site.css'?",
      ),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('::warning file=templates/broken.html,line=7,') && l.includes('title=django-static leading-slash::')),
      stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('::notice file=templates/broken.html,line=9,') && l.includes('hardcoded-url')),
      stdout,
    );
    assert.match(lines[lines.length - 1], /^2 errors, 2 warnings, 1 information in 5 templates/);
  });

  it('exits 0 when there are no errors', () => {
    fs.writeFileSync(path.join(root, 'assets/css/sites.css'), '');
    fs.writeFileSync(
      path.join(root, 'templates/no_load.html'),
      '{% extends "base.html" %}{% load static %}{% block content %}{% static "img/logo.svg" %}{% endblock %}',
    );
    const { code, stdout } = check(['--root', root], root);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^0 errors, /m);
    // Warnings remain (the shadowed css/site.css, the leading slash): --fail-on warning gates on them too.
    assert.equal(check(['--root', root, '--fail-on', 'warning'], root).code, 1);
  });

  it('rejects a bad format and a folder without a project with a clear message (exit 2)', () => {
    const bad = check(['--root', root, '--format', 'xml'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown format 'xml'/);
    const badFail = check(['--root', root, '--fail-on', 'hint'], root);
    assert.equal(badFail.code, 2);
    assert.match(badFail.stderr, /Unknown --fail-on 'hint': use error or warning\./);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-check-empty-'));
    try {
      const none = check(['--root', empty], empty);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /No Django project/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
  it('reports templates found and checked per engine, and exits 4 when TEMPLATES covers none of the template-looking files', () => {
    const { stderr } = check(['--root', root], root);
    assert.match(stderr, /django mode \(Ran Django [^)]*\), 5 of 5 templates checked \(DjangoTemplates 5 found, 5 checked\)/);
    const uncovered = fs.mkdtempSync(path.join(os.tmpdir(), 'djstatic-uncovered-'));
    try {
      fs.cpSync(path.join(__dirname, '../../../test/fixtures/real/uncovered'), uncovered, { recursive: true });
      const result = check(['--root', uncovered, '--mode', 'static'], uncovered);
      assert.equal(result.code, 4, result.stderr);
      assert.match(
        result.stderr,
        /2 template-looking files outside what TEMPLATES covers, not checked: 1 in docs\/, 1 in webapp\/templates\//,
      );
      assert.match(
        result.stderr,
        /nothing was checked in .*: it has 2 template-looking files .* but TEMPLATES covers none of them; exit code 4\./,
      );
      assert.match(result.stdout, /0 errors, 0 warnings in 0 templates \(1 project\)\. Django was not run: Static mode was requested\./);
    } finally {
      fs.rmSync(uncovered, { recursive: true, force: true });
    }
  });

  it('--mode django that cannot run Django, and an unusable --python, exit 2 with the reason (no silent fallback)', () => {
    const forced = check(['--root', root, '--mode', 'django', '--python', '/nonexistent/python'], root);
    assert.equal(forced.code, 2, forced.stderr);
    assert.match(forced.stderr, /The interpreter \/nonexistent\/python cannot be used: cannot run it/);
    assert.equal(forced.stdout, '');
    const auto = check(['--root', root, '--python', '/nonexistent/python'], root);
    assert.equal(auto.code, 2, auto.stderr);
    assert.doesNotMatch(auto.stderr + auto.stdout, /Ran Django/);
    const noRoot = check(['--root', path.join(root, 'does-not-exist')], root);
    assert.equal(noRoot.code, 2);
    assert.match(noRoot.stderr, /The folder .*does-not-exist does not exist/);
  });
});
