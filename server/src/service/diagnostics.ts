/**
 * Template diagnostics: what Django would raise or silently get wrong for each static reference, load
 * tag and hard-coded static URL. Suggestions are only computed for missing paths.
 */
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { IndexEntry, Provider } from '../engine/indexTypes';
import { absentAppFolderOutput, buildOutputFor } from '../engine/buildOutputs';
import { BuildOutput, ProjectModel } from '../engine/model';
import { belowPrefix, destinationOf, withoutLeadingSlash } from '../engine/paths';
import { possibleProvider, UnknownSource, unknownSources } from '../engine/unknownSources';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES, DiagnosticCode, SeverityName, TOO_MANY_CODE } from './diagnosticCodes';
import { removedLoadsStillValid, shownPath, sourceLabel, staticIsBuiltin } from './context';
import { REMOVED_STATIC_LIBRARIES } from './scanner';
import { resolvePath, lookupPathOf } from './resolve';
import { effectiveStaticUrl, renderStaticUrl } from './staticUrl';
import type { IndexQuestions } from './indexQuestions';
import { suggestPaths } from './suggest';
import { StaticReference, DocumentModel, UrlAttribute } from './templateModel';
import type { ServiceContext } from './types';

export const DIAGNOSTIC_SOURCE = 'django-static';

export type { DiagnosticCode } from './diagnosticCodes';

const SEVERITY_OF_NAME: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Each code's severity unless `djangoStatic.severity` overrides it (from the table in diagnosticCodes.ts). */
export const DEFAULT_SEVERITY = Object.fromEntries(
  ALL_DIAGNOSTIC_CODES.map((code) => [code, SEVERITY_OF_NAME[DIAGNOSTIC_CODES[code].severity]]),
) as Record<DiagnosticCode, DiagnosticSeverity>;

/** The code's severity under `djangoStatic.severity` (`overrides`), or null when it is turned off. */
export function severityOf(code: DiagnosticCode, overrides: Record<string, string>): DiagnosticSeverity | null {
  const override = overrides[code];
  if (override === 'off') return null;
  return (override && SEVERITY_OF_NAME[override as SeverityName]) || DEFAULT_SEVERITY[code];
}

/** What code actions need, carried in `Diagnostic.data`. */
export interface DiagnosticData {
  /** missing-file: closest existing paths. */
  suggestions?: string[];
  /** leading-slash: the path without the slash. */
  replacement?: string;
  /**
   * The destination path the finding is about (a `{% static %}` reference's served path, a hard-coded URL's
   * static path): the Static Files view counts findings per file with it.
   */
  path?: string;
  /** hardcoded-url: what followed the path (`?v=1`). */
  suffix?: string;
}

/** One finding as a rule reports it; the severity comes from the table and the settings. */
export interface Finding {
  code: DiagnosticCode;
  range: Range;
  message: string;
  data?: DiagnosticData;
  related?: Diagnostic['relatedInformation'];
}

type Report = (finding: Finding) => void;

/** Reports with `data.path` set to the path a reference serves (when its reader could work one out). */
function aboutPath(report: Report, path: string | null): Report {
  return path === null ? report : (finding) => report({ ...finding, data: { ...finding.data, path } });
}

/**
 * The document's diagnostics; what the checks asked the index goes into `asked` (the workspace re-checks the
 * document when a change touches it).
 */
export function validate(template: DocumentModel, ctx: ServiceContext, asked?: IndexQuestions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const overrides = ctx.settings?.severity ?? {};
  const report: Report = ({ code, range, message, data, related }) => {
    const severity = severityOf(code, overrides);
    if (severity === null) return;
    const diagnostic: Diagnostic = { range, severity, code, source: DIAGNOSTIC_SOURCE, message };
    if (data) diagnostic.data = data;
    if (related && related.length > 0) diagnostic.relatedInformation = related;
    diagnostics.push(diagnostic);
  };
  const legacyLoads = removedLoadsStillValid(ctx.model);
  if (!legacyLoads) checkRemovedLoads(template, report);
  const builtin = staticIsBuiltin(ctx.model);
  for (const ref of template.references) {
    const loaded = ref.loaded || builtin || (legacyLoads && ref.afterRemovedLoad);
    if (ref.flavor === 'django' && !loaded && !ref.afterRemovedLoad) {
      report({
        code: 'missing-load',
        range: ref.tagRange,
        message: `Invalid block tag on line ${ref.tagRange.start.line + 1}: 'static'. Did you forget to register or load this tag? Add {% load static %} before it.`,
      });
    }
    checkReference(ref, ctx, aboutPath(report, ref.destination), asked);
  }
  checkHardcodedUrls(template, ctx, report, asked);
  return capped(diagnostics, template);
}

/** Diagnostics published per document at most; a note says when there were more (or references were dropped). */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 1_000;

function capped(diagnostics: Diagnostic[], template: DocumentModel): Diagnostic[] {
  const notes: string[] = [];
  const { truncated } = template;
  if (truncated) {
    notes.push(
      `Too many {% static %} references in this template (more than ${truncated.kept.toLocaleString('en')}); showing the first ${truncated.kept.toLocaleString('en')}.`,
    );
  }
  if (diagnostics.length > MAX_DIAGNOSTICS_PER_DOCUMENT) {
    notes.push(
      `Too many problems in this template (${diagnostics.length.toLocaleString('en')}); showing the first ${MAX_DIAGNOSTICS_PER_DOCUMENT.toLocaleString('en')}.`,
    );
    diagnostics = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_DOCUMENT);
  }
  if (notes.length === 0) return diagnostics;
  const at = template.references[0]?.tagRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    ...diagnostics,
    { range: at, severity: DiagnosticSeverity.Information, code: TOO_MANY_CODE, source: DIAGNOSTIC_SOURCE, message: notes.join(' ') },
  ];
}

function checkRemovedLoads(template: DocumentModel, report: Report): void {
  for (const load of template.loads) {
    for (const library of load.libraries) {
      if (!REMOVED_STATIC_LIBRARIES.has(library.name)) continue;
      report({
        code: 'load-staticfiles',
        range: library.range,
        message: `'${library.name}' is not a registered tag library ({% load ${library.name} %} was removed in Django 3.0): use {% load static %}.`,
      });
    }
  }
}

function checkReference(ref: StaticReference, ctx: ServiceContext, report: Report, asked: IndexQuestions | undefined): void {
  if (ref.kind === 'empty') {
    report({ code: 'no-argument', range: ref.tagRange, message: "'static' takes at least one argument (path to file)" });
    return;
  }
  if (ref.kind === 'dynamic') return;
  const { model, index } = ctx;
  if (ref.value.startsWith('/')) checkLeadingSlash(ref, ctx, report);
  const resolution = resolvePath(lookupPathOf(ref.value, model), index, asked);
  const shown = `'${ref.value}'`;
  switch (resolution.kind) {
    case 'escapes': {
      const rendered = renderStaticUrl(model, ref.value, true);
      const url = rendered.kind === 'url' ? `the URL becomes '${rendered.url}', outside STATIC_URL, and ` : '';
      report({
        code: 'escapes-root',
        range: ref.pathRange,
        message: `${shown} points outside the static roots: ${url}findstatic raises SuspiciousFileOperation.`,
      });
      return;
    }
    case 'folder':
      checkFolder(ref, ctx, report);
      return;
    case 'missing': {
      const normalized = destinationOf(resolution.lookupPath);
      const built = normalized === null ? null : notBuilt(normalized, ctx);
      if (built) {
        // Never a did-you-mean: the file is absent because nothing has built it yet, not because of a typo.
        const how = built.output.command ? ` Build it with \`${built.output.command}\`.` : '';
        const where = built.file.startsWith(`${ctx.model.projectDir}/`) ? built.file.slice(ctx.model.projectDir.length + 1) : built.file;
        report({
          code: 'not-built',
          range: ref.pathRange,
          message: `${shown} is not built yet: it would be ${where}, which ${built.output.kind === 'gitignore' ? `.gitignore ignores (${built.output.from})` : `${built.output.from} writes`}.${how}`,
        });
        return;
      }
      const suggestions = normalized === null ? [] : suggestPaths(normalized, index, 3, asked);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
      const provider = normalized === null ? null : possibleProvider(unknownSourcesOf(model), normalized);
      if (provider) {
        const why =
          provider.kind === 'app'
            ? `${shown} is probably provided by ${provider.label}, which static mode could not locate.`
            : provider.kind === 'setting'
              ? `${shown} was not found, but static mode could not read ${provider.label}, which may provide it.`
              : `${shown} was not found, but the finder ${provider.label} may provide it (static mode cannot list it).`;
        report({ code: 'unknown-source', range: ref.pathRange, message: `${why}${hint}`, data: { suggestions } });
        return;
      }
      report({
        code: 'missing-file',
        range: ref.pathRange,
        message: `${shown} is not found by any static files finder.${hint}`,
        data: { suggestions },
      });
      return;
    }
    case 'file':
      checkFile(ref, resolution.entry, model, report);
      if (!ref.value.startsWith('/')) checkManifest(ref, ctx, report);
      return;
    default:
      return;
  }
}

/** The build output a missing destination would be written to, through the source that would serve it. */
function notBuilt(destination: string, ctx: ServiceContext): { output: BuildOutput; file: string } | null {
  if (!ctx.model.buildOutputs?.length) return null;
  // A build that writes the file (it names its command) says more than a folder .gitignore ignores.
  let ignored: { output: BuildOutput; file: string } | null = null;
  for (const source of ctx.index.sources) {
    if (!source.root) continue;
    const rest = belowPrefix(source.prefix, destination);
    if (rest === null) continue;
    const file = `${source.root.replace(/\/+$/, '')}/${rest}`;
    const output = buildOutputFor(ctx.model.buildOutputs, file, source.root, source.finder === 'filesystem');
    if (output?.kind === 'path') return { output, file };
    if (output) ignored ??= { output, file };
  }
  if (ignored) return ignored;
  // No source at all: the app the path is named after has no static/ folder, which a build would write.
  const namespace = destination.split('/')[0];
  for (const finder of ctx.model.finders) {
    if (finder.kind !== 'app') continue;
    for (const app of finder.apps) {
      if (app.staticDir || !app.path?.startsWith(`${ctx.model.projectDir}/`)) continue;
      if (app.label !== namespace && app.name.split('.').pop() !== namespace) continue;
      const root = `${app.path}/static`;
      const file = `${root}/${destination}`;
      const output =
        buildOutputFor(ctx.model.buildOutputs, file, root, false) ??
        absentAppFolderOutput(ctx.model.buildOutputs, root, ctx.model.staticRoot);
      if (output) return { output, file };
    }
  }
  return null;
}

const unknownByModel = new WeakMap<ProjectModel, UnknownSource[]>();

/** Computed once per learned model: every missing path asks. */
function unknownSourcesOf(model: ProjectModel): UnknownSource[] {
  let sources = unknownByModel.get(model);
  if (!sources) {
    sources = unknownSources(model);
    unknownByModel.set(model, sources);
  }
  return sources;
}

/**
 * `{% static 'img/' %}` is a common way to get a folder's base URL and every storage renders it (hashed
 * storages skip names ending in `/`); a folder without the slash, or an empty path under a hashed storage
 * (which raises "Missing staticfiles manifest entry for ''"), is a mistake.
 */
function checkFolder(ref: StaticReference, ctx: ServiceContext, report: Report): void {
  const lookup = lookupPathOf(ref.value, ctx.model);
  if (lookup === '') {
    if (!ctx.model.manifestStorage) return;
    report({
      code: 'is-folder',
      range: ref.pathRange,
      message: `Empty path: with ${shortClass(ctx.model.storage)} and DEBUG=False Django raises "Missing staticfiles manifest entry for ''". Use {% get_static_prefix %} for the base URL.`,
    });
    return;
  }
  if (lookup.endsWith('/')) return;
  report({
    code: 'is-folder',
    range: ref.pathRange,
    message: `'${ref.value}' is a folder, not a file (end it with '/' if you want the folder's URL).`,
  });
}

function checkLeadingSlash(ref: StaticReference, ctx: ServiceContext, report: Report): void {
  const { model } = ctx;
  const replacement = withoutLeadingSlash(ref.value);
  let message: string;
  if (!model.staticfilesInstalled) {
    message = `Without django.contrib.staticfiles the leading slash is kept: the URL becomes '${ref.value}' and skips STATIC_URL.`;
  } else if (model.manifestStorage) {
    message = `Leading slash: works with DEBUG=True, but with ${shortClass(model.storage)} and DEBUG=False Django raises "Missing staticfiles manifest entry for '${ref.value}'".`;
  } else {
    message = `Leading slash: the storage strips it so this works with DEBUG on, but ManifestStaticFilesStorage would raise "Missing staticfiles manifest entry for '${ref.value}'". Write '${replacement}'.`;
  }
  report({ code: 'leading-slash', range: ref.pathRange, message, data: { replacement } });
}

function shortClass(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

function checkFile(ref: StaticReference, entry: IndexEntry, model: ProjectModel, report: Report): void {
  const providers = entry.providers;
  const shown = `'${entry.path}'`;
  // Folders and files as the project names them (`STATICFILES_DIRS[0] → assets`), not long absolute paths.
  const label = (p: Provider) => sourceLabel(p.source, model);
  const file = (p: Provider) => shownPath(p.absPath, model);
  if (providers.length > 1) {
    const related = providers.map((p, i) => ({
      location: { uri: URI.file(p.absPath).toString(), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      message: i === 0 ? `used: ${label(p)}` : `shadowed: ${label(p)}`,
    }));
    report({
      code: 'shadowed',
      range: ref.pathRange,
      message: `${shown} is provided by ${providers.length} sources: ${label(providers[0])} wins; shadowed: ${providers.slice(1).map(label).join('; ')}.`,
      related,
    });
  }
  const collected = providers.find((p) => !p.ignored);
  if (!collected) {
    report({
      code: 'ignored-by-collectstatic',
      range: ref.pathRange,
      message: `collectstatic's ignore patterns skip ${shown}: it is served in development but 404s after collectstatic.`,
    });
  } else if (collected !== providers[0]) {
    report({
      code: 'ignored-by-collectstatic',
      range: ref.pathRange,
      message: `collectstatic's ignore patterns skip ${file(providers[0])}: development serves it, but production gets ${file(collected)} (${label(collected)}).`,
    });
  }
}

/**
 * A file that exists but is missing from STATIC_ROOT/staticfiles.json: collectstatic last ran before it
 * was added (or renamed), and with DEBUG=False the page fails with "Missing staticfiles manifest entry".
 * Only when a manifest exists: before the first collectstatic every path would fail, which is not news.
 */
function checkManifest(ref: StaticReference, ctx: ServiceContext, report: Report): void {
  if (!ctx.model.manifestStorage || !ctx.manifest) return;
  const rendered = renderStaticUrl(ctx.model, ref.value, false, ctx.manifest);
  if (rendered.kind !== 'error' || !rendered.message.includes('Missing staticfiles manifest entry')) return;
  report({
    code: 'not-in-manifest',
    range: ref.pathRange,
    message: `'${ref.value}' exists but is not in STATIC_ROOT/staticfiles.json (collectstatic last ran before it was added): with DEBUG=False Django raises "${rendered.message.replace(/^ValueError: /, '')}". Run collectstatic.`,
  });
}

/** The STATIC_URL prefixes a hard-coded value may start with; `/static/` only counts when the rest exists. */
function checkHardcodedUrls(template: DocumentModel, ctx: ServiceContext, report: Report, asked: IndexQuestions | undefined): void {
  if (template.urlAttributes.length === 0) return;
  const configured = ctx.model.staticUrl ? effectiveStaticUrl(ctx.model.staticUrl) : null;
  for (const attribute of template.urlAttributes) {
    const match = matchStaticUrl(attribute, configured, ctx, asked);
    if (!match) continue;
    const suggestion = template.flavor === 'jinja' ? `{{ static('${match.path}') }}` : `{% static '${match.path}' %}`;
    const what = attribute.staticPath ? '{{ STATIC_URL }} skips hashed storage' : 'Hard-coded static URL';
    report({
      code: 'hardcoded-url',
      range: attribute.range,
      message: `${what}: use ${suggestion} so the URL follows STATIC_URL and hashed storage.`,
      data: match,
    });
  }
}

function matchStaticUrl(
  attribute: UrlAttribute,
  configured: string | null,
  ctx: ServiceContext,
  asked: IndexQuestions | undefined,
): { path: string; suffix: string } | null {
  if (attribute.staticPath) return { path: safeUnquote(attribute.staticPath.path), suffix: attribute.staticPath.suffix };
  const value = attribute.value;
  const prefixes: Array<[string, boolean]> = [];
  if (configured && configured !== '/') prefixes.push([configured, false]);
  if (configured !== '/static/') prefixes.push(['/static/', true]);
  for (const [prefix, mustExist] of prefixes) {
    if (!value.startsWith(prefix) || value.length === prefix.length) continue;
    const rest = value.slice(prefix.length);
    const cut = rest.search(/[?#]/);
    const path = cut === -1 ? rest : rest.slice(0, cut);
    if (!path || (path.includes("'") && path.includes('"'))) continue;
    if (mustExist && resolvePath(path, ctx.index, asked).kind !== 'file') continue;
    return { path: safeUnquote(path), suffix: cut === -1 ? '' : rest.slice(cut) };
  }
  return null;
}

function safeUnquote(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
