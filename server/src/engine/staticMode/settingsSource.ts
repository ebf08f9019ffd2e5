/**
 * The settings as written: for each setting, its value and the file and line that assigned it, and for each
 * entry of a list setting the statement that put it there (`+=`, `.append`, a `from .base import *` chain).
 * Read the way static mode reads settings (never executed), whichever mode learned the project, because only a
 * reading of the source knows lines: Django mode's values say what, this says where.
 */
import * as path from 'node:path';
import type { ProjectModel } from '../model';
import { managePySysPath } from './index';
import { Interpreter } from './interpreter';
import { ModuleResolver } from './settingsFiles';
import { WATCHED_SETTINGS } from './toModel';
import { Binding, PyValue, SourceSpot } from './values';

/** The settings checked where they are written (see settingsChecks.ts). */
export const SOURCE_SETTINGS: ReadonlySet<string> = new Set([...WATCHED_SETTINGS, 'MEDIA_URL', 'MEDIA_ROOT', 'MIDDLEWARE']);

/** The settings module's namespace after its files ran, with where each entry came from. */
export interface SettingsSource {
  /** The binding of a setting: its value and the statement that last assigned it; undefined when unset. */
  binding(name: string): Binding | undefined;
  /** The statement that first wrote an entry of a list (or a value of a dict) setting. */
  originOf(item: PyValue): SourceSpot | undefined;
}

/** Reads `model`'s settings module; null when it is not a Python file of the project (nothing to point at). */
export function readSettingsSource(model: ProjectModel): SettingsSource | null {
  if (!model.settingsModule) return null;
  const projectDir = path.resolve(model.projectDir);
  const extraSysPath = managePySysPath(model.managePy);
  // Site-packages are not needed: every line worth pointing at is in the project.
  const resolver = new ModuleResolver([projectDir, ...extraSysPath], []);
  const location = resolver.resolve(model.settingsModule);
  if (!location?.file || !location.inProject) return null;
  const interpreter = new Interpreter({
    cwd: projectDir,
    resolver,
    watchedNames: WATCHED_SETTINGS,
    extraSysPath,
    originNames: SOURCE_SETTINGS,
  });
  let settings;
  try {
    settings = interpreter.importSettings(model.settingsModule);
  } catch {
    // The model's own reading reported what went wrong; without a namespace there is nothing to place.
    return null;
  }
  if (!settings) return null;
  const namespace = settings.namespace;
  return {
    binding: (name) => namespace.get(name),
    originOf: (item) => interpreter.origins.get(item),
  };
}
