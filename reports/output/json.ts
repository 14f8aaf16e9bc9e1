// JSON for tools: one object — what the report is and how it was run, `rows` (one object
// per row, keys as the CSV header), then `notes` (what was withheld) and the request count.
// Written as it goes: the rows array is streamed, not built.
import type { Row } from '../types.ts';
import type { ReportWriter } from './writer.ts';

export function jsonWriter(write: (text: string) => Promise<void>): ReportWriter {
  let count = 0;
  return {
    async begin(meta) {
      const head = { report: meta.name, title: meta.title, kind: meta.kind, parameters: meta.parameters, generatedAt: meta.generatedAt, user: meta.user, columns: meta.columns };
      await write(`${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "rows": [`);
    },
    async row(row: Row) {
      await write(`${count ? ',' : ''}\n    ${JSON.stringify(row)}`);
      count += 1;
    },
    async end(summary) {
      await write(`${count ? '\n  ' : ''}],\n  "notes": ${JSON.stringify(summary.notes)},\n  "requests": ${summary.requests}\n}\n`);
    },
  };
}
