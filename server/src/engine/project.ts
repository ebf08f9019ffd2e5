import { LearnOptions, ProjectModel } from './model';
import { StaticIndexApi } from './indexTypes';
import { versionCaveat } from './djangoVersion';
import { findBuildOutputs } from './buildOutputs';
import { learnProject } from './learn';
import { buildIndex, BuildIndexOptions } from './staticIndex';

/** A learned project with its index: what every front works from. */
export interface LoadedProject {
  model: ProjectModel;
  index: StaticIndexApi;
}

export async function loadProject(root: string, options: LearnOptions & BuildIndexOptions = {}): Promise<LoadedProject> {
  const model = await learnProject(root, options);
  const caveat = versionCaveat(model.djangoVersion);
  // Said once, with the other problems, wherever the project is described (info, report, status bar).
  if (caveat) model.problems.push({ kind: 'django-version-untested', message: caveat });
  model.buildOutputs = await findBuildOutputs(model);
  const index = await buildIndex(model, options);
  return { model, index };
}
