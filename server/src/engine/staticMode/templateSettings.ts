/**
 * TEMPLATES → TemplateEngine, with the folders each engine's loaders search, as Django 3.2–5.x builds them:
 * DjangoTemplates' `OPTIONS['loaders']` (filesystem.Loader with its own dirs argument, app_directories.Loader,
 * cached.Loader wrapping others, locmem.Loader holding no files) or the default chain from DIRS/APP_DIRS;
 * Django's Jinja2 backend (DIRS, apps' `jinja2/`); django-jinja (DIRS, apps' `app_dirname`, default
 * `templates/`, filtered by `match_extension`/`match_regex`). A custom loader is named, and its engine is
 * marked for the fallback scan of the project's `templates/` folders.
 */
import * as path from 'node:path';
import type { AppEntry, TemplateEngine } from '../model';
import {
  defaultAppDirname,
  defaultEngineName,
  DJANGO_BACKEND,
  DJANGO_JINJA_BACKEND,
  isJinjaBackend,
  JINJA2_BACKEND,
} from '../templateEngines';
import { behaviourOf } from '../djangoVersion';
import * as pyPath from './pyPath';
import type { SettingsReader } from './toModel';
import { Binding, isSequence, isUnknown, PyValue, truthy } from './values';

const LOADERS = 'django.template.loaders.';
const FILESYSTEM_LOADER = `${LOADERS}filesystem.Loader`;
const APP_DIRECTORIES_LOADER = `${LOADERS}app_directories.Loader`;
const CACHED_LOADER = `${LOADERS}cached.Loader`;
const LOCMEM_LOADER = `${LOADERS}locmem.Loader`;
const MAX_LOADER_DEPTH = 10;

type Dict = Extract<PyValue, { kind: 'dict' }>;

export function readTemplates(reader: SettingsReader, apps: readonly AppEntry[], djangoVersion: [number, number] | null): TemplateEngine[] {
  const value = reader.value('TEMPLATES');
  if (!value) return [];
  const binding = reader.binding('TEMPLATES')!;
  if (!isSequence(value)) {
    reader.wrongType('TEMPLATES', binding, 'a list', value);
    return [];
  }
  const engines: TemplateEngine[] = [];
  for (const item of value.items) {
    if (isUnknown(item)) {
      reader.unreadable('TEMPLATES', binding, item, 'an engine');
      continue;
    }
    if (item.kind !== 'dict') {
      reader.wrongType('An entry of TEMPLATES', binding, 'a dict', item);
      continue;
    }
    const engine = new EngineReader(reader, binding, item, apps, djangoVersion).read();
    if (engine) engines.push(engine);
  }
  return engines;
}

class EngineReader {
  private readonly unknownLoaders: string[] = [];
  private readonly fallbackReasons: string[] = [];
  private readonly backend: string;

  constructor(
    private readonly reader: SettingsReader,
    private readonly binding: Binding,
    private readonly item: Dict,
    private readonly apps: readonly AppEntry[],
    private readonly djangoVersion: [number, number] | null,
  ) {
    const backend = get(item, 'BACKEND');
    this.backend = backend && backend.kind === 'str' ? backend.value : '';
    if (backend && isUnknown(backend)) reader.unreadable('TEMPLATES', binding, backend, "an engine's BACKEND");
  }

  read(): TemplateEngine | null {
    if (!this.backend) return null;
    const nameValue = get(this.item, 'NAME');
    const dirs = this.dirs(get(this.item, 'DIRS'), 'DIRS');
    const appDirsValue = get(this.item, 'APP_DIRS');
    const appDirs = appDirsValue ? truthy(appDirsValue) === true : false;
    const optionsValue = get(this.item, 'OPTIONS');
    if (optionsValue && isUnknown(optionsValue)) this.unreadable(optionsValue, `OPTIONS of ${this.backend}`);
    const options = optionsValue && optionsValue.kind === 'dict' ? optionsValue : null;
    const engine: TemplateEngine = {
      backend: this.backend,
      jinja: isJinjaBackend(this.backend),
      dirs,
      appDirs,
      builtins: this.builtins(options),
      name: nameValue && nameValue.kind === 'str' ? nameValue.value : defaultEngineName(this.backend),
    };
    if (this.backend === DJANGO_BACKEND) this.djangoLoaders(engine, options);
    else this.jinjaLoader(engine, options);
    if (this.unknownLoaders.length) engine.unknownLoaders = this.unknownLoaders;
    if (this.fallbackReasons.length) engine.fallbackScan = this.fallbackReasons.join('; ');
    return engine;
  }

  /** Absolute folders of a DIRS-like list; an entry that cannot be read is reported and triggers the fallback scan. */
  private dirs(value: PyValue | undefined, what: string): string[] {
    const dirs: string[] = [];
    if (!value) return dirs;
    if (isUnknown(value)) {
      this.unreadable(value, `${what} of ${this.backend}`);
      return dirs;
    }
    if (!isSequence(value)) return dirs;
    for (const dir of value.items) {
      if (dir.kind === 'str' || dir.kind === 'path') dirs.push(pyPath.abspath(dir.value, this.reader.cwd));
      else if (isUnknown(dir)) this.unreadable(dir, `an entry of ${what} of ${this.backend}`);
    }
    return dirs;
  }

  private unreadable(value: Extract<PyValue, { kind: 'unknown' }>, what: string): void {
    this.reader.unreadable('TEMPLATES', this.binding, value, what);
    const spot = `${this.reader.relative(value.file)} line ${value.line + 1}`;
    this.fallbackReasons.push(`${what} could not be read (${spot})`);
  }

  private builtins(options: Dict | null): string[] {
    const value = options ? get(options, 'builtins') : undefined;
    const builtins: string[] = [];
    if (value && isSequence(value)) {
      for (const b of value.items) if (b.kind === 'str') builtins.push(b.value);
    } else if (value && isUnknown(value)) this.reader.unreadable('TEMPLATES', this.binding, value, "OPTIONS['builtins']");
    return builtins;
  }

  /** DjangoTemplates: OPTIONS['loaders'] as written, else Django's default chain (Engine.__init__). */
  private djangoLoaders(engine: TemplateEngine, options: Dict | null): void {
    const loadersValue = options ? get(options, 'loaders') : undefined;
    const searchDirs: string[] = [];
    const described: string[] = [];
    if (loadersValue === undefined) {
      const chain = engine.appDirs ? [FILESYSTEM_LOADER, APP_DIRECTORIES_LOADER] : [FILESYSTEM_LOADER];
      for (const loader of chain) this.loader({ kind: 'str', value: loader }, engine, searchDirs, 0);
      const debugOption = options ? get(options, 'debug') : undefined;
      const debug = debugOption ? truthy(debugOption) : this.reader.debug();
      const cached = (this.djangoVersion !== null && behaviourOf(this.djangoVersion).cachesTemplatesInDebug) || debug === false;
      const names = chain.map(shortName).join(', ');
      if (cached) described.push(`cached.Loader(${names})`);
      else described.push(...chain.map(shortName));
    } else {
      if (engine.appDirs) {
        this.reader.problems.push({
          kind: 'setting-invalid',
          message: `TEMPLATES in ${this.reader.relative(this.binding.file)} line ${this.binding.line + 1} sets both APP_DIRS and OPTIONS['loaders'] for ${this.backend}: Django raises ImproperlyConfigured ("app_dirs must not be set when loaders is defined.")`,
          file: this.binding.file,
          line: this.binding.line,
        });
      }
      if (isUnknown(loadersValue)) this.unreadable(loadersValue, `OPTIONS['loaders'] of ${this.backend}`);
      else if (isSequence(loadersValue)) {
        for (const loader of loadersValue.items) described.push(this.loader(loader, engine, searchDirs, 0));
      }
    }
    engine.searchDirs = unique(searchDirs);
    engine.loaders = described.filter((d) => d !== '');
  }

  /** One loader entry (a dotted name, or a (name, *args) tuple): adds the folders it searches; returns it in words. */
  private loader(entry: PyValue, engine: TemplateEngine, into: string[], depth: number): string {
    if (isUnknown(entry)) {
      this.unreadable(entry, `a loader of ${this.backend}`);
      return '(unreadable loader)';
    }
    let name: PyValue = entry;
    let args: PyValue[] = [];
    if (isSequence(entry) && entry.items.length > 0) [name, ...args] = entry.items;
    if (isUnknown(name)) {
      this.unreadable(name, `a loader of ${this.backend}`);
      return '(unreadable loader)';
    }
    if (name.kind !== 'str') return '';
    const loader = name.value;
    if (loader === FILESYSTEM_LOADER) {
      // filesystem.Loader(engine, dirs=None): its own dirs argument replaces DIRS.
      into.push(...(args[0] !== undefined ? this.dirs(args[0], 'the dirs of filesystem.Loader') : engine.dirs));
    } else if (loader === APP_DIRECTORIES_LOADER) {
      into.push(...this.appFolders('templates'));
    } else if (loader === CACHED_LOADER && depth < MAX_LOADER_DEPTH) {
      const inner = args[0];
      if (inner && isUnknown(inner)) this.unreadable(inner, `the loaders cached.Loader wraps in ${this.backend}`);
      const wrapped = inner && isSequence(inner) ? inner.items.map((l) => this.loader(l, engine, into, depth + 1)) : [];
      return `cached.Loader(${wrapped.filter((w) => w !== '').join(', ')})`;
    } else if (loader !== LOCMEM_LOADER) {
      this.unknownLoaders.push(loader);
      this.fallbackReasons.push(`the loader ${loader} is not one of Django's own, so the files it loads are not known`);
    }
    return shortName(loader);
  }

  /** Django's Jinja2 backend and django-jinja: one FileSystemLoader over DIRS and the apps' folder, unless OPTIONS['loader'] replaces it. */
  private jinjaLoader(engine: TemplateEngine, options: Dict | null): void {
    let appDirname = defaultAppDirname(this.backend);
    if (this.backend === DJANGO_JINJA_BACKEND && options) {
      const dirname = get(options, 'app_dirname');
      if (dirname && dirname.kind === 'str') appDirname = dirname.value;
      const extension = get(options, 'match_extension');
      const regex = get(options, 'match_regex');
      engine.match = {
        extension: extension === undefined ? '.jinja' : extension.kind === 'str' ? extension.value : null,
        regex: regex && regex.kind === 'str' ? regex.value : null,
      };
      if (extension && isUnknown(extension)) this.unreadable(extension, `OPTIONS['match_extension'] of ${this.backend}`);
    } else if (this.backend === DJANGO_JINJA_BACKEND) {
      engine.match = { extension: '.jinja', regex: null };
    }
    const custom = options ? get(options, 'loader') : undefined;
    if (custom !== undefined) {
      const name = custom.kind === 'str' ? custom.value : `OPTIONS['loader'] of ${this.backend}`;
      this.unknownLoaders.push(name);
      this.fallbackReasons.push(`${name} replaces the Jinja2 FileSystemLoader, so the files it loads are not known`);
      engine.loaders = [name];
    } else {
      engine.loaders = ['jinja2.FileSystemLoader'];
    }
    const known = this.backend === JINJA2_BACKEND || this.backend === DJANGO_JINJA_BACKEND;
    if (!known) this.fallbackReasons.push(`the backend ${this.backend} is not one static mode knows`);
    engine.searchDirs = unique([...engine.dirs, ...(engine.appDirs ? this.appFolders(appDirname) : [])]);
  }

  /** get_app_template_dirs(dirname): each installed app's folder of that name, when it is a directory. */
  private appFolders(dirname: string): string[] {
    const dirs: string[] = [];
    for (const app of this.apps) {
      if (!app.path) continue;
      const dir = path.join(app.path, dirname);
      if (pyPath.isDirectory(dir)) dirs.push(dir);
    }
    return dirs;
  }
}

function get(dict: Dict, key: string): PyValue | undefined {
  return dict.entries.get(`s:${key}`)?.value;
}

function shortName(loader: string): string {
  return loader.startsWith(LOADERS) ? loader.slice(LOADERS.length) : loader;
}

function unique(dirs: string[]): string[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}
