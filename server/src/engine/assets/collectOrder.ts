/**
 * The order collectstatic meets its files in: finders in order, each location in order, and in each folder the
 * files first, then the subfolders, as `os.scandir` lists them (the file system's order, not sorted). The
 * manifest's key order and the order of post-processing follow it. Only `manifest` pays for this walk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StaticIndexApi } from '../indexTypes';
import { CollectedFile } from './postProcess';

/** `files` (the index's winners) reordered as Django collects them; files the walk does not meet keep their place at the end. */
export function inCollectOrder(index: StaticIndexApi, files: CollectedFile[]): CollectedFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: CollectedFile[] = [];
  const taken = new Set<string>();
  const take = (dest: string) => {
    const f = byName.get(dest);
    if (f && !taken.has(dest)) {
      taken.add(dest);
      out.push(f);
    }
  };
  let budget = files.length * 4 + 1000;
  for (const source of index.sources) {
    if (!source.root) {
      for (const f of files) if (!taken.has(f.name)) take(f.name);
      continue;
    }
    const prefix = source.listPrefix;
    const seen = new Set<string>();
    const walk = (abs: string, rel: string): void => {
      if (budget-- <= 0) return;
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        return;
      }
      if (seen.has(real)) return;
      seen.add(real);
      const dirs: string[] = [];
      let dir: fs.Dir;
      try {
        dir = fs.opendirSync(abs);
      } catch {
        return;
      }
      try {
        for (let e = dir.readSync(); e; e = dir.readSync()) {
          let isDir = e.isDirectory();
          if (e.isSymbolicLink()) {
            try {
              isDir = fs.statSync(path.join(abs, e.name)).isDirectory();
            } catch {
              isDir = false;
            }
          }
          const childRel = rel ? `${rel}/${e.name}` : e.name;
          if (isDir) dirs.push(e.name);
          else take(prefix ? `${prefix}/${childRel}` : childRel);
        }
      } finally {
        dir.closeSync();
      }
      for (const d of dirs) walk(path.join(abs, d), rel ? `${rel}/${d}` : d);
    };
    walk(source.root, '');
  }
  for (const f of files) if (!taken.has(f.name)) out.push(f);
  return out;
}
