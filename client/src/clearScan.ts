/**
 * What `collectstatic --clear` would delete below STATIC_ROOT, read the way Django's clear_dir walks it:
 * `os.scandir(...).is_dir()` follows symlinked folders, so the files inside them are deleted too, and every
 * other entry (a file, a symlink to a file, a broken link) is one deletion. No vscode: unit-tested directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RootScan } from './clientSafety';

export interface ClearScan extends RootScan {
  /** Files Django would delete (through symlinked folders included). */
  files: number;
  /** Of those, the ones reached through a symlinked folder. */
  throughLinks: number;
  /** True when the count stopped at the limit (the confirmation then says "at least"). */
  truncated: boolean;
}

const MARKERS = ['.git', 'pyvenv.cfg', 'manage.py'];
/** Far beyond a real STATIC_ROOT; a hostile one (a link to `/`) must not make the count run for minutes. */
const MAX_ENTRIES = 1_000_000;

export async function scanStaticRoot(root: string): Promise<ClearScan> {
  const scan: ClearScan = { files: 0, throughLinks: 0, truncated: false, linkedFolders: [], markers: [] };
  const linked: { link: string; target: string }[] = [];
  let entries = 0;
  try {
    const top = await fs.promises.readdir(root);
    scan.markers = MARKERS.filter((m) => top.includes(m));
  } catch {
    return scan; // nothing there: nothing to delete
  }
  /** `branch`: real paths from STATIC_ROOT down (a loop would make Django recurse until ELOOP). */
  const walk = async (dir: string, viaLink: boolean, branch: Set<string>): Promise<void> => {
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of list) {
      if (++entries > MAX_ENTRIES) {
        scan.truncated = true;
        return;
      }
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let real = '';
      if (entry.isSymbolicLink()) {
        try {
          isDir = (await fs.promises.stat(full)).isDirectory();
          if (isDir) real = await fs.promises.realpath(full);
        } catch {
          isDir = false; // broken link: Django unlinks it
        }
      }
      if (!isDir) {
        scan.files++;
        if (viaLink) scan.throughLinks++;
        continue;
      }
      if (real) linked.push({ link: full, target: real });
      const key = real || (await fs.promises.realpath(full).catch(() => full));
      if (branch.has(key)) continue;
      branch.add(key);
      await walk(full, viaLink || !!real, branch);
      branch.delete(key);
    }
  };
  const realRoot = await fs.promises.realpath(root).catch(() => root);
  await walk(root, false, new Set([realRoot]));
  scan.linkedFolders = linked;
  return scan;
}

/** The confirmation question: how many files Django would delete, naming the symlinked folders it goes through. */
export function clearConfirmation(staticRoot: string, scan: ClearScan | undefined): string {
  const files = scan?.files ?? 0;
  const count = `${scan?.truncated ? 'at least ' : ''}${files} file${files === 1 ? '' : 's'}`;
  const links = scan?.linkedFolders ?? [];
  const through = links.length
    ? ` (${scan!.throughLinks} of them through symlinked folder${links.length === 1 ? '' : 's'} ${links
        .slice(0, 3)
        .map((l) => `${path.basename(l.link)} -> ${l.target}`)
        .join(', ')}${links.length > 3 ? ', …' : ''})`
    : '';
  return `Delete ${count} in ${staticRoot}${through} and collect static files again?`;
}
