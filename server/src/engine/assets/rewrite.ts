/**
 * One file's post-processing as HashedFilesMixin's `_post_process` does it: each pattern of the file's globs in
 * turn, over the text the previous pattern produced, each match through `url_converter`. The converter asks
 * the caller for a target's hashed URL (which is where missing files raise).
 */
import { formatTemplate, matchesGlob, PatternGroup, ReferenceKind } from './patterns';
import { AssetBehaviour } from '../djangoVersion';
import { dirname, pjoin, PythonError, unquote, urldefrag } from './python';

/** Why a reference was left as written. */
export type SkipReason = 'scheme' | 'outside-static-url' | 'protocol-relative' | 'fragment-only';

/** What Django does with one matched reference. */
export type ReferenceOutcome =
  | { kind: 'skipped'; reason: SkipReason }
  /** `target` is the name looked up (normalised, relative to STATIC_ROOT); `written` what replaces the match. */
  | { kind: 'rewritten'; target: string; written: string }
  | { kind: 'failed'; target: string; error: PythonError };

/** One reference a pattern matched, with its place in the original text (UTF-16 offsets). */
export interface AssetReference {
  kind: ReferenceKind;
  /** The URL as the pattern captured it (quotes and spaces included when Django's regex takes them). */
  url: string;
  /** Offsets of the captured URL in the file as it is on disk (the whole match when the URL came from a rewrite). */
  start: number;
  end: number;
  outcome: ReferenceOutcome;
}

/** What the converter needs from the storage: the hashed URL of a target (Django's `_url` with force=True). */
export type HashedUrl = (targetName: string) => string;

/** The settings and version the converter reads. */
export interface RewriteContext {
  django: AssetBehaviour;
  /** settings.STATIC_URL as Django sees it at run time (SCRIPT_NAME-prefixed). */
  staticUrl: string;
  groups: PatternGroup[];
}

/** A stretch of the current text and where it came from in the original. */
interface Segment {
  start: number;
  end: number;
  origStart: number;
  origEnd: number;
  same: boolean;
}

/** The adjustable file's text after every pattern, and every reference met on the way (failures left as written). */
export function rewriteFile(
  ctx: RewriteContext,
  name: string,
  text: string,
  hashedUrl: HashedUrl,
  /** Keep references and their places (the later passes need only the text). */
  track = true,
): { text: string; references: AssetReference[] } {
  const references: AssetReference[] = [];
  let segments: Segment[] = [{ start: 0, end: text.length, origStart: 0, origEnd: text.length, same: true }];
  for (const group of ctx.groups) {
    if (!matchesGlob(name, group.glob)) continue;
    for (const p of group.patterns) {
      // The compiled pattern is shared: nothing below calls back into another rewrite.
      const re = p.regex;
      re.lastIndex = 0;
      let out = '';
      let last = 0;
      let any = false;
      const next: Segment[] = [];
      for (let m = re.exec(text); m; m = re.exec(text)) {
        any = true;
        const g = (m.groups ?? {}) as Record<string, string | undefined>;
        const url = g.url ?? '';
        const outcome = convert(ctx, name, url, hashedUrl);
        const replacement =
          outcome.kind === 'rewritten' ? formatTemplate(p, outcome.written, g) : outcome.kind === 'skipped' ? (g.matched ?? '') : m[0];
        const matchEnd = m.index + m[0].length;
        if (track) {
          const urlSpan = m.indices?.groups?.url ?? [m.index, matchEnd];
          const [start, end] = fromRewrite(segments, m.index, matchEnd)
            ? mapRange(segments, m.index, matchEnd)
            : mapRange(segments, urlSpan[0], urlSpan[1]);
          references.push({ kind: p.kind, url, start, end, outcome });
          copyKept(segments, next, last, m.index, out.length);
          const [os, oe] = mapRange(segments, m.index, matchEnd);
          const at = out.length + (m.index - last);
          if (replacement === m[0]) copyKept(segments, next, m.index, matchEnd, at);
          else next.push({ start: at, end: at + replacement.length, origStart: os, origEnd: oe, same: false });
        }
        out += text.slice(last, m.index) + replacement;
        last = matchEnd;
        if (m[0].length === 0) re.lastIndex++;
      }
      if (!any) continue;
      if (track) copyKept(segments, next, last, text.length, out.length);
      out += text.slice(last);
      text = out;
      segments = next;
    }
  }
  return { text, references };
}

/** Where `url_converter` looks for one URL of the file `name`: left alone (and why), or the target name, quoted as written. */
export function targetOf(
  ctx: RewriteContext,
  name: string,
  url: string,
): { kind: 'skipped'; reason: SkipReason } | { kind: 'target'; target: string; urlPath: string; fragment: string } {
  const { django, staticUrl } = ctx;
  // re.match(r'^[a-z]+:') has no IGNORECASE: `HTTP://x` is taken as a relative path.
  if (/^[a-z]+:/.test(url)) return { kind: 'skipped', reason: 'scheme' };
  if (django.skipsProtocolRelative && url.startsWith('//')) return { kind: 'skipped', reason: 'protocol-relative' };
  if (url.startsWith('/') && !url.startsWith(staticUrl)) return { kind: 'skipped', reason: 'outside-static-url' };
  const [urlPath, fragment] = urldefrag(url);
  if (django.skipsEmptyPath && !urlPath) return { kind: 'skipped', reason: 'fragment-only' };
  const target = urlPath.startsWith('/') ? urlPath.slice(staticUrl.length) : pjoin(dirname(name), urlPath);
  return { kind: 'target', target, urlPath, fragment };
}

/** Django's `url_converter` for one match: skip, rewrite through the storage, or fail. */
function convert(ctx: RewriteContext, name: string, url: string, hashedUrl: HashedUrl): ReferenceOutcome {
  const found = targetOf(ctx, name, url);
  if (found.kind === 'skipped') return found;
  const { target, urlPath, fragment } = found;
  let hashed: string;
  try {
    hashed = hashedUrl(unquote(target));
  } catch (err) {
    if (err instanceof PythonError) return { kind: 'failed', target: unquote(target), error: err };
    throw err;
  }
  let transformed = [...urlPath.split('/').slice(0, -1), ...hashed.split('/').slice(-1)].join('/');
  if (fragment) transformed += (url.includes('?#') ? '?#' : '#') + fragment;
  return { kind: 'rewritten', target: unquote(target), written: unquote(transformed) };
}

function findSegment(segments: Segment[], offset: number): Segment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo];
}

function mapOffset(segments: Segment[], offset: number, atEnd: boolean): number {
  const s = findSegment(segments, atEnd && offset > 0 ? offset - 1 : offset);
  if (!s) return offset;
  if (s.same) return s.origStart + Math.min(offset - s.start, s.end - s.start);
  return atEnd ? s.origEnd : s.origStart;
}

function mapRange(segments: Segment[], start: number, end: number): [number, number] {
  return [mapOffset(segments, start, false), mapOffset(segments, end, true)];
}

/** True when the match lies in text an earlier pattern wrote: its URL has no place of its own in the original. */
function fromRewrite(segments: Segment[], start: number, end: number): boolean {
  for (let s = findSegment(segments, start); s && s.start < end; s = segments[segments.indexOf(s) + 1]) if (!s.same) return true;
  return false;
}

/** Carries the unchanged stretch [from, to) of the current text into the next text's segments at `at`. */
function copyKept(segments: Segment[], next: Segment[], from: number, to: number, at: number): void {
  if (to <= from) return;
  let i = segments.indexOf(findSegment(segments, from));
  for (; i < segments.length && segments[i].start < to; i++) {
    const s = segments[i];
    const a = Math.max(s.start, from);
    const b = Math.min(s.end, to);
    if (b <= a && !(s.start === s.end)) continue;
    const shift = at + (a - from);
    next.push(
      s.same
        ? { start: shift, end: shift + (b - a), origStart: s.origStart + (a - s.start), origEnd: s.origStart + (b - s.start), same: true }
        : { start: shift, end: shift + (b - a), origStart: s.origStart, origEnd: s.origEnd, same: false },
    );
  }
}
