// Language features through VS Code's own command API: what a user gets in the editor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateAndLearn, labelOf, openDoc, positionAfter, waitFor, wsPath } from './helpers';

describe('language features in a real VS Code', () => {
  before(async function () {
    this.timeout(90000);
    await activateAndLearn();
  });

  it('completes {% static %} paths with the files Django would find', async () => {
    fs.writeFileSync(wsPath('templates', 'completion.html'), '{% load static %}\n<link rel="stylesheet" href="{% static \'css/\' %}">\n');
    const doc = await openDoc('templates', 'completion.html');
    const position = positionAfter(doc, "{% static 'css/");
    const list = await waitFor(async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
      return result.items.length ? result : undefined;
    }, 'static path completions');
    // Items may be labelled by file name or by full path; what they insert must be the destination path.
    const offered = list.items.map((item) => {
      const label = labelOf(item);
      return label.includes('/') ? label : `css/${label}`;
    });
    assert.ok(offered.includes('css/site.css'), offered.join(', '));
    assert.ok(offered.includes('css/print.css'), offered.join(', '));
    assert.ok(!offered.some((p) => p.includes('legacy')), 'sources must not leak into destination paths');
  });

  it('shows a diagnostic and a quick fix for a path no finder provides', async () => {
    const doc = await openDoc('templates', 'broken.html');
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => doc.getText(d.range).includes('css/sites.css')),
      "a diagnostic on 'css/sites.css'",
    );
    assert.ok(diagnostic.severity <= vscode.DiagnosticSeverity.Warning, `severity ${diagnostic.severity}`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
    );
    const fix = actions.find((a) => a.edit && a.edit.get(doc.uri).some((e) => e.newText.includes('css/site.css')));
    assert.ok(fix, `no quick fix offering css/site.css; got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind?.value.startsWith('quickfix'), true, `kind ${fix.kind?.value}`);
  });

  it('goes to the file collectstatic would copy (the winner, not the shadowed copy)', async () => {
    const doc = await openDoc('templates', 'base.html');
    const position = positionAfter(doc, "{% static 'css/si");
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      position,
    );
    assert.ok(locations.length > 0, 'no definition');
    const first = locations[0];
    const target = 'targetUri' in first ? first.targetUri : first.uri;
    assert.equal(target.fsPath, wsPath('assets', 'css', 'site.css'));
    await vscode.window.showTextDocument(target);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, wsPath('assets', 'css', 'site.css'));
  });
  it('renames a static file from a path, rewriting every template that served it, and back', async () => {
    const base = await openDoc('templates', 'base.html');
    const broken = wsPath('templates', 'broken.html');
    const rename = async (doc: vscode.TextDocument, needle: string, newName: string) => {
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
        'vscode.executeDocumentRenameProvider',
        doc.uri,
        positionAfter(doc, needle),
        newName,
      );
      assert.ok(edit, `no rename edit for ${newName}`);
      const touched = edit
        .entries()
        .map(([uri]) => vscode.workspace.asRelativePath(uri))
        .sort();
      assert.deepEqual(touched, ['templates/base.html', 'templates/broken.html'], 'the templates the rename edits');
      // Applying it moves the file; VS Code then asks the server about that move, which must add nothing twice.
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
      await vscode.workspace.saveAll(false);
    };
    await rename(base, "{% static 'js/ap", 'js/main.js');
    assert.ok(fs.existsSync(wsPath('assets', 'js', 'main.js')) && !fs.existsSync(wsPath('assets', 'js', 'app.js')), 'the file moved');
    assert.match(base.getText(), /\{% static 'js\/main\.js' as app_js %\}/);
    // broken.html is edited where the editor keeps it (a buffer, saved by VS Code's refactoring rules).
    const brokenText = async () => (await vscode.workspace.openTextDocument(broken)).getText();
    assert.match(await brokenText(), /\{% static '\/js\/main\.js' %\}/);
    assert.equal((base.getText().match(/main\.js/g) ?? []).length, 1, 'one edit per path');
    // The server hears of the move from VS Code (didRenameFiles) and finds the file at its new path.
    await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeDefinitionProvider',
        base.uri,
        positionAfter(base, "{% static 'js/ma"),
      );
      return found.length > 0 ? found : undefined;
    }, 'js/main.js to resolve');
    assert.ok(
      !vscode.languages.getDiagnostics(base.uri).some((d) => base.getText(d.range).includes('main.js')),
      'no diagnostic on the renamed path',
    );
    await rename(base, "{% static 'js/ma", 'js/app.js');
    assert.ok(fs.existsSync(wsPath('assets', 'js', 'app.js')), 'renamed back');
    assert.match(await brokenText(), /\{% static '\/js\/app\.js' %\}/);
  });

  it('applies djangoStatic.severity changes without a restart', async () => {
    const doc = await openDoc('templates', 'broken.html');
    const onPath = () => vscode.languages.getDiagnostics(doc.uri).find((d) => doc.getText(d.range).includes('css/sites.css'));
    await waitFor(onPath, 'the missing-file diagnostic');
    const config = vscode.workspace.getConfiguration('djangoStatic');
    await config.update('severity', { 'missing-file': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => !onPath(), "the diagnostic to go with 'missing-file': 'off'");
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const back = await waitFor(onPath, 'the diagnostic to come back');
    assert.equal(back.severity, vscode.DiagnosticSeverity.Error);
  });

  it("keeps HTML's Emmet in django-html (the language templates are offered to switch to)", () => {
    const included = vscode.workspace.getConfiguration('emmet').get<Record<string, string>>('includeLanguages') ?? {};
    assert.equal(included['django-html'], 'html');
  });

  it("keeps HTML's own features in django-html: tags, hover, folding, auto-closing; ours beside them, no fake links", async () => {
    const text = [
      '{% load static %}',
      '{% block content %}',
      '<section>',
      '  <di></di>',
      '  <link rel="stylesheet" href="{% static "css/site.css" %}">',
      '  <img src="{% static \'img/\' %}" alt="{{ title }}">',
      '  <script>var data = {{ data|safe }};</script>',
      '  {% sta',
      '</section>',
      '{% endblock %}',
      '',
    ].join('\n');
    fs.writeFileSync(wsPath('templates', 'html_features.html'), text);
    const doc = await openDoc('templates', 'html_features.html');
    assert.equal(doc.languageId, 'django-html');
    const complete = async (needle: string, want: string) =>
      waitFor(async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          positionAfter(doc, needle),
        );
        const labels = list.items.map(labelOf);
        return labels.includes(want) ? labels : undefined;
      }, `completion ${want} after ${needle}`);
    // The HTML server starts on the first request: wait for its tag completion, then for ours beside it.
    const tags = await complete('  <di', 'div');
    assert.ok(tags.includes('dialog'), tags.slice(0, 20).join(', '));
    const paths = await complete("{% static 'img/", 'logo.svg');
    assert.ok(!paths.includes('div'), 'no HTML tags inside {% static %}');
    const snippet = await complete('  {% sta', "{% static '…' %}");
    assert.ok(!snippet.includes('div'), snippet.join(', '));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionAfter(doc, '<sec'));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /section/i, hoverText);

    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    const spans = folds.map((f) => `${f.start}-${f.end}`);
    assert.ok(spans.includes('1-8'), `{% block %} folds: ${spans.join(', ')}`);
    assert.ok(spans.includes('2-7'), `<section> folds: ${spans.join(', ')}`);

    // HTML would read `{% static ` as the link of href="{% static "css/site.css" %}": only our links are offered.
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    for (const link of links) assert.ok(!doc.getText(link.range).includes('{%'), `a link over ${doc.getText(link.range)}`);
    // The `{{ data|safe }}` in the script is no JavaScript error anywhere, the mirror document included.
    const mirrored = vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme !== 'file' && uri.scheme !== 'untitled');
    assert.deepEqual(
      mirrored.filter(([, d]) => d.length > 0).map(([uri]) => uri.toString()),
      [],
    );

    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document, doc);
    const end = positionAfter(doc, '{% endblock %}');
    await editor.edit((e) => e.insert(end, '\n'));
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '<article>'));
    await waitFor(() => doc.getText().includes('<article></article>'), '</article> inserted after <article>');
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '<p>x</'));
    await waitFor(() => doc.getText().includes('<p>x</p>'), 'p> inserted after </');
    // Gone again, so the later tests see the demo's templates only.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(wsPath('templates', 'html_features.html'));
  });

  it("formats django-html with HTML's formatter, keeping every template construct as it was", async () => {
    const text =
      '{% load static %}\n<div><p>{% if a %}<span>{{ x }}</span>{% endif %}</p>\n<ul>{% for i in l %}<li>{{ i }}</li>{% endfor %}</ul>' +
      '<script>var d = {{ data|safe }};</script></div>\n';
    fs.writeFileSync(wsPath('templates', 'formatted.html'), text);
    const doc = await openDoc('templates', 'formatted.html');
    try {
      const edits = await waitFor(async () => {
        const found = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, {
          tabSize: 2,
          insertSpaces: true,
        });
        return found?.length ? found : undefined;
      }, 'formatting edits');
      const edit = new vscode.WorkspaceEdit();
      edit.set(doc.uri, edits);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const formatted = doc.getText();
      assert.notEqual(formatted, text);
      assert.match(formatted, /\n {2,}<p>/, formatted);
      assert.equal(formatted.replace(/\s+/g, ''), text.replace(/\s+/g, ''), 'only whitespace changed');
      for (const construct of text.match(/\{[%{][^}]*[%}]\}/g) ?? []) assert.ok(formatted.includes(construct), construct);
      assert.ok(formatted.includes('var d = {{ data|safe }};'), 'script code holding template syntax is left as it was');
      const mirrored = vscode.languages.getDiagnostics().filter(([uri, d]) => uri.scheme !== 'file' && d.length > 0);
      assert.deepEqual(
        mirrored.map(([uri]) => uri.toString()),
        [],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(wsPath('templates', 'formatted.html'));
    }
  });

  // Grammar scopes are checked at UI level (Inspect Editor Tokens and Scopes): the web workbench has no
  // token-capture command for the extension host.
});
