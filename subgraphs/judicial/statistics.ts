// Resolvers of the Branch's statistics fields (schema.graphql, "Statistics"): check the
// dates, then one grouped statement in store/statistics.ts. Thin on purpose: the counting
// is SQL's.
import { parseDate } from '../shared/inputs.ts';
import { parseDays, parsePeriod } from '../shared/periods.ts';
import type { JudicialContext } from './resolvers.ts';

/** Longest period of warrantFlowCounts, in days (five years and a leap day). */
export const MAX_WARRANT_PERIOD_DAYS = 1827;
/** Longest look-ahead of protectiveOrderCounts, in days. */
export const MAX_EXPIRY_WINDOW_DAYS = 366;

export const statisticsQueries = {
  activeWarrantCounts: (_: unknown, args: { on: string }, ctx: JudicialContext) =>
    ctx.store.activeWarrantCounts(parseDate(args.on, 'on')),
  warrantFlowCounts: (_: unknown, args: { from: string; to: string }, ctx: JudicialContext) => {
    const { from, to } = parsePeriod(args.from, args.to, MAX_WARRANT_PERIOD_DAYS);
    return ctx.store.warrantFlowCounts(from, to);
  },
  protectiveOrderCounts: (_: unknown, args: { on: string; expiringWithinDays?: number | null }, ctx: JudicialContext) =>
    ctx.store.orderCounts(parseDate(args.on, 'on'), parseDays(args.expiringWithinDays, 'expiringWithinDays', 30, MAX_EXPIRY_WINDOW_DAYS)),
  probationCaseloadCounts: (_: unknown, args: { on: string }, ctx: JudicialContext) =>
    ctx.store.probationCaseloadCounts(parseDate(args.on, 'on')),
};
