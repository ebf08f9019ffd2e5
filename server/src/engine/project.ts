import { LearnOptions, ProjectModel } from './model';
import { StaticIndexApi } from './indexTypes';
import { learnProject } from './learn';
import { buildIndex, BuildIndexOptions } from './staticIndex';

/** A learned project with its index: what every front works from. */
export interface LoadedProject {
  model: ProjectModel;
  index: StaticIndexApi;
}

export async function loadProject(root: string, options: LearnOptions & BuildIndexOptions = {}): Promise<LoadedProject> {
  const model = await learnProject(root, options);
  const index = await buildIndex(model, options);
  // A walk cut short is a project problem (report, status), not only an index detail: files past it look missing.
  for (const problem of index.problems) if (problem.kind === 'walk-stopped') model.problems.push({ kind: problem.kind, message: problem.message });
  return { model, index };
}
