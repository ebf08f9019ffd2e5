import { Dirent } from 'node:fs';
import { fsAsync as fs } from './fsAsync';
import * as path from 'node:path';
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { exists, fastGlob } from './fsUtil';
import { readDotenv } from './dotenv';

/** A Django project found below a workspace root. */
export interface ProjectLocation {
  /** Folder holding manage.py (or the root when there is none and a settings module was given). */
  projectDir: string;
  /** Absolute manage.py, or null for a project given only by its settings module. */
  managePy: string | null;
  /**
   * Settings module from `--settings`, DJANGO_SETTINGS_MODULE, manage.py's setdefault call, the project's `.env`,
   * or else a guess (settingsGuessed says so); null if unknown.
   */
  settingsModule: string | null;
  /** Set when nothing names the settings module and settingsModule is a guess: the modules it was chosen among. */
  settingsGuessed?: string[];
}

/** How many folder levels below the root are read for manage.py files (the root itself is level 0). */
const MAX_LEVEL = 5;

/**
 * Folders that never hold a project of the user's own: dependencies, caches, virtual environments.
 * Hidden folders (`.git`, `.venv`, `.tox`...) are never entered either.
 */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'site-packages',
  'dist-packages',
  '__pypackages__',
  'venv',
  '__pycache__',
  'htmlcov',
]);

/**
 * Folders of a Python package (one holding `__init__.py`) that are Django's own kinds of data, never a project:
 * an app's static files, templates, translations and migrations. Static folders are where a monorepo's
 * file count is, so not entering them keeps the walk's cost independent of it.
 */
const PACKAGE_DATA_FOLDERS = new Set(['static', 'templates', 'jinja2', 'locale', 'migrations']);

/** What findProjects may leave out of its walk. */
export interface FindOptions {
  /**
   * Absolute folders not entered: the static sources and STATIC_ROOT of projects already read (see
   * staticFolders), which hold files, never a manage.py of their own.
   */
  prune?: Iterable<string>;
}

/**
 * Every manage.py below `root` (the root's own first), nearest first, each with its settings module.
 * When there is none and a settings module is given, the root itself is the project.
 */
export async function findProjects(root: string, settingsOverride?: string, options: FindOptions = {}): Promise<ProjectLocation[]> {
  const absRoot = path.resolve(root);
  const relative = await managePysBelow(absRoot, new Set([...(options.prune ?? [])].map((dir) => path.resolve(dir))));
  relative.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));

  const projects: ProjectLocation[] = [];
  for (const rel of relative) {
    const location = await locate(absRoot, path.join(absRoot, rel), settingsOverride);
    if (location) projects.push(location);
  }
  const fallback = settingsOverride || envSettingsModule();
  if (projects.length === 0 && fallback) {
    projects.push({ projectDir: absRoot, managePy: null, settingsModule: fallback });
  }
  return projects;
}

/**
 * The project whose manage.py is right in `root`, without walking below it (what findProjects lists first
 * then): lets the language server start on the usual one-project workspace while the walk goes on.
 */
export async function projectAt(root: string, settingsOverride?: string): Promise<ProjectLocation | null> {
  const absRoot = path.resolve(root);
  const managePy = path.join(absRoot, 'manage.py');
  const stat = await fs.lstat(managePy).catch(() => undefined);
  return stat?.isFile() ? locate(absRoot, managePy, settingsOverride) : null;
}

async function locate(absRoot: string, managePy: string, settingsOverride?: string): Promise<ProjectLocation | null> {
  const projectDir = path.dirname(managePy);
  if (await insideVirtualEnv(absRoot, projectDir)) return null;
  return { projectDir, managePy, ...(await settingsFor(projectDir, managePy, settingsOverride)) };
}

/** The settings module, in the order Django's own start-up would take it; a guess only when nothing names one. */
async function settingsFor(
  projectDir: string,
  managePy: string,
  settingsOverride?: string,
): Promise<Pick<ProjectLocation, 'settingsModule' | 'settingsGuessed'>> {
  const named =
    settingsOverride ||
    envSettingsModule() ||
    (await settingsModuleFromManagePy(managePy)) ||
    validModule((await readDotenv(projectDir)).DJANGO_SETTINGS_MODULE?.trim() ?? null);
  if (named) return { settingsModule: named };
  const guess = await guessSettingsModule(projectDir);
  return guess ? { settingsModule: guess.module, settingsGuessed: guess.among } : { settingsModule: null };
}

/**
 * Relative paths of the manage.py files below `root`. A walk of its own rather than a glob: it reads each
 * folder once and matches one name, where a glob matched every file of every static folder against its
 * patterns (130 ms at 10k files, most of the server's start). Symbolic links are not followed.
 */
async function managePysBelow(root: string, prune: ReadonlySet<string>): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string, level: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable: nothing below it counts
    }
    const isPackage = entries.some((entry) => entry.name === '__init__.py' && entry.isFile());
    const below: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const entryRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile()) {
        if (entry.name === 'manage.py') found.push(entryRel);
      } else if (
        entry.isDirectory() &&
        level < MAX_LEVEL &&
        !SKIPPED_FOLDERS.has(entry.name) &&
        !(isPackage && PACKAGE_DATA_FOLDERS.has(entry.name))
      ) {
        const child = path.join(dir, entry.name);
        if (!prune.has(child)) below.push(walk(child, entryRel, level + 1));
      }
    }
    await Promise.all(below);
  };
  await walk(root, '', 0);
  return found;
}

/** How many folders above the root manage.py is looked for when there is none below it. */
const MAX_LEVELS_UP = 4;

/**
 * The project enclosing `dir` when `dir` is a folder inside it (the CLI run from `blog/static/`): the nearest
 * ancestor holding manage.py, a few levels up at most. Null when there is none.
 */
export async function findEnclosingProject(dir: string, settingsOverride?: string): Promise<ProjectLocation | null> {
  let current = path.resolve(dir);
  for (let level = 0; level < MAX_LEVELS_UP && path.dirname(current) !== current; level++) {
    current = path.dirname(current);
    const managePy = path.join(current, 'manage.py');
    if (!(await exists(managePy))) continue;
    return { projectDir: current, managePy, ...(await settingsFor(current, managePy, settingsOverride)) };
  }
  return null;
}

function depth(relative: string): number {
  return relative.split('/').length;
}

function envSettingsModule(): string | null {
  return process.env.DJANGO_SETTINGS_MODULE?.trim() || null;
}

/** True when a folder between root and dir (inclusive) is a virtual environment of any name (`pyvenv.cfg`). */
async function insideVirtualEnv(root: string, dir: string): Promise<boolean> {
  for (let current = dir; current.startsWith(root) && current !== root; current = path.dirname(current)) {
    if (await exists(path.join(current, 'pyvenv.cfg'))) return true;
  }
  return false;
}

/** Reads manage.py's `os.environ.setdefault('DJANGO_SETTINGS_MODULE', '...')` (or a plain assignment). */
export async function settingsModuleFromManagePy(managePy: string): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(managePy, 'utf8');
  } catch {
    return null;
  }
  return settingsModuleFromSource(text);
}

/** The settings module a manage.py-like source sets, from its syntax tree (comments and strings can't fool it). */
export function settingsModuleFromSource(source: string): string | null {
  const tree = parser.parse(source);
  let result: string | null = null;
  tree.iterate({
    enter: (ref) => {
      if (result !== null) return false;
      if (ref.name === 'CallExpression') result = fromSetdefaultCall(ref.node, source);
      else if (ref.name === 'AssignStatement') result = fromEnvironAssignment(ref.node, source);
      return undefined;
    },
  });
  return result;
}

/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")` */
function fromSetdefaultCall(call: SyntaxNode, source: string): string | null {
  const callee = call.firstChild;
  if (!callee || callee.name !== 'MemberExpression') return null;
  if (!text(callee, source).replace(/\s+/g, '').endsWith('environ.setdefault')) return null;
  const args = call.getChild('ArgList');
  if (!args) return null;
  const values = args.getChildren('String').length ? meaningful(args) : [];
  if (values.length < 2 || values[0].name !== 'String' || stringValue(text(values[0], source)) !== 'DJANGO_SETTINGS_MODULE') return null;
  const module = defaultString(values[1], source);
  return module === null ? null : validModule(module);
}

function meaningful(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (!['(', ')', ',', 'Comment'].includes(child.name)) out.push(child);
  return out;
}

/**
 * The text a settings-module expression gives when environment variables keep their written defaults:
 * a literal, `os.environ.get('X', 'proj.settings.dev')` / `os.getenv(...)`, or `'proj.settings.' + <one of those>`.
 */
function defaultString(node: SyntaxNode, source: string): string | null {
  if (node.name === 'String') return stringValue(text(node, source));
  if (node.name === 'CallExpression') {
    const callee = node.firstChild ? text(node.firstChild, source).replace(/\s+/g, '') : '';
    const args = node.getChild('ArgList');
    if (!/(^|\.)(environ\.get|getenv)$/.test(callee) || !args) return null;
    const parts = meaningful(args);
    return parts.length === 2 ? defaultString(parts[1], source) : null;
  }
  if (node.name === 'BinaryExpression') {
    const [left, op, right] = meaningful(node);
    if (!left || !op || !right || text(op, source) !== '+') return null;
    const a = defaultString(left, source);
    const b = defaultString(right, source);
    return a !== null && b !== null ? a + b : null;
  }
  if (node.name === 'ParenthesizedExpression') {
    const inner = meaningful(node);
    return inner.length === 1 ? defaultString(inner[0], source) : null;
  }
  return null;
}

/** `os.environ["DJANGO_SETTINGS_MODULE"] = "x.settings"` */
function fromEnvironAssignment(assign: SyntaxNode, source: string): string | null {
  const target = assign.firstChild;
  const value = assign.lastChild;
  if (!target || !value || target.name !== 'MemberExpression' || value.name !== 'String') return null;
  const key = target.getChild('String');
  if (!key || stringValue(text(key, source)) !== 'DJANGO_SETTINGS_MODULE') return null;
  if (!text(target, source).replace(/\s+/g, '').startsWith('os.environ[')) return null;
  return validModule(stringValue(text(value, source)));
}

function text(node: SyntaxNode, source: string): string {
  return source.slice(node.from, node.to);
}

/** The value of a plain Python string literal; null for f-strings and bytes. */
export function stringValue(literal: string): string | null {
  const match = /^([rRuU]?)('''|"""|'|")([\s\S]*)\2$/.exec(literal);
  if (!match) return null;
  const [, prefix, , body] = match;
  if (prefix.toLowerCase() === 'r') return body;
  return body.replace(/\\(.)/g, (_whole, ch: string) => ({ n: '\n', t: '\t', r: '\r' })[ch] ?? ch);
}

function validModule(value: string | null): string | null {
  return value && /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(value) ? value : null;
}

/**
 * Module names a settings package's modules are most often given, in the order one is guessed: the settings a
 * developer runs on their own machine first (they import the shared ones), the shared ones next.
 */
const LIKELY_SETTINGS = ['local', 'development', 'dev', 'develop', 'base', 'common', 'settings', 'default', 'defaults'];

/**
 * Last resort for a manage.py that doesn't name its settings (and no environment or `.env` does): a single
 * `<pkg>/settings.py`, or `<pkg>/settings/` when its `__init__.py` holds settings. A package whose
 * `__init__.py` holds nothing only groups modules (base, development, production...): one of them is guessed.
 */
async function guessSettingsModule(projectDir: string): Promise<{ module: string; among: string[] } | null> {
  const candidates = await fastGlob()(['*/settings.py', '*/settings/__init__.py'], {
    cwd: projectDir,
    onlyFiles: true,
    suppressErrors: true,
    deep: 3,
  });
  const modules = [...new Set(candidates.map((rel) => `${rel.split('/')[0]}.settings`))].filter((m) => validModule(m));
  if (modules.length !== 1) return null;
  const [module] = modules;
  const folder = path.join(projectDir, module.split('.')[0], 'settings');
  const init = await fs.readFile(path.join(folder, '__init__.py'), 'utf8').catch(() => null);
  if (init === null || holdsCode(init)) return { module, among: [module] };
  const names = (await fs.readdir(folder).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.py') && name !== '__init__.py')
    .map((name) => name.slice(0, -3))
    .filter((name) => validModule(name))
    .sort();
  const choice = LIKELY_SETTINGS.find((name) => names.includes(name)) ?? (names.length === 1 ? names[0] : null);
  return choice ? { module: `${module}.${choice}`, among: names.map((name) => `${module}.${name}`) } : null;
}

/** Whether Python source does anything: more than comments, blank lines and a docstring. */
function holdsCode(source: string): boolean {
  const tree = parser.parse(source);
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'Comment') continue;
    if (node.name === 'ExpressionStatement' && node.firstChild?.name === 'String' && node.firstChild.to === node.to) continue;
    return true;
  }
  return false;
}
