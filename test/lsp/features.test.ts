import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentLink,
  Hover,
  Location,
  MarkupContent,
  CancellationTokenSource,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { FolderListing, Methods, ProjectSummary, SearchFilesResult, StaticFileItem } from '../../server/src/protocol';
import { copyDemo, ensureBuilt, fileUri, LspClient, positionOf, removeCopy } from './lspClient';
import { URI } from 'vscode-uri';

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function itemsOf(result: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

describe('language server over stdio: features on a copy of examples/demo', function () {
  this.timeout(60000);
  let root: string;
  let client: LspClient;
  let projects: ProjectSummary[];

  before(async function () {
    this.timeout(180000);
    ensureBuilt();
    root = copyDemo();
    client = await LspClient.start({ root });
    projects = await client.waitForProjects();
  });

  after(async () => {
    await client?.stop();
    if (root) removeCopy(root);
  });

  it('advertises the features and the completion trigger characters', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual((caps.completionProvider?.triggerCharacters ?? []).sort(), ['"', '%', "'", '/'].sort());
    assert.ok(caps.definitionProvider && caps.hoverProvider && caps.documentLinkProvider && caps.codeActionProvider);
  });

  it('learns the project in Django mode and reports finders, counts and the shadowed duplicate', async () => {
    assert.equal(projects.length, 1);
    const [summary] = projects;
    assert.equal(summary.projectDir, root);
    assert.equal(summary.mode, 'django', summary.modeReason);
    assert.equal(summary.staticUrl, '/static/');
    assert.ok(summary.fileCount >= 8, `fileCount ${summary.fileCount}`);
    assert.equal(summary.duplicateCount, 1);
    const report = summary.reportMarkdown;
    assert.match(report, /FileSystemFinder/);
    assert.ok(report.indexOf('FileSystemFinder') < report.indexOf('AppDirectoriesFinder'), 'finders in order');
    assert.match(report, /`css\/site\.css`: \*\*winner\*\* `[^`]*assets\/css\/site\.css`/);
    assert.match(report, /shadowed: `[^`]*legacy\/static\/css\/site\.css`/);
    // The layout findings.
    assert.match(report, /## Project findings\n\n- `static-not-namespaced` `[^`]*legacy\/static\/css`: /);
    // Those that need every reference come from the workspace check (see referenceFindings.test.ts): pending here or done.
    assert.match(report, /`static-unreferenced`\): pending|`static-unreferenced` `vendor\/fonts\/inter\.woff2`/);
    // One product name, the mode named once, what collectstatic copies counted apart from what findstatic finds.
    assert.match(report, /^# Django Static Files: /);
    assert.match(report, /- \*\*Mode:\*\* Django mode: Ran Django /);
    assert.ok(
      summary.collectedCount !== undefined && summary.collectedCount < summary.fileCount,
      `${summary.collectedCount} of ${summary.fileCount}`,
    );
    const again = await client.request<ProjectSummary[]>(Methods.projects, {});
    assert.deepEqual(
      again.map((p) => p.projectDir),
      [root],
    );
  });

  it('publishes diagnostics for every template of the workspace without opening them, with progress', async () => {
    const noLoad = await client.waitForDiagnostics(path.join(root, 'templates/no_load.html'), 'missing-load', (d) =>
      codes(d).includes('missing-load'),
    );
    assert.equal(noLoad[0].source, 'django-static');
    const broken = await client.waitForDiagnostics(path.join(root, 'templates/broken.html'), 'missing-file', (d) =>
      codes(d).includes('missing-file'),
    );
    assert.deepEqual(codes(broken), ['hardcoded-url', 'leading-slash', 'missing-file']);
    const missing = broken.find((d) => d.code === 'missing-file')!;
    assert.match(String(missing.message), /css\/sites\.css/);
    assert.match(String(missing.message), /css\/site\.css/);
    assert.ok(client.progressTokens.length > 0, 'server created work-done progress');
    const kinds = (): string[] => client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    await client.waitFor('progress to end', () => (kinds().includes('end') ? true : undefined));
    assert.equal(kinds()[0], 'begin');
  });

  it('completes folders and files inside {% static %}', async () => {
    const base = path.join(root, 'templates/base.html');
    client.open(base);
    const position = positionOf(base, "{% static 'css/site.css'", "{% static 'css/".length);
    const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: fileUri(base) },
      position,
    });
    const labels = itemsOf(result).map((i) => i.label);
    assert.ok(labels.includes('site.css'), labels.join(', '));
    assert.ok(labels.includes('print.css'), labels.join(', '));
    // Source, size and shadowed copies come with completionItem/resolve, not in the list.
    const site = itemsOf(result).find((i) => i.label === 'site.css')!;
    assert.equal(site.documentation, undefined);
    // This client announces no completionList.itemDefaults: every item carries its own edit.
    assert.equal((result as CompletionList).itemDefaults, undefined);
    assert.equal((site.textEdit as { newText: string } | undefined)?.newText, 'site.css');
    const resolved = await client.request<CompletionItem>('completionItem/resolve', site);
    assert.match(resolved.detail ?? '', /B$/);
    assert.match((resolved.documentation as { value: string }).value, /Shadowed copies/);
    const top = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "{% static 'css/site.css'", "{% static '".length),
    });
    const topLabels = itemsOf(top).map((i) => i.label.replace(/\/$/, ''));
    for (const folder of ['css', 'js', 'img', 'vendor', 'blog', 'shop'])
      assert.ok(topLabels.includes(folder), `${folder} in ${topLabels.join(', ')}`);
  });

  it('goes to the winning file first, then the shadowed one', async () => {
    const base = path.join(root, 'templates/base.html');
    const result = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'css/site.css'", 3),
    });
    assert.deepEqual(
      result.map((l) => l.uri),
      [fileUri(path.join(root, 'assets/css/site.css')), fileUri(path.join(root, 'legacy/static/css/site.css'))],
    );
  });

  it('finds every template that uses a static file, the file itself first when asked', async () => {
    assert.ok(client.initializeResult.capabilities.referencesProvider);
    const base = path.join(root, 'templates/base.html');
    const broken = path.join(root, 'templates/broken.html');
    client.open(base);
    // broken.html stays closed: its reference ('/js/app.js') is found through the workspace check.
    await client.waitForDiagnostics(broken, 'checked', () => true);
    const request = (includeDeclaration: boolean) =>
      client.request<Location[]>('textDocument/references', {
        textDocument: { uri: fileUri(base) },
        position: positionOf(base, "'js/app.js'", 4),
        context: { includeDeclaration },
      });
    const where = (locations: Location[]) => locations.map((l) => `${path.relative(root, URI.parse(l.uri).fsPath)}:${l.range.start.line}`);
    assert.deepEqual(where(await request(false)), ['templates/base.html:13', 'templates/broken.html:6']);
    assert.deepEqual(where(await request(true)), ['assets/js/app.js:0', 'templates/base.html:13', 'templates/broken.html:6']);
    // A document just opened counts at once, before its first (debounced) check has run.
    const fresh = path.join(root, 'templates/fresh.html');
    client.open(fresh, 'django-html', '{% load static %}\n<script src="{% static \'js/app.js\' %}"></script>\n');
    assert.ok(where(await request(false)).includes('templates/fresh.html:1'));
    client.close(fresh);
    const outside = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: fileUri(base) },
      position: { line: 0, character: 0 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(outside, []);
  });

  it('hovers with the resolved file and URL', async () => {
    const base = path.join(root, 'templates/base.html');
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: fileUri(base) },
      position: positionOf(base, "'img/logo.svg'", 3),
    });
    assert.ok(hover, 'a hover');
    const text =
      typeof hover.contents === 'string' ? hover.contents : ((hover.contents as MarkupContent).value ?? JSON.stringify(hover.contents));
    assert.match(text, /assets\/img\/logo\.svg/);
    assert.match(text, /\/static\/img\/logo\.svg/);
  });

  it('links every static path to its winning file', async () => {
    const base = path.join(root, 'templates/base.html');
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: fileUri(base) } });
    const targets = links.map((l) => l.target);
    assert.ok(targets.includes(fileUri(path.join(root, 'assets/css/site.css'))), targets.join('\n'));
    assert.ok(targets.includes(fileUri(path.join(root, 'vendor/htmx/htmx.min.js'))), targets.join('\n'));
    assert.ok(targets.includes(fileUri(path.join(root, 'assets/js/app.js'))), targets.join('\n'));
  });

  it('offers quick fixes: the did-you-mean path and removing the leading slash', async () => {
    const broken = path.join(root, 'templates/broken.html');
    client.open(broken);
    const diagnostics = await client.waitForDiagnostics(broken, 'after open', (d) => codes(d).includes('missing-file'));
    const missing = diagnostics.find((d) => d.code === 'missing-file')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: fileUri(broken) },
      range: missing.range,
      context: { diagnostics: [missing], only: ['quickfix'] },
    });
    const edits = actions.flatMap((a) => a.edit?.changes?.[fileUri(broken)] ?? []);
    assert.ok(
      edits.some((e) => e.newText === 'css/site.css'),
      JSON.stringify(actions),
    );
    assert.ok(actions.every((a) => a.kind === 'quickfix'));

    const slash = diagnostics.find((d) => d.code === 'leading-slash')!;
    const slashActions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: fileUri(broken) },
      range: slash.range,
      context: { diagnostics: [slash] },
    });
    const slashEdits = slashActions.flatMap((a) => a.edit?.changes?.[fileUri(broken)] ?? []);
    assert.ok(
      slashEdits.some((e) => e.newText === 'js/app.js' || e.newText === ''),
      JSON.stringify(slashActions),
    );
  });

  it('re-validates an open document as it is edited', async () => {
    const broken = path.join(root, 'templates/broken.html');
    const fixed = fs.readFileSync(broken, 'utf8').replace("'css/sites.css'", "'css/site.css'");
    client.change(broken, 2, fixed);
    await client.waitForDiagnostics(broken, 'missing-file gone after the edit', (d) => !codes(d).includes('missing-file'));
    client.change(broken, 3, fs.readFileSync(broken, 'utf8'));
    await client.waitForDiagnostics(broken, 'missing-file back', (d) => codes(d).includes('missing-file'));
  });

  it('lists static files with their winners and selects a project', async () => {
    const files = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: root });
    const site = files.find((f) => f.path === 'css/site.css');
    assert.ok(site, 'css/site.css listed');
    assert.equal(site.absPath, path.join(root, 'assets/css/site.css'));
    assert.equal(site.shadowed, 1);
    assert.ok(files.some((f) => f.path === 'vendor/htmx/htmx.min.js'));
    assert.ok(!files.some((f) => f.path.endsWith('~')), 'ignored files are not collected');
    const shadowed = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: root, shadowedOnly: true });
    assert.deepEqual(shadowed, [site], "Collect's duplicate report asks for the shadowing paths only");
    assert.equal(await client.request<boolean>(Methods.selectProject, { managePy: path.join(root, 'manage.py') }), true);
    assert.equal(await client.request<boolean>(Methods.selectProject, { managePy: '/nowhere/manage.py' }), false);
  });

  it('lists the Static Files view a folder at a time, with findings on the folders above a missing path, under each filter', async () => {
    const broken = path.join(root, 'templates/broken.html');
    client.open(broken);
    await client.waitForDiagnostics(broken, 'missing-file', (d) => codes(d).includes('missing-file'));
    const top = await client.request<FolderListing>(Methods.listFolder, { projectDir: root, folder: '' });
    const names = top.folders.map((f) => f.name);
    for (const name of ['blog', 'css', 'img', 'js', 'shop', 'vendor']) assert.ok(names.includes(name), names.join(' '));
    assert.equal(top.folder.shadowingCount, 1);
    assert.equal(top.folder.fileCount, projects[0].collectedCount);
    const css = await client.request<FolderListing>(Methods.listFolder, { projectDir: root, folder: 'css' });
    assert.ok(css.folder.findings.errors >= 1, `css/ counts the missing css/sites.css: ${JSON.stringify(css.folder.findings)}`);
    const site = css.files.find((f) => f.name === 'site.css');
    assert.deepEqual(site && [site.absPath, site.shadowed, site.source], [path.join(root, 'assets/css/site.css'), 1, 'assets/']);
    const problems = await client.request<FolderListing>(Methods.listFolder, {
      projectDir: root,
      folder: 'css',
      filter: { kind: 'problems' },
    });
    assert.ok(problems.files.some((f) => f.name === 'site.css') && !problems.files.some((f) => f.name === 'print.css'));
    const absPaths = [path.join(root, 'assets/img/logo.svg'), path.join(root, 'legacy/static/css/site.css')];
    const references = await client.request<FolderListing>(Methods.listFolder, {
      projectDir: root,
      folder: '',
      filter: { kind: 'references', absPaths },
    });
    assert.deepEqual(references.shownPaths, ['img/logo.svg'], 'the shadowed legacy copy is collected from nowhere');
    assert.deepEqual(
      references.folders.map((f) => f.name),
      ['img'],
    );
    assert.equal(await client.request(Methods.listFolder, { projectDir: '/nowhere', folder: '' }), null);
    assert.equal((await client.request<FolderListing>(Methods.listFolder, { projectDir: root, folder: 42 })).folder.path, '', 'garbage');
  });

  it('searches the collected files as the user types, each query cancelling the last', async () => {
    const typed = ['s', 'si', 'sit', 'site', 'site.', 'site.c', 'site.css'];
    const sources = typed.map(() => new CancellationTokenSource());
    const answers = typed.map((query, i) => {
      sources[i - 1]?.cancel();
      return client.connection.sendRequest(
        Methods.searchFiles.method,
        { projectDir: root, query },
        sources[i].token,
      ) as Promise<SearchFilesResult>;
    });
    const settled = await Promise.allSettled(answers);
    const last = settled.at(-1)!;
    assert.equal(last.status, 'fulfilled');
    const found = (last as PromiseFulfilledResult<SearchFilesResult>).value;
    assert.deepEqual(
      found.items.map((i) => i.path),
      ['css/site.css'],
    );
    assert.equal(found.items[0].shadowed, 1);
    const empty = await client.request<SearchFilesResult>(Methods.searchFiles, { projectDir: root, query: '', limit: 3 });
    assert.equal(empty.items.length, 3);
    assert.equal(empty.matchCount, projects[0].collectedCount);
    assert.ok(!empty.items.some((i) => i.path.startsWith('admin/')), "the project's own files first");
    const path_ = await client.request<SearchFilesResult>(Methods.searchFiles, { projectDir: root, query: 'htmx/' });
    assert.deepEqual(
      path_.items.map((i) => i.path),
      ['vendor/htmx/htmx.min.js'],
    );
  });

  it('follows a static file coming and going in the view, its search and the announced counts', async () => {
    const added = path.join(root, 'assets/css/added-by-test.css');
    const listed = async () => {
      const css = await client.request<FolderListing>(Methods.listFolder, { projectDir: root, folder: 'css' });
      const top = await client.request<FolderListing>(Methods.listFolder, { projectDir: root, folder: '' });
      return { has: css.files.some((f) => f.name === 'added-by-test.css'), count: top.folder.fileCount };
    };
    /** The listing (asked again every 50 ms) and then the announced counts, once the change is in. */
    const followed = async (has: boolean, count: number) => {
      const deadline = Date.now() + 20000;
      let now = await listed();
      while (now.has !== has && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        now = await listed();
      }
      assert.deepEqual(now, { has, count });
      await client.waitFor('the summary to count it', () =>
        client.projectsChanged.at(-1)?.[0]?.collectedCount === count ? true : undefined,
      );
    };
    const start = await listed();
    assert.equal(start.has, false);
    fs.writeFileSync(added, 'a{}');
    client.sendWatchedFile(added, FileChangeType.Created);
    await followed(true, start.count + 1);
    const found = await client.request<SearchFilesResult>(Methods.searchFiles, { projectDir: root, query: 'added-by-test' });
    assert.deepEqual(
      found.items.map((i) => i.path),
      ['css/added-by-test.css'],
    );
    fs.rmSync(added);
    client.sendWatchedFile(added, FileChangeType.Deleted);
    await followed(false, start.count);
  });

  it('answers neutrally for a document that is not a template and for garbage positions', async () => {
    const readme = path.join(root, 'README.txt');
    client.open(readme, 'plaintext', 'just text');
    const result = await client.request<CompletionList | null>('textDocument/completion', {
      textDocument: { uri: fileUri(readme) },
      position: { line: 0, character: 2 },
    });
    assert.equal(itemsOf(result).length, 0);
    const base = path.join(root, 'templates/base.html');
    const far = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: fileUri(base) },
      position: { line: 9999, character: 9999 },
    });
    assert.deepEqual(far, []);
  });

  it('reindexes on request and announces the projects again', async () => {
    const seen = client.projectsChanged.length;
    const summaries = await client.request<ProjectSummary[]>(Methods.reindex, {});
    assert.equal(summaries.length, 1);
    await client.waitForProjects(seen);
  });
});
