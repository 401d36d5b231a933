/**
 * Markdown for tooltips built from user data (metric ids, commands, error output).
 * Everything that comes from tidemark.json or a command's output goes through these helpers so
 * that it is shown as text and never interpreted as markdown, links or icons.
 */

/** Escapes text for use in running markdown (also `$(icon)` syntax, which VS Code expands). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** An inline code span that contains `text` verbatim, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const single = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(single.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${single}${pad}${fence}`;
}

/** A fenced code block that contains `text` verbatim. */
export function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\r?\n$/, '')}\n${fence}`;
}

/** Escapes text for a status bar item's `text`, where `$(name)` would be read as an icon. */
export function escapeStatusText(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
