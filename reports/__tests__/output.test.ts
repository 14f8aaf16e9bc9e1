// The writers and the option checks alone: RFC 4180 quoting, streamed JSON that parses,
// HTML that escapes and draws SVG without script, and the date rules of every report.
import assert from 'node:assert/strict';
import { csvField, csvWriter } from '../output/csv.ts';
import { htmlWriter } from '../output/html.ts';
import { jsonWriter } from '../output/json.ts';
import type { ReportMeta } from '../output/writer.ts';
import { findReport } from '../definitions/index.ts';
import { medianOf } from '../definitions/time-to-disposition.ts';
import { resolveOptions } from '../options.ts';

const META: ReportMeta = {
  name: 'test', title: 'A <test> & report', kind: 'query', generatedAt: '2026-12-01T00:00:00.000Z', user: 'tester', notes: ['PRAWN withheld'],
  columns: [{ key: 'section', title: 'Section', kind: 'text' }, { key: 'name', title: 'Name', kind: 'text' }, { key: 'n', title: 'N', kind: 'number' }],
  charts: { first: { label: 'name', value: 'n' } }, parameters: { on: '2026-06-30' },
};
const ROWS = [
  { section: 'first', name: 'G.A. 2, "Bridgeport"', n: 3 },
  { section: 'first', name: 'line\r\nbreak <b>', n: 1 },
  { section: 'second', name: null, n: 0 },
];

async function written(make: (write: (text: string) => Promise<void>) => { begin: Function; row: Function; end: Function }): Promise<string> {
  let out = '';
  const writer = make(async (text) => { out += text; });
  await writer.begin(META);
  for (const row of ROWS) await writer.row(row);
  await writer.end({ notes: META.notes, rows: ROWS.length, requests: 1 });
  return out;
}

describe('report writers and options', () => {
  it('quotes CSV fields per RFC 4180 and ends lines with CRLF', async () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(await written(csvWriter), 'section,name,n\r\nfirst,"G.A. 2, ""Bridgeport""",3\r\nfirst,"line\r\nbreak <b>",1\r\nsecond,,0\r\nnote,PRAWN withheld,\r\n');
  });

  it('streams JSON that parses to the rows and notes', async () => {
    const parsed = JSON.parse(await written(jsonWriter));
    assert.deepEqual(parsed.rows, ROWS);
    assert.deepEqual(parsed.notes, ['PRAWN withheld']);
    assert.equal(parsed.requests, 1);
    assert.deepEqual(parsed.parameters, { on: '2026-06-30' });
  });

  it('writes HTML with escaped text, a table per section, an SVG chart and no script', async () => {
    const html = await written(htmlWriter);
    assert.match(html, /<title>A &#60;test&#62; &#38; report<\/title>/);
    assert.match(html, /<h2>first<\/h2>[\s\S]*<h2>second<\/h2>/);
    assert.match(html, /<p class="note">PRAWN withheld<\/p>/);
    assert.match(html, /<svg [^>]*role="img"[\s\S]*<rect [^>]*width="420"/);
    assert.doesNotMatch(html, /<b>|<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('takes the median of a histogram: the middle value, or the mean of the two middle ones', () => {
    assert.equal(medianOf(new Map([[3, 1], [10, 1], [4, 1]])), 4);
    assert.equal(medianOf(new Map([[3, 2], [10, 2]])), 6.5);
    assert.equal(medianOf(new Map()), null);
  });

  it('defaults dates and refuses what a report does not take', () => {
    const now = new Date('2026-12-01T15:00:00Z');
    assert.deepEqual(resolveOptions(findReport('warrants')!, {}, now), { pageSize: 250, on: '2026-12-01', from: '2025-12-02', to: '2026-12-01', by: 'court' });
    assert.deepEqual(resolveOptions(findReport('protective-orders')!, { on: '2026-02-28', days: '7' }, now), { pageSize: 250, on: '2026-02-28', days: 7 });
    assert.throws(() => resolveOptions(findReport('case-processing')!, {}, now), /needs both --from and --to/);
    assert.throws(() => resolveOptions(findReport('population')!, { from: '2024-01-01', to: '2024-02-01' }, now), /counted on one date; use --on/);
    assert.throws(() => resolveOptions(findReport('warrants')!, { from: '2024-01-01' }, now), /needs both --from and --to/);
    assert.throws(() => resolveOptions(findReport('recidivism')!, { from: '2019-01-01', to: '2022-12-31', pageSize: '0' }, now), /--page-size 0: expected a whole number from 1 to 500/);
    assert.throws(() => resolveOptions(findReport('population')!, { days: 3 }, now), /takes no --days/);
  });
});
