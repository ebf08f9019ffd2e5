import { fsAsync as fs } from './fsAsync';
import type FastGlob from 'fast-glob';

/**
 * fast-glob, loaded on first use: the first answer globs nothing, and loading fast-glob with its matchers
 * would be part of every start.
 */
export function fastGlob(): typeof FastGlob {
  return require('fast-glob') as typeof FastGlob;
}

/** True when `file` (a file, folder or anything else) exists and is visible to this process. */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** True when `file` exists and is a regular file (symlinks followed). */
export async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** True when `dir` exists and is a folder (symlinks followed). */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
