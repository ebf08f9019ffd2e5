/**
 * `check --format sarif`: a SARIF 2.1.0 log for code scanning (GitHub's upload-sarif, IDE viewers). One run,
 * one rule per diagnostic code with its help text, one result per finding with its region; paths are relative
 * to the folder the command ran in, which is what code scanning expects of a checkout's root.
 */
import { SETTINGS_RULES } from '../engine/settingsChecks';
import type { DiagnosticCode } from '../service/diagnostics';

/** What sarif.ts needs of a check finding (positions 1-based). */
export interface SarifFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

type Level = 'error' | 'warning' | 'note';

/** Help text of the template diagnostics (the settings ones come with their table). */
const TEMPLATE_HELP: Record<DiagnosticCode, { level: Level; help: string }> = {
  'missing-file': {
    level: 'error',
    help: 'No finder has the path {% static %} names: collectstatic leaves it out and the URL is a 404 (or, with a manifest storage, rendering raises).',
  },
  shadowed: { level: 'warning', help: 'Several sources provide the path; only the first in finder order is served and collected.' },
  'missing-load': { level: 'error', help: '{% static %} is used without {% load static %}: the template raises TemplateSyntaxError.' },
  'load-staticfiles': {
    level: 'error',
    help: '{% load staticfiles %} (or admin_static) was removed in Django 3.0: use {% load static %}.',
  },
  'leading-slash': {
    level: 'warning',
    help: 'A static path starts with a slash; finders look it up without it, so it is not found the same way.',
  },
  'is-folder': { level: 'error', help: 'The path names a folder, not a file.' },
  'ignored-by-collectstatic': { level: 'warning', help: "The file matches the staticfiles app's ignore_patterns: collectstatic skips it." },
  'escapes-root': { level: 'error', help: 'The path leaves the static root with `..`: finders refuse it.' },
  'no-argument': { level: 'error', help: '{% static %} has no path argument.' },
  'hardcoded-url': { level: 'note', help: 'A hard-coded static URL does not follow STATIC_URL or hashed storage: use {% static %}.' },
  'not-in-manifest': {
    level: 'warning',
    help: 'The file exists but STATIC_ROOT/staticfiles.json predates it: production raises "Missing staticfiles manifest entry".',
  },
  'unknown-source': { level: 'note', help: 'No known source has the path, but a source static mode could not read may provide it.' },
  'not-built': {
    level: 'warning',
    help: 'The path is missing under a folder a front-end build writes to: it appears once the build runs.',
  },
};

const LEVELS: Record<SarifFinding['severity'], Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: Level };
}

function rules(): Rule[] {
  const all: Array<[string, Level, string]> = [
    ...Object.entries(TEMPLATE_HELP).map(([id, r]): [string, Level, string] => [id, r.level, r.help]),
    ...Object.entries(SETTINGS_RULES).map(([id, r]): [string, Level, string] => [id, LEVELS[r.severity], r.help]),
  ];
  return all.map(([id, level, help]) => ({
    id,
    shortDescription: { text: help.split(/(?<=[.:])\s/)[0] },
    fullDescription: { text: help },
    help: { text: help },
    defaultConfiguration: { level },
  }));
}

/** The SARIF log of `findings` made by `version` of the tool. */
export function toSarif(findings: SarifFinding[], version: string): object {
  const ruleList = rules();
  const index = new Map(ruleList.map((rule, i) => [rule.id, i]));
  for (const f of findings) {
    if (index.has(f.code)) continue;
    // A code outside both tables (the per-document cap's note) still gets a rule, so every result has one.
    index.set(f.code, ruleList.length);
    ruleList.push({
      id: f.code,
      shortDescription: { text: f.code },
      fullDescription: { text: f.code },
      help: { text: f.code },
      defaultConfiguration: { level: LEVELS[f.severity] },
    });
  }
  return {
    version: '2.1.0',
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'django-static', semanticVersion: version, version, rules: ruleList } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code)!,
          level: LEVELS[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.column) },
              },
            },
          ],
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

/** A relative path as a URI reference: `/`-separated, each segment percent-encoded. */
function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
