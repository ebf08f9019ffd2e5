/**
 * The prediction as findings on the lines of the winning source files: what would stop collectstatic (errors
 * when the storage hashes) or 404 in the browser (warnings when it does not).
 */
import type { AssetPrediction } from './index';
import { lineAt } from '../staticMode/syntax';
import type { CollectedFile, FileReference } from './postProcess';
import { dirname, normpath, pjoin, pyStrip, urldefrag, urlsplit } from './python';

/** The diagnostic codes of CSS and JS references: rows of service/diagnosticCodes.ts's table (a test holds them to it). */
export const ASSET_CODES = {
  missing: 'asset-missing',
  browser404: 'asset-browser-404',
  outsideRoot: 'asset-outside-root',
  importCycle: 'asset-import-cycle',
  notUtf8: 'asset-not-utf8',
  unreadable: 'asset-unreadable',
  leftover: 'asset-leftover-only',
} as const;

export interface Position {
  /** 0-based line and UTF-16 character, as LSP counts them. */
  line: number;
  character: number;
}

/** One finding about a CSS or JS file. */
export interface AssetFinding {
  code: (typeof ASSET_CODES)[keyof typeof ASSET_CODES];
  severity: 'error' | 'warning' | 'information';
  /** The winning source file. */
  absPath: string;
  /** Its destination path. */
  dest: string;
  start: Position;
  end: Position;
  message: string;
  hint?: string;
  /** The name Django looks up (relative to STATIC_ROOT), for failures. */
  target?: string;
}

/** The URL is a quote Django's regex captured (`url(  "a.png"  )`): the space before the quote is why. */
export function capturedQuote(url: string): boolean {
  return /^["']|["'][\s]*$/.test(url);
}

export function describeFailure(r: FileReference): string {
  return r.outcome.kind === 'failed' ? `${r.outcome.error.type}: ${r.outcome.error.message}` : '';
}

/** The findings in steps, a pause after each failed reference (each may read its file for line numbers). */
export function* assetFindingSteps(p: AssetPrediction, readText: (absPath: string) => string | null): Generator<void, AssetFinding[]> {
  const out: AssetFinding[] = [];
  const result = p.result;
  if (!result) return out;
  const hashes = p.traits.hashes === true;
  // Built when a reference first fails, then kept for every replay of the same collected files.
  const derived = result.memory.derived;
  const collected = (): Set<string> => (derived.names ??= new Set(p.files.map((f) => f.name)));
  const lower = (): Map<string, string> => (derived.lowerCase ??= new Map(p.files.map((f) => [f.name.toLowerCase(), f.name])));
  const lines = new LineIndex(readText);
  const at = (r: FileReference) => ({
    absPath: r.file.absPath,
    dest: r.file.name,
    start: lines.position(r.file.absPath, r.start),
    end: lines.position(r.file.absPath, r.end),
  });
  const firstFailure = result.references.find((r) => r.outcome.kind === 'failed');
  const wrapped = p.traits.whitenoise ? ' WhiteNoise raises it as MissingFileError, naming the CSS file.' : '';
  const caveat = p.traits.overrides.length
    ? ` (the storage redefines ${p.traits.overrides.join(', ')}; this follows Django's own code)`
    : '';

  for (const r of result.references) {
    const o = r.outcome;
    if (o.kind !== 'failed') continue;
    yield;
    const quoted = capturedQuote(r.url);
    if (!hashes) {
      // Without hashing nothing fails at collectstatic: what matters is what the browser asks for.
      if (browserLeavesAlone(r.url) || browserFinds(r, collected())) continue;
      out.push({
        ...at(r),
        code: ASSET_CODES.browser404,
        severity: 'warning',
        target: o.target,
        message: `No static source provides '${normalTarget(o.target)}': the browser gets a 404 for this ${kindWord(r)} (the storage ${p.traits.className} does not hash, so collectstatic does not check it).`,
      });
      continue;
    }
    const first = r === firstFailure ? ' collectstatic stops at this one first.' : '';
    if (o.error.type === 'SuspiciousFileOperation') {
      out.push({
        ...at(r),
        code: ASSET_CODES.outsideRoot,
        severity: 'error',
        target: o.target,
        message: `collectstatic fails: this ${kindWord(r)} leads outside STATIC_ROOT (${o.error.type}: ${o.error.message}).${first}${caveat}`,
      });
      continue;
    }
    const name = normalTarget(o.target);
    const sameButCase = lower().get(name.toLowerCase());
    const hint = quoted
      ? `Django's pattern takes the quote into the URL when a space comes between the parenthesis and the quote; write ${r.kind === 'url' ? `url("${r.url.replace(/^["'\s]+|["'\s]+$/g, '')}")` : 'the quote right after the keyword'}.`
      : sameButCase && sameButCase !== name
        ? `'${sameButCase}' differs only in case: it works on macOS and Windows, not on Linux.`
        : undefined;
    out.push({
      ...at(r),
      code: ASSET_CODES.missing,
      severity: 'error',
      target: o.target,
      message: `collectstatic fails: post-processing '${r.file.name}' looks for '${name}'${quoted ? ' (quote included)' : ''}, which no static source provides (${o.error.type}: ${o.error.message}).${wrapped}${first}${caveat}`,
      ...(hint ? { hint } : {}),
    });
  }
  const wholeFile = (f: CollectedFile, code: AssetFinding['code'], severity: AssetFinding['severity'], message: string): AssetFinding => {
    const top = { line: 0, character: 0 };
    return { absPath: f.absPath, dest: f.name, start: top, end: top, code, severity, message };
  };
  // A storage that does not hash never decodes the file; the browser reads it with its own charset.
  for (const f of hashes ? result.undecodable : []) {
    const message = `'${f.name}' is not UTF-8: post-processing decodes it as UTF-8 and raises UnicodeDecodeError.`;
    out.push(wholeFile(f, ASSET_CODES.notUtf8, 'error', message));
  }
  for (const f of result.unreadable) {
    out.push(wholeFile(f, ASSET_CODES.unreadable, 'error', `'${f.name}' cannot be read (a broken link?): collectstatic fails copying it.`));
  }
  if (hashes && result.unresolved) out.push(...cycleFindings(p, at));
  if (hashes && result.leftovers.size > 0) {
    for (const r of result.references) {
      if (r.outcome.kind === 'rewritten' && result.leftovers.has(normalTarget(r.outcome.target))) {
        out.push({
          ...at(r),
          code: ASSET_CODES.leftover,
          severity: 'warning',
          target: r.outcome.target,
          message: `Only STATIC_ROOT has '${normalTarget(r.outcome.target)}' (left by an earlier collectstatic): this run passes, a deploy to a fresh STATIC_ROOT fails.`,
        });
      }
    }
  }
  return out;
}

/** The name Django looked up, as its message prints it. */
export function normalTarget(target: string): string {
  return pyStrip(urlsplit(normpath(target)).path);
}

function kindWord(r: FileReference): string {
  return r.kind === 'url' ? 'url()' : r.kind === 'import' ? '@import' : r.kind === 'sourceMap' ? 'source map' : 'import';
}

/** A browser takes any scheme (in any case) and `//host` as absolute. */
function browserLeavesAlone(url: string): boolean {
  const trimmed = url.replace(/^["'\s]+/, '');
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//');
}

/** What a browser resolves the URL to, quotes and spaces trimmed, relative to the file's URL. */
function browserFinds(r: FileReference, collected: Set<string>): boolean {
  const [urlPath] = urldefrag(r.url.replace(/^["'\s]+|["'\s]+$/g, ''));
  const target = normpath(pjoin(dirname(r.file.name), urlsplit(urlPath).path));
  return collected.has(target);
}

/** One finding per reference on an import cycle among the files still changing when the passes ran out. */
function cycleFindings(p: AssetPrediction, at: (r: FileReference) => Omit<AssetFinding, 'code' | 'severity' | 'message'>): AssetFinding[] {
  const result = p.result!;
  const edges = new Map<string, FileReference[]>();
  for (const r of result.references) {
    if (r.outcome.kind !== 'rewritten') continue;
    const list = edges.get(r.file.name) ?? [];
    list.push(r);
    edges.set(r.file.name, list);
  }
  const targetOf = (r: FileReference) => normalTarget((r.outcome as { target: string }).target);
  const out: AssetFinding[] = [];
  const still = new Set(result.unresolved);
  for (const cycle of cycles(edges, targetOf)) {
    if (!cycle.some((n) => still.has(n))) continue;
    const names = [...cycle, cycle[0]].join(' → ');
    const inCycle = new Set(cycle);
    for (const n of cycle) {
      for (const r of edges.get(n) ?? []) {
        if (!inCycle.has(targetOf(r))) continue;
        out.push({
          ...at(r),
          code: ASSET_CODES.importCycle,
          severity: 'error',
          message: `collectstatic fails with "RuntimeError: Max post-process passes exceeded.": ${names} reference each other, so their hashed names never settle (max_post_process_passes = ${p.traits.maxPasses}).`,
        });
      }
    }
  }
  return out;
}

/** Strongly connected components with a cycle (Tarjan), each as its members in first-met order. */
function cycles(edges: Map<string, FileReference[]>, targetOf: (r: FileReference) => string): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    on.add(v);
    for (const r of edges.get(v) ?? []) {
      const w = targetOf(r);
      if (!edges.has(w) && w !== v) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfLoop = (edges.get(v) ?? []).some((r) => targetOf(r) === v);
      if (comp.length > 1 || selfLoop) out.push(comp.reverse());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Offsets to LSP positions, lines broken where LSP breaks them (\r\n, \n, \r). */
class LineIndex {
  private readonly starts = new Map<string, number[]>();
  constructor(private readonly readText: (absPath: string) => string | null) {}

  position(absPath: string, offset: number): Position {
    let starts = this.starts.get(absPath);
    if (!starts) {
      starts = [0];
      const text = this.readText(absPath) ?? '';
      for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index! + m[0].length);
      this.starts.set(absPath, starts);
    }
    const line = lineAt(starts, offset);
    return { line, character: offset - starts[line] };
  }
}
