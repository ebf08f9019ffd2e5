/**
 * The CSS and JS files of the projects' static sources, as documents for Find All References and renames:
 * their references are the storage's (read with each file's destination), and they are not templates, so
 * the diagnostics publisher's record of what each template references does not hold them. Only files
 * inside the workspace folders: a third-party app's files are not ours to rewrite.
 */
import { readFileSync } from 'fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Provider } from '../engine/indexTypes';
import { isInside } from '../engine/paths';
import type { LanguageService, ServiceContext } from '../service';
import type { WorkspaceProject } from './projectManager';

/** Larger files are minified bundles or dumps: not read for references (the same bound as templates). */
const MAX_ASSET_BYTES = 2 * 1024 * 1024;
/** The files Django's post-processing patterns read (fnmatchcase `*.css`, `*.js`: case-sensitive). */
const ASSET_NAME = /\.(css|js)$/;

export interface AssetDocumentsHost {
  service: LanguageService;
  projects(): readonly WorkspaceProject[];
  roots(): string[];
  openDocument(uri: string): TextDocument | undefined;
  contextFor(uri: string): ServiceContext | undefined;
}

/**
 * Every workspace CSS/JS file of a static source (winners and shadowed copies) with a reference `matches`
 * accepts, or whose own destination it accepts (a file that moves rewrites its relative URLs). A URL that names a file holds its file name (`../img/logo.png`), or escapes it (`%6Cogo.png`): a
 * file whose text and path hold none of `names` and no escape is not parsed (5,000 files were 4 s, parsed).
 */
export function assetDocumentsReferencing(host: AssetDocumentsHost, matches: (path: string) => boolean, names: string[]): TextDocument[] {
  const roots = host.roots();
  const docs: TextDocument[] = [];
  const seen = new Set<string>();
  for (const project of host.projects()) {
    if (project.stage === 'held') continue;
    const files: Array<{ destination: string; provider: Provider }> = [];
    project.index.forEachFile((folder, name) => {
      if (!ASSET_NAME.test(name)) return;
      const destination = folder ? `${folder}/${name}` : name;
      for (const provider of project.index.get(destination)?.providers ?? []) files.push({ destination, provider });
    });
    for (const {
      destination,
      provider: { absPath: file, size },
    } of files) {
      // The index's size, so no file is stat'ed: 5,000 stats were a third of the time.
      if (size > MAX_ASSET_BYTES || seen.has(file) || !roots.some((root) => isInside(root, file))) continue;
      seen.add(file);
      const uri = URI.file(file).toString();
      const open = host.openDocument(uri);
      const text = open ? open.getText() : readText(file);
      if (text === undefined || !mayName(text, file, names)) continue;
      const doc = open ?? TextDocument.create(uri, file.endsWith('.css') ? 'css' : 'javascript', 0, text);
      const ctx = host.contextFor(uri);
      if (ctx && (matches(destination) || host.service.referencedPaths(doc, ctx).some(matches))) docs.push(doc);
    }
  }
  return docs;
}

function mayName(text: string, file: string, names: string[]): boolean {
  return names.some((name) => text.includes(name) || file.includes(name)) || ESCAPE.test(text);
}

/** A %-escape, which the storage unquotes before looking the name up. */
const ESCAPE = /%[0-9A-Fa-f]{2}/;

/** A closed file's text; a closed file is read as version 0 (the model cache compares the text, so an unchanged file is parsed once). */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
