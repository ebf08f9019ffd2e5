/**
 * The CSS and JS files of the projects' static sources, as documents for Find All References and renames:
 * their references are the storage's (read with each file's destination), and they are not templates, so
 * the diagnostics publisher's record of what each template references does not hold them. Only files
 * inside the workspace folders: a third-party app's files are not ours to rewrite.
 */
import { readFileSync, statSync } from 'fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
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

/** Every workspace CSS/JS file of a static source (winners and shadowed copies) with a reference `matches` accepts. */
export function assetDocumentsReferencing(host: AssetDocumentsHost, matches: (path: string) => boolean): TextDocument[] {
  const roots = host.roots();
  const docs: TextDocument[] = [];
  const seen = new Set<string>();
  for (const project of host.projects()) {
    if (project.stage === 'held') continue;
    const files: string[] = [];
    project.index.forEachFile((folder, name) => {
      if (!ASSET_NAME.test(name)) return;
      for (const provider of project.index.get(folder ? `${folder}/${name}` : name)?.providers ?? []) files.push(provider.absPath);
    });
    for (const file of files) {
      if (seen.has(file) || !roots.some((root) => isInside(root, file))) continue;
      seen.add(file);
      const uri = URI.file(file).toString();
      const doc = host.openDocument(uri) ?? readAsset(uri, file);
      const ctx = doc && host.contextFor(uri);
      if (doc && ctx && host.service.referencedPaths(doc, ctx).some(matches)) docs.push(doc);
    }
  }
  return docs;
}

/** A closed file as version 0 (the service's model cache compares the text, so an unchanged file is parsed once). */
function readAsset(uri: string, file: string): TextDocument | undefined {
  try {
    if (statSync(file).size > MAX_ASSET_BYTES) return undefined;
    return TextDocument.create(uri, file.endsWith('.css') ? 'css' : 'javascript', 0, readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
