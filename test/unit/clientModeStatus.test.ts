// What the status bar says about the mode: a pure function, no vscode; the reasons are the server's own.
import * as assert from 'node:assert/strict';
import { djangoModeFailure } from '../../client/src/modeStatus';
import { describeMode, escapeMarkdown, markdownCode, plural } from '../../server/src/text';

const failedRun = {
  mode: 'static' as const,
  modeReason: "Static mode: running the settings failed: ModuleNotFoundError: No module named 'environ'.",
};

describe('client: mode status', () => {
  it('names a Django mode failure in one line, without repeating "Static mode"', () => {
    assert.equal(
      djangoModeFailure(failedRun, 'auto', true),
      "running the settings failed: ModuleNotFoundError: No module named 'environ'.",
    );
    assert.equal(describeMode(failedRun.mode, failedRun.modeReason), failedRun.modeReason, 'the mode is named once');
    assert.equal(describeMode('django', 'Ran Django 4.2.1 with /usr/bin/python3.'), 'Django mode: Ran Django 4.2.1 with /usr/bin/python3.');
  });

  it('is no failure when static mode is what was asked for, the workspace is untrusted, or the first reading still refines', () => {
    assert.equal(djangoModeFailure({ mode: 'static', modeReason: 'Static mode was requested.' }, 'static', true), undefined);
    assert.equal(djangoModeFailure({ mode: 'static', modeReason: 'Static mode: the workspace is not trusted.' }, 'auto', false), undefined);
    assert.equal(djangoModeFailure({ ...failedRun, refining: true }, 'auto', true), undefined);
    assert.equal(djangoModeFailure({ mode: 'django', modeReason: 'Ran Django.' }, 'auto', true), undefined);
  });
});

describe('text (shared words)', () => {
  it('keeps project text literal in Markdown', () => {
    assert.equal(escapeMarkdown('STATICFILES_DIRS[0] in __init__.py'), 'STATICFILES\\_DIRS\\[0\\] in \\_\\_init\\_\\_.py');
    assert.deepEqual(['# a', '1. b', 'app (x)'].map(escapeMarkdown), ['\\# a', '1\\. b', 'app (x)']);
    assert.equal(markdownCode('/srv/a b'), '`/srv/a b`');
    assert.equal(markdownCode('a`b'), '`` a`b ``');
    assert.deepEqual([plural(1, 'line'), plural(2, 'line'), plural(0, 'project')], ['1 line', '2 lines', '0 projects']);
  });
});
