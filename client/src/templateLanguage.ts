/**
 * Templates that open as plain HTML get HTML's features for text that is not HTML: `{% static "…" %}` in a
 * double-quoted attribute and `{{ var }}` become fake links. The server knows which files are templates of
 * which engine, so they can be switched to `django-html` (or `jinja-html`, when an extension provides it):
 * per the `djangoStatic.openTemplatesAs` setting, asking once per workspace when it is `ask`.
 */
import * as vscode from 'vscode';
import { Methods, TemplateEngineKind } from '../../server/src/protocol';
import { Ctx } from './ctx';

export type OpenTemplatesAs = 'ask' | 'template' | 'html';

const ANSWER_KEY = 'djangoStatic.openTemplatesAs.answer';
const USE = 'Use Django HTML';
const KEEP = 'Keep HTML';

export class TemplateLanguage implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private asking: Promise<boolean> | undefined;
  /** The prompt was closed without an answer: not asked again until the next window. */
  private dismissed = false;
  /** Documents already looked at, so a document switched back to HTML by the user stays HTML. */
  private readonly seen = new Set<string>();

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => void this.consider(doc)),
      ctx.onDidChangeProjects(() => {
        for (const editor of vscode.window.visibleTextEditors) void this.consider(editor.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.seen.delete(doc.uri.toString())),
    );
  }

  /** Switches one document when it is a template opened as HTML and the setting (or the user) says so. */
  async consider(doc: vscode.TextDocument): Promise<string | undefined> {
    if (doc.languageId !== 'html' || doc.uri.scheme !== 'file' || !this.ctx.running || this.ctx.projects.length === 0) return undefined;
    const key = doc.uri.toString();
    if (this.seen.has(key)) return undefined;
    const choice = this.choice(doc);
    if (choice === 'html') return undefined;
    const engine = await this.ctx.request(Methods.templateEngine, { uri: key }).catch(() => null);
    if (!engine || this.seen.has(key)) return undefined;
    this.seen.add(key);
    if (choice === 'ask' && !(await this.ask())) return undefined;
    const language = await languageFor(engine);
    if (!language) return undefined;
    await vscode.languages.setTextDocumentLanguage(doc, language);
    this.ctx.log(
      `Opened ${vscode.workspace.asRelativePath(doc.uri)} as ${language}: it is a template of the ${engine === 'jinja2' ? 'Jinja2' : 'Django'} engine.`,
    );
    return language;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The setting; `ask` becomes the answer once the user gave one in this workspace. */
  private choice(doc: vscode.TextDocument): OpenTemplatesAs {
    const setting = vscode.workspace.getConfiguration('djangoStatic', doc.uri).get<OpenTemplatesAs>('openTemplatesAs', 'ask');
    if (setting !== 'ask') return setting;
    if (this.dismissed) return 'html';
    return this.ctx.extension.workspaceState.get<OpenTemplatesAs>(ANSWER_KEY) ?? 'ask';
  }

  /** One prompt per workspace, shared by the documents that open while it is showing. */
  private ask(): Promise<boolean> {
    this.asking ??= (async () => {
      const answer = await vscode.window.showInformationMessage(
        'This workspace\'s Django templates open as plain HTML, whose features read {% static "…" %} and {{ … }} as links. Open them as Django HTML?',
        USE,
        KEEP,
      );
      if (answer) await this.ctx.extension.workspaceState.update(ANSWER_KEY, answer === USE ? 'template' : 'html');
      else this.dismissed = true;
      this.asking = undefined;
      return answer === USE;
    })();
    return this.asking;
  }
}

/** `django-html` (ours); `jinja-html` only when an installed extension provides that language. */
async function languageFor(engine: TemplateEngineKind): Promise<string | undefined> {
  if (engine === 'django') return 'django-html';
  return (await vscode.languages.getLanguages()).includes('jinja-html') ? 'jinja-html' : undefined;
}
