/** Hand-made project models over temp trees, for the index and info tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppEntry, DEFAULT_IGNORE_PATTERNS, FinderEntry, ProjectModel, StaticDirEntry } from '../../server/src/engine/model';

const created: string[] = [];
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → content) below a fresh temp folder and returns its real path. */
export function makeTree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsidx-')));
  created.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (rel.endsWith('/')) fs.mkdirSync(abs, { recursive: true });
    else fs.writeFileSync(abs, content);
  }
  return root;
}

export function dirEntry(prefix: string, root: string, listPrefix = prefix): StaticDirEntry {
  return { prefix, root, rootAsWritten: root, listPrefix };
}

export function app(name: string, appDir: string): AppEntry {
  const staticDir = path.join(appDir, 'static');
  return {
    name,
    label: name,
    path: appDir,
    staticDir: fs.existsSync(staticDir) ? staticDir : null,
    templatesDir: null,
  };
}

export function model(finders: FinderEntry[], ignorePatterns = DEFAULT_IGNORE_PATTERNS): ProjectModel {
  return {
    projectDir: '/nonexistent',
    managePy: null,
    settingsModule: null,
    settingsFiles: [],
    mode: 'static',
    modeReason: 'test',
    python: null,
    djangoVersion: null,
    staticUrl: '/static/',
    staticRoot: null,
    storage: 'django.contrib.staticfiles.storage.StaticFilesStorage',
    manifestStorage: false,
    debug: true,
    staticfilesInstalled: true,
    ignorePatterns,
    finders,
    templates: [],
    checks: [],
    problems: [],
  };
}
