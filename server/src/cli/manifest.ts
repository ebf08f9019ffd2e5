/**
 * `django-static manifest [--root DIR]`: the staticfiles.json ManifestStaticFilesStorage would write for the
 * project as it is now, byte for byte, without running collectstatic. When collectstatic would fail instead,
 * says why (every breaking reference) and exits 1, as collectstatic writes no manifest then.
 */
import * as path from 'path';
import { assetFindings, manifestJson, predictAssets } from '../engine/assets';
import { loadProject } from '../engine/project';
import { allowFlags, learnOptions, ParsedArgs, rootFlag } from './args';

export async function runManifest(args: ParsedArgs): Promise<number> {
  allowFlags(args, []);
  const { model, index } = await loadProject(rootFlag(args), learnOptions(args));
  const prediction = predictAssets(model, index, { manifest: true });
  if (prediction.unknown) {
    process.stderr.write(`django-static: ${prediction.unknown}\n`);
    return 1;
  }
  if (prediction.traits.hashes !== true) {
    process.stderr.write(
      `django-static: the staticfiles storage ${prediction.traits.className} does not hash names, so collectstatic writes no staticfiles.json.\n`,
    );
    return 1;
  }
  const json = manifestJson(prediction, model.djangoVersion);
  if (json !== null) {
    process.stdout.write(`${json}\n`);
    return 0;
  }
  const findings = assetFindings(prediction).filter((f) => f.severity === 'error');
  process.stderr.write(`django-static: collectstatic would fail, so it writes no staticfiles.json:\n`);
  for (const f of findings) {
    process.stderr.write(
      `${path.relative(process.cwd(), f.absPath)}:${f.start.line + 1}:${f.start.character + 1}: ${f.code} ${f.message}\n`,
    );
  }
  return 1;
}
