import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `text` to `root/rel`, making its folders; returns the file. */
export function write(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** manage.py and the `proj` package whose settings.py holds `settings` (lines). */
export function djangoProject(root: string, settings: string[]): void {
  write(
    root,
    'manage.py',
    "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
  );
  write(root, 'proj/__init__.py', '');
  write(root, 'proj/settings.py', settings.join('\n'));
}

/** Settings with one static source (`assets/`) and one template folder (`templates/`). */
export const ONE_SOURCE_SETTINGS = [
  'from pathlib import Path',
  'BASE_DIR = Path(__file__).resolve().parent.parent',
  "INSTALLED_APPS = ['django.contrib.staticfiles']",
  "STATIC_URL = '/static/'",
  "STATICFILES_DIRS = [BASE_DIR / 'assets']",
  "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates']}]",
  '',
];
