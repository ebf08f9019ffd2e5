/**
 * Which TEMPLATES engine owns a template file, decided as Django's `get_template` does: engines are asked in
 * TEMPLATES order, each looks only in the folders its loaders search, and django-jinja declines names that do
 * not match its `match_extension`/`match_regex` (they fall through to the next engine). Pure: no file system.
 */
import * as path from 'node:path';
import type { AppEntry, ProjectModel, TemplateEngine } from './model';

export const DJANGO_BACKEND = 'django.template.backends.django.DjangoTemplates';
export const JINJA2_BACKEND = 'django.template.backends.jinja2.Jinja2';
export const DJANGO_JINJA_BACKEND = 'django_jinja.backend.Jinja2';

/** The folder inside each app a backend's APP_DIRS reads (BaseEngine.app_dirname; django-jinja's `app_dirname` option). */
export function defaultAppDirname(backend: string): string {
  return backend === JINJA2_BACKEND ? 'jinja2' : 'templates';
}

/** True for backends whose templates are Jinja2 source. */
export function isJinjaBackend(backend: string): boolean {
  return (
    backend === JINJA2_BACKEND || backend === DJANGO_JINJA_BACKEND || backend.endsWith('.Jinja2') || backend.toLowerCase().includes('jinja')
  );
}

/** The alias `django.template.engines` gives an engine without NAME: the backend's module's second-to-last part. */
export function defaultEngineName(backend: string): string {
  const parts = backend.split('.');
  return parts.length >= 2 ? parts[parts.length - 2] : backend;
}

/** The folders an engine searches; models made without `searchDirs` get DIRS then each app's folder for the backend. */
export function searchDirsOf(engine: TemplateEngine, apps: readonly AppEntry[]): string[] {
  if (engine.searchDirs) return engine.searchDirs;
  const dirs = [...engine.dirs];
  if (!engine.appDirs) return dirs;
  const dirname = defaultAppDirname(engine.backend);
  for (const app of apps) {
    if (dirname === 'templates' && app.templatesDir) dirs.push(app.templatesDir);
    else if (app.path) dirs.push(path.join(app.path, dirname));
  }
  return dirs;
}

export function appsOf(model: ProjectModel): AppEntry[] {
  return model.finders.flatMap((f) => (f.kind === 'app' ? f.apps : []));
}

const regexCache = new Map<string, RegExp | null>();

/** Python's `re.match(regex, name)` in JavaScript terms (named groups translated); null when it cannot be compiled. */
function pythonMatch(regex: string): RegExp | null {
  if (regexCache.has(regex)) return regexCache.get(regex)!;
  let compiled: RegExp | null;
  try {
    compiled = new RegExp(`^(?:${regex.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>')})`);
  } catch {
    compiled = null;
  }
  regexCache.set(regex, compiled);
  return compiled;
}

/** django_jinja.base.match_template: the extension must match, then the regex; neither set means every name. */
export function engineTakes(engine: TemplateEngine, templateName: string): boolean {
  const match = engine.match;
  if (!match) return true;
  if (match.extension && !templateName.endsWith(match.extension)) return false;
  if (match.regex) {
    const regex = pythonMatch(match.regex);
    // A regex JavaScript cannot compile is taken as matching: better a template checked than one dropped.
    return regex ? regex.test(templateName) : true;
  }
  return true;
}

/** `file` relative to `dir` with `/`, or null when outside. */
export function templateNameIn(file: string, dir: string): string | null {
  const rel = path.relative(dir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/** The index in `model.templates` of the engine that loads `file`, or -1 when no engine's folders hold it. */
export function engineIndexOf(model: ProjectModel, file: string): number {
  const apps = appsOf(model);
  for (let i = 0; i < model.templates.length; i++) {
    const engine = model.templates[i];
    for (const dir of searchDirsOf(engine, apps)) {
      const name = templateNameIn(file, dir);
      if (name !== null && engineTakes(engine, name)) return i;
    }
  }
  return -1;
}

/** A short label for an engine in summaries: its alias, and the backend when the alias does not say it. */
export function engineLabel(engine: TemplateEngine): string {
  const name = engine.name ?? defaultEngineName(engine.backend);
  const short =
    engine.backend === DJANGO_BACKEND
      ? 'DjangoTemplates'
      : engine.backend === JINJA2_BACKEND
        ? 'Jinja2'
        : engine.backend === DJANGO_JINJA_BACKEND
          ? 'django-jinja'
          : engine.backend;
  return name === defaultEngineName(engine.backend) ? short : `${name} (${short})`;
}
