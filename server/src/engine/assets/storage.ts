/**
 * What the project's staticfiles storage does to CSS and JS when collectstatic post-processes them: whether it
 * hashes at all, and the class attributes HashedFilesMixin reads. Django mode reads them from the class
 * itself (the helper's `storageClass`); static mode reads a project subclass's source and knows the common
 * third-party classes by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ProjectModel, StorageClassReport } from '../model';

/** The storage as post-processing sees it. */
export interface StorageTraits {
  /** Dotted class path as the settings name it. */
  className: string;
  /** The storage rewrites references and fails on missing ones (HashedFilesMixin); null when not known. */
  hashes: boolean | null;
  /** `support_js_module_import_aggregation` (4.2+; default False). */
  jsModuleImports: boolean;
  /** `max_post_process_passes` (default 5). */
  maxPasses: number;
  /** The class sets its own `patterns`: what is matched is not Django's table, so nothing is predicted. */
  customPatterns: boolean;
  /**
   * Methods of post-processing a class outside Django redefines (`post_process`, `hashed_name`, ...), with the
   * class: the prediction follows Django's code, which these may change.
   */
  overrides: string[];
  /** `exists()` asks a remote bucket, which may hold files from earlier runs (django-storages). */
  remote: boolean;
  /** How the attributes were learned, in words. */
  readFrom: string;
  /** WhiteNoise wraps the missing-file ValueError in its MissingFileError. */
  whitenoise: boolean;
}

const DJANGO = 'django.contrib.staticfiles.storage.';
const HASHING_KNOWN: Record<string, Partial<StorageTraits>> = {
  [`${DJANGO}ManifestStaticFilesStorage`]: {},
  [`${DJANGO}ManifestFilesMixin`]: {},
  [`${DJANGO}HashedFilesMixin`]: {},
  [`${DJANGO}CachedStaticFilesStorage`]: {},
  'whitenoise.storage.CompressedManifestStaticFilesStorage': { whitenoise: true },
  'whitenoise.django.GzipManifestStaticFilesStorage': { whitenoise: true },
  'storages.backends.s3boto3.S3ManifestStaticStorage': { remote: true },
  'storages.backends.s3.S3ManifestStaticStorage': { remote: true },
};
const PLAIN_KNOWN = new Set([
  `${DJANGO}StaticFilesStorage`,
  'django.core.files.storage.FileSystemStorage',
  'whitenoise.storage.CompressedStaticFilesStorage',
  'storages.backends.s3boto3.S3StaticStorage',
  'storages.backends.s3.S3StaticStorage',
  'storages.backends.s3boto3.S3Boto3Storage',
  'storages.backends.s3.S3Storage',
  'storages.backends.gcloud.GoogleCloudStorage',
  'storages.backends.azure_storage.AzureStorage',
]);
/** Methods whose redefinition changes what post-processing does. */
const BEHAVIOUR_METHODS = ['post_process', '_post_process', 'hashed_name', 'url_converter', 'file_hash', '_stored_name', '_url', 'url'];
/** Classes outside Django whose redefinitions are known to keep Django's results (WhiteNoise adds compression). */
const HARMLESS_OVERRIDERS = ['whitenoise.', 'storages.'];

function defaults(className: string): StorageTraits {
  return {
    className,
    hashes: null,
    jsModuleImports: false,
    maxPasses: 5,
    customPatterns: false,
    overrides: [],
    remote: false,
    readFrom: '',
    whitenoise: false,
  };
}

/** The storage's traits for the project: from the class (Django mode) or from names and sources (static mode). */
export function storageTraits(model: ProjectModel): StorageTraits {
  if (model.storageClass) return fromReport(model.storage, model.storageClass);
  if (model.mode === 'django' && !model.manifestStorage && !model.problems.some((p) => p.kind === 'storage-unimportable')) {
    // Django imported the class and it is no HashedFilesMixin: nothing is rewritten, whatever its name.
    return { ...defaults(model.storage), hashes: false, readFrom: `Django imported ${model.storage}: not a HashedFilesMixin` };
  }
  return fromSource(model.storage, model.projectDir, 0, new Set());
}

function fromReport(className: string, r: StorageClassReport): StorageTraits {
  const t = defaults(className);
  t.hashes = r.hashes;
  t.jsModuleImports = r.jsModuleImports;
  t.maxPasses = r.maxPasses;
  t.customPatterns = r.customPatterns;
  t.overrides = r.overrides.filter((o) => !HARMLESS_OVERRIDERS.some((h) => o.includes(` ${h}`)));
  t.whitenoise = r.mro.some((c) => c.startsWith('whitenoise.'));
  t.remote = r.mro.some((c) => c.startsWith('storages.'));
  t.readFrom = `read from the class ${className} by running Django`;
  return t;
}

function fromSource(className: string, projectDir: string, depth: number, seen: Set<string>): StorageTraits {
  const known = HASHING_KNOWN[className];
  if (known) return { ...defaults(className), hashes: true, ...known, readFrom: `${className} is known` };
  if (PLAIN_KNOWN.has(className)) return { ...defaults(className), hashes: false, readFrom: `${className} is known` };
  const t = defaults(className);
  const cls = depth < 8 && !seen.has(className) ? readClass(className, projectDir) : null;
  if (!cls) {
    t.readFrom = `the source of ${className} was not found below ${projectDir}`;
    return t;
  }
  seen.add(className);
  // The first base that tells wins, as Python's MRO would for single inheritance (the common case).
  for (const base of cls.bases) {
    const b = fromSource(base, projectDir, depth + 1, seen);
    if (b.hashes !== null) {
      Object.assign(t, b, { className, overrides: [...b.overrides], readFrom: '' });
      break;
    }
  }
  const attr = cls.attributes;
  if (attr.support_js_module_import_aggregation !== undefined) t.jsModuleImports = attr.support_js_module_import_aggregation === 'True';
  if (attr.max_post_process_passes !== undefined && /^\d+$/.test(attr.max_post_process_passes))
    t.maxPasses = Number(attr.max_post_process_passes);
  if (attr.patterns !== undefined) t.customPatterns = true;
  for (const m of cls.methods) if (BEHAVIOUR_METHODS.includes(m)) t.overrides.push(`${m} in ${className}`);
  t.readFrom = `read from the source of ${className} (${path.relative(projectDir, cls.file) || cls.file})`;
  return t;
}

interface ClassSource {
  file: string;
  bases: string[];
  /** Class-level `name = value` assignments, the value as written. */
  attributes: Record<string, string>;
  methods: string[];
}

/** The class statement of `dotted` in a module below the project folder (the folder manage.py puts on sys.path). */
function readClass(dotted: string, projectDir: string): ClassSource | null {
  const parts = dotted.split('.');
  const name = parts.pop()!;
  const moduleRel = parts.join('/');
  let file: string | null = null;
  for (const candidate of [`${moduleRel}.py`, `${moduleRel}/__init__.py`]) {
    const abs = path.join(projectDir, candidate);
    if (moduleRel && fs.existsSync(abs)) file = abs;
  }
  if (!file) return null;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^class\\s+${name}\\s*[(:]`).test(l));
  if (start < 0) return null;
  const header = /^class\s+\w+\s*(?:\(([^)]*)\))?\s*:/.exec(lines.slice(start, start + 5).join(' '));
  const imports = importedNames(text, parts.join('.'));
  const bases = (header?.[1] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b && !b.includes('='))
    .map((b) => resolveName(b, imports, parts.join('.')));
  const attributes: Record<string, string> = {};
  const methods: string[] = [];
  let indent: string | null = null;
  for (const line of lines.slice(start + 1)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const lead = /^\s*/.exec(line)![0];
    if (!lead) break;
    indent ??= lead;
    if (lead !== indent) continue;
    const assign = /^\s*(\w+)\s*(?::[^=]+)?=\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (assign) attributes[assign[1]] = assign[2];
    const def = /^\s*(?:async\s+)?def\s+(\w+)/.exec(line);
    if (def) methods.push(def[1]);
  }
  return { file, bases, attributes, methods };
}

function importedNames(text: string, module: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^from\s+([.\w]+)\s+import\s+\(?([^)\n]+)\)?/gm)) {
    const from = m[1].startsWith('.') ? relativeModule(module, m[1]) : m[1];
    for (const item of m[2].split(',')) {
      const [orig, alias] = item.trim().split(/\s+as\s+/);
      if (orig) out.set(alias ?? orig, `${from}.${orig}`);
    }
  }
  for (const m of text.matchAll(/^import\s+([.\w]+)(?:\s+as\s+(\w+))?/gm)) out.set(m[2] ?? m[1], m[1]);
  return out;
}

function relativeModule(module: string, dots: string): string {
  const level = /^\.+/.exec(dots)![0].length;
  const base = module.split('.').slice(0, -level);
  const rest = dots.slice(level);
  return [...base, ...(rest ? [rest] : [])].join('.');
}

function resolveName(name: string, imports: Map<string, string>, module: string): string {
  const [head, ...tail] = name.split('.');
  const imported = imports.get(head);
  if (imported) return [imported, ...tail].join('.');
  return tail.length ? name : `${module}.${name}`;
}
