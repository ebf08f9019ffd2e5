/**
 * Reads what `manage.py collectstatic` and `manage.py findstatic` print, in Django's own words, so the
 * client can show a summary, Problems entries and one clear failure message. Pure: no `vscode`.
 */

export interface CollectSummary {
  /** Files copied (or symlinked) this run. */
  modified: number;
  action: 'copied' | 'symlinked';
  /** STATIC_ROOT as Django printed it; null for non-local storages. */
  destination: string | null;
  unmodified: number;
  postProcessed: number;
  /** The summary line exactly as printed. */
  line: string;
}

export type CollectFailureKind =
  'static-root-unset' | 'improperly-configured' | 'missing-referenced-file' | 'cancelled' | 'command-error' | 'error';

export interface CollectFailure {
  kind: CollectFailureKind;
  /** One sentence for the notification. */
  message: string;
  /** For `missing-referenced-file`: the path Django could not find, and the file being post-processed. */
  missingPath?: string;
  referencedFrom?: string;
}

export interface CollectOutcome {
  summary: CollectSummary | null;
  /** Destination paths collectstatic ignored because an earlier finder already provided them. */
  duplicates: string[];
  /** `Deleting '...'` lines (from --clear). */
  deleted: number;
  failure: CollectFailure | null;
}

const SUMMARY = /^(\d+) static files? (copied|symlinked)(?: to '(.*)')?(?:, (\d+) unmodified)?(?:, (\d+) post-processed)?\.$/;
const DUPLICATE =
  /^Found another file with the destination path '(.*)'\. It will be ignored since only the first encountered file is collected\./;
const STATIC_ROOT_UNSET = "You're using the staticfiles app without having set the STATIC_ROOT setting";
// Anchored on the exception line: the traceback also quotes Django's source, `raise ValueError("The file '%s'...`.
const MISSING_FILE = /ValueError: The file '(.*?)' could not be found with /;
const POST_PROCESS_FAILED = /^Post-processing '(.*)' failed!$/;
const IMPROPERLY_CONFIGURED = /(?:^|\.)ImproperlyConfigured: (.*)$/;
const COMMAND_ERROR = /^CommandError: (.*)$/;

export function parseCollectOutput(stdout: string, stderr: string, exitCode: number | null): CollectOutcome {
  const outLines = splitLines(stdout);
  const errLines = splitLines(stderr);
  let summary: CollectSummary | null = null;
  const duplicates: string[] = [];
  let deleted = 0;
  for (const line of outLines) {
    const trimmed = line.trim();
    const s = SUMMARY.exec(trimmed);
    if (s) {
      summary = {
        modified: Number(s[1]),
        action: s[2] as 'copied' | 'symlinked',
        destination: s[3] ?? null,
        unmodified: s[4] ? Number(s[4]) : 0,
        postProcessed: s[5] ? Number(s[5]) : 0,
        line: trimmed,
      };
      continue;
    }
    const d = DUPLICATE.exec(trimmed);
    if (d) {
      duplicates.push(d[1]);
      continue;
    }
    if (trimmed.startsWith("Deleting '")) deleted++;
  }
  const failure = exitCode === 0 && summary ? null : findFailure(errLines.concat(exitCode === 0 ? [] : outLines), exitCode);
  return { summary, duplicates, deleted, failure };
}

function findFailure(lines: string[], exitCode: number | null): CollectFailure | null {
  const all = lines.join('\n');
  if (all.includes(STATIC_ROOT_UNSET)) {
    return {
      kind: 'static-root-unset',
      message:
        'STATIC_ROOT is not set: add STATIC_ROOT to your settings (the folder collectstatic copies files into) and run the command again.',
    };
  }
  const missing = MISSING_FILE.exec(all);
  if (missing) {
    const from = lines.map((l) => POST_PROCESS_FAILED.exec(l.trim())).find(Boolean)?.[1];
    return {
      kind: 'missing-referenced-file',
      missingPath: missing[1],
      referencedFrom: from,
      message: from
        ? `Post-processing '${from}' failed: the file '${missing[1]}' it references could not be found. Fix the reference or add the file, then collect again.`
        : `The file '${missing[1]}' could not be found while post-processing static files. Fix the reference or add the file, then collect again.`,
    };
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    const improper = IMPROPERLY_CONFIGURED.exec(line);
    if (improper) return { kind: 'improperly-configured', message: `Django is improperly configured: ${improper[1]}` };
    const command = COMMAND_ERROR.exec(line);
    if (command) {
      if (/cancelled/i.test(command[1])) return { kind: 'cancelled', message: command[1] };
      return { kind: 'command-error', message: command[1] };
    }
  }
  if (exitCode === 0) return null;
  const last = [...lines]
    .reverse()
    .find((l) => l.trim() !== '')
    ?.trim();
  const code = exitCode === null ? 'was stopped' : `exited with code ${exitCode}`;
  return { kind: 'error', message: last ? `collectstatic ${code}: ${last}` : `collectstatic ${code} without output.` };
}

/**
 * Parses `manage.py findstatic P...` (default verbosity): `Found 'P' here:` then each match indented two
 * spaces, in finder order. Paths Django did not find are absent from the map.
 */
export function parseFindstaticOutput(stdout: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of splitLines(stdout)) {
    const header = /^Found '(.*)' here:$/.exec(line.trim());
    if (header) {
      current = [];
      found.set(header[1], current);
    } else if (current && line.startsWith('  ') && line.trim()) {
      current.push(line.trim());
    } else {
      current = null;
    }
  }
  return found;
}

/** Marker line printed by the settings probe so stray output from settings modules is ignored. */
export const SETTINGS_PROBE_MARKER = 'DJANGO_STATIC_SETTINGS_JSON:';

/** Python run through `manage.py shell -c`: STATIC_ROOT and STATICFILES_DIRS exactly as Django sees them. */
export const SETTINGS_PROBE_CODE = [
  'import json, os, sys, importlib',
  'from django.conf import settings',
  'from django.apps import apps',
  "root = getattr(settings, 'STATIC_ROOT', None)",
  "dirs = [d[1] if isinstance(d, (list, tuple)) else d for d in getattr(settings, 'STATICFILES_DIRS', [])]",
  "app_list = [{'label': a.label, 'path': os.path.abspath(a.path)} for a in apps.get_app_configs()]",
  "tdirs = [os.path.abspath(os.fspath(d)) for t in getattr(settings, 'TEMPLATES', []) for d in (t.get('DIRS') or [])]",
  "tdirs += [os.path.join(a['path'], 'templates') for a in app_list if os.path.isdir(os.path.join(a['path'], 'templates'))]",
  'module = importlib.import_module(settings.SETTINGS_MODULE) if settings.SETTINGS_MODULE else None',
  "sdir = os.path.dirname(os.path.abspath(module.__file__)) if module and getattr(module, '__file__', None) else None",
  `print(${JSON.stringify(SETTINGS_PROBE_MARKER)} + json.dumps({'staticRoot': os.path.abspath(os.fspath(root)) if root else None, 'staticfilesDirs': [os.path.abspath(os.fspath(d)) for d in dirs], 'apps': app_list, 'templateDirs': tdirs, 'settingsDir': sdir, 'pythonPrefixes': sorted({sys.prefix, sys.base_prefix})}))`,
].join('\n');

export interface ProbedSettings {
  staticRoot: string | null;
  staticfilesDirs: string[];
  /** What Clear and Collect must not delete (clientSafety.ts); empty when an older probe answered. */
  apps: { label: string; path: string }[];
  templateDirs: string[];
  settingsDir: string | null;
  pythonPrefixes: string[];
}

export function parseSettingsProbe(stdout: string): ProbedSettings | null {
  for (const line of splitLines(stdout)) {
    if (!line.startsWith(SETTINGS_PROBE_MARKER)) continue;
    try {
      const value = JSON.parse(line.slice(SETTINGS_PROBE_MARKER.length)) as Partial<ProbedSettings>;
      const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : []);
      return {
        staticRoot: typeof value.staticRoot === 'string' ? value.staticRoot : null,
        staticfilesDirs: strings(value.staticfilesDirs),
        apps: Array.isArray(value.apps) ? value.apps.filter((a) => a && typeof a.label === 'string' && typeof a.path === 'string') : [],
        templateDirs: strings(value.templateDirs),
        settingsDir: typeof value.settingsDir === 'string' ? value.settingsDir : null,
        pythonPrefixes: strings(value.pythonPrefixes),
      };
    } catch {
      return null;
    }
  }
  return null;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
