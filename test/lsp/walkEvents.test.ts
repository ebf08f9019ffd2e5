import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionItem, CompletionList, Diagnostic, FileChangeType } from 'vscode-languageserver-protocol/node';
import { ensureBuilt, fileUri, labels, LspClient, positionOf } from './lspClient';
import { djangoProject, ONE_SOURCE_SETTINGS, write } from './projectFixtures';

/** Folders in the static source: held at 20 ms each (see slowWalk.ts), its walk lasts seconds. */
const FOLDERS = 400;

const PAGE = [
  '{% load static %}',
  ...['new.css', 'gone.css', 'brief.css', 'fresh/x.css', 'old/y.css', 'kept.css'].map((p) => `<link href="{% static '${p}' %}">`),
  '<link href="{% static \'\' %}">',
  '',
].join('\n');

describe('language server over stdio: file events during the first walk', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('ends with the index the disk holds: files created during the walk found, deleted ones missing', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-walk-events-'));
    const assets = path.join(root, 'assets');
    djangoProject(root, ONE_SOURCE_SETTINGS);
    write(root, 'assets/gone.css', '');
    write(root, 'assets/kept.css', '');
    write(root, 'assets/old/y.css', '');
    for (let f = 0; f < FOLDERS; f++) write(root, `assets/g${f}/f.js`, '');
    const page = write(root, 'templates/page.html', PAGE);
    const hold = path.join(root, 'hold');
    fs.writeFileSync(hold, '');

    client = await LspClient.start({
      root,
      clientWatches: true,
      configuration: { mode: 'static' },
      env: {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'slowWalk.js')}`,
        SLOW_WALK_ROOT: assets,
        SLOW_WALK_HOLD: hold,
      },
    });
    const c = client;
    // The server asks to watch the folders it walks, and the walk has read the source's own folder.
    await c.waitFor('a watcher over assets/ while it is walked', () =>
      c.registrations.find((r) => JSON.stringify(r.registerOptions).includes(fileUri(assets))),
    );
    await c.waitFor('the walk to have read assets/', () => (fs.existsSync(`${hold}.read`) ? true : undefined));

    // As VS Code reports them: created, deleted, a folder with its file, a whole folder gone, a file that comes and goes.
    const events: [string, FileChangeType][] = [];
    write(root, 'assets/new.css', '');
    events.push([path.join(assets, 'new.css'), FileChangeType.Created]);
    fs.rmSync(path.join(assets, 'gone.css'));
    events.push([path.join(assets, 'gone.css'), FileChangeType.Deleted]);
    write(root, 'assets/fresh/x.css', '');
    events.push([path.join(assets, 'fresh'), FileChangeType.Created], [path.join(assets, 'fresh/x.css'), FileChangeType.Created]);
    fs.rmSync(path.join(assets, 'old'), { recursive: true });
    events.push([path.join(assets, 'old'), FileChangeType.Deleted]);
    write(root, 'assets/brief.css', '');
    events.push([path.join(assets, 'brief.css'), FileChangeType.Created]);
    fs.rmSync(path.join(assets, 'brief.css'));
    events.push([path.join(assets, 'brief.css'), FileChangeType.Deleted]);
    c.sendNotification('workspace/didChangeWatchedFiles', { changes: events.map(([file, type]) => ({ uri: fileUri(file), type })) });

    // Answered during the walk, from the disk: the server has had the events by then (one stream, in order).
    c.open(page);
    const uri = fileUri(page);
    const during = await c.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(page, "{% static '' %}", "{% static '".length),
    });
    assert.ok(labels(during).includes('new.css'), labels(during).join(', '));
    assert.equal(
      c.logs.find((l) => /statically in \d+ ms/.test(l)),
      undefined,
      'the walk was still running when the events came',
    );
    fs.rmSync(hold);

    const applied = await c.waitFor('the queued events applied', () => c.logs.find((l) => /file events came while/.test(l)));
    assert.match(applied, new RegExp(`^${events.length} file events came while ${escape(root)}'s static folders were walked`));
    const missing = (d: Diagnostic[]) =>
      d
        .filter((x) => x.code === 'missing-file')
        .map((x) => String(x.message).match(/'([^']+)'/)?.[1])
        .sort();
    const diagnostics = await c.waitForDiagnostics(page, 'the missing files', (d) => missing(d).length > 0);
    assert.deepEqual(missing(diagnostics), ['brief.css', 'gone.css', 'old/y.css']);
    const after = await c.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(page, "{% static '' %}", "{% static '".length),
    });
    const names = labels(after);
    for (const name of ['new.css', 'kept.css', 'fresh/']) assert.ok(names.includes(name), `${name} in ${names.slice(0, 20).join(', ')}`);
    for (const name of ['gone.css', 'brief.css', 'old/'])
      assert.ok(!names.includes(name), `${name} not in ${names.slice(0, 20).join(', ')}`);
    const read = await c.waitFor('the static reading', () => c.logs.find((l) => /statically in \d+ ms/.test(l)));
    assert.match(read, new RegExp(`${FOLDERS + 3} static paths`), 'the index counts what the disk holds');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
