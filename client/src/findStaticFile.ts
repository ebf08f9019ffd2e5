/**
 * Find Static File: a quick pick over the active project's collected files, searched by the server as the
 * user types (`searchFiles`: the best few hundred, ranked as pathSearch.ts says), each query cancelling the
 * one before. The buttons insert a `{% static %}` tag at the cursor or copy the path.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plural } from '../../server/src/text';
import { Methods, SearchFilesResult, StaticFileItem } from '../../server/src/protocol';
import { Ctx } from './ctx';

const INSERT_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('insert'), tooltip: 'Insert {% static %} tag' };
const COPY_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy path' };
const JINJA_LANGUAGES = new Set(['jinja', 'jinja-html']);
const TEMPLATE_LANGUAGES = new Set(['django-html', 'django-txt', 'html', ...JINJA_LANGUAGES]);
/** Typing pauses this long before the query goes to the server (each keystroke cancels the last query anyway). */
const TYPING_PAUSE_MS = 50;

/** What Find Static File did with the picked file (returned for tests). */
export interface FoundStaticFile {
  file: StaticFileItem;
  action: 'open' | 'insert' | 'copy';
}

type Item = vscode.QuickPickItem & { file: StaticFileItem };

/** The command; a string argument is the first query (the view's "… N more" row passes its folder). */
export function findStaticFile(ctx: Ctx) {
  return async (initialQuery?: unknown): Promise<FoundStaticFile | undefined> => {
    const project = ctx.activeProject;
    if (!project) return notReady(ctx);
    // The quick pick takes the focus: the tag goes where the cursor was before it opened.
    const active = vscode.window.activeTextEditor;
    const editor = active && TEMPLATE_LANGUAGES.has(active.document.languageId) ? active : undefined;
    const collected = plural(project.collectedCount ?? project.fileCount, 'collected file');
    const title = `Find Static File (${collected} in ${path.basename(project.projectDir)})`;
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = title;
    quickPick.placeholder = 'Destination path, as used in {% static %}; the buttons insert a tag or copy the path';
    if (typeof initialQuery === 'string') quickPick.value = initialQuery;
    const buttons = editor ? [INSERT_BUTTON, COPY_BUTTON] : [COPY_BUTTON];
    let running: vscode.CancellationTokenSource | undefined;
    let typing: NodeJS.Timeout | undefined;
    let failed = false;
    const search = (query: string) => {
      running?.cancel();
      const cancel = (running = new vscode.CancellationTokenSource());
      quickPick.busy = true;
      ctx.request(Methods.searchFiles, { projectDir: project.projectDir, query }, cancel.token).then(
        (found: SearchFilesResult) => {
          if (cancel.token.isCancellationRequested) return;
          quickPick.busy = false;
          // The server ranked and filtered them: the quick pick must not hide the ones its own matching misses.
          quickPick.items = found.items.map((file) => ({ ...itemOf(file), buttons, alwaysShow: true }));
          const shown = found.matchCount > found.items.length ? `, the best ${found.items.length} shown` : '';
          quickPick.title = query.trim() ? `${title}: ${plural(found.matchCount, 'match', 'matches')}${shown}` : title;
        },
        (err: unknown) => {
          if (cancel.token.isCancellationRequested || failed) return;
          failed = true;
          quickPick.hide();
          void vscode.window.showErrorMessage(`Find Static File: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    };
    quickPick.onDidChangeValue((value) => {
      clearTimeout(typing);
      running?.cancel();
      typing = setTimeout(() => search(value), TYPING_PAUSE_MS);
    });
    quickPick.show();
    search(quickPick.value);
    const picked = await new Promise<FoundStaticFile | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0] && { file: quickPick.selectedItems[0].file, action: 'open' }));
      quickPick.onDidTriggerItemButton((e) => resolve({ file: e.item.file, action: e.button === INSERT_BUTTON ? 'insert' : 'copy' }));
      quickPick.onDidHide(() => resolve(undefined));
    });
    clearTimeout(typing);
    running?.cancel();
    quickPick.dispose();
    if (picked?.action === 'open') await vscode.window.showTextDocument(vscode.Uri.file(picked.file.absPath), { preview: true });
    if (picked?.action === 'copy') {
      await vscode.env.clipboard.writeText(picked.file.path);
      vscode.window.setStatusBarMessage(`Copied ${picked.file.path}`, 3000);
    }
    if (picked?.action === 'insert' && editor) {
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      await editor.insertSnippet(new vscode.SnippetString(staticTag(picked.file.path, JINJA_LANGUAGES.has(editor.document.languageId))));
    }
    return picked;
  };
}

function itemOf(file: StaticFileItem): Item {
  return {
    label: file.path,
    description: file.shadowed ? `${file.source} $(warning) shadows ${file.shadowed}` : file.source,
    detail: file.shadowed ? `Also provided by ${plural(file.shadowed, 'later source')}; collectstatic keeps this one.` : undefined,
    file,
  };
}

/** The tag for a path; `$`, `}` and `\\` are literal in the snippet. */
function staticTag(destination: string, jinja: boolean): string {
  const quoted = destination.includes("'") ? `"${destination}"` : `'${destination}'`;
  const tag = jinja ? `{{ static(${quoted}) }}` : `{% static ${quoted} %}`;
  return tag.replace(/[$}\\]/g, '\\$&');
}

function notReady(ctx: Ctx): undefined {
  const message = ctx.failure ?? 'No Django project has been learned yet; try again once the status bar shows the project.';
  void vscode.window.showWarningMessage(message, 'Show Output').then((b) => b && ctx.output.show(true));
  return undefined;
}
