/**
 * Module → file resolution following Python's path-based import rules: in each search folder a package
 * (`name/__init__.py`) beats a module (`name.py`), which beats a namespace-package folder; namespace
 * portions are collected across folders and used only when nothing else matched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../paths';
import { isDirectory, isFile } from './pyPath';

/** Where a dotted module lives. */
export interface ModuleLocation {
  name: string;
  /** The file to read: `module.py` or `package/__init__.py`; null for a namespace package. */
  file: string | null;
  isPackage: boolean;
  /** The package's `__path__` (folders searched for its submodules); empty for a plain module. */
  searchPaths: string[];
  /** True when found under the project folder rather than site-packages. */
  inProject: boolean;
}

export class ModuleResolver {
  private readonly cache = new Map<string, ModuleLocation | null>();

  /**
   * `projectRoots` come first, as manage.py's folder comes first on sys.path; `repositoryRoots` (the project's
   * repository, installed in development mode) last, but what is found there is the user's code too.
   */
  constructor(
    private projectRoots: string[],
    private readonly siteRoots: string[],
    private readonly repositoryRoots: string[] = [],
  ) {}

  /** Follows `sys.path.insert(0, BASE_DIR / 'apps')` in settings: user folders searched before site-packages. */
  setProjectRoots(roots: string[]): void {
    if (roots.length === this.projectRoots.length && roots.every((root, i) => root === this.projectRoots[i])) return;
    this.projectRoots = roots;
    this.cache.clear();
  }

  resolve(dotted: string): ModuleLocation | null {
    if (this.cache.has(dotted)) return this.cache.get(dotted)!;
    const found = this.find(dotted);
    this.cache.set(dotted, found);
    return found;
  }

  private find(dotted: string): ModuleLocation | null {
    const parts = dotted.split('.');
    if (parts.some((part) => !part)) return null;
    let searchPaths = [...this.projectRoots, ...this.siteRoots, ...this.repositoryRoots];
    let location: ModuleLocation | null = null;
    for (let i = 0; i < parts.length; i++) {
      if (location && !location.isPackage) return null;
      location = findIn(parts.slice(0, i + 1).join('.'), parts[i], searchPaths);
      if (!location) return null;
      searchPaths = location.searchPaths;
    }
    if (!location) return null;
    const anchor = location.file ?? location.searchPaths[0];
    const inside = (root: string) => anchor !== root && isInside(root, anchor);
    location.inProject = this.projectRoots.some(inside) || (this.repositoryRoots.some(inside) && !this.siteRoots.some(inside));
    return location;
  }
}

function findIn(name: string, leaf: string, searchPaths: string[]): ModuleLocation | null {
  const portions: string[] = [];
  for (const folder of searchPaths) {
    const candidate = path.join(folder, leaf);
    const init = path.join(candidate, '__init__.py');
    if (isFile(init)) return { name, file: init, isPackage: true, searchPaths: [candidate], inProject: false };
    const moduleFile = `${candidate}.py`;
    if (isFile(moduleFile)) return { name, file: moduleFile, isPackage: false, searchPaths: [], inProject: false };
    if (isDirectory(candidate)) portions.push(candidate);
  }
  if (portions.length) return { name, file: null, isPackage: true, searchPaths: portions, inProject: false };
  return null;
}

/**
 * The absolute module a relative import names: `level` leading dots from `packageName` (the importing
 * module's `__package__`). Null when the dots climb above the top-level package.
 */
export function resolveRelativeModule(level: number, moduleName: string | null, packageName: string): string | null {
  const base = packageName ? packageName.split('.') : [];
  if (level - 1 > base.length || (level > 0 && base.length === 0)) return null;
  const kept = base.slice(0, base.length - (level - 1));
  const parts = moduleName ? [...kept, moduleName] : kept;
  return parts.length ? parts.join('.') : null;
}

/**
 * site-packages folders plus the folders their `.pth` files add (editable installs from flit, hatch,
 * poetry and legacy setuptools), in the order Python's site module adds them.
 */
export function withPthFolders(sitePackages: string[]): string[] {
  const folders: string[] = [];
  const add = (folder: string) => {
    if (!folders.includes(folder)) folders.push(folder);
  };
  for (const site of sitePackages) {
    add(site);
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(site)
        .filter((name) => name.endsWith('.pth'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      let text = '';
      try {
        text = fs.readFileSync(path.join(site, name), 'utf8');
      } catch {
        continue;
      }
      for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        // Lines starting with `import` are code the site module runs; static mode never does.
        if (!line || line.startsWith('#') || line.startsWith('import ') || line.startsWith('import\t')) continue;
        const folder = path.resolve(site, line);
        if (isDirectory(folder)) add(folder);
      }
    }
  }
  return folders;
}
