// Words for users, shared by the client and every server layer as protocol.ts is (plain functions, no
// imports): counts, and Markdown for text that comes from the project (paths, setting values, Python messages).

/**
 * The text as literal Markdown: `STATICFILES_DIRS[0]` keeps its brackets, `__init__` is not bold.
 * Inside backticks nothing needs escaping; use `markdownCode` there.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

/** Inline code that holds any text, backticks included (CommonMark: a longer fence, padded with spaces). */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest || text.startsWith(' ') || text.endsWith(' ') ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** `1 file`, `2 files`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
