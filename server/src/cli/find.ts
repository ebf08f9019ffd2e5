/**
 * `django-static find [--first] PATH...`: prints what `manage.py findstatic PATH...` prints at verbosity 1,
 * byte for byte: matches on stdout (realpath'd, two-space indent), misses on stderr, exit 0; an escaping
 * path fails the whole command (Django raises SuspiciousFileOperation before printing any match).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../engine/model';
import { loadProject } from '../engine/project';
import { allowFlags, learnOptions, ParsedArgs, rootFlag } from './args';

export async function runFind(args: ParsedArgs): Promise<number> {
  allowFlags(args, ['first']);
  if (args.positionals.length === 0) throw new UserError('Enter at least one path to find.');
  const { index } = await loadProject(rootFlag(args), learnOptions(args));
  const all = !args.flags.has('first');
  const found: string[] = [];
  for (const label of args.positionals) {
    const result = index.find(label, all);
    if (result.kind === 'escapes') {
      process.stderr.write(`django-static: SuspiciousFileOperation: ${result.message}.\n`);
      return 1;
    }
    if (result.kind === 'missing') {
      // Django writes misses as it goes; found labels are printed together at the end.
      process.stderr.write(`No matching file found for '${label}'.\n`);
      continue;
    }
    found.push(`Found '${label}' here:\n  ${result.matches.map(realpath).join('\n  ')}`);
  }
  if (found.length) process.stdout.write(`${found.join('\n')}\n`);
  return 0;
}

/**
 * Python's os.path.realpath (non-strict): never fails, and a broken link resolves to where it points, which
 * findstatic prints for the broken links AppDirectoriesFinder matches from Django 4.2.
 */
function realpath(p: string, depth = 0): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    if (parent === p || depth > 40) return p;
    const here = path.join(realpath(parent, depth + 1), path.basename(p));
    try {
      if (!fs.lstatSync(here).isSymbolicLink()) return here;
      return realpath(path.resolve(path.dirname(here), fs.readlinkSync(here)), depth + 1);
    } catch {
      return here;
    }
  }
}
