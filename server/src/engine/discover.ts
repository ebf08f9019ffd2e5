import { UserError } from './model';

/** A Django project found below a workspace root. */
export interface ProjectLocation {
  /** Folder holding manage.py. */
  projectDir: string;
  managePy: string;
  /** Settings module from `--settings`, DJANGO_SETTINGS_MODULE or manage.py's setdefault call; null if unknown. */
  settingsModule: string | null;
}

/** Every manage.py below `root` (not only at the root), nearest first. STUB: replaced by the Django-mode work. */
export async function findProjects(_root: string, _settingsOverride?: string): Promise<ProjectLocation[]> {
  throw new UserError('Project discovery is not implemented yet.');
}
