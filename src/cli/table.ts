/** Plain-text tables with aligned columns for terminal output. */
export type Align = 'left' | 'right';

/** `text` cut to `n` characters with an ellipsis (commit subjects in a table or a progress line). */
export function clip(text: string, n: number): string {
  const chars = [...text];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : text;
}

function width(text: string): number {
  return [...text].length;
}

export function formatTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((h, c) => Math.max(width(h), ...rows.map((row) => width(row[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - width(cell));
        return align[c] === 'right' ? pad + cell : c === cells.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
