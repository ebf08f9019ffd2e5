/**
 * Measurements over a real LSP connection: time until the server has indexed the project, completion
 * latency in the big folder and at the root, incremental update (file written → publishDiagnostics for
 * the affected template), diagnostics for the 5,000-line template, and the server's peak RSS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionItemKind } from 'vscode-languageserver-types';
import type { CompletionList, Diagnostic, Position, TextEdit } from 'vscode-languageserver-types';
import { COMPLETION_POSITIONS, GeneratedProject } from './generate';
import { benchSettings } from './engine';
import { lineOf } from './inProcess';
import { LspSession } from './lspSession';
import { peakRssMb } from './machine';
import { median, now, percentile, reasonOf } from './stats';
import { monotonicUs, TimeWindow } from './profile';

export interface LatencyStats {
  p50: number;
  p95: number;
  max: number;
  samples: number;
  /** Items in the (last) completion answer. */
  items: number;
  /** Size of that answer (the whole list, itemDefaults included) as JSON: what the server encodes and sends per request. */
  bytes: number;
}

export interface LspResults {
  /** Spawn → project summary with the full file count (Node start-up, learning and indexing). */
  readyMs: number;
  completionBigFolder: LatencyStats | { na: string };
  completionRoot: LatencyStats | { na: string };
  incrementalAddMs: number | { na: string };
  incrementalRemoveMs: number | { na: string };
  /** From the write/delete until the server stopped publishing (it may re-validate more than the referrers). */
  incrementalSettleMs: number | { na: string };
  /** Templates the server re-published after one added file (beyond what the test waits for). */
  incrementalRepublished: number | null;
  /** The server's own log of its first whole-workspace check. */
  workspaceCheckMs: number | null;
  /** The CPU time the server logged for it (every thread of the process: the GC's helpers included). */
  workspaceCheckCpuMs: number | null;
  /** Completion in the big folder, asked again and again while that first check runs. */
  completionDuringCheck: LatencyStats | { na: string };
  /** didOpen of the 5,000-line template → its publishDiagnostics. */
  hugeDiagMs: number | { na: string };
  /** VmHWM of the server process at the end of the session. */
  rssMb: number | null;
  /** VmHWM once the project was indexed and the first workspace check finished. */
  rssReadyMb: number | null;
  /** Monotonic µs window of the completion requests (to cut a server profile down to them). */
  completionWindow: TimeWindow;
  /** Processes the server started that were still alive at the end (their memory is not in rssMb). */
  childProcesses: number;
}

export interface LspMeasureOptions {
  repoRoot: string;
  runs: number;
  completionSamples: number;
  nodeArgs?: string[];
  cliPath?: string;
  /** Only the completion requests (for a profile of completion alone). */
  completionOnly?: boolean;
  /** Also ask for completions while the first workspace check runs (which slows that check down). */
  completeDuringCheck?: boolean;
  log: (line: string) => void;
}

/** Generous at 100k; short below so a server that never becomes ready does not stall a quick run. */
const readyTimeoutMs = (files: number): number => (files >= 100_000 ? 180_000 : 30_000);
const EVENT_TIMEOUT_MS = 10_000;
/** No publishDiagnostics for this long = the server finished its burst of work. */
const QUIET_MS = 500;
const READY_QUIET_MAX_MS = 300_000;
/** A change may take this long before the measurement gives up (the number is still worth reporting). */
const CHANGE_TIMEOUT_MS = 60_000;
/** Beyond this a repeat adds nothing but minutes: the median of what was taken is reported. */
const SLOW_SAMPLE_MS = 5_000;

export async function measureLsp(project: GeneratedProject, options: LspMeasureOptions): Promise<LspResults | { na: string }> {
  fs.rmSync(project.incrementalAddPath, { force: true });
  const session = new LspSession({
    repoRoot: options.repoRoot,
    projectRoot: project.root,
    settings: benchSettings('static'),
    nodeArgs: options.nodeArgs,
    cliPath: options.cliPath,
    clientWatches: true,
  });
  try {
    await session.initialize();
    await session.waitForProject(project.uniquePaths, readyTimeoutMs(project.fileCount));
    const readyMs = now() - session.spawnedAt;
    const completionUri = session.open(project.completionTemplate);
    // The first whole-workspace check runs after the project is ready: what a user typing meanwhile gets.
    const completionDuringCheck = options.completeDuringCheck
      ? await latencyDuringCheck(session, completionUri, project.bigFolderEntries)
      : { na: 'not measured in this session' };
    // The rest is measured on an idle server.
    await session.waitQuiet(QUIET_MS, READY_QUIET_MAX_MS);
    options.log(`    LSP server ready in ${readyMs.toFixed(0)} ms, idle after ${(now() - session.spawnedAt).toFixed(0)} ms`);

    const rssReadyMb = peakRssMb(session.pid);
    const completionWindow = { fromUs: monotonicUs(), toUs: 0 };
    const completionBigFolder = await latency(
      session,
      completionUri,
      COMPLETION_POSITIONS.bigFolder,
      options.completionSamples,
      project.bigFolderEntries,
    );
    const completionRoot = await latency(session, completionUri, COMPLETION_POSITIONS.root, options.completionSamples, 1);
    completionWindow.toUs = monotonicUs();
    const skipped = { na: 'not measured in this session' };
    const incremental = options.completionOnly
      ? { incrementalAddMs: skipped, incrementalRemoveMs: skipped, incrementalSettleMs: skipped, incrementalRepublished: null }
      : await incrementalOverLsp(session, project, options.runs);
    const hugeDiagMs = options.completionOnly ? skipped : await hugeOverLsp(session, project, options.runs);
    return {
      readyMs,
      completionBigFolder,
      completionRoot,
      ...incremental,
      hugeDiagMs,
      workspaceCheckMs: session.workspaceChecks[0]?.ms ?? null,
      workspaceCheckCpuMs: session.workspaceChecks[0]?.cpuMs ?? null,
      completionDuringCheck,
      rssMb: peakRssMb(session.pid),
      rssReadyMb,
      completionWindow,
      childProcesses: childrenOf(session.pid).length,
    };
  } catch (err) {
    return {
      na: `LSP session failed: ${reasonOf(err)}${session.serverStderr ? ` (stderr: ${session.serverStderr.trim().split('\n').pop()})` : ''}`,
    };
  } finally {
    fs.rmSync(project.incrementalAddPath, { force: true });
    // A profiled server needs time to write its .cpuprofile on exit.
    await session.dispose(options.nodeArgs?.includes('--cpu-prof') ? 60_000 : 5000);
  }
}

/**
 * Checks that every item inserts its own name at the cursor (the bench's cursors follow a slash or an
 * opening quote, nothing typed yet), whether the edit comes per item or from `itemDefaults`, and that
 * every file carries the folder id completionItem/resolve needs.
 */
function answerProblem(list: CompletionList, cursor: Position): string | undefined {
  const defaults = list.itemDefaults;
  for (const item of list.items) {
    const edit = item.textEdit as TextEdit | undefined;
    const range = edit?.range ?? defaults?.editRange;
    if (!range || !('start' in range)) return `${item.label} has no edit range`;
    if (range.start.line !== cursor.line || range.start.character !== cursor.character)
      return `${item.label} is not inserted at the cursor`;
    const newText = edit ? edit.newText : (item.textEditText ?? item.label);
    if (newText !== item.label) return `${item.label} inserts ${JSON.stringify(newText)}`;
    if (item.kind === CompletionItemKind.File && (item.data ?? defaults?.data) === undefined)
      return `${item.label} has no data for resolve`;
  }
  return undefined;
}

async function latency(
  session: LspSession,
  uri: string,
  position: { line: number; character: number },
  samples: number,
  minItems: number,
): Promise<LatencyStats | { na: string }> {
  try {
    const warmup = Math.min(10, samples);
    let items = 0;
    let bytes = 0;
    const times: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      const start = now();
      const answer = await session.complete(uri, position.line, position.character);
      const ms = now() - start;
      items = answer.items.length;
      if (i === 0) {
        bytes = JSON.stringify(answer).length;
        const problem = answerProblem(answer, position);
        if (problem) return { na: `wrong completion answer: ${problem}` };
      }
      if (i >= warmup) times.push(ms);
    }
    if (items < minItems) return { na: `completion returned ${items} items, expected at least ${minItems}` };
    return { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), samples: times.length, items, bytes };
  } catch (err) {
    return { na: `completion failed: ${reasonOf(err)}` };
  }
}

/** A workspace check at 1M files takes a while; this many answers during it are plenty. */
const DURING_CHECK_MAX_SAMPLES = 2000;

/**
 * Completion in the big folder, one request after the other, from the moment the project is ready until the
 * server logs the end of its first workspace check: how long a user typing meanwhile waits.
 */
async function latencyDuringCheck(session: LspSession, uri: string, minItems: number): Promise<LatencyStats | { na: string }> {
  try {
    const { line, character } = COMPLETION_POSITIONS.bigFolder;
    const times: number[] = [];
    let last: CompletionList | undefined;
    const deadline = now() + READY_QUIET_MAX_MS;
    while (session.workspaceChecks.length === 0 && times.length < DURING_CHECK_MAX_SAMPLES && now() < deadline) {
      const start = now();
      last = await session.complete(uri, line, character);
      times.push(now() - start);
    }
    if (!last || times.length === 0) return { na: 'the workspace check ended before the first answer' };
    const problem = answerProblem(last, COMPLETION_POSITIONS.bigFolder);
    if (problem) return { na: `wrong completion answer during the check: ${problem}` };
    if (last.items.length < minItems) return { na: `completion returned ${last.items.length} items, expected at least ${minItems}` };
    return {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      samples: times.length,
      items: last.items.length,
      bytes: JSON.stringify(last).length,
    };
  } catch (err) {
    return { na: `completion during the check failed: ${reasonOf(err)}` };
  }
}

/**
 * Creates then deletes the file five templates reference, sending the watched-file event right after
 * the write (as an editor's watcher would); the clock runs from just before the write until the
 * affected template's diagnostics show the change.
 */
async function incrementalOverLsp(
  session: LspSession,
  project: GeneratedProject,
  runs: number,
): Promise<Pick<LspResults, 'incrementalAddMs' | 'incrementalRemoveMs' | 'incrementalSettleMs' | 'incrementalRepublished'>> {
  try {
    const file = project.incrementalReferrers[0];
    const text = fs.readFileSync(file, 'utf8');
    const line = lineOf(text, project.incrementalAddDest);
    const flagged = (diagnostics: Diagnostic[]): boolean =>
      diagnostics.some((d) => d.code === 'missing-file' && d.range.start.line === line);
    const uri = session.open(file, text);
    await session.waitForDiagnostics(uri, flagged, EVENT_TIMEOUT_MS, true);
    await session.waitQuiet(QUIET_MS, CHANGE_TIMEOUT_MS);
    const add: number[] = [];
    const remove: number[] = [];
    const settle: number[] = [];
    let republished: number | null = null;
    let failure: { phase: 'add' | 'remove'; reason: string } | undefined;
    fs.mkdirSync(path.dirname(project.incrementalAddPath), { recursive: true });
    // One change on an idle server: time until the affected template shows it, then until the server is idle.
    const step = async (phase: 'add' | 'remove'): Promise<boolean> => {
      const waiting = session.waitForDiagnostics(uri, phase === 'add' ? (d) => !flagged(d) : flagged, CHANGE_TIMEOUT_MS);
      const publishedBefore = session.publishCount;
      const start = now();
      if (phase === 'add') fs.writeFileSync(project.incrementalAddPath, '/* added by the benchmark */\n');
      else fs.rmSync(project.incrementalAddPath, { force: true });
      session.fileChanged(project.incrementalAddPath, phase === 'add' ? 'created' : 'deleted');
      try {
        (phase === 'add' ? add : remove).push((await waiting) - start);
        settle.push((await session.waitQuiet(QUIET_MS, CHANGE_TIMEOUT_MS)) - start);
        if (phase === 'add') republished = session.publishCount - publishedBefore;
        return true;
      } catch (err) {
        failure = { phase, reason: reasonOf(err) };
        return false;
      }
    };
    for (let run = 0; run < runs; run++) {
      if (!(await step('add')) || !(await step('remove'))) break;
      if (Math.max(add[run], remove[run]) > SLOW_SAMPLE_MS) break;
    }
    const result = (values: number[], phase: 'add' | 'remove'): number | { na: string } =>
      values.length > 0 ? median(values) : { na: `the ${phase} never showed in the template's diagnostics: ${failure?.reason}` };
    return {
      incrementalAddMs: result(add, 'add'),
      incrementalRemoveMs: result(remove, 'remove'),
      incrementalSettleMs: settle.length ? median(settle) : { na: failure?.reason ?? 'no change measured' },
      incrementalRepublished: republished,
    };
  } catch (err) {
    const reason = { na: `incremental update over LSP failed: ${reasonOf(err)}` };
    return { incrementalAddMs: reason, incrementalRemoveMs: reason, incrementalSettleMs: reason, incrementalRepublished: null };
  }
}

/** didOpen of the 5,000-line template (closed again between runs) → its first publishDiagnostics. */
async function hugeOverLsp(session: LspSession, project: GeneratedProject, runs: number): Promise<number | { na: string }> {
  try {
    const text = fs.readFileSync(project.hugeTemplate, 'utf8');
    const times: number[] = [];
    await session.waitQuiet(QUIET_MS, CHANGE_TIMEOUT_MS);
    for (let run = 0; run < runs; run++) {
      const uri = session.uriOf(project.hugeTemplate);
      const waiting = session.waitForDiagnostics(uri, (d) => d.length > 0, CHANGE_TIMEOUT_MS);
      const start = now();
      session.open(project.hugeTemplate, text, run + 1);
      times.push((await waiting) - start);
      session.close(uri);
      await session.waitQuiet(QUIET_MS, CHANGE_TIMEOUT_MS);
    }
    return median(times);
  } catch (err) {
    return { na: `huge template over LSP failed: ${reasonOf(err)}` };
  }
}

/** Live child processes of `pid` (Linux /proc), e.g. a Python helper still running. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}
