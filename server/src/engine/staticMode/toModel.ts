/**
 * Turns the values read from settings into the parts of the ProjectModel Django mode reports: finders with
 * FileSystemFinder's dirs (Django's de-duplication and storage-per-root quirk), storage, templates and the
 * staticfiles system checks. Unreadable settings become Problems naming the setting, file, line and reason.
 */
import * as path from 'node:path';
import { behaviourOf, DjangoBehaviour } from '../djangoVersion';
import { APP_DIRECTORIES_FINDER, CheckMessage, FILESYSTEM_FINDER, Problem, StaticDirEntry } from '../model';
import * as pyPath from './pyPath';
import { Binding, isSequence, isUnknown, pyRepr, pyStr, PyValue, truthy, UnknownValue } from './values';

/** The settings static mode reads; losing one of them is worth a Problem. */
export const WATCHED_SETTINGS: ReadonlySet<string> = new Set([
  'STATIC_URL',
  'STATIC_ROOT',
  'STATICFILES_DIRS',
  'STATICFILES_FINDERS',
  'STATICFILES_STORAGE',
  'STORAGES',
  'DEBUG',
  'INSTALLED_APPS',
  'TEMPLATES',
]);

export const DEFAULT_STORAGE = 'django.contrib.staticfiles.storage.StaticFilesStorage';

/** Reads settings out of the settings module's namespace, collecting Problems. */
export class SettingsReader {
  readonly problems: Problem[] = [];

  constructor(
    private readonly namespace: Map<string, Binding>,
    /** The folder Django runs in. */
    readonly cwd: string,
  ) {}

  binding(name: string): Binding | undefined {
    return this.namespace.get(name);
  }

  /** The setting's value, or undefined when unset (Django's default applies) or unreadable (reported). */
  value(name: string): PyValue | undefined {
    const binding = this.namespace.get(name);
    if (!binding) return undefined;
    if (isUnknown(binding.value)) {
      this.unreadable(name, binding, binding.value);
      return undefined;
    }
    this.noteEnvironment(name, binding);
    return binding.value;
  }

  relative(file: string): string {
    const relative = path.relative(this.cwd, file);
    return relative.startsWith('..') ? file : relative;
  }

  /** Reports a value (or a part of one, `what`) static mode could not read. */
  unreadable(name: string, binding: Binding, value: UnknownValue, what?: string): void {
    const where =
      value.file !== binding.file
        ? ` (at ${this.relative(value.file)} line ${value.line + 1})`
        : value.line !== binding.line
          ? ` (at line ${value.line + 1})`
          : '';
    const subject = what ? `${name} (${what})` : name;
    this.problems.push({
      kind: 'setting-unreadable',
      message: `${subject} in ${this.relative(binding.file)} line ${binding.line + 1} could not be read: ${value.reason}${where}`,
      file: binding.file,
      line: binding.line,
    });
  }

  /** Reports a setting that is not the type Django expects. */
  wrongType(name: string, binding: Binding, expected: string, value: PyValue): void {
    this.problems.push({
      kind: 'setting-unreadable',
      message: `${name} in ${this.relative(binding.file)} line ${binding.line + 1} is ${describeValue(value)}, not ${expected}; static mode ignored it`,
      file: binding.file,
      line: binding.line,
    });
  }

  private readonly notedEnvironment = new Set<string>();

  private noteEnvironment(name: string, binding: Binding): void {
    if (!binding.env.size || this.notedEnvironment.has(name)) return;
    this.notedEnvironment.add(name);
    const variables = [...binding.env].join(', ');
    this.problems.push({
      kind: 'setting-from-environment',
      message: `${name} in ${this.relative(binding.file)} line ${binding.line + 1} depends on environment variable${binding.env.size > 1 ? 's' : ''} ${variables}; static mode used the default written in settings (${describeValue(binding.value)})`,
      file: binding.file,
      line: binding.line,
    });
  }

  /** STATIC_URL as `settings.STATIC_URL` returns it: from Django 3.1 a relative URL gets the script prefix `/`. */
  staticUrl(django: DjangoBehaviour = behaviourOf(null)): string | null {
    const value = this.value('STATIC_URL');
    if (!value || value.kind === 'none') return null;
    const text = pyStr(value);
    if (text === null) return null;
    if (text.startsWith('http://') || text.startsWith('https://') || text.startsWith('/')) return text;
    if (!django.prefixesScriptName) return text;
    return `/${text}`;
  }

  /** Absolute STATIC_ROOT, or null when unset or empty. */
  staticRoot(): string | null {
    const value = this.value('STATIC_ROOT');
    if (!value || truthy(value) === false) return null;
    const text = value.kind === 'str' || value.kind === 'path' ? value.value : null;
    if (text === null) {
      this.wrongType('STATIC_ROOT', this.binding('STATIC_ROOT')!, 'a str or Path', value);
      return null;
    }
    return pyPath.abspath(text, this.cwd);
  }

  debug(): boolean | null {
    const binding = this.binding('DEBUG');
    if (!binding) return false;
    const value = this.value('DEBUG');
    return value ? truthy(value) : null;
  }

  /** A list setting's items as strings, reporting items static mode could not read. */
  stringList(name: string): string[] | undefined {
    const value = this.value(name);
    if (!value) return undefined;
    const binding = this.binding(name)!;
    if (!isSequence(value)) {
      this.wrongType(name, binding, 'a list or tuple', value);
      return undefined;
    }
    const out: string[] = [];
    for (const item of value.items) {
      if (isUnknown(item)) this.unreadable(name, binding, item, item.spread ? 'some entries' : 'an entry');
      else if (item.kind === 'str') out.push(item.value);
      else this.wrongType(`An entry of ${name}`, binding, 'a str', item);
    }
    return out;
  }

  /**
   * The dotted staticfiles storage class, version-aware about STORAGES (4.2+) versus STATICFILES_STORAGE;
   * with the version unknown, either setting is believed rather than guessing which one Django reads.
   */
  storage(django: DjangoBehaviour): string {
    const storagesAllowed = django.assumed || django.readsStorages;
    const legacyAllowed = django.assumed || django.readsStaticfilesStorage;
    if (storagesAllowed) {
      const storages = this.value('STORAGES');
      if (storages && storages.kind === 'dict') {
        const staticfiles = storages.entries.get('s:staticfiles')?.value;
        const backend = staticfiles && staticfiles.kind === 'dict' ? staticfiles.entries.get('s:BACKEND')?.value : undefined;
        if (backend && backend.kind === 'str') return backend.value;
        if (backend && isUnknown(backend)) this.unreadable('STORAGES', this.binding('STORAGES')!, backend, "['staticfiles']['BACKEND']");
        if (!staticfiles && !django.assumed && (django.checksStoragesEntry || !this.value('STATICFILES_STORAGE'))) {
          const binding = this.binding('STORAGES')!;
          this.problems.push({ kind: 'storage-missing', message: STORAGE_MISSING, file: binding.file, line: binding.line });
        }
      }
    }
    if (legacyAllowed) {
      const legacy = this.value('STATICFILES_STORAGE');
      if (legacy && legacy.kind === 'str') return legacy.value;
    }
    return DEFAULT_STORAGE;
  }
}

/** FileSystemFinder's locations: de-duplicated on the exact (prefix, root) pair, list prefix = last same root. */
export function fileSystemDirs(reader: SettingsReader): StaticDirEntry[] {
  const value = reader.value('STATICFILES_DIRS');
  if (!value || !isSequence(value)) return [];
  const binding = reader.binding('STATICFILES_DIRS')!;
  const locations: { prefix: string; rootKey: string; rootAsWritten: string }[] = [];
  const seen = new Set<string>();
  for (const item of value.items) {
    const parsed = parseDirEntry(item);
    if ('problem' in parsed) {
      if (isUnknown(item)) reader.unreadable('STATICFILES_DIRS', binding, item, item.spread ? 'some entries' : 'an entry');
      else if (parsed.unknown) reader.unreadable('STATICFILES_DIRS', binding, parsed.unknown, 'an entry');
      else reader.wrongType(`The entry ${pyRepr(item)} of STATICFILES_DIRS`, binding, parsed.problem, item);
      continue;
    }
    const key = JSON.stringify([parsed.prefix, parsed.rootKey]);
    if (seen.has(key)) continue;
    seen.add(key);
    locations.push(parsed);
  }
  const lastPrefixByRoot = new Map<string, string>();
  for (const location of locations) lastPrefixByRoot.set(location.rootKey, location.prefix);
  return locations.map((location) => ({
    prefix: location.prefix,
    rootAsWritten: location.rootAsWritten,
    root: pyPath.abspath(location.rootAsWritten, reader.cwd),
    listPrefix: lastPrefixByRoot.get(location.rootKey)!,
  }));
}

type ParsedDir = { prefix: string; rootKey: string; rootAsWritten: string } | { problem: string; unknown?: UnknownValue };

function parseDirEntry(item: PyValue): ParsedDir {
  if (isUnknown(item)) return { problem: 'readable', unknown: item };
  let prefix = '';
  let root: PyValue = item;
  if (isSequence(item)) {
    if (item.items.length !== 2) return { problem: 'a root or a (prefix, root) pair' };
    const [prefixValue, rootValue] = item.items;
    if (isUnknown(prefixValue)) return { problem: 'readable', unknown: prefixValue };
    if (prefixValue.kind !== 'str') return { problem: 'a (prefix, root) pair with a str prefix' };
    prefix = prefixValue.value;
    root = rootValue;
  }
  if (isUnknown(root)) return { problem: 'readable', unknown: root };
  if (root.kind !== 'str' && root.kind !== 'path') return { problem: 'a str or Path root' };
  // A Path and a str never compare equal in Python, so they are different roots even when they print alike.
  return { prefix, rootKey: `${root.kind}:${root.value}`, rootAsWritten: root.value };
}

/** FileSystemFinder.check(): staticfiles.E001–E003 (and W004 from Django 4.0). */
export function fileSystemChecks(reader: SettingsReader, staticRoot: string | null, django: DjangoBehaviour): CheckMessage[] {
  const value = reader.binding('STATICFILES_DIRS')?.value;
  if (!value || isUnknown(value)) return [];
  const checks: CheckMessage[] = [];
  if (!isSequence(value)) {
    checks.push({
      id: 'staticfiles.E001',
      level: 'error',
      message: 'The STATICFILES_DIRS setting is not a tuple or list.',
      hint: 'Perhaps you forgot a trailing comma?',
    });
    return checks;
  }
  // With the version unknown, W004 is not claimed: its absence from 3.2 would make it a false warning there.
  const warnMissing = !django.assumed && django.warnsMissingDirs;
  for (const item of value.items) {
    let root: PyValue = item;
    if (isSequence(item) && item.items.length === 2) {
      const prefix = item.items[0];
      root = item.items[1];
      if (prefix.kind === 'str' && prefix.value.endsWith('/')) {
        checks.push({
          id: 'staticfiles.E003',
          level: 'error',
          message: `The prefix ${pyRepr(prefix)} in the STATICFILES_DIRS setting must not end with a slash.`,
        });
      }
    }
    if (root.kind !== 'str' && root.kind !== 'path') continue;
    if (staticRoot && staticRoot === pyPath.abspath(root.value, reader.cwd)) {
      checks.push({
        id: 'staticfiles.E002',
        level: 'error',
        message: 'The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.',
      });
    }
    // os.path.isdir(root) as written: not normalised, so 'gone/../a' is missing when 'gone' is.
    if (warnMissing && !pyPath.isDirectory(path.isAbsolute(root.value) ? root.value : `${reader.cwd}/${root.value}`)) {
      checks.push({
        id: 'staticfiles.W004',
        level: 'warning',
        message: `The directory '${root.value}' in the STATICFILES_DIRS setting does not exist.`,
      });
    }
  }
  return checks;
}

/** staticfiles.E005 (Django 5.1+): STORAGES, when the settings define it, must name a 'staticfiles' storage. */
export function storagesChecks(reader: SettingsReader, django: DjangoBehaviour): CheckMessage[] {
  if (!django.checksStoragesEntry || django.assumed) return [];
  const storages = reader.binding('STORAGES')?.value;
  if (!storages || storages.kind !== 'dict' || storages.entries.has('s:staticfiles')) return [];
  return [{ id: 'staticfiles.E005', level: 'error', message: "The STORAGES setting must define a 'staticfiles' storage." }];
}

/** Said the same way in both modes when Django would fail to build the staticfiles storage. */
export const STORAGE_MISSING = "STORAGES has no 'staticfiles' entry: collectstatic and {% static %} raise InvalidStorageError";

export const DEFAULT_FINDERS = [FILESYSTEM_FINDER, APP_DIRECTORIES_FINDER];

export function isManifestStorage(storage: string): boolean {
  const className = storage.split('.').pop() ?? storage;
  return className === 'ManifestStaticFilesStorage' || className === 'CachedStaticFilesStorage' || className.includes('Manifest');
}

export const CUSTOM_FINDER_ERROR = 'static mode cannot list custom finders; run in Django mode';

function describeValue(value: PyValue): string {
  const text = pyRepr(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
