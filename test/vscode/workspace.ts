/**
 * Throw-away copy of examples/demo for the editor tests (examples/ itself is never modified), with
 * workspace settings naming the interpreter that has real Django.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const DEMO = path.join(REPO_ROOT, 'examples', 'demo');
export const DJANGO_PYTHON = '/usr/bin/python3';

/** A new temp folder holding `ws/` (the demo copy); the caller removes it. */
export function prepareWorkspace(prefix = 'djstatic-editor-'): { root: string; workspace: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(root, 'ws');
  cpSync(DEMO, workspace, {
    recursive: true,
    filter: (src) => !/(__pycache__|collected_static|db\.sqlite3)/.test(path.relative(DEMO, src)),
  });
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'djangoStatic.pythonPath': DJANGO_PYTHON,
        // What users of Django templates usually configure; exercises the django-html language and grammar.
        'files.associations': { '**/templates/**/*.html': 'django-html' },
      },
      null,
      2,
    ),
  );
  return { root, workspace };
}
