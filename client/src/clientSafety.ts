/**
 * Decides whether `collectstatic --clear` may run: clearing deletes every file below STATIC_ROOT, following
 * symlinked folders (Django's clear_dir lists with `os.scandir(...).is_dir()` and recurses), so a
 * misconfigured root must be refused before the user is even asked: unset, the project itself, a source
 * folder (STATICFILES_DIRS, an app package or its static/, a templates folder, the settings package), a
 * repository's .git, a Python environment, a system folder, `/` or the home folder, or a root holding
 * symlinks to folders outside it. Pure: no `vscode`, no file system (the caller resolves symlinks and
 * scans the root, see clearScan.ts), so it is unit-tested directly.
 */
import * as nodePath from 'node:path';

export interface ClearSafetyInput {
  /** STATIC_ROOT as Django resolved it (absolute), or null/empty when unset. */
  staticRoot: string | null | undefined;
  /** Folder holding manage.py. */
  projectDir: string;
  /** Absolute STATICFILES_DIRS roots (prefixes dropped). */
  staticfilesDirs: readonly string[];
  /** The user's home folder. */
  homeDir: string;
  /** Installed apps' package folders (realpath'd), each with its label. */
  apps?: readonly { label: string; path: string }[];
  /** Template folders: TEMPLATES DIRS and the apps' templates/ folders. */
  templateDirs?: readonly string[];
  /** The folder holding the settings module (the settings package). */
  settingsDir?: string | null;
  /** The Python environment Django runs in (`sys.prefix`, `sys.base_prefix`). */
  pythonPrefixes?: readonly string[];
  /** What is on disk at STATIC_ROOT (clearScan.ts). */
  scan?: RootScan;
  /** Path flavour; defaults to the running platform's. */
  pathApi?: nodePath.PlatformPath;
}

/** Facts about the folder STATIC_ROOT names, read from disk by the caller. */
export interface RootScan {
  /** Symlinked folders below it, with where they lead (realpath). */
  linkedFolders: readonly { link: string; target: string }[];
  /** Marker names found directly in it: `.git`, `pyvenv.cfg`, `manage.py`. */
  markers: readonly string[];
}

/**
 * Folders that belong to the system. The first group is refused with anything inside; the second only as
 * the folder itself (`/var/www/static` and `/srv/site/static` are ordinary STATIC_ROOTs).
 */
const SYSTEM_TREES = [
  '/usr',
  '/etc',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/dev',
  '/proc',
  '/sys',
  '/run',
  '/System',
  '/Library',
  '/Applications',
  '/private/etc',
];
const SYSTEM_FOLDERS = [
  '/var',
  '/srv',
  '/opt',
  '/tmp',
  '/home',
  '/root',
  '/mnt',
  '/media',
  '/snap',
  '/Users',
  '/private',
  '/private/var',
  '/private/tmp',
  '/var/lib',
  '/var/log',
  '/var/tmp',
];
const WINDOWS_TREES = ['\\Windows', '\\Program Files', '\\Program Files (x86)', '\\ProgramData'];

export type ClearSafety = { ok: true; staticRoot: string } | { ok: false; reason: string };

export function checkClearSafety(input: ClearSafetyInput): ClearSafety {
  const p = input.pathApi ?? nodePath;
  const raw = (input.staticRoot ?? '').trim();
  if (!raw) {
    return refuse(
      'STATIC_ROOT is not set, so there is nothing to clear. Set STATIC_ROOT in your settings to the folder collectstatic should write to.',
    );
  }
  if (!p.isAbsolute(raw)) {
    return refuse(`STATIC_ROOT '${raw}' is not an absolute path; refusing to clear a folder that depends on the working directory.`);
  }
  const root = normalise(p, raw);
  const same = (a: string, b: string) => comparable(p, a) === comparable(p, b);
  const contains = (outer: string, inner: string) => isInsideOrSame(p, outer, inner);

  if (same(root, p.parse(root).root)) {
    return refuse(`STATIC_ROOT is the file system root (${root}); clearing it would delete everything.`);
  }
  const home = input.homeDir ? normalise(p, input.homeDir) : '';
  if (home && contains(root, home)) {
    return refuse(
      same(root, home)
        ? `STATIC_ROOT is your home folder (${root}); clearing it would delete your files.`
        : `STATIC_ROOT (${root}) contains your home folder; clearing it would delete your files.`,
    );
  }
  if (p.sep !== '\\' && root.split('/').includes('.git')) {
    return refuse(`STATIC_ROOT (${root}) is inside a Git repository's .git folder; clearing it would destroy the repository's history.`);
  }
  const project = normalise(p, input.projectDir);
  if (contains(root, project)) {
    return refuse(
      same(root, project)
        ? `STATIC_ROOT is the project folder itself (${root}); clearing it would delete your source code.`
        : `STATIC_ROOT (${root}) contains the project folder ${project}; clearing it would delete your source code.`,
    );
  }
  for (const dir of input.staticfilesDirs) {
    if (!dir) continue;
    const source = normalise(p, p.isAbsolute(dir) ? dir : p.join(project, dir));
    if (contains(root, source)) {
      return refuse(
        same(root, source)
          ? `STATIC_ROOT is also a STATICFILES_DIRS entry (${source}); clearing it would delete source static files.`
          : `STATIC_ROOT (${root}) contains the STATICFILES_DIRS entry ${source}; clearing it would delete source static files.`,
      );
    }
    if (contains(source, root)) {
      return refuse(`STATIC_ROOT (${root}) is inside the STATICFILES_DIRS entry ${source}; clearing it would delete source static files.`);
    }
  }
  const system = systemFolder(p, root);
  if (system)
    return refuse(
      `STATIC_ROOT (${root}) is ${system === root ? 'the system folder' : `inside the system folder ${system}`}; clearing it would delete files the system needs.`,
    );
  // A folder that holds the project itself (settings.py next to manage.py, an app at the project's top,
  // `TEMPLATES DIRS = [BASE_DIR]`) does not make every folder in the project a source folder.
  const settingsDir = input.settingsDir ? normalise(p, input.settingsDir) : '';
  if (settingsDir && (contains(root, settingsDir) || (contains(settingsDir, root) && !contains(settingsDir, project)))) {
    return refuse(
      `STATIC_ROOT (${root}) ${relation(root, settingsDir)} the settings package ${settingsDir}; clearing it would delete your settings.`,
    );
  }
  for (const app of input.apps ?? []) {
    const dir = normalise(p, app.path);
    const appStatic = p.join(dir, 'static');
    if (contains(appStatic, root)) {
      return refuse(
        `STATIC_ROOT (${root}) is ${same(root, appStatic) ? '' : 'inside '}app '${app.label}''s static folder ${appStatic}; clearing it would delete the app's source static files.`,
      );
    }
    if (contains(root, dir) || (contains(dir, root) && !contains(dir, project))) {
      return refuse(
        `STATIC_ROOT (${root}) ${relation(root, dir)} the package of app '${app.label}' (${dir}); clearing it would delete its source code.`,
      );
    }
  }
  for (const templates of input.templateDirs ?? []) {
    const dir = normalise(p, templates);
    if (contains(root, dir) || (contains(dir, root) && !contains(dir, project))) {
      return refuse(`STATIC_ROOT (${root}) ${relation(root, dir)} the templates folder ${dir}; clearing it would delete your templates.`);
    }
  }
  for (const prefix of input.pythonPrefixes ?? []) {
    if (!prefix) continue;
    const env = normalise(p, prefix);
    if (contains(root, env) || (contains(env, root) && !contains(env, project))) {
      return refuse(
        `STATIC_ROOT (${root}) ${relation(root, env)} the Python environment ${env} Django runs in; clearing it would break that environment.`,
      );
    }
  }
  const markers = input.scan?.markers ?? [];
  if (markers.includes('pyvenv.cfg'))
    return refuse(`STATIC_ROOT (${root}) is a Python virtual environment (it holds pyvenv.cfg); clearing it would destroy it.`);
  if (markers.includes('.git'))
    return refuse(`STATIC_ROOT (${root}) holds a Git repository (.git); clearing it would delete the repository's files and history.`);
  if (markers.includes('manage.py'))
    return refuse(`STATIC_ROOT (${root}) holds a manage.py: it looks like a Django project, not a folder collectstatic owns.`);
  const outside = (input.scan?.linkedFolders ?? []).filter((l) => !contains(root, normalise(p, l.target)));
  if (outside.length > 0) {
    const named = outside
      .slice(0, 3)
      .map((l) => `${l.link} -> ${l.target}`)
      .join(', ');
    const more = outside.length > 3 ? ` and ${outside.length - 3} more` : '';
    return refuse(
      `STATIC_ROOT (${root}) holds symlinks to folders outside it (${named}${more}); collectstatic --clear deletes the files inside them too. Remove the links first.`,
    );
  }
  return { ok: true, staticRoot: root };

  function relation(a: string, b: string): string {
    return same(a, b) ? 'is' : contains(a, b) ? 'contains' : 'is inside';
  }
}

/** The system folder `root` is or lies inside, or null. */
function systemFolder(p: nodePath.PlatformPath, root: string): string | null {
  if (p.sep === '\\') {
    const rest = root.slice(p.parse(root).root.length - 1).toLowerCase();
    const hit = WINDOWS_TREES.find((t) => rest === t.toLowerCase() || rest.startsWith(`${t.toLowerCase()}\\`));
    return hit ? p.join(p.parse(root).root, hit.slice(1)) : null;
  }
  const tree = SYSTEM_TREES.find((t) => root === t || root.startsWith(`${t}/`));
  if (tree) return tree;
  return SYSTEM_FOLDERS.includes(root) ? root : null;
}

function refuse(reason: string): ClearSafety {
  return { ok: false, reason };
}

function normalise(p: nodePath.PlatformPath, value: string): string {
  const resolved = p.resolve(value);
  const { root } = p.parse(resolved);
  return resolved.length > root.length ? resolved.replace(/[\\/]+$/, '') : resolved;
}

/** Windows paths compare case-insensitively; POSIX ones exactly. */
function comparable(p: nodePath.PlatformPath, value: string): string {
  return p.sep === '\\' ? value.toLowerCase() : value;
}

function isInsideOrSame(p: nodePath.PlatformPath, outer: string, inner: string): boolean {
  const rel = p.relative(comparable(p, outer), comparable(p, inner));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}
