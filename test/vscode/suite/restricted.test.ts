// Restricted Mode (untrusted workspace): nothing from the workspace is executed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CollectResult } from '../../../client/src/collect';
import { activateAndLearn, openDoc, positionAfter, labelOf, waitFor, wsPath } from './helpers';

describe('Restricted Mode (untrusted workspace)', () => {
  before(async function () {
    this.timeout(90000);
    assert.equal(vscode.workspace.isTrusted, false, 'this suite needs an untrusted workspace');
  });

  it('learns the project in static mode, without running Python', async () => {
    const { projects } = await activateAndLearn();
    assert.equal(projects[0].mode, 'static', projects[0].modeReason);
  });

  it('still completes static paths (read without executing settings)', async () => {
    fs.writeFileSync(wsPath('templates', 'restricted.html'), '{% load static %}\n<script src="{% static \'js/\' %}"></script>\n');
    const doc = await openDoc('templates', 'restricted.html');
    const position = positionAfter(doc, "{% static 'js/");
    const list = await waitFor(async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
      return result.items.length ? result : undefined;
    }, 'completions in Restricted Mode');
    assert.ok(
      list.items.some((i) => labelOf(i).endsWith('app.js')),
      list.items.map(labelOf).join(', '),
    );
  });

  it('explains why Collect and Clear and Collect are unavailable, and runs nothing', async () => {
    for (const command of ['djangoStatic.collectStatic', 'djangoStatic.clearAndCollect']) {
      const result = await vscode.commands.executeCommand<CollectResult>(command, { confirm: true });
      assert.equal(result.status, 'untrusted', result.message);
      assert.match(result.message, /Restricted Mode/);
    }
    assert.equal(fs.existsSync(wsPath('collected_static')), false, 'collectstatic must not have run');
  });
});
