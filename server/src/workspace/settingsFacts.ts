/**
 * A project's settings findings and lenses for its Python settings documents, computed from the project's
 * model and index and kept until either changes (a new reading, a static file added or removed).
 */
import type { ProjectModel } from '../engine/model';
import { checkSettings } from '../engine/settingsChecks';
import { settingsLenses } from '../engine/settingsLenses';
import { LineCache } from '../engine/settingsLines';
import { readSettingsSource } from '../engine/staticMode/settingsSource';
import type { StaticIndexApi } from '../engine/indexTypes';
import type { SettingsFacts } from '../service/settingsDocument';

const cache = new WeakMap<
  ProjectModel,
  { index: StaticIndexApi; generation: number | undefined; usingStatic: string; facts: SettingsFacts }
>();

/**
 * `templatesUsingStatic`: the project's templates known to use `{% static %}` (the workspace check found
 * them; see DiagnosticsPublisher.templatesUsingStatic), for staticfiles-not-installed.
 */
export function settingsFactsOf(
  project: { model: ProjectModel; index: StaticIndexApi; manifest?: Map<string, string> },
  templatesUsingStatic: string[],
): SettingsFacts {
  const { model, index } = project;
  const usingStatic = templatesUsingStatic.join('\n');
  const hit = cache.get(model);
  if (hit && hit.index === index && hit.generation === index.generation && hit.usingStatic === usingStatic) return hit.facts;
  const source = readSettingsSource(model);
  const lines = new LineCache();
  const facts: SettingsFacts = source
    ? {
        findings: checkSettings({ model, source, templatesUsingStatic, lines }),
        lenses: settingsLenses({ model, index, source, manifest: project.manifest, lines }),
        savedText: (file) => lines.text(file),
      }
    : { findings: [], lenses: [] };
  cache.set(model, { index, generation: index.generation, usingStatic, facts });
  return facts;
}
