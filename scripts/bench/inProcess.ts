/**
 * In-process measurements through the engine and the language service: re-learning after a settings
 * edit (Django mode), an incremental index update with re-validation of the affected templates, and
 * diagnostics for the whole workspace and for the 5,000-line template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { pathToFileURL } from 'node:url';
import { GeneratedProject } from './generate';
import {
  BenchLanguageService,
  BenchServiceContext,
  benchSettings,
  buildIndex,
  learnProject,
  loadLanguageService,
  ProjectModel,
} from './engine';
import { withPythonTimer } from './pythonTimer';
import { HotFunction, profileInProcess } from './profile';
import { median, now, reasonOf } from './stats';
import { childResult, DJANGO_PYTHON, timedRun } from './reference';

export interface RelearnResult {
  /** learnProject + buildIndex after the edit. */
  totalMs: number;
  learnMs: number;
  /** The introspection helper's wall time (Python start-up, django.setup(), settings). */
  helperMs: number;
  /** Other Python runs (interpreter checks). */
  probeMs: number;
  indexMs: number;
}

/** Edits settings.py (a harmless assignment), then re-learns in Django mode and rebuilds the index. */
export async function measureRelearn(project: GeneratedProject, runs: number): Promise<RelearnResult> {
  const original = fs.readFileSync(project.settingsFile, 'utf8');
  const results: RelearnResult[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      fs.writeFileSync(project.settingsFile, `${original}\nBENCH_EDIT = ${run}\n`);
      const start = now();
      const { value: model, runs: pythonRuns } = await withPythonTimer(() =>
        learnProject(project.root, { mode: 'django', python: DJANGO_PYTHON }),
      );
      const learnMs = now() - start;
      if (model.mode !== 'django') throw new Error(`expected Django mode, got ${model.mode}: ${model.modeReason}`);
      const indexStart = now();
      await buildIndex(model);
      const end = now();
      results.push({
        totalMs: end - start,
        learnMs,
        helperMs: pythonRuns.filter((r) => r.helper).reduce((a, r) => a + r.ms, 0),
        probeMs: pythonRuns.filter((r) => !r.helper).reduce((a, r) => a + r.ms, 0),
        indexMs: end - indexStart,
      });
    }
  } finally {
    fs.writeFileSync(project.settingsFile, original);
  }
  const pick = (key: keyof RelearnResult): number => median(results.map((r) => r[key]));
  return {
    totalMs: pick('totalMs'),
    learnMs: pick('learnMs'),
    helperMs: pick('helperMs'),
    probeMs: pick('probeMs'),
    indexMs: pick('indexMs'),
  };
}

/** Beyond this a repeat adds nothing but minutes: the median of the runs taken is reported. */
const SLOW_RUN_MS = 5_000;

export interface ServiceResults {
  workspaceDiagMs: number | { na: string };
  /** The first run alone: the service not yet optimised for this size, as in a server's first check. */
  workspaceDiagFirstMs: number | { na: string };
  templatesPerSecond: number | null;
  workspaceDiagnostics: number | null;
  hugeDiagMs: number | { na: string };
  hugeDiagnostics: number | null;
  incrementalAddMs: number | { na: string };
  incrementalRemoveMs: number | { na: string };
}

function docFor(file: string, text: string): TextDocument {
  return TextDocument.create(pathToFileURL(file).toString(), 'django-html', 1, text);
}

/**
 * Whole-workspace and huge-template diagnostics, then the in-process incremental update. Template texts
 * are read before timing (file reading is not the service's work); each run uses a fresh language
 * service so its parse cache is cold.
 */
export async function measureService(project: GeneratedProject, runs: number): Promise<ServiceResults> {
  const na = (reason: string): ServiceResults => ({
    workspaceDiagMs: { na: reason },
    workspaceDiagFirstMs: { na: reason },
    templatesPerSecond: null,
    workspaceDiagnostics: null,
    hugeDiagMs: { na: reason },
    hugeDiagnostics: null,
    incrementalAddMs: { na: reason },
    incrementalRemoveMs: { na: reason },
  });
  const service = loadLanguageService();
  if ('na' in service) return na(service.na);
  let model: ProjectModel;
  let ctx: BenchServiceContext;
  try {
    fs.rmSync(project.incrementalAddPath, { force: true });
    model = await learnProject(project.root, { mode: 'static', python: DJANGO_PYTHON });
    ctx = { model, index: await buildIndex(model), settings: benchSettings('static') };
  } catch (err) {
    return na(`engine not available (${reasonOf(err)})`);
  }
  const texts = project.templates.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const hugeText = fs.readFileSync(project.hugeTemplate, 'utf8');

  const workspace: number[] = [];
  const huge: number[] = [];
  let workspaceDiagnostics = 0;
  let hugeDiagnostics = 0;
  try {
    for (let run = 0; run < runs; run++) {
      // A fresh index and service per run: caches keyed on the index (did-you-mean suggestions) start
      // cold, as they do after the server learns a project.
      if (run > 0) ctx = { ...ctx, index: await buildIndex(model) };
      const ls = service.create();
      const start = now();
      let count = 0;
      for (const { file, text } of texts) count += ls.doValidation(docFor(file, text), ctx).length;
      workspace.push(now() - start);
      workspaceDiagnostics = count;
      const fresh = service.create();
      ctx = { ...ctx, index: await buildIndex(model) };
      const hugeStart = now();
      hugeDiagnostics = fresh.doValidation(docFor(project.hugeTemplate, hugeText), ctx).length;
      huge.push(now() - hugeStart);
      // Repeating a multi-second check only costs minutes (and --quick its one-minute budget).
      if (workspace[run] > SLOW_RUN_MS) break;
    }
  } catch (err) {
    return na(`doValidation failed (${reasonOf(err)})`);
  }
  const workspaceMs = median(workspace);
  const incremental = await measureIncrementalInProcess(project, service.create(), { ...ctx, index: await buildIndex(model) }, texts, runs);
  return {
    workspaceDiagMs: workspaceMs,
    workspaceDiagFirstMs: workspace[0],
    templatesPerSecond: texts.length / (workspaceMs / 1000),
    workspaceDiagnostics,
    hugeDiagMs: median(huge),
    hugeDiagnostics,
    ...incremental,
  };
}

/**
 * Adds the missing file that five templates reference, then removes it: each time the index update plus
 * re-validation of exactly the documents that reference the path (found through referencedPaths, as the
 * server does). The file is written/unlinked before the clock starts: the LSP measurement covers that.
 */
async function measureIncrementalInProcess(
  project: GeneratedProject,
  ls: BenchLanguageService,
  ctx: BenchServiceContext,
  texts: Array<{ file: string; text: string }>,
  runs: number,
): Promise<Pick<ServiceResults, 'incrementalAddMs' | 'incrementalRemoveMs'>> {
  try {
    const docs = texts.map(({ file, text }) => docFor(file, text));
    const referrers = new Map<string, TextDocument[]>();
    for (const doc of docs) {
      for (const ref of ls.referencedPaths(doc)) {
        const list = referrers.get(ref) ?? [];
        list.push(doc);
        referrers.set(ref, list);
      }
    }
    for (const doc of docs) ls.doValidation(doc, ctx);
    const affected = referrers.get(project.incrementalAddDest) ?? [];
    if (affected.length !== project.incrementalReferrers.length) {
      throw new Error(
        `referencedPaths found ${affected.length} referrers of ${project.incrementalAddDest}, expected ${project.incrementalReferrers.length}`,
      );
    }
    const flagged = (doc: TextDocument, diagnostics: Diagnostic[]): boolean =>
      diagnostics.some((d) => d.code === 'missing-file' && d.range.start.line === lineOf(doc.getText(), project.incrementalAddDest));
    const missingOnAdded = (): number => affected.filter((doc) => flagged(doc, ls.doValidation(doc, ctx))).length;
    const before = missingOnAdded();
    const add: number[] = [];
    const remove: number[] = [];
    for (let run = 0; run < runs; run++) {
      fs.mkdirSync(path.dirname(project.incrementalAddPath), { recursive: true });
      fs.writeFileSync(project.incrementalAddPath, '/* added by the benchmark */\n');
      let start = now();
      if (!ctx.index.fileAdded(project.incrementalAddPath)) throw new Error('fileAdded() reported no change');
      let diagnostics = affected.map((doc) => ls.doValidation(doc, ctx));
      add.push(now() - start);
      if (affected.some((doc, i) => flagged(doc, diagnostics[i]))) throw new Error('the added file is still reported missing');
      fs.rmSync(project.incrementalAddPath);
      start = now();
      if (!ctx.index.fileRemoved(project.incrementalAddPath)) throw new Error('fileRemoved() reported no change');
      diagnostics = affected.map((doc) => ls.doValidation(doc, ctx));
      remove.push(now() - start);
      if (!affected.every((doc, i) => flagged(doc, diagnostics[i]))) throw new Error('the removed file is not reported missing');
    }
    if (before !== affected.length || missingOnAdded() !== affected.length) {
      throw new Error(`expected ${affected.length} missing-file diagnostics for added.css before and after, got ${before}`);
    }
    return { incrementalAddMs: median(add), incrementalRemoveMs: median(remove) };
  } catch (err) {
    fs.rmSync(project.incrementalAddPath, { force: true });
    const reason = { na: `incremental update failed (${reasonOf(err)})` };
    return { incrementalAddMs: reason, incrementalRemoveMs: reason };
  }
}

/** 0-based line of the first occurrence of `needle`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? -1 : text.slice(0, at).split('\n').length - 1;
}

/** CPU profile (in-process, inspector) of one whole-workspace validation, for the hot-spot report. */
export async function profileWorkspaceDiagnostics(project: GeneratedProject): Promise<HotFunction[]> {
  const service = loadLanguageService();
  if ('na' in service) return [];
  const model = await learnProject(project.root, { mode: 'static', python: DJANGO_PYTHON });
  const ctx: BenchServiceContext = { model, index: await buildIndex(model), settings: benchSettings('static') };
  const docs = project.templates.map((file) => docFor(file, fs.readFileSync(file, 'utf8')));
  const ls = service.create();
  return profileInProcess(async () => {
    // Cold, like the server's first check: a fresh index means fresh index-keyed caches.
    for (const doc of docs) ls.doValidation(doc, ctx);
  });
}

export interface ColdCheck {
  ms: number;
  /** The child's CPU during the pass, every thread (the JIT's and the collector's helpers included). */
  cpuMs: number;
}

/** One cold workspace pass in a fresh process under the server's V8 flags (see checkOnce.ts). */
export async function measureColdCheck(project: GeneratedProject): Promise<ColdCheck> {
  const args = [path.join(__dirname, 'checkOnce.js'), project.root];
  const result = await timedRun(process.execPath, args, project.root, true, JSON.stringify(project.templates));
  const parsed = childResult<Partial<ColdCheck>>(result, 'the check child');
  return { ms: Number(parsed.ms), cpuMs: Number(parsed.cpuMs) };
}
