/**
 * The order collectstatic meets its files in: finders in order, each location in order, and in each folder the
 * files first, then the subfolders, as `os.scandir` lists them (the file system's order, not sorted; node's
 * readdir, which the index walks with, sorts). The manifest's key order and the order of post-processing
 * follow it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StaticIndexApi } from '../indexTypes';
import { CollectedFile, FILES_PER_STEP } from './postProcess';

/**
 * `files` (the index's winners) reordered as Django collects them; files the walk does not meet keep their place
 * at the end. With `only`, the walk enters only folders that lead to a file `only` accepts: those files keep
 * Django's order among themselves (all the replay needs without a manifest), the others may not. Pauses after
 * each folder it reads.
 */
export function* inCollectOrder(
  index: StaticIndexApi,
  files: CollectedFile[],
  only?: (name: string) => boolean,
): Generator<void, CollectedFile[]> {
  const byName = new Map<string, CollectedFile>();
  // Destination folders on the way to a file `only` accepts ('' is every source's root).
  const wanted = only ? new Set<string>(['']) : null;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    byName.set(f.name, f);
    if (wanted && only?.(f.name)) for (let d = f.name; d.includes('/') && !wanted.has((d = d.slice(0, d.lastIndexOf('/'))));) wanted.add(d);
    if (i % FILES_PER_STEP === FILES_PER_STEP - 1) yield;
  }
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
    // `real`: the folder's real path, known without asking when no symbolic link led to it.
    function* walk(abs: string, rel: string, real: string | null): Generator<void> {
      if (budget-- <= 0) return;
      if (real === null) {
        try {
          real = fs.realpathSync.native(abs);
        } catch {
          return;
        }
      }
      if (seen.has(real)) return;
      seen.add(real);
      const dirs: Array<{ name: string; link: boolean }> = [];
      let dir: fs.Dir;
      try {
        dir = fs.opendirSync(abs, { bufferSize: 1024 });
      } catch {
        return;
      }
      try {
        for (let e = dir.readSync(); e; e = dir.readSync()) {
          let isDir = e.isDirectory();
          const link = e.isSymbolicLink();
          if (link) {
            try {
              isDir = fs.statSync(path.join(abs, e.name)).isDirectory();
            } catch {
              isDir = false;
            }
          }
          const childRel = rel ? `${rel}/${e.name}` : e.name;
          const dest = prefix ? `${prefix}/${childRel}` : childRel;
          if (!isDir) take(dest);
          else if (!wanted || wanted.has(dest)) dirs.push({ name: e.name, link });
        }
      } finally {
        dir.closeSync();
      }
      yield;
      for (const d of dirs) yield* walk(path.join(abs, d.name), rel ? `${rel}/${d.name}` : d.name, d.link ? null : `${real}/${d.name}`);
    }
    yield* walk(source.root, '', null);
  }
  for (const f of files) if (!taken.has(f.name)) out.push(f);
  return out;
}
