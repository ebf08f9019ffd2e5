/** Turns per-size results into the table, the JSON document and the PASS/MISS target lines. */
import type { AssetResult } from './assets';
import type { EditorFigures } from './editorTimings';
import { MachineInfo } from './machine';
import { HotFunction } from './profile';
import type { VendorFolderResult } from './vendorFolder';

export type Value = number | null;

/** Everything measured at one size (null = not measurable; the reason is in `unavailable`). */
export interface SizeResult {
  files: number;
  uniquePaths: number;
  duplicateFiles: number;
  bigFolderEntries: number;
  templates: number;
  runs: number;
  index_ms: Value;
  index_warm_ms: Value;
  /** Finding the project and reading its settings in static mode, before any index (in a fresh process). */
  learn_ms: Value;
  find_ms: Value;
  django_ms: Value;
  index_vs_find: Value;
  index_vs_django: Value;
  relearn_total_ms: Value;
  relearn_helper_ms: Value;
  relearn_probe_ms: Value;
  relearn_index_ms: Value;
  lsp_ready_ms: Value;
  /**
   * Spawn → first completion holding the expected item, per configured mode (auto: the static reading answers
   * first), at a start with the code cache an earlier start made (every start but the first after an install).
   */
  first_completion_ms: Record<'static' | 'auto' | 'django', Value>;
  first_definition_ms: Record<'static' | 'auto' | 'django', Value>;
  /** Empty or wrong answers the client got before the right one (0 when requests wait for the project). */
  first_wrong_answers: Record<'static' | 'auto' | 'django', Value>;
  /** The server's CPU until its first correct answers (optional: older results lack it). */
  first_answer_cpu_ms?: Record<'static' | 'auto' | 'django', Value>;
  /** The first completion at the first start, before any code cache exists (optional: older results lack it). */
  first_completion_no_cache_ms?: Record<'static' | 'auto' | 'django', Value>;
  completion_p50_ms: Value;
  completion_p95_ms: Value;
  completion_max_ms: Value;
  completion_big_folder: { p50: number; p95: number; max: number; samples: number; items: number; bytes: number } | null;
  completion_root: { p50: number; p95: number; max: number; samples: number; items: number; bytes: number } | null;
  incremental_ms: Value;
  incremental_lsp_add_ms: Value;
  incremental_lsp_remove_ms: Value;
  incremental_lsp_settle_ms: Value;
  incremental_lsp_republished: Value;
  incremental_inprocess_add_ms: Value;
  incremental_inprocess_remove_ms: Value;
  workspace_diag_ms: Value;
  /** The first in-process run alone (cold JIT); optional: older results lack it. */
  workspace_diag_first_ms?: Value;
  /** One in-process run in a fresh process under the server's V8 flags, and its CPU (optional: older results lack them). */
  workspace_diag_cold_ms?: Value;
  workspace_diag_cold_cpu_ms?: Value;
  workspace_diag_lsp_ms: Value;
  /** The CPU the server logged for that check, every thread (optional: older results lack it). */
  workspace_diag_lsp_cpu_ms?: Value;
  /** Completion in the big folder while the server's first check runs (optional: older results lack it). */
  completion_during_check?: { p50: number; p95: number; max: number; samples: number; items: number; bytes: number } | null;
  templates_per_s: Value;
  workspace_diagnostics: Value;
  huge_diag_ms: Value;
  huge_diag_lsp_ms: Value;
  huge_diagnostics: Value;
  rss_mb: Value;
  rss_ready_mb: Value;
  /** Peak RSS of a server started with SERVER_V8_FLAGS on the node command line, as the VS Code client does. */
  rss_vscode_mb: Value;
  /** Metric → why it has no number. */
  unavailable: Record<string, string>;
}

export interface TargetCheck {
  name: string;
  size: number;
  value: string;
  pass: boolean | null;
}

export interface BenchReport {
  machine: MachineInfo;
  quick: boolean;
  sizes: number[];
  details: Record<string, SizeResult>;
  client_activation_ms: Value;
  /** The code-server suite's figures, when it ran in this checkout (optional: older results lack it). */
  editor?: EditorFigures | null;
  vsix_bytes: Value;
  /** `npm pack` tarball of the CLI (optional: results recorded before it existed lack it). */
  cli_tgz_bytes?: Value;
  /** Completion keystrokes in a 100,000-entry vendored folder (one size; absent from older results). */
  vendor_folder_completion?: VendorFolderResult | null;
  unavailable: Record<string, string>;
  targets: TargetCheck[];
  profiles: Record<string, HotFunction[]>;
  notes: string[];
  /** The CSS/JS tree (optional: results recorded before it existed lack it). */
  assets?: AssetResult | null;
}

/** Keys the JSON exposes per size at the top level: `{ index_ms: { "1000": 12.3, ... } }`. */
export const HEADLINE_KEYS = [
  'learn_ms',
  'index_ms',
  'find_ms',
  'django_ms',
  'index_vs_find',
  'index_vs_django',
  'completion_p95_ms',
  'workspace_diag_ms',
  'incremental_ms',
  'rss_mb',
] as const;

export function toJson(report: BenchReport): Record<string, unknown> {
  const headline: Record<string, Record<string, Value>> = {};
  for (const key of HEADLINE_KEYS) {
    headline[key] = Object.fromEntries(report.sizes.map((size) => [String(size), report.details[size][key] as Value]));
  }
  for (const key of ['first_completion_ms', 'first_definition_ms', 'first_completion_no_cache_ms'] as const) {
    headline[key] = Object.fromEntries(report.sizes.map((size) => [String(size), report.details[size][key]])) as unknown as Record<
      string,
      Value
    >;
  }
  const { machine, quick, sizes, details, ...rest } = report;
  return { machine, quick, sizes, ...headline, ...rest, details };
}

function fmt(value: Value, digits = 1, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const text = value >= 100 ? value.toFixed(0) : value.toFixed(digits);
  return unit ? `${text} ${unit}` : text;
}

function ratio(value: Value): string {
  return value === null ? 'n/a' : `${value.toFixed(2)}x`;
}

export function checkTargets(report: BenchReport): TargetCheck[] {
  const size = report.sizes[report.sizes.length - 1];
  const r = report.details[size];
  const check = (name: string, value: Value, shown: string, ok: (v: number) => boolean): TargetCheck => ({
    name,
    size,
    value: value === null ? 'n/a' : shown,
    pass: value === null ? null : ok(value),
  });
  const speedup = r.index_ms && r.django_ms ? r.django_ms / r.index_ms : null;
  // The first answer has its own targets at 10k and 100k, in the default (auto) mode.
  const firstAnswer = (
    [
      [10_000, 250],
      [100_000, 600],
    ] as const
  )
    .filter(([files]) => report.details[files])
    .map(([files, limit]): TargetCheck => {
      const value = report.details[files].first_completion_ms?.auto ?? null;
      return {
        name: `first correct completion < ${limit} ms from spawn`,
        size: files,
        value: value === null ? 'n/a' : fmt(value, 0, 'ms'),
        pass: value === null ? null : value < limit,
      };
    });
  return [
    check('cold index within 1.5x of find', r.index_vs_find, ratio(r.index_vs_find), (v) => v <= 1.5),
    check("cold index >= 10x faster than Django's dry-run", speedup, `${speedup?.toFixed(1)}x faster`, (v) => v >= 10),
    check('completion p95 < 10 ms', r.completion_p95_ms, fmt(r.completion_p95_ms, 2, 'ms'), (v) => v < 10),
    check(
      `workspace diagnostics (${r.templates} templates) < 1 s`,
      r.workspace_diag_ms,
      fmt(r.workspace_diag_ms, 1, 'ms'),
      (v) => v < 1000,
    ),
    check('incremental update < 50 ms', r.incremental_ms, fmt(r.incremental_ms, 1, 'ms'), (v) => v < 50),
    check('server RSS < 150 MB', r.rss_mb, fmt(r.rss_mb, 1, 'MB'), (v) => v < 150),
    ...firstAnswer,
    ...assetTargets(report.assets),
    ...vendorFolderTarget(report, size),
  ];
}

/** The CSS/JS targets, at the asset tree's own size. */
function assetTargets(a: AssetResult | null | undefined): TargetCheck[] {
  if (!a) return [];
  const at = (name: string, value: Value, shown: string, ok: (v: number) => boolean): TargetCheck => ({
    name: `${name} (${a.css_js_files} CSS/JS files)`,
    size: a.files,
    value: value === null ? 'n/a' : shown,
    pass: value === null ? null : ok(value),
  });
  const equal = a.manifest_equal === false ? ', manifests differ' : '';
  return [
    at(
      "manifest prediction >= 10x faster than Django's collectstatic",
      a.manifest_vs_django,
      `${a.manifest_vs_django?.toFixed(1)}x faster${equal}`,
      (v) => v >= 10 && a.manifest_equal !== false,
    ),
    at('re-check after saving one CSS file < 50 ms', a.recheck_ms, fmt(a.recheck_ms, 1, 'ms'), (v) => v < 50),
  ];
}

/** The CSS/JS tree's figures as text lines (table and README). */
export function assetLines(a: AssetResult | null | undefined): string[] {
  if (!a) return [];
  return [
    `CSS/JS tree: ${a.files / 1000}k static files, ${a.css_js_files} of them CSS/JS with references`,
    `  real collectstatic (copy + post-process + manifest), ms: ${fmt(a.collectstatic_ms)}`,
    `  our manifest prediction, ms: ${fmt(a.manifest_ms)} (equal to staticfiles.json: ${a.manifest_equal ?? 'n/a'})`,
    `  whole replay + findings, ms: ${fmt(a.whole_recheck_ms)}`,
    `  re-check after saving one CSS file, ms: ${fmt(a.recheck_ms, 1)} (CPU ${fmt(a.recheck_cpu_ms, 1)} ms; ${a.recheck_replayed_files ?? 'n/a'} files replayed)`,
  ];
}

/** Header row and body rows of the results table (text cells). */
function tableRows(report: BenchReport): { header: string[]; body: string[][] } {
  const sizes = report.sizes;
  const rows: Array<[string, (r: SizeResult) => string]> = [
    ['static files (unique paths)', (r) => `${r.files} (${r.uniquePaths})`],
    ['learning in static mode, before any index, ms', (r) => fmt(r.learn_ms)],
    ['cold index, ms (static mode)', (r) => fmt(r.index_ms)],
    ['  warm rebuild, ms', (r) => fmt(r.index_warm_ms)],
    ['find ROOTS -type f, ms', (r) => fmt(r.find_ms)],
    ['collectstatic --dry-run, ms', (r) => fmt(r.django_ms)],
    ['index / find', (r) => ratio(r.index_vs_find)],
    ['index / Django', (r) => (r.index_vs_django === null ? 'n/a' : `1/${(1 / r.index_vs_django).toFixed(0)}`)],
    ['re-learn after settings edit, ms', (r) => fmt(r.relearn_total_ms)],
    ['  of which Python helper, ms', (r) => fmt(r.relearn_helper_ms)],
    ['  interpreter checks, ms', (r) => fmt(r.relearn_probe_ms)],
    ['  index rebuild, ms', (r) => fmt(r.relearn_index_ms)],
    ['LSP ready (spawn → indexed), ms', (r) => fmt(r.lsp_ready_ms)],
    ['first correct completion from spawn, ms: static / auto / django', (r) => modes(r.first_completion_ms)],
    ['first correct definition from spawn, ms: static / auto / django', (r) => modes(r.first_definition_ms)],
    ['  server CPU until then, ms: static / auto / django', (r) => modes(r.first_answer_cpu_ms)],
    ['  completion at the first start (no code cache yet), ms', (r) => modes(r.first_completion_no_cache_ms)],
    ['completion big folder p50/p95/max', (r) => latencyText(r.completion_big_folder)],
    [
      '  items in big folder (JSON size)',
      (r) =>
        r.completion_big_folder ? `${r.completion_big_folder.items} (${(r.completion_big_folder.bytes / 1024).toFixed(0)} KiB)` : 'n/a',
    ],
    ['completion root p50/p95/max', (r) => latencyText(r.completion_root)],
    ['incremental add, LSP, ms', (r) => fmt(r.incremental_lsp_add_ms)],
    ['incremental remove, LSP, ms', (r) => fmt(r.incremental_lsp_remove_ms)],
    ['  server busy after one add, ms', (r) => fmt(r.incremental_lsp_settle_ms)],
    ['  publishDiagnostics sent per add', (r) => fmt(r.incremental_lsp_republished, 0)],
    [
      'incremental add/remove in-process',
      (r) => `${fmt(r.incremental_inprocess_add_ms, 2)} / ${fmt(r.incremental_inprocess_remove_ms, 2)}`,
    ],
    ['workspace diagnostics, ms', (r) => fmt(r.workspace_diag_ms)],
    ['  templates per second', (r) => fmt(r.templates_per_s, 0)],
    ['    its first run, ms', (r) => fmt(r.workspace_diag_first_ms ?? null)],
    [
      "    once in a fresh process, server's V8 flags, ms (CPU)",
      (r) => `${fmt(r.workspace_diag_cold_ms ?? null)} (${fmt(r.workspace_diag_cold_cpu_ms ?? null)})`,
    ],
    ["  server's own first check, ms", (r) => fmt(r.workspace_diag_lsp_ms)],
    ['    its CPU (all threads), ms', (r) => fmt(r.workspace_diag_lsp_cpu_ms ?? null)],
    ['    completion big folder meanwhile p50/p95/max', (r) => latencyText(r.completion_during_check ?? null)],
    ['5,000-line template, in-process ms', (r) => fmt(r.huge_diag_ms)],
    ['5,000-line template, LSP ms', (r) => fmt(r.huge_diag_lsp_ms)],
    ['server peak RSS once indexed, MB', (r) => fmt(r.rss_ready_mb)],
    ['server peak RSS (VmHWM) at end, MB', (r) => fmt(r.rss_mb)],
    ['  started as VS Code starts it, MB', (r) => fmt(r.rss_vscode_mb)],
  ];
  const header = ['', ...sizes.map((s) => `${s / 1000}k files`)];
  const body = rows.map(([label, get]) => [label, ...sizes.map((s) => get(report.details[s]))]);
  return { header, body };
}

function vendorFolderTarget(report: BenchReport, size: number): TargetCheck[] {
  if (report.vendor_folder_completion === undefined) return [];
  const v = report.vendor_folder_completion;
  const name = 'completion p95 < 20 ms in a 100,000-entry folder (bounded, incomplete)';
  if (v === null) return [{ name, size, value: 'n/a', pass: null }];
  return [{ name, size, value: `${v.p95.toFixed(2)} ms, ${v.firstItems} items first`, pass: v.p95 < 20 && v.firstIncomplete }];
}

/** One line on the 100,000-entry folder measurement. */
export function vendorFolderText(report: BenchReport): string | null {
  const v = report.vendor_folder_completion;
  if (v === undefined) return null;
  if (v === null) return `Completion in a 100,000-entry folder: n/a (${report.unavailable.vendor_folder_completion ?? 'not measured'}).`;
  return (
    `Completion in a 100,000-entry vendored folder, in-process, per keystroke typing \`item_4217\`: p50/p95/max ` +
    `${v.p50.toFixed(2)} / ${v.p95.toFixed(2)} / ${v.max.toFixed(1)} ms over ${v.samples} requests; ` +
    `${v.firstItems} items (${(v.firstBytes / 1024).toFixed(0)} KiB as JSON)${v.firstIncomplete ? ', marked incomplete,' : ''} before typing, ` +
    `${v.lastItems} once typed; the first request, which builds the folder's items, ${v.coldMs.toFixed(0)} ms.`
  );
}

export function renderTable(report: BenchReport): string {
  const { header, body } = tableRows(report);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function modes(values: SizeResult['first_completion_ms'] | undefined): string {
  return values ? `${fmt(values.static, 0)} / ${fmt(values.auto, 0)} / ${fmt(values.django, 0)}` : 'n/a';
}

function latencyText(stats: SizeResult['completion_root']): string {
  if (!stats) return 'n/a';
  return `${stats.p50.toFixed(2)} / ${stats.p95.toFixed(2)} / ${stats.max.toFixed(1)} ms`;
}

export function renderTargets(targets: TargetCheck[]): string {
  return targets
    .map((t) => `${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.name} at ${t.size / 1000}k files: ${t.value}`)
    .join('\n');
}

/** The README section: how to run, the machine, the table and the targets, from one full run. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const sizes = report.sizes;
  const { header, body } = tableRows(report);
  // Sub-rows keep their indent as non-breaking spaces so markdown does not strip it.
  const rows = body.map(([label, ...rest]) => [label.replace(/^ +/, (sp) => '\u00a0'.repeat(sp.length * 2)), ...rest]);
  const md = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ':--' : '--:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  const targets = report.targets.map((t) => `- **${t.pass === null ? 'N/A' : t.pass ? 'PASS' : 'MISS'}** ${t.name}: ${t.value}`);
  return [
    '## Performance',
    '',
    '`npm run bench` generates synthetic Django projects (in the system temp folder) with 1k, 10k and 100k static',
    'files — 50 apps with `static/` folders, five `STATICFILES_DIRS` entries (one prefixed), about 5% of destination',
    'paths provided by more than one source, one folder with 5,000 entries (500 at 1k), 2,000 templates with 20',
    '`{% static %}` references each (about 5% missing) and one 5,000-line template — and measures, in one run,',
    'our engine against `find <roots> -type f` and real Django 3.2 (`manage.py collectstatic --dry-run --noinput`) on the same tree.',
    "`npm run bench -- --quick` runs 1k and 10k only; `--sizes=1000000` the monorepo scale (Django's dry-run is skipped above 100k);",
    '`--json` prints the results as JSON; `--profile` adds CPU profiles.',
    'A full run writes [`docs/bench/results.json`](docs/bench/results.json) and the chart below.',
    '',
    '![Cold index time against file count](docs/bench/index-time.svg)',
    '',
    `Measured on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, node ${m.node}, ${m.date.slice(0, 16).replace('T', ' ')} UTC` +
      ` (1-minute load average ${m.loadAverage} at the start: the machine was shared, so absolute numbers are pessimistic).` +
      ' Medians of 5 runs (3 at 100k).',
    '',
    ...md,
    '',
    ...assetLines(report.assets).map((l) => `- ${l.trim()}`),
    '',
    `Targets at ${sizes[sizes.length - 1] / 1000}k files:`,
    '',
    ...targets,
    '',
    'How to read it:',
    '',
    ...report.notes.map((n) => `- ${n}`),
    ...(vendorFolderText(report) ? [`- ${vendorFolderText(report)}`] : []),
    report.editor
      ? `- Client activation time: ${report.editor.activationMs} ms; in VS Code, a template opened → its first correct completion: ${report.editor.openToCompletionMs} ms (language client running ${report.editor.serverStartMs ?? '?'} ms after activation). Measured by the ${report.editor.source}, not by this run.`
      : `- Client activation time: n/a (${report.unavailable.client_activation_ms ?? 'not measured'}).`,
    `- Packaged extension: ${report.vsix_bytes === null ? `n/a (${report.unavailable.vsix_bytes ?? 'not packaged'})` : `${(report.vsix_bytes / 1024).toFixed(0)} KiB .vsix`}; command line: ${report.cli_tgz_bytes == null ? `n/a (${report.unavailable.cli_tgz_bytes ?? 'not packed'})` : `${(report.cli_tgz_bytes / 1024).toFixed(0)} KiB npm pack tarball`}.`,
    '',
  ].join('\n');
}
