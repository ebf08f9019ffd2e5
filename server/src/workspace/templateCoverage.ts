/**
 * Template-looking files no TEMPLATES engine covers: what makes "0 errors" honest. A file looks like a
 * template when it sits in a `templates/` or `jinja2/` folder with a template extension, or anywhere else in
 * the project when it is HTML/Jinja/text holding template tags. Static folders, STATIC_ROOT, node_modules and
 * virtual environments are not looked at: their HTML is served or vendored, not rendered.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { fastGlob } from '../engine/fsUtil';
import { ProjectModel, staticFolders } from '../engine/model';

export interface OutsideTemplates {
  count: number;
  /** Folders holding them (relative to the project, `/`-separated), most files first. */
  folders: { dir: string; count: number }[];
}

const EXTENSIONS = 'html,htm,txt,jinja,jinja2,j2,djhtml';
const ALWAYS_IGNORED = [
  '**/node_modules/**',
  '**/site-packages/**',
  '**/dist-packages/**',
  '**/__pycache__/**',
  '**/htmlcov/**',
  '**/{venv,.venv,virtualenv}/**',
];
/** Reading every HTML file of a huge tree would stall a learn: past these, the count says "at least". */
const MAX_CANDIDATES = 20000;
const MAX_CONTENT_READS = 3000;
const READ_BYTES = 64 * 1024;
const MAX_DEPTH = 12;
const TEMPLATE_TAGS = /\{%|\{\{/;
const TEMPLATE_FOLDER = /(^|\/)(templates|jinja2)(\/|$)/;

export async function findTemplateLookingFiles(
  model: ProjectModel,
  covered: ReadonlySet<string>,
  ignoreGlobs: string[],
): Promise<OutsideTemplates> {
  const projectDir = model.projectDir;
  const staticRoots = staticFolders(model).filter((root) => isBelow(root, projectDir));
  const ignore = [
    ...ALWAYS_IGNORED,
    ...ignoreGlobs,
    ...staticRoots.map((root) => `${fastGlob().escapePath(toPosix(path.relative(projectDir, root)))}/**`),
  ];
  let candidates: string[];
  try {
    // Not through symlinks, and not deeper than templates live: fast-glob would follow a link loop forever.
    candidates = await fastGlob()(`**/*.{${EXTENSIONS}}`, {
      cwd: projectDir,
      ignore,
      onlyFiles: true,
      suppressErrors: true,
      dot: false,
      followSymbolicLinks: false,
      deep: MAX_DEPTH,
    });
  } catch {
    return { count: 0, folders: [] };
  }
  const byFolder = new Map<string, number>();
  let reads = 0;
  for (const rel of candidates.slice(0, MAX_CANDIDATES)) {
    const abs = path.join(projectDir, rel);
    if (covered.has(abs)) continue;
    const inTemplateFolder = TEMPLATE_FOLDER.test(path.posix.dirname(rel));
    const extension = path.extname(rel).toLowerCase();
    if (!inTemplateFolder || extension === '.txt') {
      if (reads++ >= MAX_CONTENT_READS || !(await hasTemplateTags(abs))) continue;
    }
    const folder = folderOf(rel);
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
  }
  const folders = [...byFolder].map(([dir, count]) => ({ dir, count })).sort((a, b) => b.count - a.count || a.dir.localeCompare(b.dir));
  return { count: folders.reduce((n, f) => n + f.count, 0), folders };
}

/** The folder to name for a file: its nearest `templates/` or `jinja2/` folder, else the folder it is in. */
function folderOf(rel: string): string {
  const parts = path.posix.dirname(rel).split('/');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] === 'templates' || parts[i] === 'jinja2') return parts.slice(0, i + 1).join('/');
  return path.posix.dirname(rel);
}

async function hasTemplateTags(file: string): Promise<boolean> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const buffer = Buffer.alloc(READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, 0);
    return TEMPLATE_TAGS.test(buffer.toString('utf8', 0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

function isBelow(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** "3 in app/templates, 2 in docs" for messages; at most `limit` folders named. */
export function describeOutside(outside: OutsideTemplates, limit = 5): string {
  const named = outside.folders.slice(0, limit).map((f) => `${f.count} in ${f.dir === '.' ? 'the project folder' : `${f.dir}/`}`);
  const more = outside.folders.length > limit ? `, and ${outside.folders.length - limit} more folders` : '';
  return `${named.join(', ')}${more}`;
}
