// Checks a report's options the same way for the CLI and for tools calling the library:
// real dates, from on or before to, a period within the report's limit, a --by and --days
// the report offers. Each refusal says what was expected.
import { usage } from './errors.ts';
import { addDays, daysBetween, today } from './definitions/common.ts';
import type { ReportDefinition, RunOptions } from './types.ts';

export interface RawOptions {
  from?: string;
  to?: string;
  on?: string;
  by?: string;
  days?: string | number;
  pageSize?: string | number;
}

/** Rows per walked page: the default, and the most the roll answers at once. */
export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 500;

function checkDate(value: string, option: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (!match || !date || date.toISOString().slice(0, 10) !== value) throw usage(`--${option} "${value}" is not a date; expected a real calendar date as YYYY-MM-DD, e.g. 2024-03-15`);
  return value;
}

function checkWhole(value: string | number, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`--${option} ${value}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** The checked options of one run of `report`. */
export function resolveOptions(report: ReportDefinition, raw: RawOptions, now = new Date()): RunOptions {
  const options: RunOptions = { pageSize: raw.pageSize === undefined ? DEFAULT_PAGE_SIZE : checkWhole(raw.pageSize, 'page-size', 1, MAX_PAGE_SIZE) };
  const hasPeriod = raw.from !== undefined || raw.to !== undefined;
  if (report.dates === 'on' && hasPeriod) throw usage(`${report.name} is counted on one date; use --on YYYY-MM-DD, not --from/--to`);
  if (report.dates === 'period' && raw.on !== undefined) throw usage(`${report.name} covers a period; use --from YYYY-MM-DD --to YYYY-MM-DD, not --on`);
  if (report.dates !== 'period') options.on = raw.on === undefined ? today(now) : checkDate(raw.on, 'on');
  if (report.dates === 'period' || hasPeriod) {
    if (raw.from === undefined || raw.to === undefined) throw usage(`${report.name} needs both --from and --to (YYYY-MM-DD)`);
  }
  if (report.dates !== 'on') {
    options.from = raw.from === undefined ? addDays(options.on!, -364) : checkDate(raw.from, 'from');
    options.to = raw.to === undefined ? options.on! : checkDate(raw.to, 'to');
    if (options.from > options.to) throw usage(`--from ${options.from} is after --to ${options.to}; expected --from on or before --to`);
    const span = daysBetween(options.from, options.to);
    if (report.maxPeriodDays !== undefined && span > report.maxPeriodDays) {
      throw usage(`the period ${options.from} to ${options.to} spans ${span} days; ${report.name} covers at most ${report.maxPeriodDays} days`);
    }
  }
  if (raw.by !== undefined) {
    if (!report.by) throw usage(`${report.name} has no --by; it is always grouped the same way`);
    if (!report.by.includes(raw.by)) throw usage(`--by ${raw.by}: ${report.name} groups by one of ${report.by.join(', ')}`);
  }
  if (report.by) options.by = raw.by ?? report.by[0];
  if (raw.days !== undefined && !report.days) throw usage(`${report.name} takes no --days`);
  if (report.days) options.days = raw.days === undefined ? report.days.default : checkWhole(raw.days, 'days', 0, report.days.max);
  return options;
}
