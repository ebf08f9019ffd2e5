/**
 * `django-static list [--json]`: what collectstatic would write. Each destination maps to every source file
 * providing it in finder order; the first is the one copied. Ignored files are absent, as in collectstatic.
 */
import { loadProject } from '../engine/project';
import { allowFlags, learnOptions, ParsedArgs, rootFlag } from './args';

export async function runList(args: ParsedArgs): Promise<number> {
  allowFlags(args, ['json']);
  const { index } = await loadProject(rootFlag(args), learnOptions(args));
  const collected = index.collectMap();
  const dests = [...collected.keys()].sort();
  if (args.flags.has('json')) {
    const out: Record<string, string[]> = Object.create(null); // a file may be named __proto__
    for (const dest of dests) out[dest] = collected.get(dest)!;
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const dest of dests) {
    const [winner, ...shadowed] = collected.get(dest)!;
    lines.push(`${dest}\t${winner}${shadowed.length ? `\t(shadows ${shadowed.length})` : ''}`);
  }
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
