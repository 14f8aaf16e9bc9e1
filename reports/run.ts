// Runs one report: its rows go straight through the chosen writer to the sink (a file
// renamed into place at the end, or stdout). Notes (what the caller's roles withheld)
// are collected on the way and written with the report. On any failure the sink is
// aborted: no partial file is left. Also the library entry for tools (`collectReport`).
import { csvWriter } from './output/csv.ts';
import { htmlWriter } from './output/html.ts';
import { jsonWriter } from './output/json.ts';
import type { Sink } from './output/sink.ts';
import type { ReportWriter } from './output/writer.ts';
import type { GatewayClient } from './client.ts';
import { createProgress, type Progress } from './progress.ts';
import type { ReportDefinition, Row, RunContext, RunOptions } from './types.ts';

export const FORMATS = ['csv', 'json', 'html'] as const;
export type Format = (typeof FORMATS)[number];

const WRITERS: Record<Format, (write: (text: string) => Promise<void>) => ReportWriter> = { csv: csvWriter, json: jsonWriter, html: htmlWriter };

export interface RunResult {
  rows: number;
  notes: string[];
  requests: number;
}

/** The options a person would recognise, for the report's header. */
function parametersOf(options: RunOptions): Record<string, string | number> {
  const shown: Record<string, string | number> = {};
  for (const key of ['from', 'to', 'on', 'by', 'days'] as const) if (options[key] !== undefined) shown[key] = options[key]!;
  return shown;
}

/** Runs `report` and writes it as `format` to `sink`; aborts the sink on failure. */
export async function runReport(report: ReportDefinition, options: RunOptions, io: { client: GatewayClient; sink: Sink; format: Format; user: string; progress?: Progress; roles?: string[]; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  const notes: string[] = [];
  const progress = io.progress ?? createProgress({ quiet: true });
  const context: RunContext = {
    client: io.client, options, progress, identity: { user: io.user, roles: io.roles ?? [] }, env: io.env,
    note: (text) => { if (!notes.includes(text)) { notes.push(text); progress.line(`note: ${text}`); } },
  };
  const writer = WRITERS[io.format](io.sink.write);
  const requestsBefore = io.client.requests;
  let begun = false;
  let rows = 0;
  const begin = async () => {
    if (begun) return;
    begun = true;
    await writer.begin({
      name: report.name, title: report.title, kind: report.kind, columns: report.columns, charts: report.charts ?? {},
      parameters: parametersOf(options), generatedAt: new Date().toISOString(), user: io.user, notes: [...notes],
    });
  };
  try {
    for await (const row of report.run(context)) {
      await begin();
      await writer.row(row);
      rows += 1;
    }
    await begin();
    const requests = io.client.requests - requestsBefore;
    await writer.end({ notes, rows, requests });
    await io.sink.commit();
    progress.done();
    return { rows, notes, requests };
  } catch (error) {
    progress.done();
    await io.sink.abort();
    throw error;
  }
}

/** Runs `report` and returns its rows and notes (for tools and tests; small reports only). */
export async function collectReport(report: ReportDefinition, options: RunOptions, client: GatewayClient): Promise<{ rows: Row[]; notes: string[]; requests: number }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const before = client.requests;
  const context: RunContext = { client, options, progress: createProgress({ quiet: true }), note: (text) => { if (!notes.includes(text)) notes.push(text); } };
  for await (const row of report.run(context)) rows.push(row);
  return { rows, notes, requests: client.requests - before };
}
