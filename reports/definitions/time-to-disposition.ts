// time-to-disposition: of the court cases disposed in a period (every charge disposed, the
// last disposition date in the period), the median days from CCH arrest and from
// arraignment to disposition, and the share disposed within 1 week, 1, 3, 6 and 12 months
// of arrest (the BJS State Court Processing Statistics buckets), by court and by most
// serious charge class. A walk of the roll (CCH and CCMS on each page).
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkState } from '../walk.ts';
import { daysBetween } from './common.ts';
import { CYCLE_PARTS, cyclesOf } from './cycles.ts';

/** Bucket limits in days: within 1 week, 1, 3, 6 and 12 months. */
export const BUCKETS = [['within_1_week', 7], ['within_1_month', 30], ['within_3_months', 91], ['within_6_months', 182], ['within_12_months', 365]] as const;

/** Median of a histogram (days → how many); the mean of the two middle values when the count is even. */
export function medianOf(histogram: Map<number, number>): number | null {
  const total = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  if (!total) return null;
  const at = (position: number) => {
    let seen = 0;
    for (const [days, n] of [...histogram].sort((a, b) => a[0] - b[0])) {
      seen += n;
      if (seen > position) return days;
    }
    return 0;
  };
  return total % 2 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

class Durations {
  disposed = 0;
  fromArrest = new Map<number, number>();
  fromArraignment = new Map<number, number>();
  add(arrestDays: number | null, arraignmentDays: number | null): void {
    this.disposed += 1;
    if (arrestDays !== null) this.fromArrest.set(arrestDays, (this.fromArrest.get(arrestDays) ?? 0) + 1);
    if (arraignmentDays !== null) this.fromArraignment.set(arraignmentDays, (this.fromArraignment.get(arraignmentDays) ?? 0) + 1);
  }
}

export const timeToDispositionReport: ReportDefinition = {
  name: 'time-to-disposition',
  title: 'Time from arrest and arraignment to disposition',
  summary: 'cases disposed from --from to --to: median days, share disposed within 1 week to 12 months; by court and charge class',
  kind: 'walk',
  dates: 'period',
  maxPeriodDays: 1827,
  by: ['all', 'court', 'charge-class'],
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'group', title: 'Group', kind: 'text' },
    { key: 'disposed', title: 'Cases disposed', kind: 'number' },
    { key: 'with_arrest_date', title: 'With a CCH arrest date', kind: 'number' },
    { key: 'median_days_from_arrest', title: 'Median days arrest → disposition', kind: 'number' },
    { key: 'median_days_from_arraignment', title: 'Median days arraignment → disposition', kind: 'number' },
    ...BUCKETS.map(([key]) => ({ key, title: `Share ${key.replace(/_/g, ' ')} of arrest`, kind: 'number' as const })),
  ],
  charts: { 'by court': { label: 'group', value: 'median_days_from_arraignment' }, 'by charge class': { label: 'group', value: 'median_days_from_arraignment' } },
  async *run(context) {
    const { from, to, by } = context.options;
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const groups = { 'by court': new Map<string, Durations>(), 'by charge class': new Map<string, Durations>() };
    for await (const page of walkOffenders(context, CYCLE_PARTS.slice(0, 2), state)) {
      for (const person of page) {
        for (const cycle of cyclesOf(person, state)) {
          if (!cycle.dispositionDate || !cycle.court || cycle.dispositionDate < from! || cycle.dispositionDate > to!) continue;
          const arrestDays = cycle.arrestDate ? daysBetween(cycle.arrestDate, cycle.dispositionDate) : null;
          const arraignmentDays = daysBetween(cycle.arraignmentDate!, cycle.dispositionDate);
          for (const [section, key] of [['by court', cycle.court.code], ['by charge class', cycle.chargeClass]] as const) {
            const map = groups[section];
            if (!map.has(key)) map.set(key, new Durations());
            map.get(key)!.add(arrestDays, arraignmentDays);
          }
        }
      }
    }
    if (state.withheld.has('courtCases')) {
      context.note('time-to-disposition counts CCMS dispositions: without CCMS there is nothing to measure, so the report has no rows');
      return;
    }
    const shape = (section: string, group: string, d: Durations): Row => {
      const withArrest = [...d.fromArrest.values()].reduce((sum, n) => sum + n, 0);
      const share = (limit: number) => (withArrest ? Number(([...d.fromArrest].filter(([days]) => days <= limit).reduce((sum, [, n]) => sum + n, 0) / withArrest).toFixed(4)) : null);
      return {
        section, group, disposed: d.disposed, with_arrest_date: state.withheld.has('arrests') ? null : withArrest,
        median_days_from_arrest: medianOf(d.fromArrest), median_days_from_arraignment: medianOf(d.fromArraignment),
        ...Object.fromEntries(BUCKETS.map(([key, limit]) => [key, share(limit)])),
      };
    };
    for (const section of ['by court', 'by charge class'] as const) {
      if ((by === 'court' && section !== 'by court') || (by === 'charge-class' && section !== 'by charge class')) continue;
      for (const [group, d] of [...groups[section]].sort(([a], [b]) => (a < b ? -1 : 1))) yield shape(section, group, d);
    }
  },
};
