/**
 * Template diagnostics: what Django would raise or silently get wrong for each static reference, load
 * tag and hard-coded static URL. Suggestions are only computed for missing paths.
 */
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { IndexEntry } from '../engine/indexTypes';
import { buildOutputFor } from '../engine/buildOutputs';
import { BuildOutput, ProjectModel } from '../engine/model';
import { possibleProvider, UnknownSource, unknownSources } from '../engine/unknownSources';
import { SeveritySetting } from '../protocol';
import { removedLoadsStillValid, staticIsBuiltin } from './context';
import { REMOVED_STATIC_LIBRARIES } from './scanner';
import { normalizeDestination, resolvePath, lookupPathOf } from './resolve';
import { effectiveStaticUrl, renderStaticUrl } from './staticUrl';
import { suggestPaths } from './suggest';
import { StaticReference, TemplateModel, UrlAttribute } from './templateModel';
import type { ServiceContext } from './index';

export const DIAGNOSTIC_SOURCE = 'django-static';

export type DiagnosticCode =
  | 'missing-file'
  | 'shadowed'
  | 'missing-load'
  | 'load-staticfiles'
  | 'leading-slash'
  | 'is-folder'
  | 'ignored-by-collectstatic'
  | 'escapes-root'
  | 'no-argument'
  | 'hardcoded-url'
  | 'not-in-manifest'
  | 'unknown-source'
  | 'not-built';

export const DEFAULT_SEVERITY: Record<DiagnosticCode, DiagnosticSeverity> = {
  'missing-file': DiagnosticSeverity.Error,
  shadowed: DiagnosticSeverity.Warning,
  'missing-load': DiagnosticSeverity.Error,
  'load-staticfiles': DiagnosticSeverity.Error,
  'leading-slash': DiagnosticSeverity.Warning,
  'is-folder': DiagnosticSeverity.Error,
  'ignored-by-collectstatic': DiagnosticSeverity.Warning,
  'escapes-root': DiagnosticSeverity.Error,
  'no-argument': DiagnosticSeverity.Error,
  'hardcoded-url': DiagnosticSeverity.Hint,
  'not-in-manifest': DiagnosticSeverity.Warning,
  // Not a defect: static mode could not read what may provide the path, so it says which source and moves on.
  'unknown-source': DiagnosticSeverity.Information,
  // A build output is expected to be absent before the build: CI that checks before building can lower it.
  'not-built': DiagnosticSeverity.Warning,
};

const SETTING_SEVERITY: Record<Exclude<SeveritySetting, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What code actions need, carried in `Diagnostic.data`. */
export interface DiagnosticData {
  /** missing-file: closest existing paths. */
  suggestions?: string[];
  /** leading-slash: the path without the slash. */
  replacement?: string;
  /** hardcoded-url: the static path and what followed it (`?v=1`). */
  path?: string;
  suffix?: string;
}

type Emit = (
  code: DiagnosticCode,
  range: Range,
  message: string,
  data?: DiagnosticData,
  related?: Diagnostic['relatedInformation'],
  defaultSeverity?: DiagnosticSeverity,
) => void;

export function validate(template: TemplateModel, ctx: ServiceContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const overrides = ctx.settings?.severity ?? {};
  const emit: Emit = (code, range, message, data, related, defaultSeverity) => {
    const override = overrides[code];
    if (override === 'off') return;
    const severity = (override && SETTING_SEVERITY[override]) || defaultSeverity || DEFAULT_SEVERITY[code];
    const diagnostic: Diagnostic = { range, severity, code, source: DIAGNOSTIC_SOURCE, message };
    if (data) diagnostic.data = data;
    if (related && related.length > 0) diagnostic.relatedInformation = related;
    diagnostics.push(diagnostic);
  };
  const legacyLoads = removedLoadsStillValid(ctx.model);
  if (!legacyLoads) checkRemovedLoads(template, emit);
  const builtin = staticIsBuiltin(ctx.model);
  for (const ref of template.references) {
    const loaded = ref.loaded || builtin || (legacyLoads && ref.afterRemovedLoad);
    if (ref.flavor === 'django' && !loaded && !ref.afterRemovedLoad) {
      emit('missing-load', ref.tagRange,
        `Invalid block tag on line ${ref.tagRange.start.line + 1}: 'static'. Did you forget to register or load this tag? Add {% load static %} before it.`);
    }
    checkReference(ref, ctx, emit);
  }
  checkHardcodedUrls(template, ctx, emit);
  return capped(diagnostics, template);
}

/** Diagnostics published per document at most; a note says when there were more (or references were dropped). */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 1_000;

function capped(diagnostics: Diagnostic[], template: TemplateModel): Diagnostic[] {
  const notes: string[] = [];
  const { truncated } = template;
  if (truncated) {
    notes.push(`Too many {% static %} references in this template (more than ${truncated.kept.toLocaleString('en')}); showing the first ${truncated.kept.toLocaleString('en')}.`);
  }
  if (diagnostics.length > MAX_DIAGNOSTICS_PER_DOCUMENT) {
    notes.push(`Too many problems in this template (${diagnostics.length.toLocaleString('en')}); showing the first ${MAX_DIAGNOSTICS_PER_DOCUMENT.toLocaleString('en')}.`);
    diagnostics = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_DOCUMENT);
  }
  if (notes.length === 0) return diagnostics;
  const at = template.references[0]?.tagRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [...diagnostics, { range: at, severity: DiagnosticSeverity.Information, code: 'too-many', source: DIAGNOSTIC_SOURCE, message: notes.join(' ') }];
}

function checkRemovedLoads(template: TemplateModel, emit: Emit): void {
  for (const load of template.loads) {
    for (const library of load.libraries) {
      if (!REMOVED_STATIC_LIBRARIES.has(library.name)) continue;
      emit('load-staticfiles', library.range,
        `'${library.name}' is not a registered tag library ({% load ${library.name} %} was removed in Django 3.0): use {% load static %}.`);
    }
  }
}

function checkReference(ref: StaticReference, ctx: ServiceContext, emit: Emit): void {
  if (ref.kind === 'empty') {
    emit('no-argument', ref.tagRange, "'static' takes at least one argument (path to file)");
    return;
  }
  if (ref.kind === 'dynamic') return;
  const { model, index } = ctx;
  if (ref.value.startsWith('/')) checkLeadingSlash(ref, ctx, emit);
  const resolution = resolvePath(lookupPathOf(ref.value, model), index);
  const shown = `'${ref.value}'`;
  switch (resolution.kind) {
    case 'escapes': {
      const rendered = renderStaticUrl(model, ref.value, true);
      const url = rendered.kind === 'url' ? `the URL becomes '${rendered.url}', outside STATIC_URL, and ` : '';
      emit('escapes-root', ref.pathRange, `${shown} points outside the static roots: ${url}findstatic raises SuspiciousFileOperation.`);
      return;
    }
    case 'folder':
      checkFolder(ref, ctx, emit);
      return;
    case 'missing': {
      const normalized = normalizeDestination(resolution.lookupPath);
      const built = normalized === null ? null : notBuilt(normalized, ctx);
      if (built) {
        // Never a did-you-mean: the file is absent because nothing has built it yet, not because of a typo.
        const how = built.output.command ? ` Build it with \`${built.output.command}\`.` : '';
        const where = built.file.startsWith(`${ctx.model.projectDir}/`) ? built.file.slice(ctx.model.projectDir.length + 1) : built.file;
        emit('not-built', ref.pathRange, `${shown} is not built yet: it would be ${where}, which ${built.output.kind === 'gitignore' ? `.gitignore ignores (${built.output.from})` : `${built.output.from} writes`}.${how}`);
        return;
      }
      const suggestions = normalized === null ? [] : suggestPaths(normalized, index);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
      const provider = normalized === null ? null : possibleProvider(unknownSourcesOf(model), normalized);
      if (provider) {
        const why = provider.kind === 'app'
          ? `${shown} is probably provided by ${provider.label}, which static mode could not locate.`
          : provider.kind === 'setting'
            ? `${shown} was not found, but static mode could not read ${provider.label}, which may provide it.`
            : `${shown} was not found, but the finder ${provider.label} may provide it (static mode cannot list it).`;
        emit('unknown-source', ref.pathRange, `${why}${hint}`, { suggestions });
        return;
      }
      emit('missing-file', ref.pathRange, `${shown} is not found by any static files finder.${hint}`, { suggestions });
      return;
    }
    case 'file':
      checkFile(ref, resolution.entry, emit);
      if (!ref.value.startsWith('/')) checkManifest(ref, ctx, emit);
      return;
    default:
      return;
  }
}

/** The build output a missing destination would be written to, through the source that would serve it. */
function notBuilt(destination: string, ctx: ServiceContext): { output: BuildOutput; file: string } | null {
  if (!ctx.model.buildOutputs?.length) return null;
  for (const source of ctx.index.sources) {
    if (!source.root) continue;
    let rest = destination;
    if (source.prefix) {
      if (!destination.startsWith(`${source.prefix}/`)) continue;
      rest = destination.slice(source.prefix.length + 1);
    }
    const file = `${source.root.replace(/\/+$/, '')}/${rest}`;
    const output = buildOutputFor(ctx.model.buildOutputs, file, source.root, source.finder === 'filesystem');
    if (output) return { output, file };
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
function checkFolder(ref: StaticReference, ctx: ServiceContext, emit: Emit): void {
  const lookup = lookupPathOf(ref.value, ctx.model);
  if (lookup === '') {
    if (!ctx.model.manifestStorage) return;
    emit('is-folder', ref.pathRange,
      `Empty path: with ${shortClass(ctx.model.storage)} and DEBUG=False Django raises "Missing staticfiles manifest entry for ''". Use {% get_static_prefix %} for the base URL.`);
    return;
  }
  if (lookup.endsWith('/')) return;
  emit('is-folder', ref.pathRange, `'${ref.value}' is a folder, not a file (end it with '/' if you want the folder's URL).`);
}

function checkLeadingSlash(ref: StaticReference, ctx: ServiceContext, emit: Emit): void {
  const { model } = ctx;
  const replacement = ref.value.replace(/^\/+/, '');
  let message: string;
  if (!model.staticfilesInstalled) {
    message = `Without django.contrib.staticfiles the leading slash is kept: the URL becomes '${ref.value}' and skips STATIC_URL.`;
  } else if (model.manifestStorage) {
    message = `Leading slash: works with DEBUG=True, but with ${shortClass(model.storage)} and DEBUG=False Django raises "Missing staticfiles manifest entry for '${ref.value}'".`;
  } else {
    message = `Leading slash: the storage strips it so this works with DEBUG on, but ManifestStaticFilesStorage would raise "Missing staticfiles manifest entry for '${ref.value}'". Write '${replacement}'.`;
  }
  emit('leading-slash', ref.pathRange, message, { replacement });
}

function shortClass(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

function checkFile(ref: StaticReference, entry: IndexEntry, emit: Emit): void {
  const providers = entry.providers;
  const shown = `'${entry.path}'`;
  if (providers.length > 1) {
    const related = providers.map((p, i) => ({
      location: { uri: URI.file(p.absPath).toString(), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      message: i === 0 ? `used: ${p.source.label}` : `shadowed: ${p.source.label}`,
    }));
    emit('shadowed', ref.pathRange,
      `${shown} is provided by ${providers.length} sources: ${providers[0].source.label} wins; shadowed: ${providers.slice(1).map((p) => p.source.label).join('; ')}.`,
      undefined, related);
  }
  const collected = providers.find((p) => !p.ignored);
  if (!collected) {
    emit('ignored-by-collectstatic', ref.pathRange,
      `collectstatic's ignore patterns skip ${shown}: it is served in development but 404s after collectstatic.`);
  } else if (collected !== providers[0]) {
    emit('ignored-by-collectstatic', ref.pathRange,
      `collectstatic's ignore patterns skip ${providers[0].absPath}: development serves it, but production gets ${collected.absPath} (${collected.source.label}).`);
  }
}

/**
 * A file that exists but is missing from STATIC_ROOT/staticfiles.json: collectstatic last ran before it
 * was added (or renamed), and with DEBUG=False the page fails with "Missing staticfiles manifest entry".
 * Only when a manifest exists: before the first collectstatic every path would fail, which is not news.
 */
function checkManifest(ref: StaticReference, ctx: ServiceContext, emit: Emit): void {
  if (!ctx.model.manifestStorage || !ctx.manifest) return;
  const rendered = renderStaticUrl(ctx.model, ref.value, false, ctx.manifest);
  if (rendered.kind !== 'error' || !rendered.message.includes('Missing staticfiles manifest entry')) return;
  emit('not-in-manifest', ref.pathRange,
    `'${ref.value}' exists but is not in STATIC_ROOT/staticfiles.json (collectstatic last ran before it was added): with DEBUG=False Django raises "${rendered.message.replace(/^ValueError: /, '')}". Run collectstatic.`);
}

/** The STATIC_URL prefixes a hard-coded value may start with; `/static/` only counts when the rest exists. */
function checkHardcodedUrls(template: TemplateModel, ctx: ServiceContext, emit: Emit): void {
  if (template.urlAttributes.length === 0) return;
  const configured = ctx.model.staticUrl ? effectiveStaticUrl(ctx.model.staticUrl) : null;
  for (const attribute of template.urlAttributes) {
    const match = matchStaticUrl(attribute, configured, ctx);
    if (!match) continue;
    const suggestion = template.flavor === 'jinja' ? `{{ static('${match.path}') }}` : `{% static '${match.path}' %}`;
    const what = attribute.staticPath ? '{{ STATIC_URL }} skips hashed storage' : 'Hard-coded static URL';
    emit('hardcoded-url', attribute.range, `${what}: use ${suggestion} so the URL follows STATIC_URL and hashed storage.`, match);
  }
}

function matchStaticUrl(attribute: UrlAttribute, configured: string | null, ctx: ServiceContext): { path: string; suffix: string } | null {
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
    if (!path || path.includes("'") && path.includes('"')) continue;
    if (mustExist && resolvePath(path, ctx.index).kind !== 'file') continue;
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
