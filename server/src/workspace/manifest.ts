import { fsAsync as fs } from '../engine/fsAsync';
import * as path from 'path';
import { behaviourOf } from '../engine/djangoVersion';

/** Django's default ManifestFilesMixin.manifest_name. */
export const MANIFEST_NAME = 'staticfiles.json';

/**
 * Reads `STATIC_ROOT/staticfiles.json` (written by collectstatic with manifest storage) into
 * original → hashed name. Returns undefined when there is no root, no file or the file is not a
 * manifest: a missing or broken manifest is normal before the first collectstatic.
 */
export async function readManifest(staticRoot: string | null, djangoVersion: string | null): Promise<Map<string, string> | undefined> {
  if (!staticRoot) return undefined;
  let text: string;
  try {
    text = await fs.readFile(path.join(staticRoot, MANIFEST_NAME), 'utf8');
  } catch {
    return undefined;
  }
  return parseManifest(text, djangoVersion);
}

/**
 * Parses manifest JSON (`{"paths": {...}, "version": "1.x"}`); undefined when it is not one the project's
 * Django loads (3.2 refuses the '1.1' that 4.2+ writes), since then no hashed name can be trusted.
 */
export function parseManifest(text: string, djangoVersion: string | null): Map<string, string> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || !behaviourOf(djangoVersion).manifestVersionsRead.includes(version)) return undefined;
  const paths = (data as { paths?: unknown } | null)?.paths;
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return undefined;
  const map = new Map<string, string>();
  for (const [original, hashed] of Object.entries(paths as Record<string, unknown>)) {
    if (typeof hashed === 'string') map.set(original, hashed);
  }
  return map;
}
