import { LearnOptions, ProjectModel, UserError } from './model';

/**
 * Learns the project at or below `root`: Django mode when allowed and possible, else static mode, with the
 * reason recorded in the model. STUB: replaced by the Django-mode work.
 */
export async function learnProject(_root: string, _options: LearnOptions = {}): Promise<ProjectModel> {
  throw new UserError('Learning a project is not implemented yet.');
}
