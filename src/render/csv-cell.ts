/**
 * One CSV cell. A cell that a spreadsheet would run as a formula (leading =,
 * +, -, @, tab or carriage return) gets a leading apostrophe, as OWASP
 * recommends against CSV injection.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: Array<string | number>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
