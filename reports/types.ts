// What a report is: a definition (name, options, columns) and a run that streams rows.
// Every report's output is one table in long form — a `section` column, the dimension
// columns, then the figures — so CSV gets one header, JSON one array and HTML one table
// (and chart) per section, and rows can be written as they are computed.
import type { GatewayClient } from './client.ts';
import type { Progress } from './progress.ts';

/**
 * Which dates a report takes: 'on' — --on (default today); 'period' — --from and --to,
 * both required; 'on+period' — --on (default today) and --from/--to (default the 365
 * days ending on --on).
 */
export type DateOptions = 'period' | 'on' | 'on+period';

/** A column of a report's table. */
export interface Column {
  /** Key in each row and the CSV/JSON field name (snake_case). */
  key: string;
  /** Heading for people (HTML). */
  title: string;
  kind: 'text' | 'date' | 'number';
}

/** One row: values by column key (null prints as an empty cell). */
export type Row = Record<string, string | number | null>;

/** How an HTML section draws its chart: bars of `value` labelled by `label` (summed by label). */
export interface ChartSpec {
  label: string;
  value: string;
}

/** The options a run received, already checked. */
export interface RunOptions {
  from?: string;
  to?: string;
  on?: string;
  /** A grouping the report offers (`--by`), or its default. */
  by?: string;
  /** Rows per page of a walk. */
  pageSize: number;
  /** Report-specific number (e.g. the look-ahead days of protective-orders). */
  days?: number;
}

/** What a run can use: the gateway as the user who asked, progress, and where notes go. */
export interface RunContext {
  client: GatewayClient;
  options: RunOptions;
  progress: Progress;
  /** Records what a role could not see ("CCH withheld: …"); printed with the report. */
  note(text: string): void;
  /** Who asked (the token's subject and roles), for reports that read a local store (audit-review). */
  identity?: { user: string; roles: string[] };
  /** Settings of a local store read (audit-review: the audit log's location). */
  env?: NodeJS.ProcessEnv;
}

export interface ReportDefinition {
  name: string;
  title: string;
  /** One line for --list. */
  summary: string;
  /** 'query': one GraphQL request of aggregate fields; 'walk': bounded pages through the gateway. */
  kind: 'query' | 'walk';
  dates: DateOptions;
  /** Longest period in days (dates 'period'). */
  maxPeriodDays?: number;
  /** Values `--by` accepts, the first the default. */
  by?: string[];
  /** What `--days` means, when the report takes it, and its default. */
  days?: { meaning: string; default: number; max: number };
  columns: Column[];
  /** Charts per section (HTML). */
  charts?: Record<string, ChartSpec>;
  run(context: RunContext): AsyncIterable<Row>;
}
