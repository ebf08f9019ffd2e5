/**
 * HTML's language features in `django-html` and `jinja-html` documents. VS Code's HTML extension answers
 * only `html` documents (and the languages that register as its participants, which then get every HTML
 * feature on the raw text: links on `{% static "…" %}` inside a double-quoted attribute and JavaScript errors
 * on `{{ … }}` in a script, the very things templates are switched away from HTML for). So, as VS Code's
 * "embedded languages" guide does, each template gets a mirror `html` document with its template syntax
 * masked (templateMask.ts), and completion, hover, highlights, folding and tag auto-closing are forwarded to
 * it; offsets are the template's, so the answers apply unchanged. Formatting uses a second mirror where each
 * construct is a word the formatter moves whole. Document links are not forwarded.
 */
import * as vscode from 'vscode';
import { blockFolds, inConstruct, maskTemplate, MaskedTemplate, startTagBefore, tokenized, untokenized } from './templateMask';

export const TEMPLATE_LANGUAGES = ['django-html', 'jinja-html'];
const MIRROR_SCHEME = 'django-static-html';
/** The HTML extension's own trigger characters. */
const TRIGGERS = ['.', ':', '<', '"', '=', '/'];
/** How long a request waits for the mirror to show the template's latest text. */
const SYNC_TIMEOUT_MS = 1000;

interface Mirror {
  uri: vscode.Uri;
  masked: MaskedTemplate;
}

/** The mirror documents' text, served to VS Code as a content provider. */
class Mirrors implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();
  private readonly masks = new Map<string, { version: number; masked: MaskedTemplate }>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The mirror of `doc` once it holds the document's current text; undefined when it could not catch up. */
  async of(doc: vscode.TextDocument): Promise<Mirror | undefined> {
    const key = doc.uri.toString();
    let entry = this.masks.get(key);
    if (entry?.version !== doc.version) {
      entry = { version: doc.version, masked: maskTemplate(doc.getText()) };
      this.masks.set(key, entry);
    }
    const uri = mirrorUri(doc, '');
    return (await this.show(uri, entry.masked.text)) ? { uri, masked: entry.masked } : undefined;
  }

  /** Makes `uri` an open `html` document holding `text`; false when it could not catch up in time. */
  async show(uri: vscode.Uri, text: string): Promise<boolean> {
    this.texts.set(uri.toString(), text);
    let mirror = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!mirror) mirror = await vscode.workspace.openTextDocument(uri);
    else if (mirror.getText() !== text) {
      this.changed.fire(uri);
      await changeOf(mirror, text);
    }
    if (mirror.languageId !== 'html') mirror = await vscode.languages.setTextDocumentLanguage(mirror, 'html');
    return mirror.getText() === text;
  }

  forget(doc: vscode.TextDocument): void {
    this.masks.delete(doc.uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A path of its own, not the template's: files.associations patterns could make `…/templates/x.html` a template again. */
function mirrorUri(doc: vscode.TextDocument, kind: '' | '.format'): vscode.Uri {
  return vscode.Uri.from({ scheme: MIRROR_SCHEME, path: `/${encodeURIComponent(doc.uri.toString())}${kind}.html` });
}

function changeOf(mirror: vscode.TextDocument, text: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, SYNC_TIMEOUT_MS);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === mirror && mirror.getText() === text && done());
  });
}

function execute<T>(command: string, ...args: unknown[]): Thenable<T | undefined> {
  return vscode.commands.executeCommand<T | undefined>(command, ...args);
}

/** Registers the forwarding providers and the auto-closing of tags; dispose to remove them all. */
export function registerHtmlFeatures(): vscode.Disposable {
  const mirrors = new Mirrors();
  const selector = TEMPLATE_LANGUAGES.map((language) => ({ language }));
  /** The mirror, unless the position is inside template syntax, where HTML has nothing to offer. */
  const at = async (doc: vscode.TextDocument, position: vscode.Position) => {
    const mirror = await mirrors.of(doc);
    return mirror && !inConstruct(mirror.masked, doc.offsetAt(position)) ? mirror : undefined;
  };
  const completions = async (doc: vscode.TextDocument, position: vscode.Position, trigger?: string) => {
    const mirror = await at(doc, position);
    return mirror && execute<vscode.CompletionList>('vscode.executeCompletionItemProvider', mirror.uri, position, trigger);
  };
  return vscode.Disposable.from(
    mirrors,
    vscode.workspace.registerTextDocumentContentProvider(MIRROR_SCHEME, mirrors),
    vscode.workspace.onDidCloseTextDocument((doc) => mirrors.forget(doc)),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(doc, position, _token, context) {
          const list = await completions(doc, position, context.triggerCharacter);
          return list && new vscode.CompletionList(list.items, list.isIncomplete);
        },
      },
      ...TRIGGERS,
    ),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(doc, position) {
        const mirror = await at(doc, position);
        const hovers = mirror && (await execute<vscode.Hover[]>('vscode.executeHoverProvider', mirror.uri, position));
        if (!hovers?.length) return undefined;
        return new vscode.Hover(
          hovers.flatMap((h) => h.contents),
          hovers[0].range,
        );
      },
    }),
    vscode.languages.registerDocumentHighlightProvider(selector, {
      async provideDocumentHighlights(doc, position) {
        const mirror = await at(doc, position);
        return mirror && execute<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', mirror.uri, position);
      },
    }),
    // A folding provider replaces the language configuration's markers, so the template's blocks fold here too.
    vscode.languages.registerFoldingRangeProvider(selector, {
      async provideFoldingRanges(doc) {
        const mirror = await mirrors.of(doc);
        const html = (mirror && (await execute<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', mirror.uri))) ?? [];
        return [...html, ...blockFolds(doc.getText()).map(([start, end]) => new vscode.FoldingRange(start, end))];
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(selector, {
      provideDocumentFormattingEdits: (doc, options) => formatTemplate(mirrors, doc, options),
    }),
    autoCloseTags(mirrors, completions),
  );
}

type Completions = (doc: vscode.TextDocument, position: vscode.Position) => Promise<vscode.CompletionList | undefined>;

/**
 * What `html.autoClosingTags` does in HTML: `</div>` after the `>` of `<div>`, `div>` after `</`. The HTML
 * extension asks its server with a request of its own; the end tag after `</` is its completion's first
 * item, the one after `>` is read from the masked text (its server hides that item while the setting is on).
 */
function autoCloseTags(mirrors: Mirrors, completions: Completions): vscode.Disposable {
  let pending: NodeJS.Timeout | undefined;
  return vscode.workspace.onDidChangeTextDocument(({ document, contentChanges, reason }) => {
    const editor = vscode.window.activeTextEditor;
    const last = contentChanges[contentChanges.length - 1];
    if (!last || reason !== undefined || editor?.document !== document || !TEMPLATE_LANGUAGES.includes(document.languageId)) return;
    if (last.rangeLength !== 0 || last.text.includes('\n') || !/[>/]$/.test(last.text)) return;
    const scope = { uri: document.uri, languageId: document.languageId };
    if (!vscode.workspace.getConfiguration('html', scope).get<boolean>('autoClosingTags', true)) return;
    const position = last.range.start.translate(0, last.text.length);
    const closing = last.text.endsWith('/');
    if (closing && document.getText(new vscode.Range(position.translate(0, -2), position)) !== '</') return;
    const version = document.version;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const snippet = closing
        ? await endTagAfterSlash(document, position, completions)
        : await endTagAfterOpen(document, position, mirrors);
      if (!snippet || document.version !== version || vscode.window.activeTextEditor !== editor) return;
      await editor.insertSnippet(snippet, position);
    }, 100);
  });
}

async function endTagAfterOpen(
  doc: vscode.TextDocument,
  position: vscode.Position,
  mirrors: Mirrors,
): Promise<vscode.SnippetString | undefined> {
  const mirror = await mirrors.of(doc);
  const offset = doc.offsetAt(position);
  const tag = mirror && !inConstruct(mirror.masked, offset) ? startTagBefore(mirror.masked, offset) : undefined;
  return tag ? new vscode.SnippetString(`$0</${tag}>`) : undefined;
}

async function endTagAfterSlash(
  doc: vscode.TextDocument,
  position: vscode.Position,
  completions: Completions,
): Promise<vscode.SnippetString | undefined> {
  const list = await completions(doc, position);
  const item = list?.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label).startsWith('/'));
  const text = typeof item?.insertText === 'string' ? item.insertText : item?.insertText?.value;
  // The item replaces the `/` typed: `/div>`.
  return text?.startsWith('/') ? new vscode.SnippetString(text.slice(1).replace(/[$}\\]/g, '\\$&')) : undefined;
}

/**
 * HTML's formatter on the template: each construct stands in as a word of its own (`_djs0_`), which the
 * formatter moves but never splits, and comes back after. A result that lost or doubled one is refused.
 */
async function formatTemplate(mirrors: Mirrors, doc: vscode.TextDocument, options: vscode.FormattingOptions): Promise<vscode.TextEdit[]> {
  const source = doc.getText();
  const words = tokenized(source);
  if (!words) return [];
  const uri = mirrorUri(doc, '.format');
  if (!(await mirrors.show(uri, words.text))) return [];
  const edits = (await execute<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, options)) ?? [];
  if (edits.length === 0) return [];
  const mirror = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!mirror) return [];
  let formatted = words.text;
  for (const edit of [...edits].sort((a, b) => mirror.offsetAt(b.range.start) - mirror.offsetAt(a.range.start))) {
    formatted = formatted.slice(0, mirror.offsetAt(edit.range.start)) + edit.newText + formatted.slice(mirror.offsetAt(edit.range.end));
  }
  const result = untokenized(formatted, words.constructs);
  if (result === undefined) {
    void vscode.window.showWarningMessage(
      "HTML's formatter moved the template's tags in a way that cannot be undone: nothing was changed.",
    );
    return [];
  }
  return result === source ? [] : [vscode.TextEdit.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(source.length)), result)];
}
