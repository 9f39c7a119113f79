/**
 * CSV that spreadsheets open as written, Excel with Chinese text included:
 * UTF-8 with a byte order mark (without it Excel reads the bytes in the
 * system's code page, GBK on a Chinese Windows, and garbles all but ASCII),
 * CRLF after every record and RFC 4180 quoting (a cell holding a comma, a
 * quote or a line break is quoted, its quotes doubled). A text cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) gets an apostrophe in front, which spreadsheets show as
 * text (OWASP's guard against CSV injection); a plain number is left as it is.
 */

/** A cell: text as it should read, or a number. */
export type CsvCell = string | number;

const BYTE_ORDER_MARK = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as CSV: guarded, then quoted if it must be. */
export function csvCell(value: CsvCell): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`A CSV cell cannot hold ${value}`);
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: the byte order mark, the header record, then one record per row. */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return BYTE_ORDER_MARK + [header, ...rows].map((record) => `${record.map(csvCell).join(',')}\r\n`).join('');
}
