/** Temp Django projects for the discovery / Django-mode / learn tests; each test gets a fresh folder. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Debian interpreter with real Django 3.2 on this kind of machine (other versions: PYTHONPATH). */
export { DJANGO_PYTHON } from '../djangoVersions';

export const MANAGE_PY = `#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)


if __name__ == '__main__':
    main()
`;

export const SETTINGS_HEAD = `from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'test'
DEBUG = True
STATIC_URL = '/static/'
DATABASES = {}
`;

/** Writes `files` (relative path → content) into a new temp folder and returns its path. */
export function makeTree(files: Record<string, string>, prefix = 'djstatic-'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** A minimal project: manage.py, `proj/settings.py` = SETTINGS_HEAD + `settings`, plus extra files. */
export function makeProject(settings: string, extra: Record<string, string> = {}): string {
  return makeTree({
    'manage.py': MANAGE_PY,
    'proj/__init__.py': '',
    'proj/settings.py': SETTINGS_HEAD + settings,
    ...extra,
  });
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
