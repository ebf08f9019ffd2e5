/**
 * How the project lays out its static files, judged by the rules that keep collectstatic predictable: app files
 * namespaced under the app (two apps' top-level `style.css` collide, and only the first is collected), no
 * folder reached twice (collectstatic then floods the output with "Found another file" lines that hide real
 * conflicts), and STATIC_ROOT apart from every source (or collectstatic collects its own output).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileIgnorePatterns } from './fnmatch';
import { StaticIndexApi, StaticSource } from './indexTypes';
import { ProjectModel } from './model';

export const LAYOUT_CODES = {
  notNamespaced: 'static-not-namespaced',
  folderTwice: 'static-folder-twice',
  rootOverlap: 'static-root-overlap',
} as const;

/** One finding about a file or folder (no line: it is about the path itself). */
export interface LayoutFinding {
  code: (typeof LAYOUT_CODES)[keyof typeof LAYOUT_CODES];
  severity: 'warning' | 'information';
  /** The file or folder it is about. */
  path: string;
  message: string;
}

function real(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

const inside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

export function layoutFindings(model: ProjectModel, index: StaticIndexApi): LayoutFinding[] {
  const out: LayoutFinding[] = [];
  const roots = index.sources.filter((s): s is StaticSource & { root: string } => s.root !== null).map((s) => ({ s, real: real(s.root) }));
  for (const { s } of roots) if (s.finder === 'app') out.push(...notNamespaced(model, s));

  const seen = new Map<string, StaticSource>();
  for (const { s, real: r } of roots) {
    if (!r) continue;
    const first = seen.get(r);
    if (first && first.listPrefix === s.listPrefix) {
      out.push({
        code: LAYOUT_CODES.folderTwice,
        severity: 'warning',
        path: s.root!,
        message: `${s.label} is the folder ${first.label} already provides: collectstatic meets each of its files twice and prints "Found another file" for every one, which hides real conflicts.`,
      });
    } else if (!first) seen.set(r, s);
  }

  const root = model.staticRoot ? (real(model.staticRoot) ?? path.resolve(model.staticRoot)) : null;
  if (root) {
    for (const { s, real: r } of roots) {
      if (!r) continue;
      if (inside(root, r))
        out.push({
          code: LAYOUT_CODES.rootOverlap,
          severity: 'warning',
          path: model.staticRoot!,
          message: `STATIC_ROOT is inside ${s.label}: the next collectstatic collects what the last one wrote.`,
        });
      else if (inside(r, root))
        out.push({
          code: LAYOUT_CODES.rootOverlap,
          severity: 'warning',
          path: s.root!,
          message: `${s.label} is inside STATIC_ROOT: collectstatic --clear deletes it.`,
        });
    }
  }
  return out;
}

/** Top-level entries of an app's static/ other than the app's own folder. */
function notNamespaced(model: ProjectModel, s: StaticSource & { root: string }): LayoutFinding[] {
  const app = model.finders
    .flatMap((f) => (f.kind === 'app' ? f.apps : []))
    .find((a) => a.label === s.appLabel && a.staticDir && path.resolve(a.staticDir) === path.resolve(s.root));
  const names = new Set([s.appLabel ?? '', app?.name.split('.').pop() ?? '']);
  let entries: string[];
  try {
    entries = fs.readdirSync(s.root);
  } catch {
    return [];
  }
  // Outside the project (third-party apps) the user cannot move the files: say it, quieter.
  const ours = inside(path.resolve(s.root), path.resolve(model.projectDir));
  const ignored = compileIgnorePatterns(model.ignorePatterns);
  return entries
    .filter((name) => !names.has(name) && !ignored(name))
    .sort()
    .map((name) => ({
      code: LAYOUT_CODES.notNamespaced,
      severity: ours ? 'warning' : 'information',
      path: path.join(s.root, name),
      message: `'${name}' is not namespaced under the app: it is collected as '${name}', where another app's '${name}' would take its place (or lose to it). Move it to ${path.join(path.basename(path.dirname(s.root)), 'static', s.appLabel ?? '', name)}.`,
    }));
}
