/** Facts about the project a document belongs to that several features need. */
import { ProjectModel } from '../engine/model';
import { behaviourOf } from '../engine/djangoVersion';
import { engineIndexOf } from '../engine/templateEngines';
import { StaticIndexApi, StaticSource } from '../engine/indexTypes';
import { relativeInside, withPrefix } from '../engine/paths';
const STATIC_BUILTINS = new Set(['django.templatetags.static', 'django.contrib.staticfiles.templatetags.staticfiles']);

/**
 * True when the engine that loads the file (TEMPLATES order, each engine's own folders and django-jinja's
 * match_extension) is a Jinja2 one. Files no engine's folders hold (scanned as a fallback) are Jinja2 when
 * only Jinja2 engines exist, or when they sit in a `jinja2/` folder.
 */
export function jinjaByEngine(model: ProjectModel, fsPath: string): boolean {
  // Asked for every template of a workspace check: without a Jinja2 engine, no owner needs looking up.
  if (!model.templates.some((engine) => engine.jinja)) return false;
  const owner = engineIndexOf(model, fsPath);
  if (owner >= 0) return model.templates[owner].jinja;
  const jinjaEngines = model.templates.filter((engine) => engine.jinja);
  if (jinjaEngines.length === 0) return false;
  if (jinjaEngines.length === model.templates.length) return true;
  return /\/jinja2\//.test(fsPath) && !/\/templates\//.test(fsPath);
}

/** TEMPLATES OPTIONS['builtins'] that make `{% static %}` usable without a load. */
export function staticIsBuiltin(model: ProjectModel): boolean {
  return model.templates.some((engine) => !engine.jinja && engine.builtins.some((b) => STATIC_BUILTINS.has(b)));
}

/** Before Django 3.0 `{% load staticfiles %}` and `admin_static` were valid ways to get the tag. */
export function removedLoadsStillValid(model: ProjectModel): boolean {
  // Unknown versions are treated as current ones here: 3.0 removed these loads long ago.
  return model.djangoVersion !== null && behaviourOf(model.djangoVersion).loadsStaticfilesLibrary;
}

/** Human file size. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|svg|webp|ico)$/i;

export function isImage(path: string): boolean {
  return IMAGE_EXTENSIONS.test(path);
}

/**
 * A value that changes whenever the index does: its generation when it has one (bumped on every change),
 * else its size. The size alone walks every path the first time (half a second at 100k files, on the
 * first completion after learning), so it is not asked when the generation answers.
 */
export function indexStamp(index: { size: number; generation?: number }): string {
  return index.generation !== undefined ? `g${index.generation}` : `s${index.size}`;
}

/** A file as people name it: relative to the project folder when inside it (`assets/css/site.css`), else absolute. */
export function shownPath(abs: string, model: ProjectModel): string {
  const relative = relativeInside(model.projectDir, abs);
  return relative === null ? abs : relative || '.';
}

/** A source's label with its folder shown as shownPath does: `STATICFILES_DIRS[0] → assets`. */
export function sourceLabel(source: StaticSource, model: ProjectModel): string {
  return source.root ? source.label.replace(source.root, shownPath(source.root, model)) : source.label;
}

/**
 * The destination path of a file inside a static source: the first source in finder order whose root holds
 * it and whose copy the index has (nested roots give one file two), else the first whose root holds it (a
 * file not indexed yet). Null outside every source.
 */
export function destinationOfFile(index: StaticIndexApi, absPath: string): string | null {
  let first: string | null = null;
  for (const source of index.sources) {
    const rel = source.root ? relativeInside(source.root, absPath) : null;
    if (!rel) continue;
    const destination = withPrefix(source.prefix, rel);
    if (index.get(destination)?.providers.some((p) => p.absPath === absPath)) return destination;
    first ??= destination;
  }
  return first;
}
