/**
 * The hover's line about production: the URL `{% static %}` renders once the next collectstatic has written
 * the manifest the engine predicts, and whether STATIC_ROOT's staticfiles.json is stale against it (the
 * served pages still use the old names until collectstatic runs again).
 */
import { unquote, urlsplit } from '../engine/assets/python';
import { escapeMarkdown, markdownCode } from '../text';
import { renderStaticUrl } from './staticUrl';
import type { ServiceContext } from './types';

export function describePrediction(value: string, ctx: ServiceContext): string[] {
  const { model, predictedManifest: predicted } = ctx;
  if (!predicted || !model.manifestStorage || !model.staticfilesInstalled || !model.staticUrl) return [];
  if (predicted.failure !== null) {
    return [
      `**After the next collectstatic:** none: it fails (${escapeMarkdown(predicted.failure)}), so it writes no new staticfiles.json.`,
    ];
  }
  let key: string;
  try {
    key = urlsplit(unquote(value)).path.trim();
  } catch {
    return [];
  }
  const entry = predicted.entry(key);
  if (entry === undefined) return [];
  const rendered = renderStaticUrl(model, value, false, { get: (k) => predicted.entry(k) });
  if (rendered.kind !== 'url') return [];
  const lines = [`**After the next collectstatic** (predicted manifest): ${markdownCode(rendered.url)}`];
  const written = ctx.manifest?.get(key);
  if (ctx.manifest && written === undefined) {
    lines.push(`STATIC_ROOT's staticfiles.json is stale: it has no entry for ${markdownCode(key)} yet. Run collectstatic.`);
  } else if (written !== undefined && written !== entry) {
    lines.push(
      `STATIC_ROOT's staticfiles.json is stale: it maps ${markdownCode(key)} to ${markdownCode(written)}, the next collectstatic writes ${markdownCode(entry)}.`,
    );
  }
  return lines;
}
