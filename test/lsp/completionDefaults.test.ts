import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CompletionItem, CompletionItemKind, CompletionList, Range } from 'vscode-languageserver-protocol/node';
import { copyDemo, ensureBuilt, fileUri, LspClient, positionOf, removeCopy } from './lspClient';

/** The properties vscode-languageclient announces in `completionList.itemDefaults`. */
const VSCODE_ITEM_DEFAULTS = ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'];

describe('language server over stdio: completion with CompletionList.itemDefaults (LSP 3.17)', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  let base: string;

  before(async function () {
    this.timeout(180000);
    ensureBuilt();
    root = copyDemo();
    client = await LspClient.start({ root, completionItemDefaults: VSCODE_ITEM_DEFAULTS });
    await client.waitForProjects();
    base = path.join(root, 'templates/base.html');
    client.open(base);
  });

  after(async () => {
    await client?.stop();
    if (root) removeCopy(root);
  });

  function complete(needle: string, offset: number): Promise<CompletionList> {
    return client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, needle, offset),
    });
  }

  it('sends the edit range and the folder id once, in itemDefaults, and files as label and kind', async () => {
    const cursor = positionOf(base, "{% static 'css/site.css'", "{% static 'css/".length);
    const list = await complete("{% static 'css/site.css'", "{% static 'css/".length);
    assert.ok(!Array.isArray(list) && list.itemDefaults, 'a CompletionList with itemDefaults');
    const range = list.itemDefaults.editRange as Range;
    assert.deepEqual(range, { start: cursor, end: { line: cursor.line, character: cursor.character + 'site.css'.length } });
    assert.equal(typeof list.itemDefaults.data, 'number');
    assert.ok(list.items.length >= 2, list.items.map((i) => i.label).join(', '));
    for (const item of list.items) {
      assert.equal(item.textEdit, undefined, `${item.label} has no textEdit of its own`);
      assert.equal(item.data, undefined, `${item.label} has no data of its own`);
    }
    assert.deepEqual(
      list.items.find((i) => i.label === 'site.css'),
      { label: 'site.css', kind: CompletionItemKind.File },
    );
  });

  it('still resolves the detail and documentation, with the data the client applies from itemDefaults', async () => {
    const list = await complete("{% static 'css/site.css'", "{% static 'css/".length);
    const site = list.items.find((i) => i.label === 'site.css')!;
    const resolved = await client.request<CompletionItem>('completionItem/resolve', { ...site, data: list.itemDefaults?.data });
    assert.match(resolved.detail ?? '', / · \d+ B$/);
    assert.match((resolved.documentation as { value: string }).value, /Shadowed copies/);
  });

  it('inserts a folder without its slash before an existing one, through textEditText', async () => {
    const list = await complete("{% static 'css/site.css'", "{% static 'c".length);
    const css = list.items.find((i) => i.label === 'css/');
    assert.ok(css, list.items.map((i) => i.label).join(', '));
    assert.equal(css.textEditText, 'css');
    assert.equal(css.textEdit, undefined);
    const range = list.itemDefaults?.editRange as Range;
    assert.equal(range.end.character - range.start.character, 'css'.length, 'replaces the folder name up to the slash');
  });
});
