/**
 * CSV for spreadsheets (RFC 4180 quoting), safe to open: a cell that a spreadsheet would read as
 * a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a
 * leading apostrophe (OWASP "CSV injection"). Numbers stay numbers: only text cells are touched.
 */

/** One cell, neutralised and quoted where needed. */
function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line of cells, ending with a newline. */
export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\n`;
