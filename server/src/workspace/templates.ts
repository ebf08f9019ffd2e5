import * as path from 'path';
import { fastGlob } from '../engine/fsUtil';
import { isInside } from '../engine/paths';
import { ProjectModel } from '../engine/model';
import { appsOf, engineLabel, engineTakes, searchDirsOf, templateNameIn } from '../engine/templateEngines';
import { DjangoStaticSettings } from '../protocol';
import { findTemplateLookingFiles, OutsideTemplates } from './templateCoverage';

/** Folder depth below a template root that discovery looks at; also what bounds a symlink loop there. */
const MAX_TEMPLATE_DEPTH = 16;

/** File extensions treated as templates when scanning template folders. */
export const TEMPLATE_EXTENSIONS = ['html', 'htm', 'txt', 'jinja', 'jinja2', 'j2', 'djhtml'];

const TEMPLATE_FILE_GLOB = `**/*.{${TEMPLATE_EXTENSIONS.join(',')}}`;
/** What the fallback scan reads: every `templates/` folder (and `jinja2/` for Jinja2 engines) below the project. */
const FALLBACK_GLOBS = [`**/templates/${TEMPLATE_FILE_GLOB}`];
const JINJA_FALLBACK_GLOBS = [`**/jinja2/${TEMPLATE_FILE_GLOB}`];

/** True when the file name has a template extension (used to decide whether a file event matters). */
export function hasTemplateExtension(file: string): boolean {
  return TEMPLATE_EXTENSIONS.includes(path.extname(file).slice(1).toLowerCase());
}

/** One TEMPLATES engine's share of the project's templates. */
export interface EngineCoverage {
  label: string;
  backend: string;
  jinja: boolean;
  /** Templates of the workspace this engine loads (its folders, its match filter, earlier engines first). */
  found: number;
  /** The engine's search folders inside the workspace. */
  folders: string[];
  loaders: string[];
  unknownLoaders: string[];
  /** Why the project's `templates/` folders were scanned for this engine as well, or null. */
  fallbackScan: string | null;
}

/** How much of the project's template-looking files TEMPLATES covers: said in check, info and the report. */
export interface TemplateCoverage {
  engines: EngineCoverage[];
  /** Why every `templates/` folder was scanned although no engine names it (TEMPLATES empty or unreadable), or null. */
  fallback: string | null;
  /** Templates found by that scan or by `templateGlobs` that no engine owns. */
  unowned: number;
  /** Template file → index in `model.templates` of the engine that loads it. */
  owners: Map<string, number>;
  outside: OutsideTemplates;
}

export interface DiscoveredTemplates {
  /** Sorted, absolute. */
  templates: string[];
  coverage: TemplateCoverage;
}

/**
 * The template folders Django searches for this project: every engine's loader folders (DIRS, apps'
 * `templates/` or `jinja2/`, a filesystem.Loader's own dirs). Only folders inside `scope` count: templates of
 * installed packages (django.contrib.admin in site-packages) are not the user's to fix.
 */
export function templateDirs(model: ProjectModel, scope: string[]): string[] {
  const apps = appsOf(model);
  const unique = [...new Set(model.templates.flatMap((engine) => searchDirsOf(engine, apps)).map((d) => path.resolve(d)))];
  return unique.filter((d) => scope.some((s) => isInside(s, d)));
}

/** True when templates are also looked for in every `templates/` folder (no engine, or an engine with files we cannot know). */
export function scansProjectTemplateFolders(model: ProjectModel): boolean {
  return model.templates.length === 0 || model.templates.some((engine) => !!engine.fallbackScan);
}

/** Every template file of the project (see discoverTemplatesWithCoverage). */
export async function discoverTemplates(
  model: ProjectModel,
  settings: Pick<DjangoStaticSettings, 'templateGlobs' | 'ignoreGlobs'>,
  scope: string[] = [model.projectDir],
): Promise<string[]> {
  return (await discoverTemplatesWithCoverage(model, settings, scope, false)).templates;
}

/**
 * Every template file of the project, engine by engine in TEMPLATES order (a file goes to the first engine
 * whose folders hold it and whose match filter takes its name), plus `settings.templateGlobs` (relative to the
 * project), minus `settings.ignoreGlobs`. An engine marked for the fallback scan, or a project without engines,
 * also gets every `templates/` folder below the project. With `outside`, template-looking files no engine
 * covers are counted too.
 */
export async function discoverTemplatesWithCoverage(
  model: ProjectModel,
  settings: Pick<DjangoStaticSettings, 'templateGlobs' | 'ignoreGlobs'>,
  scope: string[] = [model.projectDir],
  outside = true,
): Promise<DiscoveredTemplates> {
  const ignore = settings.ignoreGlobs ?? [];
  const scan = async (cwd: string, patterns: string[]): Promise<string[]> => {
    try {
      // Template folders reached through symlinks count (Django's loaders open them), but a link loop must end.
      const files = await fastGlob()(patterns, {
        cwd,
        ignore,
        absolute: true,
        onlyFiles: true,
        suppressErrors: true,
        dot: false,
        deep: MAX_TEMPLATE_DEPTH,
      });
      return files.map((f) => path.normalize(f));
    } catch {
      return []; // An unreadable folder simply contributes nothing.
    }
  };
  const owner = new Map<string, number>();
  const unowned = new Set<string>();
  const apps = appsOf(model);
  const engines: EngineCoverage[] = [];
  const inScope = (d: string) => scope.some((s) => isInside(s, d));
  for (let i = 0; i < model.templates.length; i++) {
    const engine = model.templates[i];
    const folders = [...new Set(searchDirsOf(engine, apps).map((d) => path.resolve(d)))].filter(inScope);
    for (const dir of folders) {
      for (const file of await scan(dir, [TEMPLATE_FILE_GLOB])) {
        const name = templateNameIn(file, dir);
        if (!owner.has(file) && name !== null && engineTakes(engine, name)) owner.set(file, i);
      }
    }
    if (engine.fallbackScan) {
      for (const file of await scan(model.projectDir, engine.jinja ? [...FALLBACK_GLOBS, ...JINJA_FALLBACK_GLOBS] : FALLBACK_GLOBS)) {
        if (!owner.has(file) && engineTakes(engine, path.basename(file))) owner.set(file, i);
      }
    }
    engines.push({
      label: engineLabel(engine),
      backend: engine.backend,
      jinja: engine.jinja,
      found: 0,
      folders,
      loaders: engine.loaders ?? [],
      unknownLoaders: engine.unknownLoaders ?? [],
      fallbackScan: engine.fallbackScan ?? null,
    });
  }
  for (const index of owner.values()) engines[index].found++;
  const fallback = model.templates.length === 0 ? 'TEMPLATES names no template engine static mode could read' : null;
  if (fallback) for (const file of await scan(model.projectDir, FALLBACK_GLOBS)) unowned.add(file);
  if (settings.templateGlobs?.length)
    for (const file of await scan(model.projectDir, settings.templateGlobs)) if (!owner.has(file)) unowned.add(file);
  const templates = [...new Set([...owner.keys(), ...unowned])].sort();
  const coverage: TemplateCoverage = {
    engines,
    fallback,
    unowned: unowned.size,
    owners: owner,
    outside: outside ? await findTemplateLookingFiles(model, new Set(templates), ignore) : { count: 0, folders: [] },
  };
  return { templates, coverage };
}
