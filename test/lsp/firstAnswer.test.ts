import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  Location,
  MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { copyDemo, ensureBuilt, fileUri, labels, LspClient, positionOf, removeCopy } from './lspClient';
import { djangoProject, ONE_SOURCE_SETTINGS, write } from './projectFixtures';

function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  return typeof hover.contents === 'string' ? hover.contents : ((hover.contents as MarkupContent).value ?? JSON.stringify(hover.contents));
}

/** Completion, definition and hover on base.html, all sent at once, as an editor does on opening a file. */
async function askEverything(client: LspClient, root: string): Promise<{ items: string[]; definition: string[]; hover: string }> {
  const base = path.join(root, 'templates/base.html');
  client.open(base);
  const uri = fileUri(base);
  const [completion, definition, hover] = await Promise.all([
    client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(base, "{% static 'css/site.css'", "{% static 'css/".length),
    }),
    client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(base, "'css/site.css'", 3) }),
    client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(base, "'img/logo.svg'", 3) }),
  ]);
  return { items: labels(completion), definition: definition.map((l) => l.uri), hover: hoverText(hover) };
}

describe('language server over stdio: the first answer, asked right after initialized', function () {
  this.timeout(60000);
  const cleanup: (() => Promise<void> | void)[] = [];

  before(() => ensureBuilt());
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(root: string, configuration?: Parameters<typeof LspClient.start>[0]['configuration']): Promise<LspClient> {
    const client = await LspClient.start({ root, configuration });
    cleanup.push(() => client.stop());
    return client;
  }

  function tempFolder(prefix: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    return root;
  }

  function demo(): string {
    const root = copyDemo();
    cleanup.push(() => removeCopy(root));
    return root;
  }

  for (const mode of ['auto', 'static', 'django'] as const) {
    it(`answers completion, definition and hover right in ${mode} mode, not empty while learning`, async () => {
      const root = demo();
      const client = await start(root, { mode });
      const answer = await askEverything(client, root);
      assert.ok(answer.items.includes('site.css'), `completion: ${answer.items.join(', ')}`);
      assert.deepEqual(answer.definition.slice(0, 2), [
        fileUri(path.join(root, 'assets/css/site.css')),
        fileUri(path.join(root, 'legacy/static/css/site.css')),
      ]);
      assert.match(answer.hover, /assets\/img\/logo\.svg/);
      const from = await client.waitFor('the log of which reading answered', () =>
        client.logs.find((l) => /Answering requests about/.test(l)),
      );
      if (mode === 'django') {
        assert.match(from, /from django mode/);
        // An explicit Django mode never shows the static reading, not even for a moment.
        await client.waitForProjects();
        assert.ok(client.projectsChanged.every((projects) => projects.every((p) => p.mode === 'django' && !p.refining)));
      } else {
        assert.match(from, /static reading without Python \(preview/);
        const projects = await client.waitForProjects();
        // It answered once indexed, before its template folders were listed (the end of the static reading).
        const read = client.logs.findIndex((l) => /statically in \d+ ms \(settings \d+ ms, indexed at/.test(l));
        assert.ok(read >= 0 && client.logs.indexOf(from) < read, client.logs.join('\n'));
        assert.equal(projects[0].mode, mode === 'auto' ? 'django' : 'static', 'the full reading replaced the first one');
        assert.equal(client.projectsChanged[0][0].refining, true, 'the static reading was announced first');
      }
    });
  }

  // Its walk lasts long enough to be seen: the answers come from the disk, the diagnostics once it has ended.
  it('answers from the disk before the walk has ended, and publishes nothing missing until it has', async () => {
    const root = tempFolder('ds-walking-');
    const page = bigFirstSource(root);
    const client = await start(root, { mode: 'static' });
    client.open(page);
    const uri = fileUri(page);
    const at = (needle: string, offset: number) => ({ textDocument: { uri }, position: positionOf(page, needle, offset) });
    const [completion, definition, hover] = await Promise.all([
      client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', at("'big/g0/f1.js'", "'big/g0/".length)),
      client.request<Location[]>('textDocument/definition', at("'css/site.css'", 3)),
      client.request<Hover | null>('textDocument/hover', at("'big/g0/f1.js'", 3)),
    ]);
    // What the server had said when the answers came (its log and the responses share one stream, in order).
    const logsThen = [...client.logs];
    const publishedThen = client.published.filter((p) => p.uri === uri && p.diagnostics.length > 0).length;
    const announcedThen = client.projectsChanged.length;

    assert.ok(labels(completion).includes('f1.js'), labels(completion).slice(0, 10).join(', '));
    assert.equal(labels(completion).length, FILES_PER_FOLDER, 'the folder listed whole, from the disk');
    assert.deepEqual(
      definition.map((l) => l.uri),
      [fileUri(path.join(root, 'more/css/site.css')), fileUri(path.join(root, 'shop/static/css/site.css'))],
      'the winner first, then the shadowed copy, in finder order',
    );
    assert.match(hoverText(hover), /assets\/big\/g0\/f1\.js/);
    const answering = logsThen.find((l) => /Answering requests about/.test(l));
    assert.match(answering ?? logsThen.join('\n'), /still being walked/);
    assert.equal(publishedThen, 0, 'no diagnostic before the walk has ended');
    assert.equal(announcedThen, 0, 'the project is announced once indexed');

    // Once walked, the missing file is said to be missing.
    const missing = (d: { code?: unknown; message: unknown }[]) => d.filter((x) => x.code === 'missing-file').map((x) => String(x.message));
    const diagnostics = await client.waitForDiagnostics(page, 'css/nope.css missing', (d) => missing(d).length > 0);
    assert.deepEqual(
      missing(diagnostics).map((m) => m.match(/'[^']+'/)?.[0]),
      ["'css/nope.css'"],
    );
    const walked = await client.waitFor('the static reading', () => client.logs.find((l) => /statically in \d+ ms/.test(l)));
    assert.match(walked, new RegExp(`${FOLDERS * FILES_PER_FOLDER + 1} static paths`));
  });

  // The registration waits for the first answer (its id loads node's crypto); nothing set meanwhile is lost.
  it('registers for settings changes once it has answered, and applies a change made before that', async () => {
    const root = demo();
    const configuration: Parameters<typeof LspClient.start>[0]['configuration'] = { mode: 'static' };
    const client = await LspClient.start({ root, configuration, dynamicConfiguration: true });
    cleanup.push(() => client.stop());
    await client.waitFor('the first pull of the settings', () => (client.configurationRequests > 0 ? true : undefined));
    // Changed in the editor before the server asked to hear of changes: no notification will say so.
    configuration.mode = 'django';
    const answer = await askEverything(client, root);
    assert.ok(answer.items.includes('site.css'), `completion: ${answer.items.join(', ')}`);
    const registration = await client.waitFor('the registration for settings changes', () =>
      client.registrations.find((r) => r.method === 'workspace/didChangeConfiguration'),
    );
    assert.deepEqual(registration.registerOptions, { section: 'djangoStatic' });
    const projects = await client.waitFor('a reading in Django mode', () => {
      const last = client.projectsChanged.at(-1);
      return last?.[0]?.mode === 'django' && !last[0].refining ? last : undefined;
    });
    assert.equal(projects.length, 1);
    assert.ok(client.configurationRequests >= 2, 'the settings were pulled again once registered');
  });

  // The first reading reads the build outputs beside its walk: its first diagnostics must already know them.
  it('says a missing file is not built yet in the first diagnostics of the static reading', async () => {
    const root = tempFolder('ds-built-');
    djangoProject(root, ONE_SOURCE_SETTINGS);
    write(root, 'assets/css/site.css', 'body {}\n');
    write(root, 'package.json', JSON.stringify({ scripts: { css: 'tailwindcss -i src/in.css -o assets/css/output.css' } }));
    const page = write(root, 'templates/page.html', '{% load static %}<link href="{% static \'css/output.css\' %}">\n');
    const client = await start(root, { mode: 'auto' });
    const uri = fileUri(page);
    // What the server had logged when the first diagnostics came (the probe runs as each message arrives).
    const firstPublish = client.waitFor('the first diagnostics', () => {
      const published = client.published.find((p) => p.uri === uri && p.diagnostics.length > 0);
      return published && { diagnostics: published.diagnostics, logs: [...client.logs] };
    });
    client.open(page);
    const first = await firstPublish;
    assert.ok(!first.logs.some((l) => /replaced the first static one/.test(l)), 'published from the static reading');
    assert.match(
      String(first.diagnostics[0].message),
      /not built yet: it would be assets\/css\/output\.css, which the package\.json script 'css' writes/,
    );
    // Django mode's reading follows, and says the same.
    await client.waitFor('the Django reading', () =>
      client.logs.find((l) => /Django mode's reading of .* replaced the first static one/.test(l)),
    );
    assert.match(String(client.diagnostics.get(uri)?.[0]?.message), /not built yet/);
  });

  it('answers from static mode alone in an untrusted workspace', async () => {
    const root = demo();
    const client = await LspClient.start({ root, initializationOptions: { trusted: false } });
    cleanup.push(() => client.stop());
    const answer = await askEverything(client, root);
    assert.ok(answer.items.includes('site.css'));
    const projects = await client.waitForProjects();
    assert.equal(projects[0].mode, 'static');
    assert.ok(client.projectsChanged.every((list) => list.every((p) => !p.refining)));
  });

  it('returns a cancelled waiting request at once, and answers the others once learned', async () => {
    const root = demo();
    // Django mode takes three seconds to import these settings; the request waits for it.
    const settings = path.join(root, 'demo', 'settings.py');
    fs.writeFileSync(settings, `import time\ntime.sleep(3)\n${fs.readFileSync(settings, 'utf8')}`);
    const client = await start(root, { mode: 'django' });
    const base = path.join(root, 'templates/base.html');
    client.open(base);
    const params = {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "{% static 'css/site.css'", "{% static 'css/".length),
    };
    const source = new CancellationTokenSource();
    const started = Date.now();
    const cancelled = client.connection.sendRequest('textDocument/completion', params, source.token).then(
      (r) => ({ at: Date.now(), items: labels(r as CompletionList | null) }),
      () => ({ at: Date.now(), items: [] as string[] }),
    );
    const patient = client.request<CompletionList | null>('textDocument/completion', params);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelledAt = Date.now();
    source.cancel();
    const answer = await cancelled;
    assert.ok(answer.at - cancelledAt < 1000, `the cancelled request took ${answer.at - cancelledAt} ms after the cancellation`);
    assert.deepEqual(answer.items, []);
    const later = labels(await patient);
    assert.ok(Date.now() - started > 2500, 'the other request waited for Django mode');
    assert.ok(later.includes('site.css'), later.join(', '));
  });

  it('republishes what Django mode sees differently from the static reading', async () => {
    const root = tempFolder('ds-refine-');
    djangoProject(root, [
      'from pathlib import Path',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      "SECRET_KEY = 'x'",
      "INSTALLED_APPS = ['django.contrib.staticfiles', 'late']",
      "STATIC_URL = '/static/'",
      "STATICFILES_DIRS = [BASE_DIR / 'assets']",
      "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]",
      '',
    ]);
    // An app that adds a folder to STATICFILES_DIRS when Django starts: only Django mode can see it.
    write(root, 'late/__init__.py', '');
    write(
      root,
      'late/apps.py',
      [
        'from django.apps import AppConfig',
        'from django.conf import settings',
        'class LateConfig(AppConfig):',
        "    name = 'late'",
        '    def ready(self):',
        "        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(settings.BASE_DIR / 'extra')]",
        '',
      ].join('\n'),
    );
    write(root, 'assets/css/site.css', 'body {}\n');
    write(root, 'extra/css/late.css', 'p {}\n');
    const page = write(
      root,
      'templates/page.html',
      '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n<link href="{% static \'css/late.css\' %}">\n',
    );
    const other = write(root, 'templates/other.html', '{% load static %}\n<link href="/static/css/site.css">\n');
    const client = await start(root);
    client.open(page);
    const missing = (d: Diagnostic[]): string[] => d.filter((x) => x.code === 'missing-file').map((x) => String(x.message));
    // The open template shows the static reading first (it read every setting), then Django mode's answer fixes it.
    await client.waitForDiagnostics(page, 'css/late.css missing in the static reading', (d) =>
      missing(d).some((m) => m.includes('css/late.css')),
    );
    await client.waitForDiagnostics(other, 'a hard-coded URL', (d) => d.some((x) => x.code === 'hardcoded-url'));
    await client.waitForDiagnostics(page, "Django mode's answer", (d) => missing(d).length === 0);
    const projects = await client.waitForProjects();
    assert.equal(projects[0].mode, 'django');
    assert.ok(
      client.logs.some((l) => /Static mode missed a source Django mode sees in .*extra/.test(l)),
      client.logs.join('\n'),
    );
    // The closed templates are checked once, from the final reading: other.html was published once.
    assert.equal(client.publishCounts.get(fileUri(other)), 1, client.logs.join('\n'));
  });
});

describe('language server over stdio: a static reading that may miss sources', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes no missing file from it, and answers from Django mode', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-held-'));
    write(root, 'proj/paths.py', "from pathlib import Path\nASSETS = Path(__file__).resolve().parent.parent / 'assets'\n");
    djangoProject(root, [
      'import importlib',
      "SECRET_KEY = 'x'",
      "INSTALLED_APPS = ['django.contrib.staticfiles']",
      "STATIC_URL = '/static/'",
      '# Static mode cannot run this: it reads the setting as unknown, so its reading may miss files.',
      "STATICFILES_DIRS = [importlib.import_module('proj.paths').ASSETS]",
      "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [__import__('os').path.dirname(__file__) + '/../templates']}]",
      '',
    ]);
    write(root, 'assets/css/site.css', 'body {}\n');
    const page = write(root, 'templates/page.html', '{% load static %}\n<link href="{% static \'css/site.css\' %}">\n');
    client = await LspClient.start({ root });
    client.open(page);
    const uri = fileUri(page);
    const definition = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(page, "'css/site.css'", 3),
    });
    assert.deepEqual(
      definition.map((l) => l.uri),
      [fileUri(path.join(root, 'assets/css/site.css'))],
    );
    const projects = await client.waitForProjects();
    assert.equal(projects[0].mode, 'django');
    await client.waitFor('the final reading to be checked', () => client!.logs.find((l) => /Checked \d+ templates/.test(l)));
    const shown = client.published.filter((p) => p.uri === uri).flatMap((p) => p.diagnostics);
    assert.deepEqual(
      shown.filter((d) => d.code === 'missing-file'),
      [],
      'no missing file from the static reading',
    );
    assert.ok(
      client.logs.some((l) => /not answering from it, since it may miss sources/.test(l)),
      client.logs.join('\n'),
    );
  });
});

/** Files in the first source: its walk lasts long enough to be seen, its writing a second or two. */
const FOLDERS = 48;
const FILES_PER_FOLDER = 250;

/** A project whose first source holds FOLDERS × FILES_PER_FOLDER files; returns its template. */
function bigFirstSource(root: string): string {
  djangoProject(root, [
    'from pathlib import Path',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    "INSTALLED_APPS = ['django.contrib.staticfiles', 'shop']",
    "STATIC_URL = '/static/'",
    "STATICFILES_DIRS = [BASE_DIR / 'assets', BASE_DIR / 'more']",
    "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates'], 'APP_DIRS': True}]",
    '',
  ]);
  write(root, 'shop/__init__.py', '');
  write(root, 'shop/static/css/site.css', 'shadowed {}\n');
  write(root, 'more/css/site.css', 'wins {}\n');
  for (let f = 0; f < FOLDERS; f++) {
    const dir = path.join(root, 'assets/big', `g${f}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < FILES_PER_FOLDER; i++) fs.writeFileSync(path.join(dir, `f${i}.js`), '');
  }
  return write(
    root,
    'templates/page.html',
    [
      '{% load static %}',
      '<link href="{% static \'css/site.css\' %}">',
      '<script src="{% static \'big/g0/f1.js\' %}"></script>',
      '<link href="{% static \'css/nope.css\' %}">',
      '',
    ].join('\n'),
  );
}
