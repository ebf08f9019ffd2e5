/**
 * Renaming static files: the edits that keep `{% static %}` paths pointing at a file (or folder) that
 * moves, and the checks before renaming the file a path names. A path is only rewritten when the moving
 * file is the one Django serves for it and no other source provides it: otherwise the template keeps
 * working as written, and rewriting it would change what it serves.
 */
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { StaticSource } from '../engine/indexTypes';
import { referenceAt, resolvePath } from './resolve';
import { servedDestination } from '../engine/paths';
import { servedPath } from './references';
import { DocumentModel } from './templateModel';
import type { PathMove, ServiceContext } from './types';

/**
 * Edits that make the document's literal paths follow the moves; the quote style, leading slash and `?query`
 * stay. A CSS/JS URL is written again as the storage reads it: relative to the file's own destination (after
 * the moves, should the file move with them), or STATIC_URL-absolute when it was.
 */
export function editsForMoves(doc: TextDocument, template: DocumentModel, moves: readonly PathMove[], ctx: ServiceContext): TextEdit[] {
  const edits: TextEdit[] = [];
  const moved = (destination: string): string => {
    const move = moves.find((m) => destination === m.from || destination.startsWith(`${m.from}/`));
    return move ? `${move.to}${destination.slice(move.from.length)}` : destination;
  };
  // A CSS/JS file that moves itself: its relative URLs to files that stay must be written again too.
  const selfMoves = !!template.asset && moved(template.asset.name) !== template.asset.name;
  for (const ref of template.references) {
    const served = servedPath(ref);
    if (served === null) continue;
    const move = moves.find((m) => served === m.from || served.startsWith(`${m.from}/`));
    const follows = !!move && servedOnlyFrom(served, move.fromAbs, ctx);
    const written = doc.getText(ref.pathRange);
    const stays = selfMoves && !written.startsWith('/') && resolvePath(served, ctx.index).kind === 'file';
    if (!follows && !stays) continue;
    // Escapes inside the literal (`\'`, `\u…`, CSS's `%20`) would not survive a rewrite; leave such paths alone.
    if (written !== ref.value || (template.asset && written.includes('%'))) continue;
    const suffix = /[?#].*$/.exec(written)?.[0] ?? '';
    const target = follows ? moved(served) : served;
    if (!template.asset) {
      const leading = /^\/*/.exec(written)![0];
      edits.push(TextEdit.replace(ref.pathRange, `${leading}${target}${suffix}`));
      continue;
    }
    const trailing = suffix ? '' : /\s*$/.exec(written)![0];
    const { staticUrl } = template.asset.rewrite;
    edits.push(
      TextEdit.replace(ref.pathRange, `${relativeUrl(written, target, moved(template.asset.name), staticUrl)}${suffix}${trailing}`),
    );
  }
  return edits;
}

/** `target` written the way `written` was: STATIC_URL-absolute, or relative to the folder of `from` (`./` kept). */
function relativeUrl(written: string, target: string, from: string, staticUrl: string): string {
  if (written.startsWith('/')) return `${staticUrl}${target}`;
  const relative = path.posix.relative(path.posix.dirname(`/${from}`), `/${target}`);
  return written.startsWith('./') && !relative.startsWith('../') ? `./${relative}` : relative;
}

/** True when `path` is served by the file at (or below) `abs` and by nothing else. */
function servedOnlyFrom(path: string, abs: string, ctx: ServiceContext): boolean {
  const resolution = resolvePath(path, ctx.index);
  if (resolution.kind !== 'file') return false;
  const [winner, ...others] = resolution.entry.providers;
  return others.length === 0 && (winner.absPath === abs || winner.absPath.startsWith(`${abs}/`));
}

/** What renaming the path under the cursor would do, or why it cannot be renamed. */
export type RenamePlan =
  | { kind: 'rename'; range: Range; placeholder: string; source: StaticSource; fromAbs: string; from: string }
  | { kind: 'refused'; message: string };

/** The checks `prepareRename` answers with: a literal path naming exactly one file in a source on disk. */
export function planRename(doc: TextDocument, position: Position, template: DocumentModel, ctx: ServiceContext): RenamePlan | null {
  const ref = referenceAt(template.references, doc.offsetAt(position));
  const served = ref ? servedPath(ref) : null;
  if (!ref || served === null) return null;
  const resolution = resolvePath(served, ctx.index);
  if (resolution.kind !== 'file')
    return { kind: 'refused', message: `'${served}' is not a static file; only existing files can be renamed.` };
  const providers = resolution.entry.providers;
  if (providers.length > 1) {
    const names = providers.map((p) => p.source.label).join('; ');
    return { kind: 'refused', message: `'${served}' is provided by ${providers.length} sources (${names}); rename the files themselves.` };
  }
  const [only] = providers;
  if (only.source.root === null)
    return { kind: 'refused', message: `'${served}' comes from the custom finder ${only.source.label}, which has no folder to rename in.` };
  return { kind: 'rename', range: ref.pathRange, placeholder: served, source: only.source, fromAbs: only.absPath, from: served };
}

/** Where the file goes for a new destination path, or why it cannot go there. */
export function renameTarget(
  plan: Extract<RenamePlan, { kind: 'rename' }>,
  newName: string,
  ctx: ServiceContext,
): { to: string; toAbs: string } | { message: string } {
  const to = servedDestination(newName.trim());
  if (!to) return { message: `'${newName}' is not a static path.` };
  if (to === plan.from) return { message: `'${to}' is the current path.` };
  const { prefix, root } = plan.source;
  if (prefix && !to.startsWith(`${prefix}/`)) {
    return { message: `'${to}' is outside the '${prefix}' prefix of ${plan.source.label}; files there are served below '${prefix}/'.` };
  }
  const taken = ctx.index.get(to) ?? (ctx.index.isFolder(to) ? { providers: [] } : undefined);
  if (taken) return { message: `'${to}' already exists${taken.providers[0] ? ` (${taken.providers[0].source.label})` : ' as a folder'}.` };
  const rel = prefix ? to.slice(prefix.length + 1) : to;
  return { to, toAbs: `${root}/${rel}` };
}
