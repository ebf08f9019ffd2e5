/**
 * Seeded generator of small Django projects for the differential suite: apps with and without static/,
 * STATICFILES_DIRS with and without prefixes, the same root under several prefixes (Django's storage-per-root
 * quirk), paths shared across sources, dotfiles, `~` files, CVS, nested folders, spaces and non-ASCII names,
 * symlinked folders. Every file's content is unique (`<physical folder>:<relative path>`), so the copy
 * collectstatic made tells which source won. Settings never trip a staticfiles E00x check, and no
 * configuration makes Django 3.2's collectstatic crash (missing roots, broken links, symlink loops).
 */
import * as fs from 'fs';
import * as path from 'path';
import { seededRandom } from '../seeded';

/** Deterministic pseudo-random choices (mulberry32 underneath). */
export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

const FOLDERS = ['css', 'js', 'img', 'fonts', 'vendor', 'lib', 'sub dir', 'ünï', 'deep', 'CVS', '.dotdir', 'pre'];
const FILES = [
  'site.css',
  'app.js',
  'logo.png',
  'a b.css',
  'é.js',
  'ñ.txt',
  '.hidden',
  'x.css~',
  'CVS',
  'README',
  'data.json',
  'x[1].css',
  'main.min.js',
  'Icon.SVG',
  '#tmp#',
  'a,b.css',
  "it's.css",
];
const PREFIXES = ['pre', 'vendor', 'p/q', 'css', 'ünï', 'x y'];

export interface GeneratedTree {
  dir: string;
  seed: number;
  /** Every destination path a source provides in find() terms (prefix included): used to pick queries. */
  destinations: string[];
  /** Prefixes in use. */
  prefixes: string[];
  /** Top-level folder names in use (for folder and normalisation queries). */
  folders: string[];
  description: string;
}

function writeFile(abs: string, content: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
}

/** Fills `folder` with a random subset of shared paths plus a few of its own; returns the relative paths. */
function fillFolder(rng: Random, folder: string, pool: string[], label: string): string[] {
  const rels = rng.sample(pool, rng.int(1, Math.min(pool.length, 10)));
  for (let i = rng.int(0, 3); i > 0; i--) rels.push(`${rng.pick(FOLDERS)}/only-${label}-${i}${rng.pick(['.css', '.js', ''])}`);
  const written: string[] = [];
  for (const rel of new Set(rels)) {
    const abs = path.join(folder, rel);
    // A name used as a folder elsewhere in this source cannot also be a file here (and vice versa).
    if (conflicts(folder, rel)) continue;
    writeFile(abs, `${label}:${rel}\n`);
    written.push(rel);
  }
  if (rng.chance(0.2)) fs.mkdirSync(path.join(folder, 'empty', 'dir'), { recursive: true });
  return written;
}

function conflicts(folder: string, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const abs = path.join(folder, ...parts.slice(0, i));
    if (!fs.existsSync(abs)) continue;
    const isDir = fs.statSync(abs).isDirectory();
    if (i < parts.length ? !isDir : true) return true;
  }
  return false;
}

function sharedPool(rng: Random): string[] {
  const pool = new Set<string>();
  for (let i = rng.int(6, 16); i > 0; i--) {
    const depth = rng.int(0, 3);
    const folders = Array.from({ length: depth }, () => rng.pick(FOLDERS));
    pool.add([...folders, rng.pick(FILES)].join('/'));
  }
  return [...pool];
}

/** A Python expression for `BASE_DIR`-relative folder `rel`, in one of the ways real settings write it. */
function pathExpr(rng: Random, rel: string): string {
  const parts = rel.split('/');
  const quoted = parts.map((p) => `'${p}'`);
  switch (rng.int(0, 2)) {
    case 0:
      return `BASE_DIR / ${quoted.join(' / ')}`;
    case 1:
      return `os.path.join(BASE_DIR, ${quoted.join(', ')})`;
    default:
      return `str(BASE_DIR / '${rel}')`;
  }
}

/** Builds one project below `parent`; returns what the queries need. */
export function generateTree(parent: string, seed: number): GeneratedTree {
  const rng = new Random(seed);
  const dir = path.join(parent, `tree-${seed}`);
  fs.mkdirSync(path.join(dir, 'dproj'), { recursive: true });
  const pool = sharedPool(rng);
  const destinations = new Set<string>();
  const prefixesUsed = new Set<string>();
  const notes: string[] = [];

  // Folders outside every root that symlinks point at.
  const shared: string[] = [];
  for (let i = rng.int(0, 2); i > 0; i--) {
    const rel = `shared/s${i}`;
    const rels = fillFolder(rng, path.join(dir, rel), pool, rel);
    shared.push(rel);
    for (const r of rels) destinations.add(r);
  }
  const linkShared = (at: string): string[] | null => {
    if (!shared.length) return null;
    const target = rng.pick(shared);
    try {
      fs.mkdirSync(path.dirname(at), { recursive: true });
      if (fs.existsSync(at)) return null;
      fs.symlinkSync(path.relative(path.dirname(at), path.join(dir, target)), at);
    } catch {
      return null; // a file already sits where a folder would go
    }
    return fs.readdirSync(path.join(dir, target)).length ? listFiles(path.join(dir, target)) : [];
  };

  // STATICFILES_DIRS.
  const entries: string[] = [];
  const roots: Array<{ rel: string; files: string[] }> = [];
  for (let i = 0, n = rng.int(0, 4); i < n; i++) {
    const rel = `dirs/d${i}`;
    // The listing below is what counts; these calls only build the folder (and draw from the seeded rng).
    if (rng.chance(0.1) && shared.length) {
      linkShared(path.join(dir, rel));
      notes.push(`${rel} is a symlink`);
    } else {
      fillFolder(rng, path.join(dir, rel), pool, rel);
      if (rng.chance(0.3)) {
        const linked = linkShared(path.join(dir, rel, rng.pick(['linked', 'css/linked', 'ünï link'])));
        if (linked) notes.push(`${rel} holds a symlinked folder`);
      }
    }
    roots.push({ rel, files: listFiles(path.join(dir, rel)) });
  }
  for (const root of roots) {
    const prefix = rng.chance(0.35) ? rng.pick(PREFIXES) : '';
    entries.push(entryExpr(rng, prefix, root.rel));
    addDestinations(destinations, prefix, root.files, prefixesUsed);
  }
  if (roots.length && rng.chance(0.2)) {
    // Same root again under another prefix: find() honours each, collectstatic only the last.
    const root = rng.pick(roots);
    const prefix = rng.pick(['', ...PREFIXES]);
    entries.push(entryExpr(rng, prefix, root.rel));
    addDestinations(destinations, prefix, root.files, prefixesUsed);
    notes.push(`root ${root.rel} repeated with prefix '${prefix}'`);
  }
  if (roots.length && rng.chance(0.05)) {
    // The same root spelled with a trailing slash is another storage for Django.
    const root = rng.pick(roots);
    entries.push(
      `os.path.join(BASE_DIR, ${root.rel
        .split('/')
        .map((p) => `'${p}'`)
        .join(', ')}, '')`,
    );
    notes.push(`root ${root.rel} repeated with a trailing slash`);
  }

  // Apps.
  const apps: string[] = [];
  for (let i = 0, n = rng.int(0, 4); i < n; i++) {
    const name = `app${i}`;
    const appDir = path.join(dir, name);
    writeFile(path.join(appDir, '__init__.py'), '');
    let entry = name;
    if (rng.chance(0.3)) {
      const cls = `App${i}Config`;
      writeFile(path.join(appDir, 'apps.py'), `from django.apps import AppConfig\n\n\nclass ${cls}(AppConfig):\n    name = '${name}'\n`);
      entry = `${name}.apps.${cls}`;
    }
    apps.push(entry);
    const roll = rng.next();
    if (roll < 0.1 && shared.length) {
      const files = linkShared(path.join(appDir, 'static'));
      if (files) {
        addDestinations(destinations, '', files, prefixesUsed);
        notes.push(`${name}/static is a symlink`);
      }
    } else if (roll < 0.8) {
      // Namespaced like real apps half of the time, flat (colliding) otherwise.
      const staticDir = path.join(appDir, 'static');
      if (rng.chance(0.5)) {
        fillFolder(rng, path.join(staticDir, name), pool, `${name}/static/${name}`);
        fillFolder(rng, staticDir, pool.slice(0, 3), `${name}/static`);
      } else {
        fillFolder(rng, staticDir, pool, `${name}/static`);
      }
      addDestinations(destinations, '', listFiles(staticDir), prefixesUsed);
    } else {
      writeFile(path.join(appDir, 'templates', 'x.html'), 'no static here\n');
    }
  }

  const dirsLiteral = rng.chance(0.8)
    ? `[\n${entries.map((e) => `    ${e},\n`).join('')}]`
    : `(\n${entries.map((e) => `    ${e},\n`).join('')})`;
  writeFile(path.join(dir, 'dproj', '__init__.py'), '');
  writeFile(
    path.join(dir, 'dproj', 'settings.py'),
    [
      'import os',
      'from pathlib import Path',
      '',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      "SECRET_KEY = 'differential'",
      'DEBUG = True',
      'USE_TZ = True',
      'INSTALLED_APPS = [',
      "    'django.contrib.staticfiles',",
      ...apps.map((a) => `    '${a}',`),
      ']',
      "STATIC_URL = '/static/'",
      "STATIC_ROOT = BASE_DIR / 'static_root'",
      `STATICFILES_DIRS = ${dirsLiteral}`,
      '',
    ].join('\n'),
  );
  writeFile(
    path.join(dir, 'manage.py'),
    [
      '#!/usr/bin/env python',
      'import os',
      'import sys',
      '',
      '',
      'def main():',
      "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dproj.settings')",
      '    from django.core.management import execute_from_command_line',
      '    execute_from_command_line(sys.argv)',
      '',
      '',
      "if __name__ == '__main__':",
      '    main()',
      '',
    ].join('\n'),
  );

  const folders = [...new Set([...destinations].filter((d) => d.includes('/')).map((d) => d.split('/')[0]))];
  return {
    dir,
    seed,
    destinations: [...destinations].sort(),
    prefixes: [...prefixesUsed],
    folders,
    description: `${roots.length} dirs, ${apps.length} apps, ${entries.length} entries${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

function entryExpr(rng: Random, prefix: string, rel: string): string {
  const expr = pathExpr(rng, rel);
  if (!prefix) return expr;
  return rng.chance(0.7) ? `('${prefix}', ${expr})` : `['${prefix}', ${expr}]`;
}

function addDestinations(into: Set<string>, prefix: string, files: string[], prefixes: Set<string>): void {
  if (prefix) prefixes.add(prefix);
  for (const f of files) into.add(prefix ? `${prefix}/${f}` : f);
}

/** Every file below `folder` (following symlinked folders), relative, `/`-separated. */
export function listFiles(folder: string, rel = ''): string[] {
  const out: string[] = [];
  const abs = rel ? path.join(folder, rel) : folder;
  if (!fs.existsSync(abs)) return out;
  for (const entry of fs.readdirSync(abs)) {
    const childRel = rel ? `${rel}/${entry}` : entry;
    if (fs.statSync(path.join(folder, childRel)).isDirectory()) out.push(...listFiles(folder, childRel));
    else out.push(childRel);
  }
  return out;
}
