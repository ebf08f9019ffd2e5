/**
 * Hover on a static reference: what Django resolves it to, from where, and the URL it renders. Short:
 * paths relative to the project, the URL only when it is known, and what holds for every path (the
 * development server serves files only with DEBUG on) left to the report. Project text is escaped.
 */
import { Hover, MarkupKind } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { Provider, StaticSource } from '../engine/indexTypes';
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

export function hoverFor(ref: StaticReference, ctx: ServiceContext): Hover {
  const lines = describe(ref, ctx);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: ref.pathRange };
}

function describe(ref: StaticReference, ctx: ServiceContext): string[] {
  if (ref.kind === 'empty') return ['`{% static %}` needs a path: Django raises "\'static\' takes at least one argument (path to file)".'];
  if (ref.kind === 'dynamic') return [`${markdownCode(ref.value)}: dynamic path, resolved at render time.`];
  const resolution = resolveReference(ref, ctx.model, ctx.index);
  const title = `**${markdownCode(ref.value)}**`;
  const lines: string[] = [];
  switch (resolution.kind) {
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
      if (resolution.entry.providers.every((p) => p.ignored)) {
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
  lines.push(...describeUrl(ref.value, ctx));
  lines.push(...describePrediction(ref.value, ctx));
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
