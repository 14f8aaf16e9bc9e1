// warrants: re-arrest warrants (PRAWN) active on a date by court and age band, and issued
// and served in a period. One query of two Judicial aggregate fields (grouped in SQL).
import type { ReportDefinition, Row } from '../types.ts';
import { askAggregates } from './common.ts';

const QUERY = `query WarrantsReport($on: String!, $from: String!, $to: String!) {
  activeWarrantCounts(on: $on) { court { code name } ageBand count }
  warrantFlowCounts(from: $from, to: $to) { court { code name } type issued served }
}`;

type Court = { code: string; name: string | null };
type Answer = {
  activeWarrantCounts: Array<{ court: Court; ageBand: string; count: number }> | null;
  warrantFlowCounts: Array<{ court: Court; type: string; issued: number; served: number }> | null;
};

export const warrantsReport: ReportDefinition = {
  name: 'warrants',
  title: 'Re-arrest warrants (PRAWN)',
  summary: 'active warrants on --on by court and age band; warrants issued and served from --from to --to',
  kind: 'query',
  dates: 'on+period',
  maxPeriodDays: 1827,
  by: ['court', 'statewide'],
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'court', title: 'Court', kind: 'text' },
    { key: 'court_name', title: 'Court name', kind: 'text' },
    { key: 'age_band', title: 'Age band', kind: 'text' },
    { key: 'warrant_type', title: 'Warrant type', kind: 'text' },
    { key: 'active', title: 'Active', kind: 'number' },
    { key: 'issued', title: 'Issued', kind: 'number' },
    { key: 'served', title: 'Served', kind: 'number' },
  ],
  charts: { 'active warrants': { label: 'court', value: 'active' }, 'issued and served': { label: 'warrant_type', value: 'issued' } },
  async *run(context) {
    const { on, from, to, by } = context.options;
    const data = await askAggregates<Answer>(context, QUERY, { on, from, to }, { activeWarrantCounts: 'PRAWN (Judicial Branch)', warrantFlowCounts: 'PRAWN (Judicial Branch)' });
    const statewide = by === 'statewide';
    const court = (c: Court) => (statewide ? { court: 'ALL', court_name: 'statewide' } : { court: c.code, court_name: c.name });
    const merge = (rows: Row[], key: (row: Row) => string, sum: string[]) => {
      const merged = new Map<string, Row>();
      for (const row of rows) {
        const existing = merged.get(key(row));
        if (!existing) merged.set(key(row), { ...row });
        else for (const field of sum) existing[field] = Number(existing[field]) + Number(row[field]);
      }
      return [...merged.values()];
    };
    const active = (data.activeWarrantCounts ?? []).map((r): Row => ({ section: 'active warrants', ...court(r.court), age_band: r.ageBand, warrant_type: null, active: r.count, issued: null, served: null }));
    yield* merge(active, (r) => `${r.court}|${r.age_band}`, ['active']);
    const flow = (data.warrantFlowCounts ?? []).map((r): Row => ({ section: 'issued and served', ...court(r.court), age_band: null, warrant_type: r.type, active: null, issued: r.issued, served: r.served }));
    yield* merge(flow, (r) => `${r.court}|${r.warrant_type}`, ['issued', 'served']);
  },
};
