// protective-orders: orders in effect on a date by type, and how many of them expire in
// the next --days days. One query of one Judicial aggregate field (grouped in SQL).
import type { ReportDefinition } from '../types.ts';
import { askAggregates } from './common.ts';

const QUERY = `query ProtectiveOrdersReport($on: String!, $days: Int!) {
  protectiveOrderCounts(on: $on, expiringWithinDays: $days) { type inEffect expiring }
}`;

type Answer = { protectiveOrderCounts: Array<{ type: string; inEffect: number; expiring: number }> | null };

export const protectiveOrdersReport: ReportDefinition = {
  name: 'protective-orders',
  title: 'Protective and restraining orders (POR)',
  summary: 'orders in effect on --on by type, and those expiring within --days days',
  kind: 'query',
  dates: 'on',
  days: { meaning: 'look-ahead for orders expiring, in days after --on', default: 30, max: 366 },
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'order_type', title: 'Order type', kind: 'text' },
    { key: 'in_effect', title: 'In effect', kind: 'number' },
    { key: 'expiring', title: 'Expiring within the look-ahead', kind: 'number' },
  ],
  charts: { 'orders in effect': { label: 'order_type', value: 'in_effect' } },
  async *run(context) {
    const { on, days } = context.options;
    const data = await askAggregates<Answer>(context, QUERY, { on, days }, { protectiveOrderCounts: 'POR (Judicial Branch)' });
    for (const row of data.protectiveOrderCounts ?? []) yield { section: 'orders in effect', order_type: row.type, in_effect: row.inEffect, expiring: row.expiring };
  },
};
