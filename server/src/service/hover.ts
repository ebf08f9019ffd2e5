/** Hover on a static reference: what Django resolves it to, from where, and the URL it renders. */
import { Hover, MarkupKind } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { Provider, StaticSource } from '../engine/indexTypes';
import { formatSize, isImage } from './context';
import { destinationOf } from '../engine/paths';
import { resolveReference } from './resolve';
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
  if (ref.kind === 'empty') return ["`{% static %}` needs a path: Django raises \"'static' takes at least one argument (path to file)\"."];
  if (ref.kind === 'dynamic') return [`\`${ref.value}\`: dynamic path, resolved at render time.`];
  const resolution = resolveReference(ref, ctx.model, ctx.index);
  const title = `**\`${ref.value}\`**`;
  const lines: string[] = [];
  switch (resolution.kind) {
    case 'file': {
      const [winner, ...shadowed] = resolution.entry.providers;
      lines.push(`${title} — found by ${finderName(winner.source)} (${winner.source.label})`);
      lines.push(`\`${winner.absPath}\` · ${formatSize(winner.size)}`);
      if (isImage(winner.absPath)) lines.push(`![${resolution.lookupPath}](${URI.file(winner.absPath).toString()})`);
      if (shadowed.length > 0) {
        lines.push('**Shadowed** (collectstatic copies only the first file found):\n' + shadowed.map(describeProvider).join('\n'));
      }
      if (resolution.entry.providers.every((p) => p.ignored)) {
        lines.push('collectstatic skips this file (ignore patterns): it is served in development but 404s after collection.');
      }
      break;
    }
    case 'folder':
      lines.push(resolution.lookupPath.endsWith('/') || resolution.lookupPath === ''
        ? `${title} is a folder: the tag renders its base URL.`
        : `${title} is a folder, not a file.`);
      break;
    case 'escapes':
      lines.push(`${title} escapes the static roots: ${resolution.message}`);
      break;
    case 'missing': {
      lines.push(`${title}: no finder finds this path.`);
      const normalized = destinationOf(resolution.lookupPath);
      const suggestions = normalized === null ? [] : suggestPaths(normalized, ctx.index);
      if (suggestions.length > 0) lines.push('Did you mean ' + suggestions.map((s) => `\`${s}\``).join(', ') + '?');
      break;
    }
  }
  lines.push(...describeUrl(ref.value, ctx));
  return lines;
}

function finderName(source: StaticSource): string {
  return FINDER_NAMES[source.finder] ?? source.finder;
}

function describeProvider(provider: Provider): string {
  const ignored = provider.ignored ? ' (ignored by collectstatic)' : '';
  return `- \`${provider.absPath}\` — ${provider.source.label}${ignored}`;
}

function formatRendered(rendered: RenderedUrl): string {
  if (rendered.kind === 'error') return rendered.message;
  return `\`${rendered.url}\`` + (rendered.note ? ` (${rendered.note})` : '');
}

function describeUrl(value: string, ctx: ServiceContext): string[] {
  const { model } = ctx;
  if (!model.manifestStorage || !model.staticfilesInstalled) {
    const served = 'served by the development server only with DEBUG=True (or `runserver --insecure`)';
    return [`**URL:** ${formatRendered(renderStaticUrl(model, value, true, ctx.manifest))} — ${served}.`];
  }
  const debugOn = formatRendered(renderStaticUrl(model, value, true, ctx.manifest));
  const debugOff = formatRendered(renderStaticUrl(model, value, false, ctx.manifest));
  const current = model.debug === null ? '' : ` (this project: DEBUG=${model.debug ? 'True' : 'False'})`;
  return [`**URL** with DEBUG=True: ${debugOn}\n\nwith DEBUG=False (hashed names): ${debugOff}${current}`];
}
