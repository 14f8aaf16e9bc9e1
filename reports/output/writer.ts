// The contract of the three formats: begin once with what the report is, then rows as
// they are computed (written through at once, never collected), then end with the notes.
import type { Column, ChartSpec, Row } from '../types.ts';

export interface ReportMeta {
  name: string;
  title: string;
  kind: 'query' | 'walk';
  columns: Column[];
  charts: Record<string, ChartSpec>;
  /** The options as run (dates, grouping), for the reader. */
  parameters: Record<string, string | number>;
  /** Who ran it and when (ISO 8601 UTC). */
  generatedAt: string;
  user: string;
  /** Notes known before the first row (what was withheld). */
  notes: string[];
}

export interface ReportSummary {
  notes: string[];
  rows: number;
  requests: number;
}

export interface ReportWriter {
  begin(meta: ReportMeta): Promise<void>;
  row(row: Row): Promise<void>;
  end(summary: ReportSummary): Promise<void>;
}
