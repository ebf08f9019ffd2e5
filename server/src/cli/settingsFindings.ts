import { promises as fs } from 'fs';
import * as path from 'path';
import { checkSettings, SettingsFinding } from '../engine/settingsChecks';
import { readSettingsSource } from '../engine/staticMode/settingsSource';
import type { WorkspaceProject } from '../workspace/projectManager';

/** `{% static` in a Django template (Jinja2 templates call `static(...)`, which needs no app). */
const STATIC_TAG = /\{%-?\s*static\s/;

/** The settings findings of one project, with the templates that use `{% static %}` found by reading them. */
export async function projectSettingsFindings(project: WorkspaceProject): Promise<SettingsFinding[]> {
  const usingStatic: string[] = [];
  for (const file of project.templates) {
    try {
      if (STATIC_TAG.test(await fs.readFile(file, 'utf8'))) usingStatic.push(file);
    } catch {
      // The template check already said it cannot read this file.
    }
  }
  const source = readSettingsSource(project.model);
  if (!source) {
    // Nothing was checked there: say so rather than let "0 errors" cover the settings too.
    const where = path.relative(process.cwd(), project.location.projectDir) || '.';
    process.stderr.write(
      `${where}: settings not checked: ${project.model.settingsModule ?? 'the settings module'} could not be read as a project source file\n`,
    );
  }
  return checkSettings({ model: project.model, source, templatesUsingStatic: usingStatic });
}
