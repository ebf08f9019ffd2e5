/**
 * Hover on a static reference: what Django resolves it to, from where, and the URL it renders. Short:
 * paths relative to the project, the URL only when it is known, and what holds for every path (the
 * development server serves files only with DEBUG on) left to the report. Project text is escaped.
 */
import { Hover, MarkupKind } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { AssetReading, SkipReason } from '../engine/assets';
import { ignoredByCollectstatic, Provider, StaticSource } from '../engine/indexTypes';
import { settingUnread } from '../engine/readings';
import { escapeMarkdown, markdownCode } from '../text';
import { formatSize, isImage, shownPath, sourceLabel } from './context';
import { destinationOf } from '../engine/paths';
import { resolveReference } from './resolve';
import { describePrediction } from './manifestHover';
import { renderStaticUrl, RenderedUrl } from './staticUrl';
import { suggestPaths } from './suggest';
import { StaticReference } from './templateModel';
import type { ServiceContext } from './types';

const FINDER_NAMES: Record<StaticSource['finder'], string> = {
  filesystem: 'FileSystemFinder',
  app: 'AppDirectoriesFinder',
  custom: 'custom finder',
};

const LEFT_ALONE: Record<SkipReason, string> = {
  scheme: 'it starts with a scheme (`data:`, `https:`)',
  'outside-static-url': 'it is an absolute path outside STATIC_URL',
  'protocol-relative': 'it is a `//host/…` URL',
  'fragment-only': 'it is only a fragment',
};

/** The CSS/JS document a reference is in: how the storage read it, and the file on disk. */
export interface AssetDocument {
  reading: AssetReading;
  file: string;
}

export function hoverFor(ref: StaticReference, ctx: ServiceContext, asset?: AssetDocument): Hover {
  const lines = describe(ref, ctx, asset);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: ref.pathRange };
}

function describe(ref: StaticReference, ctx: ServiceContext, asset: AssetDocument | undefined): string[] {
  if (ref.kind === 'empty') return ['`{% static %}` needs a path: Django raises "\'static\' takes at least one argument (path to file)".'];
  if (ref.kind === 'dynamic') return [`${markdownCode(ref.value)}: dynamic path, resolved at render time.`];
  const resolution = resolveReference(ref, ctx.model, ctx.index);
  const title = `**${markdownCode(ref.value)}**`;
  const lines: string[] = [];
  switch (resolution.kind) {
    case 'skipped':
      return [`${title}: collectstatic leaves this URL as written: ${LEFT_ALONE[resolution.reason]}.`];
    case 'file': {
      const [winner, ...shadowed] = resolution.entry.providers;
      lines.push(`${title} — found by ${finderName(winner.source)} (${escapeMarkdown(sourceLabel(winner.source, ctx.model))})`);
      lines.push(`${markdownCode(shownPath(winner.absPath, ctx.model))} · ${formatSize(winner.size)}`);
      if (isImage(winner.absPath)) lines.push(`![${resolution.lookupPath}](${URI.file(winner.absPath).toString()})`);
      if (shadowed.length > 0) {
        lines.push(
          '**Shadowed** (collectstatic copies only the first file found):\n' + shadowed.map((p) => describeProvider(p, ctx)).join('\n'),
        );
      }
      if (ignoredByCollectstatic(resolution.entry)) {
        lines.push('collectstatic skips this file (ignore patterns): it is served in development but 404s after collection.');
      }
      break;
    }
    case 'folder':
      lines.push(
        resolution.lookupPath.endsWith('/') || resolution.lookupPath === ''
          ? `${title} is a folder: the tag renders its base URL.`
          : `${title} is a folder, not a file.`,
      );
      break;
    case 'escapes':
      lines.push(`${title} escapes the static roots: ${escapeMarkdown(resolution.message)}`);
      break;
    case 'missing': {
      lines.push(`${title}: no finder finds this path.`);
      const normalized = destinationOf(resolution.lookupPath);
      const suggestions = normalized === null ? [] : suggestPaths(normalized, ctx.index);
      if (suggestions.length > 0) lines.push('Did you mean ' + suggestions.map(markdownCode).join(', ') + '?');
      break;
    }
  }
  if (asset && ref.lookupPath !== undefined) lines.push(...describeLookup(ref.lookupPath, asset, ctx));
  else lines.push(...describeUrl(ref.value, ctx), ...describePrediction(ref.value, ctx));
  return lines;
}

/** What post-processing does with a CSS/JS reference: the name it looks up, and whether it rewrites it. */
function describeLookup(lookupPath: string, asset: AssetDocument, ctx: ServiceContext): string[] {
  const { traits, name } = asset.reading;
  const storage = markdownCode(traits.className.split('.').pop() ?? traits.className);
  const looks = `**collectstatic** looks up ${markdownCode(lookupPath)} below STATIC_ROOT (from ${markdownCode(name)})`;
  const lines =
    traits.hashes === true
      ? [`${looks} and writes its hashed name here (${storage}).`]
      : traits.hashes === false
        ? [`${looks} only if the storage hashes; ${storage} does not, so the browser asks for the URL as written.`]
        : [`${looks} if the storage hashes; whether ${storage} does is not known (${escapeMarkdown(traits.readFrom)}).`];
  const winner = ctx.index.get(name)?.providers[0];
  if (winner && winner.absPath !== asset.file) {
    lines.push(
      `This copy is shadowed by ${markdownCode(shownPath(winner.absPath, ctx.model))}: collectstatic copies and post-processes that one, never this.`,
    );
  }
  return lines;
}

function finderName(source: StaticSource): string {
  return FINDER_NAMES[source.finder] ?? source.finder;
}

function describeProvider(provider: Provider, ctx: ServiceContext): string {
  const ignored = provider.ignored ? ' (ignored by collectstatic)' : '';
  return `- ${markdownCode(shownPath(provider.absPath, ctx.model))} — ${escapeMarkdown(sourceLabel(provider.source, ctx.model))}${ignored}`;
}

function formatRendered(rendered: RenderedUrl): string {
  if (rendered.kind === 'error') return escapeMarkdown(rendered.message);
  return markdownCode(rendered.url) + (rendered.note ? ` (${rendered.note})` : '');
}

function describeUrl(value: string, ctx: ServiceContext): string[] {
  const { model } = ctx;
  // Unread is not unset: Django's ImproperlyConfigured is only for a STATIC_URL that really is missing.
  if (model.staticUrl === null && settingUnread(model, 'STATIC_URL')) {
    return ['**URL:** not known: STATIC_URL could not be read without running the settings (the report says where).'];
  }
  if (!model.manifestStorage || !model.staticfilesInstalled) {
    return [`**URL:** ${formatRendered(renderStaticUrl(model, value, true, ctx.manifest))}`];
  }
  const debugOn = formatRendered(renderStaticUrl(model, value, true, ctx.manifest));
  const debugOff = formatRendered(renderStaticUrl(model, value, false, ctx.manifest));
  const current = model.debug === null ? '' : ` (this project: DEBUG=${model.debug ? 'True' : 'False'})`;
  return [`**URL** with DEBUG=True: ${debugOn}\n\nwith DEBUG=False (hashed names): ${debugOff}${current}`];
}
