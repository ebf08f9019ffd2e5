import { promises as fs } from 'node:fs';

/** True when `file` (a file, folder or anything else) exists and is visible to this process. */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
