/**
 * `check --format sarif`: a SARIF 2.1.0 log for code scanning (GitHub's upload-sarif, IDE viewers). One run,
 * one rule per row of the diagnostic table with its description as help text, one result per finding with its region; paths are relative
 * to the folder the command ran in, which is what code scanning expects of a checkout's root.
 */
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES } from '../service/diagnosticCodes';

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

const LEVELS: Record<SarifFinding['severity'], Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: Level };
}

/** One rule per row of the diagnostic table, its description as the help text. */
function rules(): Rule[] {
  return ALL_DIAGNOSTIC_CODES.map((id) => {
    const { severity, description } = DIAGNOSTIC_CODES[id];
    return {
      id,
      shortDescription: { text: description.split(/(?<=[.:])\s/)[0] },
      fullDescription: { text: description },
      help: { text: description },
      defaultConfiguration: { level: LEVELS[severity] },
    };
  });
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
