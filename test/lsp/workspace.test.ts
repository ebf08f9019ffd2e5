import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionList, Diagnostic, DiagnosticSeverity, Location } from 'vscode-languageserver-protocol/node';
import { Methods, ProjectSummary, StaticFileItem } from '../../server/src/protocol';
import { DEMO, ensureBuilt, fileUri, labels, LspClient, positionOf } from './lspClient';
import * as os from 'node:os';

/** A workspace holding two copies of the demo project, `a` and `b`; `b` has one extra stylesheet. */
function twoProjects(): { workspace: string; a: string; b: string } {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-multi-'));
  const copy = (name: string): string => {
    const target = path.join(workspace, name);
    fs.cpSync(DEMO, target, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('collected_static') });
    return target;
  };
  const a = copy('a');
  const b = copy('b');
  fs.writeFileSync(path.join(b, 'assets/css/only-b.css'), '');
  return { workspace, a, b };
}

describe('language server: several projects and settings', function () {
  this.timeout(60000);
  before(() => ensureBuilt());
  const cleanup: string[] = [];
  const clients: LspClient[] = [];
  after(async () => {
    for (const client of clients) await client.stop();
    for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('learns every manage.py of the workspace and maps each template to its own project', async () => {
    const { workspace, a, b } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({ root: workspace });
    clients.push(client);
    const projects = await client.waitForProjects();
    assert.deepEqual(projects.map((p) => p.projectDir).sort(), [a, b]);

    const baseB = path.join(b, 'templates/base.html');
    client.open(baseB);
    const definition = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: fileUri(baseB) },
      position: positionOf(baseB, "'css/site.css'", 3),
    });
    assert.equal(definition[0]?.uri, fileUri(path.join(b, 'assets/css/site.css')));
    const completionB = await client.request<CompletionList | null>('textDocument/completion', {
      textDocument: { uri: fileUri(baseB) },
      position: positionOf(baseB, "{% static 'css/site.css'", "{% static 'css/".length),
    });
    assert.ok(labels(completionB).includes('only-b.css'));

    const baseA = path.join(a, 'templates/base.html');
    client.open(baseA);
    const completionA = await client.request<CompletionList | null>('textDocument/completion', {
      textDocument: { uri: fileUri(baseA) },
      position: positionOf(baseA, "{% static 'css/site.css'", "{% static 'css/".length),
    });
    assert.ok(!labels(completionA).includes('only-b.css'), 'project a does not see b’s files');

    const filesB = await client.request<StaticFileItem[]>(Methods.listFiles, { projectDir: b });
    assert.ok(filesB.some((f) => f.path === 'css/only-b.css'));
    // Which engine loads a file, for the client's "open templates as Django HTML": none for a non-template.
    assert.equal(await client.request(Methods.templateEngine, { uri: fileUri(baseB) }), 'django');
    assert.equal(await client.request(Methods.templateEngine, { uri: fileUri(path.join(b, 'assets/css/site.css')) }), null);
    // Both projects' templates are checked without being opened.
    await client.waitForDiagnostics(path.join(a, 'templates/no_load.html'), 'a: missing-load', (d) =>
      d.some((x) => x.code === 'missing-load'),
    );
    await client.waitForDiagnostics(path.join(b, 'templates/no_load.html'), 'b: missing-load', (d) =>
      d.some((x) => x.code === 'missing-load'),
    );
  });

  it('follows workspace folders being added', async () => {
    const { workspace, a, b } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({ root: a, folders: [a], workspaceFolderSupport: true });
    clients.push(client);
    const first = await client.waitForProjects();
    assert.deepEqual(
      first.map((p) => p.projectDir),
      [a],
    );
    const seen = client.projectsChanged.length;
    client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(b), name: 'b' }], removed: [] },
    });
    const next = await client.waitForProjects(seen);
    assert.deepEqual(next.map((p) => p.projectDir).sort(), [a, b]);
  });

  const overrides = { severity: { 'hardcoded-url': 'off', 'missing-file': 'warning' } } as const;
  const checkOverrides = (diagnostics: Diagnostic[]): boolean =>
    !diagnostics.some((d) => d.code === 'hardcoded-url') &&
    diagnostics.some((d) => d.code === 'missing-file' && d.severity === DiagnosticSeverity.Warning);

  it("reads each workspace folder's own settings (the folder as scope): severities per project", async () => {
    const { workspace, a, b } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({
      root: a,
      folders: [a, b],
      configuration: {},
      scopedConfiguration: { [b]: { severity: { 'missing-file': 'off' } } },
    });
    clients.push(client);
    await client.waitForProjects();
    await client.waitForDiagnostics(path.join(a, 'templates/broken.html'), 'missing-file as an error in a', (d) =>
      d.some((x) => x.code === 'missing-file' && x.severity === DiagnosticSeverity.Error),
    );
    await client.waitForDiagnostics(
      path.join(b, 'templates/broken.html'),
      'no missing-file in b',
      (d) => d.some((x) => x.code === 'leading-slash') && !d.some((x) => x.code === 'missing-file'),
    );
  });

  it("tells Collect the environment a project is learned with: its .env, then its folder's djangoStatic.env", async () => {
    const { workspace, a, b } = twoProjects();
    cleanup.push(workspace);
    fs.writeFileSync(path.join(b, '.env'), 'FROM_DOTENV=dotenv\nOVERRIDDEN=dotenv\n');
    const client = await LspClient.start({
      root: a,
      folders: [a, b],
      configuration: {},
      scopedConfiguration: { [b]: { env: { OVERRIDDEN: 'setting', FROM_SETTING: 'b' } } },
    });
    clients.push(client);
    await client.waitForProjects();
    const env = await client.request(Methods.projectEnvironment, { projectDir: b });
    assert.deepEqual(env, { FROM_DOTENV: 'dotenv', OVERRIDDEN: 'setting', FROM_SETTING: 'b' });
    assert.deepEqual(await client.request(Methods.projectEnvironment, { projectDir: a }), {});
  });

  it('reads djangoStatic settings through workspace/configuration (severity overrides)', async () => {
    const { workspace, a } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({ root: a, configuration: { ...overrides } });
    clients.push(client);
    await client.waitForProjects();
    await client.waitForDiagnostics(path.join(a, 'templates/broken.html'), 'severity overrides applied', checkOverrides);
  });

  it('reads settings from initializationOptions when the client has no configuration support', async () => {
    const { workspace, a } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({ root: a, initializationOptions: { trusted: true, settings: { ...overrides } } });
    clients.push(client);
    await client.waitForProjects();
    await client.waitForDiagnostics(path.join(a, 'templates/broken.html'), 'severity overrides applied', checkOverrides);
  });

  it('takes djangoStatic.project (the former managePyPath) as the project commands act on', async () => {
    const { workspace, b } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({
      root: workspace,
      configuration: { project: path.relative(workspace, path.join(b, 'manage.py')) },
    });
    clients.push(client);
    await client.waitForProjects();
    const files = await client.request<StaticFileItem[]>(Methods.listFiles, {});
    assert.ok(
      files.some((f) => f.path === 'css/only-b.css'),
      'the selected project is b',
    );
  });

  it('re-learns in the requested mode when the settings change', async () => {
    const { workspace, a } = twoProjects();
    cleanup.push(workspace);
    const client = await LspClient.start({ root: a });
    clients.push(client);
    const first = await client.waitForProjects();
    assert.equal(first[0].mode, 'django');
    const seen = client.projectsChanged.length;
    client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { djangoStatic: { mode: 'static' } } });
    const next: ProjectSummary[] = await client.waitForProjects(seen);
    assert.equal(next[0].mode, 'static');
    assert.match(next[0].modeReason, /requested/i);
  });
});
