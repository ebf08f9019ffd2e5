/**
 * INSTALLED_APPS → AppEntry, following `AppConfig.create` (Django 3.2–5.x): a module entry uses the single
 * AppConfig subclass in its `apps.py` (or the one marked `default = True`), else `default_app_config`
 * (before 4.1), else a plain AppConfig; a dotted class entry names the config directly. Config classes are
 * read, never run: `name`, `label`, `path` and `ignore_patterns` come from their class bodies.
 */
import * as path from 'node:path';
import { behaviourOf } from '../djangoVersion';
import type { AppEntry, Problem } from '../model';
import { Interpreter } from './interpreter';
import { isDirectory } from './pyPath';
import { ModuleResolver } from './settingsFiles';
import { ClassValue, isSequence, PyValue, truthy } from './values';

type ConfigClass = ClassValue | Extract<PyValue, { kind: 'external' }>;

export interface AppsResult {
  apps: AppEntry[];
  problems: Problem[];
  /** The staticfiles app's `ignore_patterns` when it is installed and readable. */
  ignorePatterns: string[] | null;
}

export interface AppsInput {
  entries: string[];
  interpreter: Interpreter;
  resolver: ModuleResolver;
  /** `[major, minor]` of the Django found in site-packages, when known. */
  djangoVersion: [number, number] | null;
  /** Where INSTALLED_APPS was set, for messages. */
  settingsSpot: { file: string; line: number } | null;
  /** site-packages folders searched, for messages. */
  searchedSitePackages: string;
  /** The folder Django runs in (a relative `path` attribute resolves against it). */
  cwd: string;
}

const MAX_BASE_DEPTH = 20;

export function readInstalledApps(input: AppsInput): AppsResult {
  const reader = new AppReader(input);
  const apps = input.entries.map((entry) => reader.read(entry));
  const problems = reader.problems;
  for (const [what, key] of [
    ['labels', 'label'],
    ['names', 'name'],
  ] as const) {
    const seen = new Set<string>();
    for (const app of apps) {
      if (seen.has(app[key])) {
        problems.push({
          kind: 'apps-not-unique',
          message: `Application ${what} aren't unique, duplicates: ${app[key]} (Django refuses to start)`,
          ...(input.settingsSpot ?? {}),
        });
      }
      seen.add(app[key]);
    }
  }
  return { apps, problems, ignorePatterns: reader.ignorePatterns };
}

class AppReader {
  readonly problems: Problem[] = [];
  ignorePatterns: string[] | null = null;

  constructor(private readonly input: AppsInput) {}

  read(entry: string): AppEntry {
    try {
      return this.create(entry);
    } catch (error) {
      if (!(error instanceof AppNotLocated)) throw error;
      const reason = error.message;
      this.problems.push({
        kind: 'app-not-located',
        message: `INSTALLED_APPS entry '${entry}' could not be located: ${reason}`,
        ...(this.input.settingsSpot ?? {}),
      });
      return {
        name: entry,
        label: entry.split('.').pop() ?? entry,
        path: null,
        staticDir: null,
        templatesDir: null,
        notLocatedReason: reason,
      };
    }
  }

  private create(entry: string): AppEntry {
    const { resolver, interpreter } = this.input;
    let configClass: ConfigClass | null = null;
    let appName: string | null = null;
    const module = resolver.resolve(entry);
    if (module) {
      if (module.isPackage && resolver.resolve(`${entry}.apps`)) configClass = this.detectConfig(`${entry}.apps`);
      const legacy = this.defaultAppConfig(entry);
      if (legacy) configClass = legacy;
      if (!configClass) appName = entry;
    } else {
      const cut = entry.lastIndexOf('.');
      const moduleName = cut > 0 ? entry.slice(0, cut) : null;
      const state = moduleName && resolver.resolve(moduleName) ? interpreter.importModule(moduleName, true) : null;
      const found = state?.namespace.get(entry.slice(cut + 1))?.value;
      if (!found) {
        throw new AppNotLocated(
          `no module or AppConfig class named '${entry}' in the project folder or the site-packages static mode searched (${this.input.searchedSitePackages || 'none known'})`,
        );
      }
      if (found.kind !== 'class' && found.kind !== 'external') throw new AppNotLocated(`'${entry}' isn't a subclass of AppConfig`);
      configClass = found;
    }
    if (configClass && !appName) {
      const name = this.classAttribute(configClass, 'name');
      if (!name || name.kind !== 'str') throw new AppNotLocated(`'${entry}' must supply a name attribute that static mode can read`);
      appName = name.value;
    }
    const appModule = resolver.resolve(appName!);
    if (!appModule) throw new AppNotLocated(`cannot find module '${appName}' (the app's name) in the project folder or site-packages`);
    const labelValue = configClass ? this.classAttribute(configClass, 'label') : undefined;
    const label = labelValue?.kind === 'str' ? labelValue.value : appName!.split('.').pop()!;
    const pathValue = configClass ? this.classAttribute(configClass, 'path') : undefined;
    let appPath: string;
    if (pathValue && (pathValue.kind === 'str' || pathValue.kind === 'path')) {
      appPath = path.resolve(this.input.cwd, pathValue.value);
    } else if (appModule.isPackage) {
      if (appModule.searchPaths.length !== 1) {
        throw new AppNotLocated(
          `the app module '${appName}' has ${appModule.searchPaths.length} filesystem locations; Django needs an AppConfig with a 'path'`,
        );
      }
      appPath = appModule.searchPaths[0];
    } else {
      appPath = path.dirname(appModule.file!);
    }
    appPath = path.resolve(appPath);
    if (appName === 'django.contrib.staticfiles' && configClass) this.ignorePatterns = this.readIgnorePatterns(configClass);
    const staticDir = path.join(appPath, 'static');
    const templatesDir = path.join(appPath, 'templates');
    return {
      name: appName!,
      label,
      path: appPath,
      staticDir: isDirectory(staticDir) ? staticDir : null,
      templatesDir: isDirectory(templatesDir) ? templatesDir : null,
    };
  }

  /** The AppConfig subclass `apps.py` defines or imports: the only one, else the one with `default = True`. */
  private detectConfig(moduleName: string): ConfigClass | null {
    const state = this.input.interpreter.importModule(moduleName, true);
    if (!state) return null;
    const candidates: ConfigClass[] = [];
    for (const [name, binding] of state.namespace) {
      const value = binding.value;
      if (name.startsWith('__') || (value.kind !== 'class' && value.kind !== 'external')) continue;
      // Imported AppConfig subclasses are, by convention, named *Config; other imports (`checks`, `_`,
      // model classes) are not read, which keeps site-packages reading small.
      if (value.kind === 'external' && !(value.name ?? '').includes('Config')) continue;
      if (this.ancestry(value, 0) !== 'subclass') continue;
      const isDefault = this.classAttribute(value, 'default');
      if (isDefault && truthy(isDefault) === false) continue;
      candidates.push(value);
    }
    if (candidates.length === 1) return candidates[0];
    const marked = candidates.filter((c) => {
      const flag = this.classAttribute(c, 'default');
      return flag ? truthy(flag) === true : false;
    });
    if (marked.length > 1) throw new AppNotLocated(`${moduleName} declares more than one default AppConfig`);
    return marked[0] ?? null;
  }

  /** `default_app_config` in the app package (honoured by Django before 4.1). */
  private defaultAppConfig(entry: string): ConfigClass | null {
    const version = this.input.djangoVersion;
    if (version && !behaviourOf(version).honoursDefaultAppConfig) return null;
    const state = this.input.interpreter.importModule(entry, true);
    const legacy = state?.namespace.get('default_app_config')?.value;
    if (!legacy || legacy.kind !== 'str') return null;
    const cut = legacy.value.lastIndexOf('.');
    const module = cut > 0 ? this.input.interpreter.importModule(legacy.value.slice(0, cut), true) : null;
    const found = module?.namespace.get(legacy.value.slice(cut + 1))?.value;
    return found && (found.kind === 'class' || found.kind === 'external') ? found : null;
  }

  /** 'root' for django.apps.AppConfig itself, 'subclass' for anything deriving from it. */
  private ancestry(value: PyValue, depth: number): 'root' | 'subclass' | 'no' {
    if (depth > MAX_BASE_DEPTH) return 'no';
    if (isAppConfigItself(value)) return 'root';
    const resolved = value.kind === 'external' ? this.resolveExternal(value, depth) : value;
    if (!resolved) {
      // Not readable (no site-packages): trust the conventional names.
      if (value.kind !== 'external') return 'no';
      if (value.name === 'AppConfig') return 'root';
      return value.name?.endsWith('Config') ? 'subclass' : 'no';
    }
    if (resolved.kind !== 'class') return 'no';
    if (resolved.name === 'AppConfig' && resolved.module === 'django.apps.config') return 'root';
    return resolved.bases.some((base) => this.ancestry(base, depth + 1) !== 'no') ? 'subclass' : 'no';
  }

  private classAttribute(value: PyValue, name: string): PyValue | undefined {
    return this.input.interpreter.classAttribute(value, name, 0, isAppConfigItself);
  }

  private resolveExternal(value: Extract<PyValue, { kind: 'external' }>, depth: number): PyValue | null {
    return this.input.interpreter.resolveExternal(value, depth);
  }

  private readIgnorePatterns(configClass: ConfigClass): string[] | null {
    const patterns = this.classAttribute(configClass, 'ignore_patterns');
    if (!patterns || !isSequence(patterns)) return null;
    const texts = patterns.items.map((item) => (item.kind === 'str' ? item.value : null));
    return texts.every((t): t is string => t !== null) ? texts : null;
  }
}

class AppNotLocated extends Error {}

/** django.apps.AppConfig defines none of the attributes read here, so its module need not be read. */
function isAppConfigItself(value: PyValue): boolean {
  return (
    value.kind === 'external' && value.name === 'AppConfig' && (value.module === 'django.apps' || value.module === 'django.apps.config')
  );
}
