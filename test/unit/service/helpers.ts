/**
 * Test fixtures for the language service: real temp trees on disk, a ProjectModel describing them, the
 * project's static index, and documents with a `|` cursor marker.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position } from 'vscode-languageserver-types';
import { StaticIndexApi } from '../../../server/src/engine/indexTypes';
import { AppEntry, DEFAULT_IGNORE_PATTERNS, ProjectModel, StaticDirEntry, TemplateEngine } from '../../../server/src/engine/model';
import { buildIndex } from '../../../server/src/engine/staticIndex';
import { DEFAULT_SETTINGS, DjangoStaticSettings } from '../../../server/src/protocol';
import { ServiceContext } from '../../../server/src/service/index';

const made: string[] = [];

/** Writes `files` (relative path → content) under a fresh temp folder. */
export function makeTree(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-service-')));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

export function removeTrees(): void {
  for (const root of made.splice(0)) fs.rmSync(root, { recursive: true, force: true });
}

export interface ProjectSpec {
  /** STATICFILES_DIRS: folder relative to the tree, or [prefix, folder]. */
  dirs?: Array<string | [string, string]>;
  /** App folders relative to the tree (label = basename); their `static/` is used when present. */
  apps?: string[];
  staticUrl?: string | null;
  manifestStorage?: boolean;
  debug?: boolean | null;
  staticfilesInstalled?: boolean;
  djangoVersion?: string;
  ignorePatterns?: string[];
  templates?: Partial<TemplateEngine>[];
}

export function makeModel(root: string, spec: ProjectSpec = {}): ProjectModel {
  const dirs: StaticDirEntry[] = (spec.dirs ?? ['assets']).map((d) => {
    const [prefix, rel] = Array.isArray(d) ? d : ['', d];
    const abs = path.join(root, rel);
    return { prefix, rootAsWritten: abs, root: abs, listPrefix: prefix };
  });
  const apps: AppEntry[] = (spec.apps ?? []).map((rel) => {
    const abs = path.join(root, rel);
    const staticDir = path.join(abs, 'static');
    const templatesDir = path.join(abs, 'templates');
    return {
      name: path.basename(rel),
      label: path.basename(rel),
      path: abs,
      staticDir: fs.existsSync(staticDir) ? staticDir : null,
      templatesDir: fs.existsSync(templatesDir) ? templatesDir : null,
    };
  });
  const manifest = spec.manifestStorage ?? false;
  return {
    projectDir: root,
    managePy: null,
    settingsModule: 'proj.settings',
    settingsFiles: [],
    mode: 'static',
    modeReason: 'test',
    python: null,
    djangoVersion: spec.djangoVersion ?? '3.2.25',
    staticUrl: spec.staticUrl === undefined ? '/static/' : spec.staticUrl,
    staticRoot: path.join(root, 'static_root'),
    storage: manifest
      ? 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
      : 'django.contrib.staticfiles.storage.StaticFilesStorage',
    manifestStorage: manifest,
    debug: spec.debug === undefined ? true : spec.debug,
    staticfilesInstalled: spec.staticfilesInstalled ?? true,
    ignorePatterns: spec.ignorePatterns ?? DEFAULT_IGNORE_PATTERNS,
    finders: [
      { kind: 'filesystem', className: 'django.contrib.staticfiles.finders.FileSystemFinder', dirs },
      { kind: 'app', className: 'django.contrib.staticfiles.finders.AppDirectoriesFinder', apps },
    ],
    templates: (spec.templates ?? [{}]).map((t) => ({
      backend: 'django.template.backends.django.DjangoTemplates',
      jinja: false,
      dirs: [path.join(root, 'templates')],
      appDirs: true,
      builtins: [],
      ...t,
    })),
    checks: [],
    problems: [],
  };
}

/** A real tree, its model and its real index, as the service gets them. */
export async function makeContext(
  files: Record<string, string | Buffer>,
  spec: ProjectSpec = {},
  extra: { settings?: Partial<DjangoStaticSettings>; manifest?: Map<string, string> } = {},
): Promise<ServiceContext & { root: string }> {
  const root = makeTree(files);
  const model = makeModel(root, spec);
  const index: StaticIndexApi = await buildIndex(model);
  return { root, model, index, settings: { ...DEFAULT_SETTINGS, ...extra.settings }, manifest: extra.manifest };
}

let version = 0;

/** A document from text holding one `|` cursor marker (removed from the text). */
export function docWithCursor(
  textWithCursor: string,
  languageId = 'django-html',
  uri = 'file:///proj/templates/page.html',
): { doc: TextDocument; pos: Position } {
  const offset = textWithCursor.indexOf('|');
  if (offset === -1) throw new Error('fixture needs a | cursor marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const doc = TextDocument.create(uri, languageId, ++version, text);
  return { doc, pos: doc.positionAt(offset) };
}

export function docOf(text: string, languageId = 'django-html', uri = 'file:///proj/templates/page.html'): TextDocument {
  return TextDocument.create(uri, languageId, ++version, text);
}
