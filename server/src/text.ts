// Words for users, shared by the client and every server layer as protocol.ts is (plain functions, no
// imports): counts, and Markdown for text that comes from the project (paths, setting values, Python messages).

/**
 * The text as literal Markdown: `STATICFILES_DIRS[0]` keeps its brackets, `__init__` is not bold.
 * Inside backticks nothing needs escaping; use `markdownCode` there.
 */
export function escapeMarkdown(text: string): string {
  // Brackets are escaped, so `(…)` cannot become a link target; `#`, `+`, `-` and `1.` matter only first.
  return text
    .replace(/[\\`*_[\]<>~|]/g, '\\$&')
    .replace(/^[#+-]/, '\\$&')
    .replace(/^(\d+)\./, '$1\\.');
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

/** The mode and why, naming the mode once: the reasons often start with it already ("Static mode: …"). */
export function describeMode(mode: 'django' | 'static', reason: string): string {
  const name = `${mode[0].toUpperCase()}${mode.slice(1)} mode`;
  const why = reason.trim();
  if (!why) return name;
  return why.toLowerCase().startsWith(name.toLowerCase()) ? why : `${name}: ${why}`;
}
