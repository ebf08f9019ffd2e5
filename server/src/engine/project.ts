import { LearnOptions, ProjectModel } from './model';
import { StaticIndexApi } from './indexTypes';
import { versionCaveat } from './djangoVersion';
import { findBuildOutputs } from './buildOutputs';
import { ProjectLocation } from './discover';
import { learnLocation, learnProject } from './learn';
import { buildIndex, BuildIndexOptions, StaticIndex } from './staticIndex';

/** A learned project with its index: what every front works from. */
export interface LoadedProject {
  model: ProjectModel;
  index: StaticIndexApi;
}

export async function loadProject(root: string, options: LearnOptions & BuildIndexOptions = {}): Promise<LoadedProject> {
  const model = await completeModel(await learnProject(root, options));
  const index = await buildIndex(model, options);
  noteIndexProblems(model, index);
  return { model, index };
}

/** A walk cut short is a project problem (report, status), not only an index detail: files past it look missing. */
export function noteIndexProblems(model: ProjectModel, index: StaticIndexApi | StaticIndex): void {
  if (!(index instanceof StaticIndex)) return;
  for (const problem of index.problems) {
    if (problem.kind !== 'walk-stopped' || model.problems.some((p) => p.kind === problem.kind && p.message === problem.message)) continue;
    model.problems.push({ kind: problem.kind, message: problem.message });
  }
}

/**
 * The model of one located project (a workspace's), as loadProject learns it. The caller indexes it
 * (buildIndex), or keeps an earlier reading's index.
 */
export async function learnLocated(location: ProjectLocation, options: LearnOptions = {}): Promise<ProjectModel> {
  return completeModel(await learnLocation(location, location.projectDir, options));
}

/**
 * learnLocated but for the build outputs, which only say where a missing file is built: a first reading
 * answers requests before any diagnostic is made, so its caller reads them (readBuildOutputs) once it
 * answers (reading them took 10-25 ms of a cold start at 10k files, most of it one `.gitignore` per folder).
 */
export async function learnLocatedFirst(location: ProjectLocation, options: LearnOptions = {}): Promise<ProjectModel> {
  return withCaveat(await learnLocation(location, location.projectDir, options));
}

export async function readBuildOutputs(model: ProjectModel): Promise<void> {
  model.buildOutputs = await findBuildOutputs(model);
}

/** What every front adds to a learned model: the version caveat and the front-end build outputs. */
async function completeModel(model: ProjectModel): Promise<ProjectModel> {
  await readBuildOutputs(withCaveat(model));
  return model;
}

function withCaveat(model: ProjectModel): ProjectModel {
  const caveat = versionCaveat(model.djangoVersion);
  // Said once, with the other problems, wherever the project is described (info, report, status bar).
  if (caveat) model.problems.push({ kind: 'django-version-untested', message: caveat });
  return model;
}
