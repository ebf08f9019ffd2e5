/**
 * Static settings checked where they are written: Django's staticfiles system checks (the project's version's,
 * from the model) and the pitfalls Django reports only when a command runs or a page renders, each placed on
 * the line of whichever settings file assigned the value (through star-import chains, `+=` and `.append`).
 * Pure: the model says what Django sees, the settings source says where it was written.
 */
import * as path from 'node:path';
import { behaviourOf } from './djangoVersion';
import type { CheckMessage, ProjectModel } from './model';
import { SettingsFix, staticfilesStorageFix } from './settingsFixes';
import { LineCache } from './settingsLines';
import * as pyPath from './staticMode/pyPath';
import type { SettingsSource } from './staticMode/settingsSource';
import { WATCHED_SETTINGS } from './staticMode/toModel';
import { isSequence, isUnknown, PyValue, pyRepr, SourceSpot } from './staticMode/values';

/** The diagnostic codes of settings findings. */
export type SettingsCode =
  | 'django-check'
  | 'static-url-slash'
  | 'static-media-url'
  | 'static-media-root'
  | 'static-root-unset'
  | 'staticfiles-not-installed'
  | 'whitenoise-middleware-order'
  | 'whitenoise-runserver-order'
  | 'staticfiles-storage-deprecated'
  | 'staticfiles-storage-unread'
  | 'setting-not-evaluated';

export type SettingsSeverity = 'error' | 'warning' | 'information';

/**
 * Each code's severity when the check does not decide it (Django's level for django-check, an escalation):
 * the service's diagnostic table has the same row, with its description (a unit test keeps them equal).
 */
export const SETTINGS_SEVERITY: Record<SettingsCode, SettingsSeverity> = {
  'django-check': 'error',
  'static-url-slash': 'error',
  'static-media-url': 'error',
  'static-media-root': 'error',
  'static-root-unset': 'error',
  'staticfiles-not-installed': 'warning',
  'whitenoise-middleware-order': 'warning',
  'whitenoise-runserver-order': 'warning',
  'staticfiles-storage-deprecated': 'warning',
  'staticfiles-storage-unread': 'warning',
  'setting-not-evaluated': 'information',
};

/** One finding on a settings line; line and characters 0-based. */
export interface SettingsFinding {
  code: SettingsCode;
  severity: SettingsSeverity;
  message: string;
  file: string;
  line: number;
  startCharacter: number;
  endCharacter: number;
  /** The setting the finding is about. */
  setting: string;
  /** Django's own check id, when Django reports the same problem under one. */
  djangoId?: string;
  /** The edit that fixes it, when there is a safe one. */
  fix?: SettingsFix;
}

/** What the checks need besides the model. */
export interface SettingsCheckInput {
  model: ProjectModel;
  /** Null when the settings could not be read as source: nothing can be placed. */
  source: SettingsSource | null;
  /** Templates using `{% static %}` (files), or null when not known. */
  templatesUsingStatic?: string[] | null;
  /** Where the settings files' lines are read (shared with the lenses, so both refer to one text). */
  lines?: LineCache;
}

/**
 * Problems static mode records that are not settings it could not evaluate: Django's own errors, and which
 * settings module was guessed (a fact of both modes, said with the project's problems, not on manage.py's line 1).
 */
const NOT_UNKNOWNS = new Set(['storage-missing', 'setting-invalid', 'apps-not-unique', 'settings-module-guessed']);

const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';
const WHITENOISE_MIDDLEWARE = 'whitenoise.middleware.WhiteNoiseMiddleware';
const RUNSERVER_NOSTATIC = 'whitenoise.runserver_nostatic';
const STATICFILES_APP = 'django.contrib.staticfiles';

export function checkSettings(input: SettingsCheckInput): SettingsFinding[] {
  const { model, source } = input;
  if (!source) return [];
  const findings: SettingsFinding[] = [];
  const lines = input.lines ?? new LineCache();
  const add: Add = (code, setting, spot, message, extra = {}) => {
    const range = lines.range(spot, extra.needle);
    const { djangoId, fix } = extra;
    findings.push({
      code,
      severity: extra.severity ?? SETTINGS_SEVERITY[code],
      message,
      file: spot.file,
      ...range,
      setting,
      ...(djangoId ? { djangoId } : {}),
      ...(fix ? { fix } : {}),
    });
  };
  // A value read with an environment variable's default is what static mode assumed, not what Django ran.
  const noted = new Set<string>();
  const known = (name: string): PyValue | undefined => {
    const binding = source.binding(name);
    if (!binding || isUnknown(binding.value) || (model.mode === 'django' && binding.env.size > 0)) return undefined;
    // Static mode takes the default written in the file, as the model does; settings the model does not
    // read say so here, as the model's own say it in its problems.
    if (binding.env.size > 0 && !WATCHED_SETTINGS.has(name) && !noted.has(name)) {
      noted.add(name);
      const variables = [...binding.env].join(', ');
      add(
        'setting-not-evaluated',
        name,
        binding,
        `Static mode could not evaluate this: ${name} depends on environment variable${binding.env.size > 1 ? 's' : ''} ${variables}; the default written in settings (${pyRepr(binding.value)}) was checked.`,
      );
    }
    return binding.value;
  };
  const spotOf = (name: string) => source.binding(name);

  for (const check of model.checks) placeDjangoCheck(check, model, source, add);

  const django = behaviourOf(model.djangoVersion);
  for (const name of ['STATIC_URL', 'MEDIA_URL'] as const) {
    const value = name === 'STATIC_URL' ? (model.staticUrl ?? undefined) : textOf(known(name));
    const spot = spotOf(name);
    // Django mode's STATIC_URL already carries the script prefix; MEDIA_URL gets it the same way (3.1+).
    const url = value === undefined ? undefined : name === 'MEDIA_URL' ? withScriptPrefix(value, django.prefixesScriptName) : value;
    if (spot && url && !url.endsWith('/'))
      add('static-url-slash', name, spot, `urls.E006: The ${name} setting must end with a slash.`, { djangoId: 'urls.E006' });
  }

  if (model.staticfilesInstalled) {
    const staticUrl = model.staticUrl;
    const mediaText = source.binding('MEDIA_URL') ? textOf(known('MEDIA_URL')) : '';
    const mediaUrl = mediaText === undefined ? undefined : withScriptPrefix(mediaText, django.prefixesScriptName);
    const spot = spotOf('MEDIA_URL') ?? spotOf('STATIC_URL');
    if (spot && staticUrl && mediaUrl !== undefined) {
      if (mediaUrl === staticUrl) {
        add(
          'static-media-url',
          spot === spotOf('MEDIA_URL') ? 'MEDIA_URL' : 'STATIC_URL',
          spot,
          `MEDIA_URL and STATIC_URL are both '${staticUrl}': the staticfiles storage raises ImproperlyConfigured ("The MEDIA_URL and STATIC_URL settings must have different values"), so collectstatic and {% static %} fail.`,
        );
      } else if (model.debug === true && mediaUrl && mediaUrl.startsWith(staticUrl)) {
        add(
          'static-media-url',
          'MEDIA_URL',
          spot,
          `MEDIA_URL '${mediaUrl}' is inside STATIC_URL '${staticUrl}' with DEBUG on: the staticfiles storage raises ImproperlyConfigured ("runserver can't serve media if MEDIA_URL is within STATIC_URL.").`,
        );
      }
    }
    const mediaRoot = known('MEDIA_ROOT');
    const staticRoot = known('STATIC_ROOT');
    const mediaSpot = spotOf('MEDIA_ROOT');
    // Django compares the values as written (a str and a Path never compare equal).
    if (
      mediaSpot &&
      mediaRoot &&
      staticRoot &&
      isPathLike(mediaRoot) &&
      mediaRoot.kind === staticRoot.kind &&
      mediaRoot.value === staticRoot.value &&
      mediaRoot.value !== ''
    ) {
      add(
        'static-media-root',
        'MEDIA_ROOT',
        mediaSpot,
        `MEDIA_ROOT and STATIC_ROOT are both ${pyRepr(mediaRoot)}: the staticfiles storage raises ImproperlyConfigured ("The MEDIA_ROOT and STATIC_ROOT settings must have different values"), so collectstatic and {% static %} fail.`,
      );
    }
    const rootBinding = source.binding('STATIC_ROOT');
    const rootUnset =
      !rootBinding ||
      (!isUnknown(rootBinding.value) &&
        (rootBinding.value.kind === 'none' || (rootBinding.value.kind === 'str' && rootBinding.value.value === '')));
    const storageSpot = storageSettingSpot(source, django.readsStorages, django.readsStaticfilesStorage);
    if (model.manifestStorage && model.staticRoot === null && rootUnset && storageSpot) {
      add(
        'static-root-unset',
        storageSpot.name,
        storageSpot.spot,
        `STATIC_ROOT is not set while the staticfiles storage is ${shortClass(model.storage)}: collectstatic fails ("You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path."), and no manifest can be collected for its hashed URLs.`,
      );
    }
  }

  const apps = known('INSTALLED_APPS');
  const appItems = apps && isSequence(apps) && !apps.items.some(isUnknown) ? apps.items : null;
  const uses = input.templatesUsingStatic;
  if (appItems && !model.staticfilesInstalled && !appItems.some((item) => isStaticfilesApp(textOf(item))) && uses && uses.length > 0) {
    const spot = spotOf('INSTALLED_APPS')!;
    const first = path.relative(model.projectDir, uses[0]) || uses[0];
    add(
      'staticfiles-not-installed',
      'INSTALLED_APPS',
      spot,
      `django.contrib.staticfiles is not in INSTALLED_APPS, but ${uses.length} template${uses.length === 1 ? ' uses' : 's use'} {% static %} (${first}${uses.length > 1 ? ', …' : ''}): the URLs render, but no finder serves or collects the files.`,
    );
  }
  if (appItems) {
    const texts = appItems.map(textOf);
    const nostatic = texts.indexOf(RUNSERVER_NOSTATIC);
    const staticfiles = texts.findIndex(isStaticfilesApp);
    if (nostatic >= 0 && staticfiles >= 0 && nostatic > staticfiles) {
      add(
        'whitenoise-runserver-order',
        'INSTALLED_APPS',
        entrySpot(source, 'INSTALLED_APPS', appItems[nostatic]),
        `${RUNSERVER_NOSTATIC} is listed after ${texts[staticfiles]}: staticfiles' runserver command wins and still serves static files; list it before.`,
        { needle: RUNSERVER_NOSTATIC },
      );
    }
  }

  const middleware = known('MIDDLEWARE');
  if (middleware && isSequence(middleware) && !middleware.items.some(isUnknown)) {
    const texts = middleware.items.map(textOf);
    const at = texts.indexOf(WHITENOISE_MIDDLEWARE);
    const security = texts.indexOf(SECURITY_MIDDLEWARE);
    const expected = security >= 0 ? security + 1 : 0;
    if (at >= 0 && at !== expected) {
      const above = security > at ? [] : texts.slice(expected, at).filter((t): t is string => !!t);
      add(
        'whitenoise-middleware-order',
        'MIDDLEWARE',
        entrySpot(source, 'MIDDLEWARE', middleware.items[at]),
        `${WHITENOISE_MIDDLEWARE} must come directly after ${security >= 0 ? 'SecurityMiddleware' : 'the start of MIDDLEWARE'}, above every other middleware${above.length ? ` (here ${above.map(shortClass).join(', ')} come${above.length === 1 ? 's' : ''} first)` : ` (here it comes before ${SECURITY_MIDDLEWARE})`}.`,
        { needle: WHITENOISE_MIDDLEWARE },
      );
    }
  }

  const legacy = source.binding('STATICFILES_STORAGE');
  if (legacy && !django.assumed) {
    const what = isUnknown(legacy.value) ? 'STATICFILES_STORAGE' : `STATICFILES_STORAGE = ${pyRepr(legacy.value)}`;
    const fix = staticfilesStorageFix(source) ?? undefined;
    if (django.deprecatesStaticfilesStorage) {
      if (source.binding('STORAGES')) {
        add(
          'staticfiles-storage-deprecated',
          'STATICFILES_STORAGE',
          legacy,
          `${what} is set together with STORAGES: Django ${model.djangoVersion} refuses to start ("STATICFILES_STORAGE/STORAGES are mutually exclusive."). Move it into STORAGES['staticfiles'].`,
          { severity: 'error', fix },
        );
      } else {
        add(
          'staticfiles-storage-deprecated',
          'STATICFILES_STORAGE',
          legacy,
          `${what} is deprecated since Django 4.2 and no longer read from 5.1 (RemovedInDjango51Warning): name it in STORAGES['staticfiles'].`,
          { fix },
        );
      }
    } else if (!django.readsStaticfilesStorage) {
      add(
        'staticfiles-storage-unread',
        'STATICFILES_STORAGE',
        legacy,
        `Django ${model.djangoVersion} no longer reads STATICFILES_STORAGE (removed in 5.1): the staticfiles storage is ${shortClass(model.storage)}, not what ${what} names. Name it in STORAGES['staticfiles'].`,
        { fix },
      );
    }
  }

  if (model.mode === 'static') {
    for (const problem of model.problems) {
      if (problem.file === undefined || problem.line === undefined || NOT_UNKNOWNS.has(problem.kind)) continue;
      if (!problem.file.endsWith('.py') || !isInside(problem.file, model.projectDir)) continue;
      // An app that could not be located is said on the line that listed it (an `+=` in another file, say).
      const app = problem.kind === 'app-not-located' ? /^INSTALLED_APPS entry '([^']+)'/.exec(problem.message)?.[1] : undefined;
      const item = app ? appItems?.find((i) => textOf(i) === app) : undefined;
      const spot = (item && source.originOf(item)) || { file: problem.file, line: problem.line };
      add(
        'setting-not-evaluated',
        settingNamed(problem.message),
        spot,
        `Static mode could not evaluate this: ${problem.message.replace(/\.$/, '')}.`,
        { needle: app },
      );
    }
  }
  return dedupe(findings);
}

type Add = (
  code: SettingsCode,
  setting: string,
  spot: SourceSpot,
  message: string,
  extra?: { severity?: SettingsSeverity; djangoId?: string; needle?: string; fix?: SettingsFix },
) => void;

/** Django's check messages (run by Django in Django mode, modelled in static mode) on the entry they are about. */
function placeDjangoCheck(check: CheckMessage, model: ProjectModel, source: SettingsSource, add: Add): void {
  const setting = check.id === 'staticfiles.E005' ? 'STORAGES' : 'STATICFILES_DIRS';
  const binding = source.binding(setting);
  if (!binding) return;
  let spot: SourceSpot = binding;
  let needle: string | undefined;
  const dirs = binding.value;
  if (setting === 'STATICFILES_DIRS' && isSequence(dirs)) {
    const entry = dirs.items.find((item) => {
      const [prefix, root] = isSequence(item) && item.items.length === 2 ? [textOf(item.items[0]), item.items[1]] : [undefined, item];
      const rootText = isPathLike(root) ? root.value : undefined;
      if (check.id === 'staticfiles.E003') return prefix !== undefined && check.message.includes(`'${prefix}'`);
      if (check.id === 'staticfiles.W004') return rootText !== undefined && check.message.includes(`'${rootText}'`);
      if (check.id === 'staticfiles.E002')
        return rootText !== undefined && model.staticRoot !== null && pyPath.abspath(rootText, model.projectDir) === model.staticRoot;
      return false;
    });
    if (entry) {
      spot = source.originOf(entry) ?? binding;
      const first = isSequence(entry) ? entry.items[check.id === 'staticfiles.E003' ? 0 : 1] : entry;
      needle = textOf(first);
    }
  }
  const severity = check.level === 'info' ? 'information' : check.level;
  add('django-check', setting, spot, `${check.id}: ${check.message}${check.hint ? ` HINT: ${check.hint}` : ''}`, {
    severity,
    djangoId: check.id,
    needle,
  });
}

/** Where the storage Django reads is named: STORAGES (4.2+) or STATICFILES_STORAGE (before 5.1). */
function storageSettingSpot(
  source: SettingsSource,
  readsStorages: boolean,
  readsLegacy: boolean,
): { name: string; spot: SourceSpot } | null {
  const storages = readsStorages ? source.binding('STORAGES') : undefined;
  if (storages) return { name: 'STORAGES', spot: storages };
  const legacy = readsLegacy ? source.binding('STATICFILES_STORAGE') : undefined;
  return legacy ? { name: 'STATICFILES_STORAGE', spot: legacy } : null;
}

function entrySpot(source: SettingsSource, name: string, item: PyValue): SourceSpot {
  return source.originOf(item) ?? source.binding(name)!;
}

function textOf(value: PyValue | undefined): string | undefined {
  return value && value.kind === 'str' ? value.value : undefined;
}

function isPathLike(value: PyValue | undefined): value is Extract<PyValue, { kind: 'str' | 'path' }> {
  return !!value && (value.kind === 'str' || value.kind === 'path');
}

function isStaticfilesApp(name: string | undefined): boolean {
  return name === STATICFILES_APP || name === `${STATICFILES_APP}.apps.StaticFilesConfig`;
}

/** `settings.MEDIA_URL` as Django returns it: a relative URL gets the script prefix `/` (3.1+). */
function withScriptPrefix(url: string, prefixes: boolean): string {
  if (!prefixes || /^(https?:\/\/|\/)/.test(url)) return url;
  return `/${url}`;
}

function shortClass(dotted: string): string {
  return dotted.split('.').pop() ?? dotted;
}

function settingNamed(message: string): string {
  return /^([A-Z][A-Z0-9_]+)\b/.exec(message)?.[1] ?? 'settings';
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function dedupe(findings: SettingsFinding[]): SettingsFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\n${f.file}\n${f.line}\n${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
