// CSV for spreadsheets, as RFC 4180 defines it: CRLF line ends, a header row, a field
// quoted when it holds a comma, a quote or a line break, quotes inside doubled. Dates are
// ISO 8601 (YYYY-MM-DD) as the agencies give them. Notes (what was withheld) follow the
// data as rows whose `section` is "note", the text in the next column.
import type { Column, Row } from '../types.ts';
import type { ReportWriter } from './writer.ts';

/** One CSV field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: Array<string | number | null | undefined>) => `${values.map(csvField).join(',')}\r\n`;

export function csvWriter(write: (text: string) => Promise<void>): ReportWriter {
  let columns: Column[] = [];
  return {
    async begin(meta) {
      columns = meta.columns;
      await write(line(columns.map((column) => column.key)));
    },
    async row(row: Row) {
      await write(line(columns.map((column) => row[column.key])));
    },
    async end(summary) {
      for (const note of summary.notes) await write(line(columns.map((_, index) => (index === 0 ? 'note' : index === 1 ? note : null))));
    },
  };
}
