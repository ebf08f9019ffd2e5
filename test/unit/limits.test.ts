/**
 * The smaller bounds of issue 14: work per document (references and diagnostics, with a note), the
 * did-you-mean memo and path length, and `--timeout` validation on the command line.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createLanguageService } from '../../server/src/service/index';
import { suggestPaths } from '../../server/src/service/suggest';
import { MAX_REFERENCES_PER_DOCUMENT } from '../../server/src/service/templateModel';
import { MAX_DIAGNOSTICS_PER_DOCUMENT } from '../../server/src/service/diagnostics';
import { docOf, makeContext, removeTrees } from './service/helpers';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const DEMO = path.resolve(__dirname, '../../../examples/demo');

describe('bounded work per document and per cache', function () {
  this.timeout(60_000);
  after(removeTrees);

  it('a 10 MB one-line template with 250k references: bounded references and diagnostics, with a note', async () => {
    const ctx = await makeContext({ 'assets/a.css': '' });
    const text = `{% load static %}${Array.from({ length: 250_000 }, (_, i) => `<img src="{% static 'img/x${i}.png' %}">`).join('')}`;
    assert.ok(text.length > 9_000_000);
    const doc = docOf(text);
    const service = createLanguageService();
    const started = Date.now();
    const heap = process.memoryUsage().heapUsed;
    const diagnostics = service.doValidation(doc, ctx);
    const ms = Date.now() - started;
    assert.ok(diagnostics.length <= MAX_DIAGNOSTICS_PER_DOCUMENT + 1, String(diagnostics.length));
    const note = diagnostics.find((d) => d.code === 'too-many');
    assert.ok(note);
    assert.match(
      String(note.message),
      new RegExp(
        `Too many \\{% static %\\} references in this template \\(more than ${MAX_REFERENCES_PER_DOCUMENT.toLocaleString('en')}\\); showing the first`,
      ),
    );
    assert.match(String(note.message), /Too many problems in this template \([\d,]+\); showing the first 1,000\./);
    assert.ok(service.referencedPaths(doc).length <= MAX_REFERENCES_PER_DOCUMENT);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.ok(process.memoryUsage().heapUsed - heap < 400 * 1024 * 1024);
  });

  it('suggests nothing for absurdly long paths and keeps answering for many distinct ones', async () => {
    const ctx = await makeContext({ 'assets/css/site.css': '' });
    assert.deepEqual(suggestPaths(`css/${'x'.repeat(1_000_000)}.css`, ctx.index), []);
    const heap = process.memoryUsage().heapUsed;
    for (let i = 0; i < 5_000; i++) suggestPaths(`css/sit${i}-${'y'.repeat(900)}.css`, ctx.index);
    assert.deepEqual(suggestPaths('css/sitee.css', ctx.index), ['css/site.css']);
    assert.ok(process.memoryUsage().heapUsed - heap < 50 * 1024 * 1024, 'the memo is bounded');
  });

  for (const bad of ['abc', '0', '-5', '1e3', '']) {
    it(`--timeout '${bad}' is refused with a clear message`, () => {
      const r = spawnSync(process.execPath, [CLI, 'info', '--root', DEMO, `--timeout=${bad}`], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`^django-static: Invalid --timeout '${bad}': give the seconds`));
    });
  }

  it('--timeout is listed in --help', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.match(r.stdout, /--timeout SECONDS +Stop the Django-mode helper after this many seconds/);
  });
});
