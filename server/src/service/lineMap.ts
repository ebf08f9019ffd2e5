/**
 * Where the lines of one text are in an edited copy of it: what lets findings made from a saved file follow
 * the unsaved edits of its document, as an editor's markers do, without claiming anything about changed lines.
 */

/** Beyond this many cells the changed middle of the two texts is not compared line by line (all changed). */
const MAX_COMPARED_CELLS = 1_000_000;

/** For each line of `before`, its line number in `after` when it is there unchanged (a longest common subsequence), else undefined. */
export type LineMap = (line: number) => number | undefined;

export function mapLines(before: string, after: string): LineMap {
  if (before === after) return (line) => line;
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = matchMiddle(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const shift = b.length - a.length;
  return (line) => {
    if (line < 0 || line >= a.length) return undefined;
    if (line < head) return line;
    if (line >= a.length - tail) return line + shift;
    const matched = middle.get(line - head);
    return matched === undefined ? undefined : matched + head;
  };
}

/** Line i of `a` → line j of `b` along a longest common subsequence. */
function matchMiddle(a: string[], b: string[]): Map<number, number> {
  const matches = new Map<number, number>();
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_COMPARED_CELLS) return matches;
  const width = b.length + 1;
  // lengths[i * width + j]: the LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) matches.set(i++, j++);
    else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) i++;
    else j++;
  }
  return matches;
}
