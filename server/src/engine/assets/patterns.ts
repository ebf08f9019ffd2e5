/**
 * HashedFilesMixin's `patterns`, per Django version, as JavaScript regular expressions that match what
 * Python's `re` matches. Python's flags are spelled out by hand instead of trusting JavaScript's: IGNORECASE
 * (Python folds `i` with `ı`/`İ` and `s` with `ſ`), `.` (Python stops only at `\n`), `\s` (Python's set of
 * spaces differs from JavaScript's), `(?m)^`/`$` (Python breaks lines only at `\n`) and `(?s:…)`.
 */
import { AssetBehaviour } from '../djangoVersion';
import { PY_SPACE_CLASS } from './python';

/** What a pattern finds: the kinds a user sees (`url()`, `@import`, a source map, a JS import). */
export type ReferenceKind = 'url' | 'import' | 'sourceMap' | 'jsImport';

/** One compiled pattern with the template Django writes its result through. */
export interface AssetPattern {
  kind: ReferenceKind;
  regex: RegExp;
  /** Python %-template: `%s` (3.2) or `%(name)s` (4.0+). */
  template: string;
  /** 3.2 formats the template with the URL alone; 4.0+ with the match's named groups. */
  named: boolean;
  /** The Python source of the pattern, for hovers and messages. */
  python: string;
}

/** The patterns for one file glob (`*.css`, `*.js`), in the order Django applies them. */
export interface PatternGroup {
  glob: string;
  patterns: AssetPattern[];
}

const S = PY_SPACE_CLASS;
const S_INNER = PY_SPACE_CLASS.slice(1, -1);
const ANY = '[^\\n]';
const LINE_START = '(?<![^\\n])';
const LINE_END = '(?![^\\n])';
const WORD = '[\\p{L}\\p{N}_]';
const FOLDS: Record<string, string> = { i: 'iIİı', s: 'sSſ', k: 'kKK' };

/** A case-insensitive literal as Python's IGNORECASE matches it. */
function ci(word: string): string {
  return [...word].map((c) => `[${FOLDS[c] ?? c + c.toUpperCase()}]`).join('');
}

function compile(source: string): RegExp {
  return new RegExp(source, 'gdu');
}

function pattern(kind: ReferenceKind, source: string, template: string, named: boolean, python: string): AssetPattern {
  return { kind, regex: compile(source), template, named, python };
}

const CSS_URL = `(?<matched>${ci('url')}\\(['"]?${S}*(?<url>${ANY}*?)["']?\\))`;
const CSS_IMPORT = `(?<matched>@${ci('import')}${S}*["']${S}*(?<url>${ANY}*?)["'])`;
const PY_URL = `url\\(['"]{0,1}\\s*(.*?)["']{0,1}\\)`;
const PY_IMPORT = `@import\\s*["']\\s*(.*?)["']`;

/** Django 4.0–4.2 put an empty `matched` group first: a skipped source map (data:, http:) is replaced by nothing. */
function cssSourceMap(emptyMatched: boolean): string {
  const body = `\\/\\*#[ \\t]sourceMappingURL=(?<url>${ANY}*)[ \\t]*\\*\\/`;
  return emptyMatched ? `(?<matched>)${LINE_START}(${body})${LINE_END}` : `${LINE_START}(?<matched>${body})${LINE_END}`;
}

function jsSourceMap(emptyMatched: boolean): string {
  const body = `\\/\\/# sourceMappingURL=(?<url>${ANY}*)`;
  return emptyMatched ? `(?<matched>)${LINE_START}(${body})${LINE_END}` : `${LINE_START}(?<matched>${body})${LINE_END}`;
}

/** The `_js_module_import_aggregation_patterns` (4.2+); 5.x also takes `import * as name from`. */
function jsModulePatterns(starAs: boolean): AssetPattern[] {
  const importWhat = starAs ? `[${S_INNER}\\{][\\s\\S]*?|\\*${S}*${ci('as')}${S}*${WORD}+` : `[${S_INNER}\\{][\\s\\S]*?`;
  const from = `${S}*${ci('from')}${S}*['"](?<url>[./]${ANY}*?)["']${S}*;`;
  return [
    pattern(
      'jsImport',
      `(?<matched>${ci('import')}(?<import>${importWhat})${from})`,
      'import%(import)s from "%(url)s";',
      true,
      'import … from "…";',
    ),
    pattern(
      'jsImport',
      `(?<matched>${ci('export')}(?<exports>[${S_INNER}\\{][\\s\\S]*?)${from})`,
      'export%(exports)s from "%(url)s";',
      true,
      'export … from "…";',
    ),
    pattern('jsImport', `(?<matched>${ci('import')}${S}*['"](?<url>[./]${ANY}*?)["']${S}*;)`, 'import"%(url)s";', true, 'import "…";'),
    pattern('jsImport', `(?<matched>${ci('import')}\\(["'](?<url>${ANY}*?)["']\\))`, 'import("%(url)s")', true, 'import("…")'),
  ];
}

/** Django's pattern table for one version and storage, as `_patterns` holds it (a glob's patterns in order). */
export function patternsFor(django: AssetBehaviour, jsModuleImports: boolean): PatternGroup[] {
  const named = django.namedGroups;
  const css: AssetPattern[] = [
    pattern('url', CSS_URL, named ? 'url("%(url)s")' : 'url("%s")', named, PY_URL),
    pattern('import', CSS_IMPORT, named ? '@import url("%(url)s")' : '@import url("%s")', named, PY_IMPORT),
  ];
  const empty = django.sourceMapMatchedEmpty;
  if (django.cssSourceMaps)
    css.push(pattern('sourceMap', cssSourceMap(empty), '/*# sourceMappingURL=%(url)s */', true, '/*# sourceMappingURL=… */'));
  const groups: PatternGroup[] = [{ glob: '*.css', patterns: css }];
  const js: AssetPattern[] = [];
  if (django.jsSourceMaps)
    js.push(pattern('sourceMap', jsSourceMap(empty), '//# sourceMappingURL=%(url)s', true, '//# sourceMappingURL=…'));
  if (django.jsModuleImportsAvailable && jsModuleImports) js.push(...jsModulePatterns(django.importStarAs));
  if (js.length) groups.push({ glob: '*.js', patterns: js });
  return groups;
}

/** Python's `template % value` (3.2) or `template % groups` (4.0+); a group that did not take part prints None. */
export function formatTemplate(p: AssetPattern, url: string, groups: Record<string, string | undefined>): string {
  if (!p.named) return p.template.replace('%s', url);
  return p.template.replace(/%\((\w+)\)s/g, (_, name: string) => (name === 'url' ? url : (groups[name] ?? 'None')));
}

/**
 * fnmatch.fnmatchcase for the globs Django uses here (`*.css`): `*` crosses folders, the match is
 * case-sensitive, so `site.CSS` is not post-processed.
 */
export function matchesGlob(path: string, glob: string): boolean {
  if (glob.startsWith('*') && !/[*?[]/.test(glob.slice(1))) return path.endsWith(glob.slice(1));
  const source = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`, 'u').test(path);
}
