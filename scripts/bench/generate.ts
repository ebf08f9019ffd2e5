/**
 * Generates a synthetic but real Django project for the benchmark: 50 apps with static folders, five
 * STATICFILES_DIRS entries (the last one prefixed), about 5% of destination paths provided by more than
 * one source, one folder with up to 5,000 entries, 2,000 templates with 20 `{% static %}` references each
 * and one 5,000-line template. The project runs under real Django (settings.py + manage.py).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Bumped whenever the layout changes, so a cached tree from an older generator is rebuilt. */
const GENERATOR_VERSION = 3;

export const APP_COUNT = 50;
export const DIR_COUNT = 5;
export const VENDOR_PREFIX = 'vendor';
export const TEMPLATE_COUNT = 2000;
export const REFS_PER_TEMPLATE = 20;
export const HUGE_TEMPLATE_LINES = 5000;
export const BIG_FOLDER_MAX = 5000;
const DUPLICATE_SHARE = 0.05;
const MISSING_SHARE = 0.05;
const FILES_PER_FOLDER = 40;
/** Templates that reference the incremental-update files (their diagnostics change on add/remove). */
const INCREMENTAL_REFERRERS = 5;

/** What the benchmark needs to know about a generated project. */
export interface GeneratedProject {
  root: string;
  settingsFile: string;
  staticRoot: string;
  /** Physical static files written (duplicates included). */
  fileCount: number;
  /** Distinct destination paths. */
  uniquePaths: number;
  /** Files whose destination path another source also provides. */
  duplicateFiles: number;
  /** Every static source folder, finder order (STATICFILES_DIRS then apps): what `find` lists. */
  staticRoots: string[];
  /** Destination folder with the most entries, and how many it has. */
  bigFolder: string;
  bigFolderEntries: number;
  /** The 2,000 ordinary templates (absolute paths). */
  templates: string[];
  hugeTemplate: string;
  /** Small template used for completion requests: line 1 in the big folder, line 2 at the root. */
  completionTemplate: string;
  /** A missing file (absolute) whose creation fixes a diagnostic in `incrementalReferrers`. */
  incrementalAddPath: string;
  /** Its destination path. */
  incrementalAddDest: string;
  incrementalReferrers: string[];
}

/** Deterministic PRNG (mulberry32) so every run generates the same tree. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: Array<[folder: string, ext: string]> = [
  ['css', 'css'],
  ['js', 'js'],
  ['img', 'png'],
  ['fonts', 'woff2'],
];

/** `count` destination paths under `namespace`, spread over nested folders of FILES_PER_FOLDER files. */
function regularPaths(namespace: string, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const [folder, ext] = KINDS[i % KINDS.length];
    const group = Math.floor(i / (FILES_PER_FOLDER * KINDS.length));
    out.push(`${namespace}/${folder}/g${group}/f${i}.${ext}`);
  }
  return out;
}

function appName(i: number): string {
  return `app_${String(i).padStart(2, '0')}`;
}

/** Distributes `total` over `buckets` as evenly as possible. */
function split(total: number, buckets: number): number[] {
  return Array.from({ length: buckets }, (_, i) => Math.floor(total / buckets) + (i < total % buckets ? 1 : 0));
}

interface SourcePlan {
  /** Absolute folder that is the source's root. */
  dir: string;
  /** Destination prefix ('' except the prefixed STATICFILES_DIRS entry). */
  prefix: string;
  /** Paths relative to `dir`. */
  files: string[];
}

export function benchRoot(): string {
  return path.join(os.tmpdir(), 'django-static-bench');
}

/** Creates (or reuses, when the same generator version already built it) the project for `fileCount` files. */
export function generateProject(fileCount: number, options: { fresh?: boolean } = {}): GeneratedProject {
  const root = path.join(benchRoot(), `project-${fileCount}`);
  const staticRoot = path.join(benchRoot(), `collect-${fileCount}`);
  const markerFile = path.join(root, '.bench-generated.json');
  const plan = planProject(root, staticRoot, fileCount);
  if (!options.fresh && fs.existsSync(markerFile)) {
    try {
      const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { version: number };
      if (marker.version === GENERATOR_VERSION) return plan.project;
    } catch {
      // An unreadable marker means a half-written tree: rebuild it.
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(staticRoot, { recursive: true });
  writeProject(plan);
  fs.writeFileSync(markerFile, JSON.stringify({ version: GENERATOR_VERSION, fileCount }));
  return plan.project;
}

interface Plan {
  project: GeneratedProject;
  sources: SourcePlan[];
  templateTexts: Map<string, string>;
  pythonFiles: Map<string, string>;
}

function planProject(root: string, staticRoot: string, fileCount: number): Plan {
  const random = prng(fileCount);
  const dirRoots = Array.from({ length: DIR_COUNT }, (_, k) => path.join(root, 'static_src', `dir_${k}`));
  const apps = Array.from({ length: APP_COUNT }, (_, i) => appName(i));

  const bigCount = Math.min(BIG_FOLDER_MAX, Math.floor(fileCount / 2));
  const duplicateCount = Math.round(fileCount * DUPLICATE_SHARE);
  const regularCount = fileCount - bigCount - duplicateCount;
  const dirShare = Math.floor(regularCount * 0.45);
  const perDir = split(dirShare, DIR_COUNT);
  const perApp = split(regularCount - dirShare, APP_COUNT);

  const sources: SourcePlan[] = dirRoots.map((dir, k) => ({
    dir,
    prefix: k === DIR_COUNT - 1 ? VENDOR_PREFIX : '',
    files: k === DIR_COUNT - 1 ? regularPaths(`lib`, perDir[k]) : regularPaths(`d${k}`, perDir[k]),
  }));
  // The big folder lives in the first directory, so its files win over any later source.
  for (let i = 0; i < bigCount; i++) sources[0].files.push(`d0/big/item_${String(i).padStart(4, '0')}.png`);
  for (const [i, app] of apps.entries()) {
    sources.push({ dir: path.join(root, app, 'static'), prefix: '', files: regularPaths(app, perApp[i]) });
  }

  // Duplicates: half are apps shipping un-namespaced copies of STATICFILES_DIRS paths (the classic
  // collision), half are a later directory repeating an earlier one's paths.
  const plainDirPaths = sources.slice(0, DIR_COUNT - 1).flatMap((s) => s.files.filter((f) => !f.includes('/big/')));
  const appDuplicates = Math.ceil(duplicateCount / 2);
  for (let i = 0; i < appDuplicates; i++) {
    sources[DIR_COUNT + (i % APP_COUNT)].files.push(plainDirPaths[i % plainDirPaths.length]);
  }
  // Each directory's candidates are kept as they grow, rather than filtered again per copy (quadratic at 1M).
  const candidates = sources.slice(0, DIR_COUNT - 1).map((s) => s.files.filter((f) => !f.includes('/big/')));
  for (let i = 0; i < duplicateCount - appDuplicates; i++) {
    const from = i % (DIR_COUNT - 2);
    const copied = candidates[from][Math.floor(i / (DIR_COUNT - 2)) % Math.max(1, candidates[from].length)];
    sources[from + 1].files.push(copied);
    candidates[from + 1].push(copied);
  }

  const destinations = new Map<string, number>();
  for (const source of sources) {
    for (const file of source.files) {
      const dest = source.prefix ? `${source.prefix}/${file}` : file;
      destinations.set(dest, (destinations.get(dest) ?? 0) + 1);
    }
  }
  const validPaths = [...destinations.keys()];
  const duplicateFiles = [...destinations.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0);

  const incrementalAddDest = 'd0/incremental/added.css';
  const templateTexts = new Map<string, string>();
  const templates: string[] = [];
  const pickRef = (t: number, r: number): string => {
    if (random() < MISSING_SHARE) return `${appName(t % APP_COUNT)}/css/missing_${t}_${r}.css`;
    return validPaths[Math.floor(random() * validPaths.length)];
  };
  for (let t = 0; t < TEMPLATE_COUNT; t++) {
    // Half in the project's templates folder, half spread over the apps' templates folders.
    const file =
      t < TEMPLATE_COUNT / 2
        ? path.join(root, 'templates', 'pages', `page_${String(t).padStart(4, '0')}.html`)
        : path.join(root, appName(t % APP_COUNT), 'templates', appName(t % APP_COUNT), `view_${t}.html`);
    const refs = Array.from({ length: REFS_PER_TEMPLATE }, (_, r) => pickRef(t, r));
    if (t < INCREMENTAL_REFERRERS) refs[REFS_PER_TEMPLATE - 1] = incrementalAddDest;
    templates.push(file);
    templateTexts.set(file, renderTemplate(t, refs));
  }
  const hugeTemplate = path.join(root, 'templates', 'huge.html');
  templateTexts.set(
    hugeTemplate,
    renderHugeTemplate((i) => pickRef(TEMPLATE_COUNT + i, 0)),
  );
  const completionTemplate = path.join(root, 'templates', 'bench', 'completion.html');
  templateTexts.set(completionTemplate, COMPLETION_TEMPLATE);

  const pythonFiles = new Map<string, string>();
  pythonFiles.set(path.join(root, 'manage.py'), MANAGE_PY);
  pythonFiles.set(path.join(root, 'benchproj', '__init__.py'), '');
  pythonFiles.set(path.join(root, 'benchproj', 'urls.py'), 'urlpatterns = []\n');
  pythonFiles.set(path.join(root, 'benchproj', 'settings.py'), settingsPy(apps, staticRoot));
  for (const app of apps) pythonFiles.set(path.join(root, app, '__init__.py'), '');

  const project: GeneratedProject = {
    root,
    settingsFile: path.join(root, 'benchproj', 'settings.py'),
    staticRoot,
    fileCount: sources.reduce((n, s) => n + s.files.length, 0),
    uniquePaths: destinations.size,
    duplicateFiles,
    staticRoots: sources.map((s) => s.dir),
    bigFolder: 'd0/big',
    bigFolderEntries: bigCount,
    templates,
    hugeTemplate,
    completionTemplate,
    incrementalAddPath: path.join(dirRoots[0], incrementalAddDest),
    incrementalAddDest,
    incrementalReferrers: templates.slice(0, INCREMENTAL_REFERRERS),
  };
  return { project, sources, templateTexts, pythonFiles };
}

function writeProject(plan: Plan): void {
  const made = new Set<string>();
  const write = (file: string, text: string): void => {
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(file, text);
  };
  for (const source of plan.sources) {
    fs.mkdirSync(source.dir, { recursive: true });
    for (const file of source.files) write(path.join(source.dir, file), `/* ${source.dir} ${file} */\n`);
  }
  for (const [file, text] of plan.templateTexts) write(file, text);
  for (const [file, text] of plan.pythonFiles) write(file, text);
}

function tagFor(ref: string, i: number): string {
  if (ref.endsWith('.css')) return `<link rel="stylesheet" href="{% static '${ref}' %}">`;
  if (ref.endsWith('.js')) return `<script src="{% static '${ref}' %}"></script>`;
  return `<img src="{% static "${ref}" %}" alt="image ${i}">`;
}

function renderTemplate(t: number, refs: string[]): string {
  const lines = ['{% load static %}', '<!doctype html>', `<html><head><title>Page ${t}</title>`];
  refs.forEach((ref, i) => {
    lines.push(`  ${tagFor(ref, i)}`);
    if (i === REFS_PER_TEMPLATE / 2) lines.push('</head><body>', '  {% block content %}<p>{{ object.title }}</p>{% endblock %}');
  });
  lines.push('</body></html>', '');
  return lines.join('\n');
}

function renderHugeTemplate(ref: (i: number) => string): string {
  const lines = ['{% load static %}'];
  for (let i = 1; i < HUGE_TEMPLATE_LINES; i++) {
    if (i % 4 === 0) lines.push(`    ${tagFor(ref(i), i)}`);
    else if (i % 4 === 1) lines.push(`  <div class="row-${i}">{% if user.is_authenticated %}{{ user.name }}{% endif %}`);
    else if (i % 4 === 2) lines.push(`    <p>Row ${i}: lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>`);
    else lines.push('  </div>');
  }
  return lines.join('\n') + '\n';
}

/** Line 1: cursor after `d0/big/` (the big folder); line 2: cursor inside empty quotes (the root). */
const COMPLETION_TEMPLATE = `{% load static %}
<img src="{% static 'd0/big/' %}">
<img src="{% static '' %}">
`;
export const COMPLETION_POSITIONS = {
  bigFolder: { line: 1, character: `<img src="{% static 'd0/big/`.length },
  root: { line: 2, character: `<img src="{% static '`.length },
};

export const MANAGE_PY = `#!/usr/bin/env python
import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'benchproj.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
`;

function settingsPy(apps: string[], staticRoot: string): string {
  const dirs = Array.from({ length: DIR_COUNT }, (_, k) =>
    k === DIR_COUNT - 1 ? `    ('${VENDOR_PREFIX}', BASE_DIR / 'static_src' / 'dir_${k}'),` : `    BASE_DIR / 'static_src' / 'dir_${k}',`,
  );
  return `"""Synthetic project generated by the django-static-files benchmark."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'bench-only-not-secret'
DEBUG = True
ALLOWED_HOSTS = []

INSTALLED_APPS = [
    'django.contrib.staticfiles',
${apps.map((a) => `    '${a}',`).join('\n')}
]

ROOT_URLCONF = 'benchproj.urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [BASE_DIR / 'templates'],
        'APP_DIRS': True,
        'OPTIONS': {},
    },
]

DATABASES = {}

STATIC_URL = '/static/'
STATIC_ROOT = ${JSON.stringify(staticRoot)}
STATICFILES_DIRS = [
${dirs.join('\n')}
]
`;
}
