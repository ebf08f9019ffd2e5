import * as path from 'path';
import fg from 'fast-glob';
import { ProjectModel } from '../engine/model';
import { DjangoStaticSettings } from '../protocol';

/** File extensions treated as templates when scanning template folders. */
export const TEMPLATE_EXTENSIONS = ['html', 'htm', 'txt', 'jinja', 'jinja2', 'j2', 'djhtml'];

const TEMPLATE_FILE_GLOB = `**/*.{${TEMPLATE_EXTENSIONS.join(',')}}`;

/** True when the file name has a template extension (used to decide whether a file event matters). */
export function hasTemplateExtension(file: string): boolean {
  return TEMPLATE_EXTENSIONS.includes(path.extname(file).slice(1).toLowerCase());
}

/** True when `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The template folders Django searches for this project: every engine's DIRS, then the `templates/`
 * folder of each app when APP_DIRS is on. Only folders inside `scope` count: templates of installed
 * packages (django.contrib.admin in site-packages) are not the user's to fix.
 */
export function templateDirs(model: ProjectModel, scope: string[]): string[] {
  const dirs: string[] = [];
  const appTemplateDirs = model.finders
    .flatMap((f) => (f.kind === 'app' ? f.apps : []))
    .map((a) => a.templatesDir)
    .filter((d): d is string => d !== null);
  for (const engine of model.templates) {
    dirs.push(...engine.dirs);
    if (engine.appDirs) dirs.push(...appTemplateDirs);
  }
  const unique = [...new Set(dirs.map((d) => path.resolve(d)))];
  return unique.filter((d) => scope.some((s) => isInside(d, s)));
}

/**
 * Every template file of the project: template folders from the model, plus `settings.templateGlobs`
 * (relative to the project), minus `settings.ignoreGlobs`. When the model names no template folder
 * (settings unreadable), falls back to every `templates/` folder below the project. Sorted, absolute.
 */
export async function discoverTemplates(
  model: ProjectModel,
  settings: Pick<DjangoStaticSettings, 'templateGlobs' | 'ignoreGlobs'>,
  scope: string[] = [model.projectDir],
): Promise<string[]> {
  const found = new Set<string>();
  const ignore = settings.ignoreGlobs ?? [];
  const scan = async (cwd: string, patterns: string[]): Promise<void> => {
    try {
      const files = await fg(patterns, { cwd, ignore, absolute: true, onlyFiles: true, suppressErrors: true, dot: false });
      for (const f of files) found.add(path.normalize(f));
    } catch {
      // An unreadable folder simply contributes nothing.
    }
  };
  const dirs = templateDirs(model, scope);
  if (dirs.length === 0) await scan(model.projectDir, [`**/templates/${TEMPLATE_FILE_GLOB}`]);
  for (const dir of dirs) await scan(dir, [TEMPLATE_FILE_GLOB]);
  if (settings.templateGlobs?.length) await scan(model.projectDir, settings.templateGlobs);
  return [...found].sort();
}
