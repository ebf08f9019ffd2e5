import { LearnOptions, ProjectModel } from './model';
import { StaticIndexApi } from './indexTypes';
import { ProjectLocation } from './discover';
import { learnLocation, learnProject } from './learn';
import { buildIndex, BuildIndexOptions } from './staticIndex';

/** A learned project with its index: what every front works from. */
export interface LoadedProject {
  model: ProjectModel;
  index: StaticIndexApi;
}

export async function loadProject(root: string, options: LearnOptions & BuildIndexOptions = {}): Promise<LoadedProject> {
  const model = await learnProject(root, options);
  const index = await buildIndex(model, options);
  return { model, index };
}

/**
 * One located project (a workspace's), learned and indexed as loadProject does. `reuse` may lend the index
 * of an earlier reading with the same sources instead of walking them again.
 */
export async function loadLocation(
  location: ProjectLocation,
  options: LearnOptions & BuildIndexOptions = {},
  reuse?: (model: ProjectModel) => StaticIndexApi | undefined,
): Promise<LoadedProject> {
  const model = await learnLocation(location, location.projectDir, options);
  return { model, index: reuse?.(model) ?? (await buildIndex(model, options)) };
}
