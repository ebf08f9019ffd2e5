/**
 * `check`'s CSS and JS part: one finding per reference that would break collectstatic (or 404 when the storage
 * does not hash), on its line in the winning source file, third-party apps' files included.
 */
import { assetFindings, predictAssets } from '../engine/assets';
import { StaticIndexApi } from '../engine/indexTypes';
import { ProjectModel } from '../engine/model';
import { layoutFindings } from '../engine/staticLayout';
import type { Finding } from './check';

/** The findings, and how many CSS/JS files were read (0 when not checked). */
export function assetCheck(
  model: ProjectModel,
  index: StaticIndexApi,
  relative: (file: string) => string,
): { findings: Finding[]; files: number } {
  const prediction = predictAssets(model, index);
  if (prediction.unknown) {
    // Not checked is said as such, never as "no problems".
    process.stderr.write(`${relative(model.projectDir) || '.'}: CSS and JS references not checked: ${prediction.unknown}\n`);
    return { findings: [], files: 0 };
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
  return { findings, files };
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
