/**
 * What the settings' static lines amount to, for hovers and code lenses on the settings themselves: per
 * STATICFILES_DIRS entry and per installed app with a `static/` folder, how many files it provides, how many
 * it shadows and how many shadow it; on STATIC_ROOT the resolved folder, whether it exists and the age of its
 * manifest; on STATIC_URL the URL a sample path renders to. Pure apart from stat'ing STATIC_ROOT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StaticIndexApi, StaticSource } from './indexTypes';
import type { ProjectModel } from './model';
import { LineCache } from './settingsLines';
import type { SettingsSource } from './staticMode/settingsSource';
import { isSequence, PyValue, SourceSpot } from './staticMode/values';

/** One lens on a settings line; line and characters 0-based. */
export interface SettingsLens {
  file: string;
  line: number;
  startCharacter: number;
  endCharacter: number;
  setting: 'STATICFILES_DIRS' | 'INSTALLED_APPS' | 'STATIC_ROOT' | 'STATIC_URL';
  /** One line, for a code lens. */
  title: string;
  /** The hover's lines (plain text). */
  detail: string[];
  /** The source the lens is about (`StaticSource.order`), so a click can filter the report to it. */
  sourceOrder?: number;
}

export interface SettingsLensInput {
  model: ProjectModel;
  index: StaticIndexApi;
  source: SettingsSource;
  /** STATIC_ROOT/staticfiles.json, original → hashed, when there is one. */
  manifest?: Map<string, string>;
  /** Now, in ms (tests pin it). */
  now?: number;
  /** Where the settings files' lines are read (shared with the checks). */
  lines?: LineCache;
}

export function settingsLenses(input: SettingsLensInput): SettingsLens[] {
  const { model, index, source } = input;
  const lines = input.lines ?? new LineCache();
  const lenses: SettingsLens[] = [];
  const at = (spot: SourceSpot, needle?: string) => ({ file: spot.file, ...lines.range(spot, needle) });

  // The index's collect counts: counted once per index state, in slices by the server (not a list per source).
  const stats = index.collectStats(0);
  const dirs = source.binding('STATICFILES_DIRS');
  const apps = source.binding('INSTALLED_APPS');
  for (const s of index.sources) {
    const c = { provides: stats.perSource[s.order] ?? 0, shadows: stats.shadows[s.order] ?? 0, shadowedBy: stats.shadowedBy[s.order] ?? 0 };
    const title = `${plural(c.provides, 'file')} · shadows ${c.shadows} · shadowed by ${c.shadowedBy}`;
    const detail = [
      `${s.label}`,
      `Provides ${plural(c.provides, 'file')} to collectstatic; ${c.shadows} of other sources' files are hidden by it, ${c.shadowedBy} of its own by sources earlier in finder order.`,
    ];
    const placed =
      s.finder === 'filesystem' ? dirEntry(s, dirs?.value, source) : s.finder === 'app' ? appEntry(s, model, apps?.value, source) : null;
    const fallback = s.finder === 'filesystem' ? dirs : s.finder === 'app' ? apps : undefined;
    const spot = placed?.spot ?? fallback;
    if (!spot) continue;
    lenses.push({
      ...at(spot, placed?.needle),
      setting: s.finder === 'app' ? 'INSTALLED_APPS' : 'STATICFILES_DIRS',
      title,
      detail,
      sourceOrder: s.order,
    });
  }

  const root = source.binding('STATIC_ROOT');
  if (root && model.staticRoot) {
    const exists = isDirectory(model.staticRoot);
    const manifest = manifestAge(model.staticRoot, input.now ?? Date.now());
    const state = exists
      ? (manifest ?? (model.manifestStorage ? 'no staticfiles.json yet' : 'exists'))
      : 'does not exist yet (collectstatic creates it)';
    lenses.push({
      ...at(root),
      setting: 'STATIC_ROOT',
      title: `${model.staticRoot}: ${state}`,
      detail: [
        `STATIC_ROOT resolves to ${model.staticRoot}.`,
        exists ? 'The folder exists.' : 'The folder does not exist yet.',
        ...(manifest ? [`Its manifest was ${manifest}.`] : []),
      ],
    });
  }

  const url = source.binding('STATIC_URL');
  const sample = stats.first;
  if (url && model.staticUrl && sample) {
    const rendered = `${model.staticUrl}${input.manifest?.get(sample) ?? sample}`;
    lenses.push({
      ...at(url),
      setting: 'STATIC_URL',
      title: `{% static '${sample}' %} → ${rendered}`,
      detail: [`{% static '${sample}' %} renders ${rendered}${input.manifest?.has(sample) ? ' (hashed by the manifest)' : ''}.`],
    });
  }
  return lenses;
}

/** The STATICFILES_DIRS entry a filesystem source came from, and the quoted text to point at. */
function dirEntry(s: StaticSource, dirs: PyValue | undefined, source: SettingsSource): { spot: SourceSpot; needle?: string } | null {
  if (!dirs || !isSequence(dirs)) return null;
  for (const item of dirs.items) {
    const [prefix, root] = isSequence(item) && item.items.length === 2 ? [item.items[0], item.items[1]] : [null, item];
    if ((root.kind !== 'str' && root.kind !== 'path') || root.value !== s.rootAsWritten) continue;
    if ((prefix && prefix.kind === 'str' ? prefix.value : '') !== s.prefix) continue;
    const spot = source.originOf(item);
    return spot ? { spot, needle: path.basename(root.value) } : null;
  }
  return null;
}

/** The INSTALLED_APPS entry of an app source: its module name, or an AppConfig path inside it. */
function appEntry(
  s: StaticSource,
  model: ProjectModel,
  apps: PyValue | undefined,
  source: SettingsSource,
): { spot: SourceSpot; needle?: string } | null {
  const app = model.finders.flatMap((f) => (f.kind === 'app' ? f.apps : [])).find((a) => a.label === s.appLabel);
  if (!app || !apps || !isSequence(apps)) return null;
  const item = apps.items.find((i) => i.kind === 'str' && (i.value === app.name || i.value.startsWith(`${app.name}.`)));
  const spot = item && source.originOf(item);
  return spot && item.kind === 'str' ? { spot, needle: item.value } : null;
}

function manifestAge(root: string, now: number): string | null {
  let mtime: number;
  try {
    mtime = fs.statSync(path.join(root, 'staticfiles.json')).mtimeMs;
  } catch {
    return null;
  }
  return `staticfiles.json written ${describeAge(now - mtime)}`;
}

function describeAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
