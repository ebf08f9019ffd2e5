import { ProjectModel, UserError } from '../model';

/** What static mode needs to read a project's settings without executing them. */
export interface StaticLearnInput {
  projectDir: string;
  managePy: string | null;
  /** Dotted settings module, e.g. `demo.settings`. */
  settingsModule: string;
  /** Interpreter whose site-packages locate third-party and django.contrib apps (not executed here). */
  python: string | null;
  /** site-packages folders to locate apps outside the workspace (may be empty). */
  sitePackages: string[];
  /** Why static mode was chosen, copied into the model. */
  modeReason: string;
}

/** Reads settings through a real Python parser (never executes them). STUB: replaced by the static-mode work. */
export async function learnStatic(_input: StaticLearnInput): Promise<ProjectModel> {
  throw new UserError('Static mode is not implemented yet.');
}
