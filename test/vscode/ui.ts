/**
 * UI-level checks in code-server's workbench with the installed .vsix: what a user sees. Each check
 * drives the keyboard like a user (quick open, go to line, command palette) and saves a screenshot in
 * test-results/; the README ones are copied to docs/images/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './workspace';

const RESULTS = path.join(REPO_ROOT, 'test-results');
const README_IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const README_SHOTS = [
  'completion.png',
  'quick-fix.png',
  'collect.png',
  'clear-confirm.png',
  'rename-preview.png',
  'static-files-view.png',
  'django-mode-failed.png',
  'template-language.png',
];
const STEP_TIMEOUT_MS = 20000;

type Log = (message: string) => void;

export async function runUiChecks(browser: Browser, url: string, workspace: string, log: Log): Promise<boolean> {
  mkdirSync(RESULTS, { recursive: true });
  // Start from an empty STATIC_ROOT (the extension-host tests may have collected): the collect
  // screenshot then shows a first collection, as a user would see it.
  rmSync(path.join(workspace, 'collected_static'), { recursive: true, force: true });
  const completionLine = `<link rel="stylesheet" href="{% static 'css/' %}">`;
  writeFileSync(path.join(workspace, 'templates', 'completion.html'), `{% load static %}\n${completionLine}\n`);
  // Outside templates/, so it opens as plain HTML: Django syntax comes from the injection grammar.
  const plainLine = `<img src="{% static 'img/logo.svg' %}" alt="">`;
  writeFileSync(path.join(workspace, 'plain.html'), `${plainLine}\n`);
  // The snippet and a tag typed by hand, with each language's auto-closing: django-html (ours) and html.
  writeFileSync(path.join(workspace, 'templates', 'tagged.html'), '{% load static %}\n\n');
  writeFileSync(path.join(workspace, 'handtyped.html'), '{% load static %}\n\n');
  // A template that opens as plain HTML, as in a workspace without files.associations (the longer pattern wins).
  mkdirSync(path.join(workspace, 'templates', 'as_html'), { recursive: true });
  writeFileSync(
    path.join(workspace, 'templates', 'as_html', 'page.html'),
    `{% load static %}\n<a href="{% static "css/site.css" %}">{{ title }}</a>\n`,
  );
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  settings['files.associations'] = { ...settings['files.associations'], '**/templates/as_html/**/*.html': 'html' };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const started = Date.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor();
  let ok = true;
  const check = async (name: string, body: () => Promise<string | void>) => {
    const t0 = Date.now();
    try {
      const note = await body();
      log(`  ✔ UI: ${name} (${Date.now() - t0} ms)${note ? ` — ${note}` : ''}`);
    } catch (err) {
      ok = false;
      const shot = path.join(RESULTS, `failed-${name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      log(
        `  ✘ UI: ${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (screenshot ${path.relative(REPO_ROOT, shot)})`,
      );
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  };

  await check('status bar shows the project, mode and counts', async () => {
    const item = page.locator('.statusbar-item', { hasText: /files/ }).filter({ hasText: 'ws' }).first();
    await item.waitFor({ timeout: 45000 });
    return (await item.innerText()).trim();
  });

  await check('a template opened as plain HTML is offered Django HTML, once, and switched', async () => {
    await openFile(page, 'page.html');
    const language = page.locator('.statusbar-item[id="status.editor.mode"]');
    await language.filter({ hasText: /^HTML$/ }).waitFor();
    const toast = page.locator('.notification-toast', { hasText: 'Open them as Django HTML?' }).first();
    await toast.waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await shotAround(page, 'template-language.png', [toast, language]);
    await toast.getByRole('button', { name: 'Use Django HTML' }).click();
    await language.filter({ hasText: 'Django HTML' }).waitFor();
    return `HTML → ${(await language.innerText()).trim()}`;
  });

  await check('the {% sta snippet and a hand-typed tag close once, in django-html and in html', async () => {
    const results: string[] = [];
    for (const [file, language] of [
      ['templates/tagged.html', 'Django HTML'],
      ['handtyped.html', 'HTML'],
    ]) {
      await openFile(page, path.basename(file));
      await page.locator('.statusbar-item[id="status.editor.mode"]', { hasText: new RegExp(`^${language}$`) }).waitFor();
      await gotoLine(page, 2, 1);
      await page.keyboard.type('{% sta', { delay: 40 });
      await acceptSuggestion(page, "{% static '…' %}");
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type("{% static '", { delay: 40 });
      await acceptSuggestion(page, 'css/');
      await acceptSuggestion(page, 'site.css');
      await page.keyboard.press('Control+S');
      const disk = path.join(workspace, file);
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      let lines: string[] = [];
      while (Date.now() < deadline) {
        lines = readFileSync(disk, 'utf8').split('\n');
        if (lines[2]?.includes('site.css')) break;
        await page.waitForTimeout(200);
      }
      const expected = ["{% static '' %}", "{% static 'css/site.css' %}"];
      if (lines[1] !== expected[0] || lines[2] !== expected[1]) throw new Error(`${language}: ${JSON.stringify(lines.slice(1, 3))}`);
      results.push(`${language}: ${lines[1]} / ${lines[2]}`);
    }
    return results.join('; ');
  });

  await check('completion: suggest widget lists css/ files', async () => {
    await openFile(page, 'completion.html');
    await gotoLine(page, 2, completionLine.indexOf("'css/") + 6);
    const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    // A keystroke right after the go-to-line box closes can reach nothing; ask again rather than fail.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+Space');
      const shown = await rows
        .first()
        .waitFor({ timeout: 5000 })
        .then(
          () => true,
          () => false,
        );
      if (shown) break;
      if (attempt === 3) throw new Error('the suggest widget did not open after three Ctrl+Space');
    }
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'print.css' }).first().waitFor();
    const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (!labels.some((l) => l.includes('site.css'))) throw new Error(`rows: ${labels.join(' | ')}`);
    await page.screenshot({ path: path.join(RESULTS, 'completion.png') });
    await page.keyboard.press('Escape');
    return labels.join(' | ');
  });

  await check('squiggle and quick fix on a missing path', async () => {
    await openFile(page, 'broken.html');
    const text = readFileSync(path.join(workspace, 'templates', 'broken.html'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes("'css/sites.css'"));
    await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor();
    await gotoLine(page, line + 1, text[line].indexOf('css/sites.css') + 3);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'css/site.css' }).first();
    await fix.waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'quick-fix.png') });
    const title = (await fix.innerText()).trim();
    await page.keyboard.press('Escape');
    return title;
  });

  await check('grammar scopes the static path (Inspect Editor Tokens and Scopes)', async () => {
    const scopes = await inspectScopes(page);
    if (!scopes.includes('string.quoted.static-path.django')) throw new Error(`scopes: ${scopes.replace(/\s+/g, ' ')}`);
    return 'string.quoted.static-path.django';
  });

  await check('injection grammar highlights Django tags in plain HTML', async () => {
    await openFile(page, 'plain.html');
    await gotoLine(page, 1, plainLine.indexOf('img/logo.svg') + 3);
    const scopes = await inspectScopes(page);
    if (!/text\.html\.(basic|derivative)/.test(scopes) || !scopes.includes('string.quoted.static-path.django'))
      throw new Error(`scopes: ${scopes.replace(/\s+/g, ' ').slice(-300)}`);
    return `${/text\.html\.(basic|derivative)/.exec(scopes)?.[0]} + string.quoted.static-path.django`;
  });

  await check('the document link tooltip names the source literally (STATICFILES_DIRS[0], Markdown escaped)', async () => {
    await openFile(page, 'base.html');
    const text = readFileSync(path.join(workspace, 'templates', 'base.html'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes("'css/site.css'"));
    await gotoLine(page, line + 1, text[line].indexOf('css/site.css') + 3);
    // Link tooltips show on a mouse hover only (not through Show Hover): rest the mouse on the cursor.
    const cursor = await page.locator('.monaco-editor.focused .cursor').first().boundingBox();
    if (!cursor) throw new Error('no cursor');
    await page.mouse.move(cursor.x + 3, cursor.y + cursor.height / 2);
    const hover = page.locator('.monaco-hover:visible', { hasText: /click/i }).first();
    await hover.waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(RESULTS, 'link-tooltip.png') });
    const shown = (await hover.innerText()).replace(/\s+/g, ' ');
    const linkText = (await hover.locator('a', { hasText: 'STATICFILES' }).first().innerText()).trim();
    if (!shown.includes('STATICFILES_DIRS[0]') || !linkText.includes('STATICFILES_DIRS[0]')) throw new Error(`hover: ${shown}`);
    await page.mouse.move(0, 0);
    return linkText;
  });

  await check('Problems panel lists the missing path', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'css/sites.css' }).first();
    await row.waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'problems.png') });
    const count = await page.locator('.markers-panel .monaco-list-row').count();
    await page.keyboard.press('Control+Shift+M');
    return `${count} rows`;
  });

  await check("Find Static File: the project's files first; item buttons insert the tag and copy the path", async () => {
    // base.html is the active editor (the link tooltip check): the tag goes on its last, empty line.
    const file = path.join(workspace, 'templates', 'base.html');
    const last = readFileSync(file, 'utf8').split('\n').length;
    await gotoLine(page, last, 1);
    await runCommand(page, 'Django Static: Find Static File');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor();
    const first = (await rows.first().innerText()).replace(/\s+/g, ' ').trim();
    if (first.startsWith('admin/')) throw new Error(`the admin's files lead: ${first}`);
    await page.keyboard.type('css/print.css');
    const row = rows.filter({ hasText: 'css/print.css' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Insert {% static %} tag"]').click();
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (readFileSync(file, 'utf8').split('\n')[last - 1] !== "{% static 'css/print.css' %}") {
      if (Date.now() > deadline) throw new Error(`last line: ${JSON.stringify(readFileSync(file, 'utf8').split('\n')[last - 1])}`);
      await page.waitForTimeout(200);
    }
    await runCommand(page, 'Django Static: Find Static File');
    await rows.first().waitFor();
    await page.keyboard.type('js/app.js');
    const js = rows.filter({ hasText: 'js/app.js' }).first();
    await js.hover();
    await js.locator('.action-label[aria-label="Copy path"]').click();
    await page.locator('.statusbar-item', { hasText: 'Copied js/app.js' }).waitFor();
    return `first row ${first}; inserted {% static 'css/print.css' %}; copied js/app.js`;
  });

  await check('Find Static File searches on the server as you type and opens the winner', async () => {
    await runCommand(page, 'Django Static: Find Static File');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await page.keyboard.type('css/site.css');
    // The server's answer to the last query: its title counts the matches, one here (the shadowed copy is not collected).
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: /: 1 match$/ });
    await title.waitFor();
    const rows = await page.locator('.quick-input-widget .monaco-list-row').count();
    if (rows !== 1) throw new Error(`${rows} rows for css/site.css`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'css/site.css' }).first();
    await row.waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'find-static-file.png') });
    const label = (await row.innerText()).replace(/\s+/g, ' ').trim();
    const counted = (await title.innerText()).trim();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'site.css' }).waitFor();
    return `${label}; title: ${counted}`;
  });

  await check('Static Files view: folders, winners, shadow counts; Show Shadowed Copies; opening a file', async () => {
    await runCommand(page, 'Focus on Static Files View');
    const { toggleFolders, row } = staticFilesPane(page, workspace);
    await toggleFolders(false);
    await row('css').waitFor({ timeout: 30000 });
    await row('css').click();
    const site = row('site.css');
    await site.waitFor();
    const text = (await site.innerText()).replace(/\s+/g, ' ').trim();
    if (!/shadows 1/.test(text)) throw new Error(`site.css row: ${text}`);
    await site.hover();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(RESULTS, 'static-files-view.png') });
    await site.locator('.action-label[aria-label="Show Shadowed Copies"]').click();
    const copies = page.locator('.quick-input-widget .monaco-list-row');
    await copies.filter({ hasText: 'legacy' }).first().waitFor();
    const listed = (await copies.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (listed.length !== 2 || !listed[0].includes('collected') || !listed[1].includes('shadowed'))
      throw new Error(`copies: ${listed.join(' | ')}`);
    await page.screenshot({ path: path.join(RESULTS, 'static-files-shadowed.png') });
    await page.keyboard.press('Escape');
    await site.click();
    await page.locator('.tab.active', { hasText: 'site.css' }).waitFor();
    await toggleFolders(true);
    return `${text}; copies: ${listed.join(' | ')}`;
  });

  await check("Static Files view: findings as badges, the problems filter, the current template's references", async () => {
    const { toggleFolders, pane, row } = staticFilesPane(page, workspace);
    const titleAction = async (label: string) => {
      await pane.locator('.pane-header').hover();
      await pane.locator(`.pane-header .action-label[aria-label="${label}"]`).click();
    };
    // Decorations are drawn by CSS (the badge is the label's ::after content), not as text.
    const badge = (label: string) =>
      row(label)
        .locator('.monaco-icon-label')
        .first()
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(el, '::after')
              .content,
        );
    let step = 'the css/ folder';
    try {
      await toggleFolders(false);
      await row('css').waitFor();
      step = 'the findings badge on css/';
      const deadline = Date.now() + 30000;
      let cssBadge = await badge('css');
      while (!/^"\d+"$/.test(cssBadge)) {
        if (Date.now() > deadline) throw new Error(`css/ has no findings badge: ${cssBadge}`);
        await page.waitForTimeout(300);
        cssBadge = await badge('css');
      }
      const siteBadge = await badge('site.css');
      await page.mouse.move(900, 650);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(RESULTS, 'static-files-view.png') });

      step = 'the problems filter';
      await titleAction('Show Only Files with Problems');
      await row('print.css').waitFor({ state: 'detached' });
      await row('site.css').waitFor();
      const message = (await pane.locator('.message').innerText()).trim();
      await page.screenshot({ path: path.join(RESULTS, 'static-files-problems.png') });
      await titleAction('Show All Static Files');
      await row('print.css').waitFor();

      step = "base.html's references";
      // Its tab is open (the link tooltip check); quick open would type into the tree's find box here.
      await page.locator('.tab', { hasText: 'base.html' }).first().click();
      await page.locator('.tab.active', { hasText: 'base.html' }).waitFor();
      await titleAction("Reveal the Current Template's Static Files");
      for (const name of ['site.css', 'print.css', 'logo.svg', 'htmx.min.js', 'app.js']) await row(name).waitFor();
      const note = (await pane.locator('.message').innerText()).trim();
      if (!note.includes('base.html')) throw new Error(`message: ${note}`);
      await page.screenshot({ path: path.join(RESULTS, 'static-files-references.png') });
      await runCommand(page, 'Django Static: Show All Static Files');
      await pane.locator('.message').waitFor({ state: 'hidden' });
      // Back to how the check before left the window, so the later screenshots show what they showed.
      await page.locator('.tab', { hasText: 'site.css' }).first().click();
      await toggleFolders(true);
      return `css/ badge ${cssBadge}, site.css badge ${siteBadge}; problems filter: ${message}; references: ${note}`;
    } catch (err) {
      throw new Error(`${step}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });

  await check('a settings code lens opens the report filtered to its source; Show all shows the whole report', async () => {
    await openFile(page, 'settings.py');
    // legacy's lens: its css/site.css is shadowed by assets/ (STATICFILES_DIRS come before apps).
    const lens = page.locator('.codelens-decoration a', { hasText: /shadows 0 · shadowed by [1-9]/ }).first();
    await lens.waitFor({ timeout: 30000 });
    const title = (await lens.innerText()).trim();
    await lens.click();
    await page.locator('.tab.active', { hasText: "Static Files Report: app 'legacy'" }).waitFor();
    const report = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
    const bar = report.locator('.filter');
    await bar.waitFor();
    const filtered = (await bar.innerText()).replace(/\s+/g, ' ').trim();
    await report.getByRole('heading', { name: /What shadows it \(1\)/ }).waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'report-filtered.png') });
    await bar.getByRole('button', { name: 'Show all' }).click();
    await report.getByRole('heading', { name: /Finders and locations/ }).waitFor();
    if ((await report.locator('.filter').count()) !== 0) throw new Error('the whole report still shows the filter bar');
    const tab = (await page.locator('.tab.active').innerText()).trim();
    if (!/^Static Files Report$/m.test(tab)) throw new Error(`tab after Show all: ${tab}`);
    // Leave the window as the next checks expect it: keys typed while the report's webview has focus do not
    // reach the workbench (quick open), so the report is closed with the mouse and an editor has focus again.
    const reportTab = page.locator('.tab', { hasText: 'Static Files Report' });
    await reportTab.locator('.codicon-close').click();
    await reportTab.waitFor({ state: 'detached' });
    await openFile(page, 'settings.py');
    return `${title} → ${filtered} → whole report`;
  });

  await check('Collect Static Files shows the summary', async () => {
    await runCommand(page, 'Django Static: Collect Static Files');
    const toast = page.locator('.notification-toast', { hasText: /static files? copied/ }).first();
    await toast.waitFor({ timeout: 60000 });
    await page.waitForTimeout(800); // let the toast finish fading in
    await page.screenshot({ path: path.join(RESULTS, 'collect.png') });
    return (await toast.locator('.notification-list-item-message').innerText()).trim();
  });

  await check('Clear and Collect asks first; Cancel deletes nothing', async () => {
    const staticRoot = path.join(workspace, 'collected_static');
    const before = listing(staticRoot);
    await runCommand(page, 'Django Static: Clear and Collect Static Files');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const message = (await dialog.innerText()).replace(/\s+/g, ' ');
    if (!message.includes(staticRoot) || !message.includes(`${before.length} files`)) throw new Error(`dialog: ${message}`);
    await page.screenshot({ path: path.join(RESULTS, 'clear-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(1000);
    const after = listing(staticRoot);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error('files changed after Cancel');
    return `${before.length} files kept`;
  });

  await check('Explorer rename asks before rewriting the {% static %} paths, then applies them', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications'); // the collect toast would cover the preview
    await openFile(page, 'app.js');
    await runCommand(page, 'File: Reveal Active File in Explorer View');
    await page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: 'app.js' }).waitFor();
    await page.keyboard.press('F2');
    const input = page.locator('.explorer-folders-view .monaco-inputbox input');
    await input.waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('main.js');
    await page.keyboard.press('Enter');
    // The server marks the template edits needsConfirmation: VS Code asks before applying anything.
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'wants to make refactoring changes with this file move' });
    await dialog.waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'rename-confirm.png') });
    const base = path.join(workspace, 'templates', 'base.html');
    if (readFileSync(base, 'utf8').includes('js/main.js')) throw new Error('base.html changed before the edits were confirmed');
    await dialog.getByRole('button', { name: 'Show Preview' }).click();
    // Edits that need confirmation start unticked in the Refactor Preview: the user picks what to apply.
    for (const template of ['templates/base.html', 'templates/broken.html']) {
      const box = page.locator(`.monaco-list-row[aria-label^="${template},"] input.edit-checkbox`);
      await box.click();
      if (!(await box.isChecked())) throw new Error(`could not tick ${template}`);
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(RESULTS, 'rename-preview.png') });
    await page.getByRole('button', { name: 'Apply' }).first().click();
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!readFileSync(base, 'utf8').includes("{% static 'js/main.js'")) {
      if (Date.now() > deadline) throw new Error('base.html was not updated after Apply');
      await page.waitForTimeout(200);
    }
    return 'asked, previewed unticked, applied: base.html now uses js/main.js';
  });

  // Last: it breaks the project's settings (a package that is not installed) until the end of the run.
  await check('status bar warns when Django mode failed, with the reason and the actions', async () => {
    writeFileSync(path.join(workspace, 'demo', 'settings_broken.py'), 'from .settings import *\nimport a_package_not_installed_here\n');
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'djangoStatic.settingsModule': 'demo.settings_broken' }, null, 2));
    const item = page.locator('.statusbar-item', { hasText: 'Django mode failed' }).first();
    await item.waitFor({ timeout: 60000 });
    await item.hover();
    const tooltip = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Select Interpreter' }).first();
    await tooltip.waitFor();
    const shown = (await tooltip.innerText()).replace(/\s+/g, ' ');
    for (const part of ["No module named 'a_package_not_installed_here'", 'Select Interpreter', 'Show Output', 'Retry']) {
      if (!shown.includes(part)) throw new Error(`tooltip lacks ${part}: ${shown}`);
    }
    if (/Static mode: Static mode|static: Static mode/i.test(shown)) throw new Error(`the mode is named twice: ${shown}`);
    await page.waitForTimeout(300);
    await shotAround(page, 'django-mode-failed.png', [tooltip, item]);
    return `${(await item.innerText()).trim()}; ${shown.slice(0, 160)}`;
  });

  await page.close();
  if (ok) {
    mkdirSync(README_IMAGES, { recursive: true });
    for (const shot of README_SHOTS) copyFileSync(path.join(RESULTS, shot), path.join(README_IMAGES, shot));
    // The screenshots ship in the .vsix (the README shows them offline): Chromium's PNGs shrink by about a
    // fifth, losslessly, when optipng is installed; without it they are kept as taken.
    spawnSync('optipng', ['-quiet', '-o2', ...README_SHOTS.map((shot) => path.join(README_IMAGES, shot))], { stdio: 'ignore' });
  }
  log(
    `UI checks ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-results/${ok ? ' (README ones copied to docs/images/)' : ''}`,
  );
  return ok;
}

/** The Static Files view's pane and rows, and the workspace folders' pane it shares the side bar with. */
function staticFilesPane(page: Page, workspace: string) {
  const foldersHeader = page
    .locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${path.basename(workspace)}$`, 'i') }) })
    .first();
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Static Files' }) });
  return {
    pane,
    /** Collapsed for screenshots, so the view has the side bar's height. Only cosmetic: a workbench whose header differs keeps its layout. */
    toggleFolders: async (expanded: boolean) => {
      const state = await foldersHeader.getAttribute('aria-expanded', { timeout: 3000 }).catch(() => null);
      if (state !== null && state !== String(expanded)) await foldersHeader.click();
    },
    row: (label: string) =>
      pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/\./g, '\\.')}$`) }) }),
  };
}

/**
 * A screenshot of just the part that shows these elements (with a margin): the .vsix carries the README's
 * screenshots and must stay under 1 MB, so the small ones are cut to what they show.
 */
async function shotAround(page: Page, name: string, parts: Locator[]): Promise<void> {
  const boxes = (await Promise.all(parts.map((p) => p.boundingBox()))).filter((b): b is NonNullable<typeof b> => !!b);
  const viewport = page.viewportSize() ?? { width: 1280, height: 760 };
  const margin = 16;
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  await page.screenshot({ path: path.join(RESULTS, name), clip: { x, y, width: right - x, height: bottom - y } });
}

/** Opens the suggest widget if needed (Ctrl+Space) and accepts the row whose label starts with `label`. */
async function acceptSuggestion(page: Page, label: string): Promise<void> {
  const row = page
    .locator('.editor-widget.suggest-widget.visible .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    if (
      await row.waitFor({ timeout: 2000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    if (attempt === 4) throw new Error(`no suggestion ${label}`);
    await page.keyboard.press('Control+Space');
  }
  await row.click();
  await row.waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  // The mouse would stay where the row was, later over a tab whose hover gets in the way of quick open.
  await page.mouse.move(900, 650);
}

/** The TextMate scopes at the cursor, from Developer: Inspect Editor Tokens and Scopes. */
async function inspectScopes(page: Page): Promise<string> {
  await runCommand(page, 'Developer: Inspect Editor Tokens and Scopes');
  const widget = page.locator('.token-inspect-widget', { hasText: 'textmate scopes' }); // not "Loading..."
  await widget.waitFor();
  const scopes = await widget.innerText();
  await page.keyboard.press('Escape');
  return scopes;
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor.focused').waitFor();
}

async function gotoLine(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(title);
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.filter({ hasText: title }).first().waitFor();
  // Enter would take the highlighted row, which may be a recently used neighbour; click the exact one.
  const labels = await rows.allInnerTexts();
  const index = labels.findIndex((l) => l.split('\n')[0].trim() === title);
  await (index >= 0 ? rows.nth(index) : rows.filter({ hasText: title }).first()).click();
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of require('node:fs').readdirSync(d, { withFileTypes: true }) as import('node:fs').Dirent[]) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.relative(dir, path.join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}
