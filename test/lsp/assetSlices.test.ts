/**
 * The CSS/JS replay runs in slices: the real server over stdio, its reads of CSS files held at 20 ms each
 * (slowReplay.ts) so the replay lasts as long as the test needs, which waits on the server's signals only.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionItem, CompletionList, Diagnostic, FileChangeType } from 'vscode-languageserver-protocol/node';
import { CLI, ensureBuilt, fileUri, labels, LspClient, positionOf } from './lspClient';
import { djangoProject, ONE_SOURCE_SETTINGS, write } from './projectFixtures';

/** CSS files besides the broken one: held at 20 ms a read, the replay lasts seconds unless released. */
const CSS_FILES = 200;
const PAGE = '{% load static %}\n<link href="{% static \'\' %}">\n';
/** The log line of a published replay that read the project (one before the project is learned reads none). */
const REPLAYED = /Checked the references of [1-9]\d* CSS\/JS files/;

describe('language server over stdio: the CSS/JS replay in slices', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The project, and the server started on it with its replay held until `hold` goes. */
  async function start(): Promise<{ c: LspClient; page: string; broken: string; hold: string }> {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-asset-slices-'));
    djangoProject(root, [
      ...ONE_SOURCE_SETTINGS,
      "STATIC_ROOT = BASE_DIR / 'collected'",
      "STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'",
      '',
    ]);
    for (let i = 0; i < CSS_FILES; i++) write(root, `assets/css/f${i}.css`, `.a { background: url("../img/i${i % 5}.png"); }\n`);
    for (let k = 0; k < 5; k++) write(root, `assets/img/i${k}.png`, '');
    const broken = write(root, 'assets/css/broken.css', '.b {\n  background: url("../img/gone.png");\n}\n');
    const page = write(root, 'templates/page.html', PAGE);
    const hold = path.join(root, 'hold');
    fs.writeFileSync(hold, '');
    const c = await LspClient.start({
      root,
      clientWatches: true,
      configuration: { mode: 'static' },
      env: {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'slowReplay.js')}`,
        SLOW_REPLAY_ROOT: path.join(root, 'assets'),
        SLOW_REPLAY_HOLD: hold,
      },
    });
    client = c;
    c.open(page);
    await c.waitFor('the replay to have begun', () => (fs.existsSync(`${hold}.read`) ? true : undefined));
    return { c, page, broken, hold };
  }

  const missing = (d: Diagnostic[] | undefined) => (d ?? []).filter((x) => x.code === 'asset-missing');

  it('answers completion while the replay runs, then shows what `django-static check` finds', async () => {
    const { c, page, broken, hold } = await start();
    const started = Date.now();
    const during = await c.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: fileUri(page) },
      position: positionOf(page, "{% static '' %}", "{% static '".length),
    });
    const waited = Date.now() - started;
    assert.deepEqual(labels(during).sort(), ['css/', 'img/']);
    // 200 held reads are 4 s of replay: answered within it, between two of its slices.
    assert.equal(
      c.logs.find((l) => REPLAYED.test(l)),
      undefined,
      `the replay was still running (answered in ${waited} ms)`,
    );
    fs.rmSync(hold);

    await c.waitFor('the replay', () => c.logs.find((l) => REPLAYED.test(l)));
    const shown = missing(c.diagnostics.get(fileUri(broken)));
    const cli = spawnSync(process.execPath, [CLI, 'check', '--root', root, '--mode', 'static', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    const found = (JSON.parse(cli.stdout) as { findings: Array<{ file: string; line: number; code: string; message: string }> }).findings;
    assert.deepEqual(
      shown.map((d) => ({ file: 'assets/css/broken.css', line: d.range.start.line + 1, code: d.code, message: d.message })),
      found.filter((f) => f.code.startsWith('asset-')).map(({ file, line, code, message }) => ({ file, line, code, message })),
    );
    assert.equal(shown.length, 1);
  });

  it('stops a replay a file coming made useless, and never shows what it would have found', async () => {
    const { c, broken, hold } = await start();
    // The missing image comes while the first replay runs: what that replay finds no longer holds.
    write(root, 'assets/img/gone.png', '');
    c.sendWatchedFile(path.join(root, 'assets/img/gone.png'), FileChangeType.Created);
    const stopped = await c.waitFor('the replay stopped', () => c.logs.find((l) => /Stopped checking the CSS and JS/.test(l)));
    assert.match(stopped, /files came or went meanwhile/);
    fs.rmSync(hold);

    await c.waitFor('the next replay', () => c.logs.find((l) => REPLAYED.test(l)));
    assert.equal(c.logs.filter((l) => REPLAYED.test(l)).length, 1, 'one replay published');
    const uri = fileUri(broken);
    assert.deepEqual(
      c.published.filter((p) => p.uri === uri && missing(p.diagnostics).length > 0),
      [],
      'the missing image was never shown',
    );
    // The storage hashes: the image's reference now resolves, and the other files' findings are as before (none).
    assert.deepEqual(
      [...c.diagnostics].filter(([u, d]) => u.endsWith('.css') && d.length > 0),
      [],
    );
  });
});
