/**
 * `check`'s CSS and JS part: one finding per reference that would break collectstatic (or 404 when the storage
 * does not hash), on its line in the winning source file, third-party apps' files included.
 */
import { AssetPrediction, assetFindings, assetNamedPaths, predictAssets } from '../engine/assets';
import { StaticIndexApi } from '../engine/indexTypes';
import { ProjectModel } from '../engine/model';
import { NamedPath, referenceFindings } from '../engine/referenceFindings';
import { layoutFindings } from '../engine/staticLayout';
import type { DocumentModel } from '../service/templateModel';
import type { Finding } from './check';

/** The findings, and how many CSS/JS files were read (0 when not checked). */
export function assetCheck(
  model: ProjectModel,
  index: StaticIndexApi,
  relative: (file: string) => string,
): { findings: Finding[]; files: number; prediction: AssetPrediction } {
  const prediction = predictAssets(model, index);
  if (prediction.unknown) {
    // Not checked is said as such, never as "no problems".
    process.stderr.write(`${relative(model.projectDir) || '.'}: CSS and JS references not checked: ${prediction.unknown}\n`);
    return { findings: [], files: 0, prediction };
  }
  const files = prediction.result ? new Set(prediction.result.references.map((r) => r.file.name)).size : 0;
  const findings = assetFindings(prediction).map((f): Finding => ({
    file: relative(f.absPath),
    line: f.start.line + 1,
    column: f.start.character + 1,
    endLine: f.end.line + 1,
    endColumn: f.end.character + 1,
    severity: f.severity === 'information' ? 'information' : f.severity,
    code: f.code,
    message: f.hint ? `${f.message} ${f.hint}` : f.message,
  }));
  return { findings, files, prediction };
}

/** `check --project`: the layout findings, one per file or folder, at its first line. */
export function layoutCheck(model: ProjectModel, index: StaticIndexApi, relative: (file: string) => string): Finding[] {
  return layoutFindings(model, index).map((f) => ({
    file: relative(f.path),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
  }));
}

/** The templates' side of the reference survey. */
export interface TemplatePaths {
  named: NamedPath[];
  dynamicTemplates: string[];
}

export function addTemplatePaths(into: TemplatePaths, file: string, doc: DocumentModel): void {
  let dynamic = false;
  for (const ref of doc.references) {
    if (ref.kind === 'dynamic') dynamic = true;
    else if (ref.destination !== null) into.named.push({ path: ref.destination, file, line: () => ref.pathRange.start.line });
  }
  if (dynamic) into.dynamicTemplates.push(file);
}

/** `check --project`: references whose case differs from the file on disk, and the project's files nothing names. */
export function referenceCheck(
  model: ProjectModel,
  index: StaticIndexApi,
  templates: TemplatePaths,
  prediction: AssetPrediction,
  relative: (file: string) => string,
): Finding[] {
  const survey = { ...templates, named: [...templates.named, ...assetNamedPaths(prediction)], assetsUnknown: prediction.unknown };
  if (survey.assetsUnknown) {
    process.stderr.write(
      `${relative(model.projectDir) || '.'}: unreferenced static files not listed: CSS and JS references are not known.\n`,
    );
  }
  return referenceFindings(model, index, survey).map((f) => ({
    file: relative(f.file),
    line: f.line + 1,
    column: 1,
    endLine: f.line + 1,
    endColumn: 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
  }));
}
