export type Align = 'left' | 'right';

export interface TextColumn {
  header: string;
  align: Align;
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * Columns padded to their widest cell, two spaces apart. `style` decorates a
 * finished line (for colour) without disturbing the alignment.
 */
export function textTable(columns: TextColumn[], rows: string[][], style: (line: string, rowIndex: number) => string = (l) => l): string[] {
  const widths = columns.map((c, i) => rows.reduce((widest, r) => Math.max(widest, (r[i] ?? '').length), c.header.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map((r, i) => style(line(r), i))];
}
