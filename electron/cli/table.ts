/** A plain-text table for terminal output: a header row, then one row per entry, columns padded to fit. */
export interface TableColumn {
  title: string;
  /** Default: right for columns whose cells are all numbers, else left. */
  align?: 'left' | 'right';
}

export type TableCell = string | number;

export function formatTable(columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[]): string {
  const text = rows.map((row) => columns.map((_, c) => String(row[c] ?? '')));
  const widths = columns.map((col, c) => Math.max(col.title.length, ...text.map((row) => row[c].length)));
  const aligns = columns.map((col, c) => col.align ?? (rows.length > 0 && rows.every((row) => typeof row[c] === 'number') ? 'right' : 'left'));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (aligns[c] === 'right' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...text.map(line)].join('\n');
}
