import { ProjectModel, UserError } from './model';
import { StaticIndexApi } from './indexTypes';

/** Options for building the index. */
export interface BuildIndexOptions {
  /** Extra globs never indexed (node_modules inside a static root stays indexed unless listed here). */
  ignoreGlobs?: string[];
}

/** Walks every source in finder order. STUB: replaced by the index work. */
export async function buildIndex(_model: ProjectModel, _options: BuildIndexOptions = {}): Promise<StaticIndexApi> {
  throw new UserError('The static index is not implemented yet.');
}
