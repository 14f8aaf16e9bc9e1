// A self-contained HTML page for people who would rather look than read: styles inline,
// one table per section and, where the report says so, a bar chart drawn as SVG on the
// server (svg.ts). No script, no external resource. Rows are written as they come; a
// chart only keeps one sum per label of its section (bounded), not the rows.
import type { Column, Row } from '../types.ts';
import { barChart } from './svg.ts';
import type { ReportMeta, ReportWriter } from './writer.ts';

const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const MAX_LABELS = 500;

const STYLE = `body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #bbb;padding:2px 8px;font-size:13px}td.n{text-align:right}th{background:#eef}
.note{background:#fff4d6;border-left:4px solid #e0a800;padding:6px 10px;margin:6px 0}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}`;

export function htmlWriter(write: (text: string) => Promise<void>): ReportWriter {
  let meta: ReportMeta;
  let columns: Column[] = [];
  let section: string | null = null;
  let sums = new Map<string, number>();
  const closeSection = async () => {
    if (section === null) return;
    await write('</tbody></table>\n');
    const chart = meta.charts[section];
    if (chart && sums.size) await write(`<figure>${barChart(`${section}: ${chart.value} by ${chart.label}`, [...sums].map(([label, value]) => ({ label, value })))}</figure>\n`);
    sums = new Map();
  };
  return {
    async begin(m) {
      meta = m;
      columns = m.columns.filter((column) => column.key !== 'section');
      const parameters = Object.entries(m.parameters).map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`).join('');
      await write(`<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escape(m.title)}</title><style>${STYLE}</style></head><body>\n`
        + `<h1>${escape(m.title)}</h1>\n<dl>${parameters}<dt>generated</dt><dd>${escape(m.generatedAt)} for ${escape(m.user)}</dd><dt>computed</dt><dd>${m.kind === 'query' ? 'one aggregate query' : 'a walk of the population through the gateway'}</dd></dl>\n`
        + m.notes.map((note) => `<p class="note">${escape(note)}</p>\n`).join(''));
    },
    async row(row: Row) {
      const name = String(row.section ?? '');
      if (name !== section) {
        await closeSection();
        section = name;
        await write(`<h2>${escape(name)}</h2>\n<table><thead><tr>${columns.map((column) => `<th>${escape(column.title)}</th>`).join('')}</tr></thead><tbody>\n`);
      }
      const chart = meta.charts[name];
      if (chart) {
        const label = String(row[chart.label] ?? '');
        if (sums.has(label) || sums.size < MAX_LABELS) sums.set(label, (sums.get(label) ?? 0) + Number(row[chart.value] ?? 0));
      }
      await write(`<tr>${columns.map((column) => `<td${column.kind === 'number' ? ' class="n"' : ''}>${escape(row[column.key])}</td>`).join('')}</tr>\n`);
    },
    async end(summary) {
      await closeSection();
      if (summary.rows === 0) await write('<p>No rows.</p>\n');
      const late = summary.notes.filter((note) => !meta.notes.includes(note));
      await write(`${late.map((note) => `<p class="note">${escape(note)}</p>\n`).join('')}<p>${summary.rows.toLocaleString('en-US')} rows from ${summary.requests} gateway request(s).</p>\n</body></html>\n`);
    },
  };
}
