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
 * The model of one located project (a workspace's), as loadProject learns it: whatever loadProject adds to
 * the model belongs here too. The caller indexes it (buildIndex), or keeps an earlier reading's index.
 */
export function learnLocated(location: ProjectLocation, options: LearnOptions = {}): Promise<ProjectModel> {
  return learnLocation(location, location.projectDir, options);
}
