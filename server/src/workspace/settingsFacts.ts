/**
 * A project's settings findings and lenses for its Python settings documents, computed from the project's
 * model and index and kept until either changes (a new reading, a static file added or removed).
 */
import type { ProjectModel } from '../engine/model';
import { checkSettings } from '../engine/settingsChecks';
import { settingsLenses } from '../engine/settingsLenses';
import { readSettingsSource } from '../engine/staticMode/settingsSource';
import type { StaticIndexApi } from '../engine/indexTypes';
import type { SettingsFacts } from '../service/settingsDocument';

const cache = new WeakMap<ProjectModel, { index: StaticIndexApi; generation: number | undefined; facts: SettingsFacts }>();

export function settingsFactsOf(project: { model: ProjectModel; index: StaticIndexApi; manifest?: Map<string, string> }): SettingsFacts {
  const { model, index } = project;
  const hit = cache.get(model);
  if (hit && hit.index === index && hit.generation === index.generation) return hit.facts;
  const source = readSettingsSource(model);
  // Which templates use {% static %} is the CLI's to tell (it reads them all); the editor does not claim it.
  const facts: SettingsFacts = source
    ? {
        findings: checkSettings({ model, source, templatesUsingStatic: null }),
        lenses: settingsLenses({ model, index, source, manifest: project.manifest }),
      }
    : { findings: [], lenses: [] };
  cache.set(model, { index, generation: index.generation, facts });
  return facts;
}
