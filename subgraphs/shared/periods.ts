// Report dates and periods, checked the same way by every agency's statistics fields: a
// real calendar date, a period that runs forwards and spans at most the field's limit.
import { badInput } from './errors.ts';
import { checkRange, parseDate } from './inputs.ts';

/** Days from `from` to `to` (ISO dates), inclusive of both ends minus one: 2024-01-01 → 2024-01-02 is 1. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Checks a report period: real dates, from on or before to, at most `maxDays` apart. */
export function parsePeriod(from: string, to: string, maxDays: number): { from: string; to: string } {
  const period = { from: parseDate(from, 'from'), to: parseDate(to, 'to') };
  checkRange(period.from, period.to);
  const span = daysBetween(period.from, period.to);
  if (span > maxDays) {
    throw badInput(`the period ${period.from} to ${period.to} spans ${span} days; expected at most ${maxDays} days (split it into shorter periods)`, 'to');
  }
  return period;
}

/** Checks a whole number of days from 0 to `max` (e.g. "orders expiring within N days"). */
export function parseDays(value: number | null | undefined, argument: string, fallback: number, max: number): number {
  const days = value ?? fallback;
  if (!Number.isInteger(days) || days < 0 || days > max) throw badInput(`${argument} is ${days}; expected a whole number of days from 0 to ${max}`, argument);
  return days;
}
