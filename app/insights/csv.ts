/**
 * CSV writing (RFC 4180): fields with a comma, quote, CR or LF are quoted and quotes
 * doubled; lines end with CRLF. Cells that a spreadsheet would read as a formula
 * (starting with = + - @, or a tab / carriage return) get a leading apostrophe, since
 * shoppers' questions are untrusted text.
 */

export type CsvValue = string | number | boolean | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "number") text = Number.isFinite(value) ? String(value) : "";
  else text = String(value);
  // Numbers we wrote ourselves (e.g. -0.5) are data, not formulas.
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
