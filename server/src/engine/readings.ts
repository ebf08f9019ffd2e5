/**
 * Two readings of one project compared: static mode's (served first, it needs no Python) and Django
 * mode's (learned behind it). What differs decides whether the index can be kept and what to re-check.
 */
import { Problem, ProjectModel } from './model';

/** One place files come from, as a reading names it: `kind|prefix|root`. */
type SourceKey = string;

/** Where two readings of a project disagree, in the terms a user (or a static-mode fix) needs. */
export interface ReadingDifference {
  /** Sources only the later (Django mode) reading has: a static-mode gap. */
  onlyLater: string[];
  /** Sources only the earlier (static) reading has. */
  onlyEarlier: string[];
  /** Same sources, another finder order (which file wins changes). */
  reordered: boolean;
  /** The sources or ignore patterns differ: the index must be built again. */
  sourcesDiffer: boolean;
  /** Something every template's diagnostics depend on differs (STATIC_URL, storage, template engines). */
  settingsDiffer: boolean;
}

/** Problems that say nothing about what the reading may have missed. */
const NOT_GAPS = new Set(['apps-not-unique', 'django-version-untested', 'settings-module-guessed']);

/**
 * Whether a static reading may lack sources or settings Django mode would see. Every problem static mode
 * records is about a setting it watches (STATICFILES_DIRS, INSTALLED_APPS, STATIC_URL...) that it could not
 * read or located an app it could not find, so any of them can hide files; apps-not-unique is an error
 * Django raises too, and a Django version outside the tested ones or a guessed settings module is a caveat
 * that holds for both readings, not a gap.
 */
export function mayMissSources(model: ProjectModel): boolean {
  return model.mode === 'static' && model.problems.some((p) => !NOT_GAPS.has(p.kind));
}

/**
 * The problems past which a static reading lost the settings: a star import of names it could not see, a limit
 * that stopped it, or a statement that raised while INSTALLED_APPS still came out empty (static mode reads on
 * past it, so the settings that matter were evidently meant to come from what failed: django-split-settings'
 * include(), a settings class's loader). Every setting may come from there, sources included.
 */
export function lostReadings(model: Pick<ProjectModel, 'mode' | 'problems' | 'finders'>): Problem[] {
  if (model.mode !== 'static') return [];
  const noApps = !model.finders.some((f) => f.kind === 'app' && f.apps.length > 0);
  return model.problems.filter(
    (p) => p.kind === 'settings-import-unread' || p.kind === 'settings-stopped' || (p.kind === 'settings-raises' && noApps),
  );
}

/**
 * True when a static reading could not tell a setting's value: written in a way static mode does not
 * evaluate, or possibly set past the point where the reading lost the settings (lostReadings). Unread is not
 * unset: only an unset STATIC_URL makes Django raise ImproperlyConfigured.
 */
export function settingUnread(model: Pick<ProjectModel, 'mode' | 'problems' | 'finders'>, name: string): boolean {
  if (model.mode !== 'static') return false;
  return model.problems.some((p) => p.kind === 'setting-unreadable' && p.message.startsWith(`${name} `)) || lostReadings(model).length > 0;
}

export function compareReadings(earlier: ProjectModel, later: ProjectModel): ReadingDifference {
  const before = sourcesOf(earlier);
  const after = sourcesOf(later);
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const onlyLater = after.filter((s) => !beforeSet.has(s));
  const onlyEarlier = before.filter((s) => !afterSet.has(s));
  const shared = (list: SourceKey[], other: Set<SourceKey>): string => list.filter((s) => other.has(s)).join('\n');
  const reordered = shared(before, afterSet) !== shared(after, beforeSet);
  // The Django version counts too: which one runs decides details of what the finders find.
  const sourcesDiffer =
    onlyLater.length > 0 ||
    onlyEarlier.length > 0 ||
    reordered ||
    JSON.stringify(earlier.ignorePatterns) !== JSON.stringify(later.ignorePatterns) ||
    earlier.djangoVersion !== later.djangoVersion;
  return {
    onlyLater: onlyLater.map(describe),
    onlyEarlier: onlyEarlier.map(describe),
    reordered,
    sourcesDiffer,
    settingsDiffer: settingsKey(earlier) !== settingsKey(later),
  };
}

/** The sources in finder order; apps without a `static/` folder provide nothing and are left out. */
function sourcesOf(model: ProjectModel): SourceKey[] {
  const keys: SourceKey[] = [];
  for (const finder of model.finders) {
    if (finder.kind === 'filesystem') for (const dir of finder.dirs) keys.push(`dir|${dir.prefix}|${dir.root}`);
    else if (finder.kind === 'app') {
      for (const app of finder.apps) if (app.staticDir) keys.push(`app|${app.label}|${app.staticDir}`);
    } else keys.push(`custom|${finder.className}|${JSON.stringify(finder.files)}`);
  }
  return keys;
}

function describe(key: SourceKey): string {
  const [kind, name, rest] = key.split('|');
  if (kind === 'dir') return `STATICFILES_DIRS ${name ? `'${name}' → ` : ''}${rest}`;
  if (kind === 'app') return `app '${name}' → ${rest}`;
  return `custom finder ${name}`;
}

/** What the service reads from the model besides the index (see service/: STATIC_URL, storage, engines...). */
function settingsKey(model: ProjectModel): string {
  return JSON.stringify([
    model.staticUrl,
    model.staticRoot,
    model.storage,
    model.manifestStorage,
    model.staticfilesInstalled,
    model.debug,
    model.djangoVersion,
    model.templates,
  ]);
}
