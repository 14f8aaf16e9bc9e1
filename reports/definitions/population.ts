// population: people by tracking stage (a walk of the roll: the tracking subgraph derives
// each person's stage from all agencies), DOC custody by facility and custody level, and
// probation and parole caseloads (one query of three aggregate fields, grouped in SQL).
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkState } from '../walk.ts';
import { askAggregates, today } from './common.ts';

const QUERY = `query PopulationReport($on: String!) {
  custodyPopulationCounts(on: $on) { facility { code name } custodyLevel count }
  probationCaseloadCounts(on: $on) { office status count }
  paroleCaseloadCounts(on: $on) { district status count }
}`;

type Answer = {
  custodyPopulationCounts: Array<{ facility: { code: string; name: string }; custodyLevel: number; count: number }> | null;
  probationCaseloadCounts: Array<{ office: string; status: string; count: number }> | null;
  paroleCaseloadCounts: Array<{ district: string; status: string; count: number }> | null;
};

const blank: Row = { stage: null, facility: null, facility_name: null, custody_level: null, office: null, district: null, status: null };

export const populationReport: ReportDefinition = {
  name: 'population',
  title: 'Population by tracking stage, DOC custody and supervision caseloads',
  summary: 'people by tracking stage (today); DOC custody by facility and level, probation and parole caseloads on --on',
  kind: 'walk',
  dates: 'on',
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'stage', title: 'Tracking stage', kind: 'text' },
    { key: 'facility', title: 'Facility', kind: 'text' },
    { key: 'facility_name', title: 'Facility name', kind: 'text' },
    { key: 'custody_level', title: 'Custody level', kind: 'number' },
    { key: 'office', title: 'Probation office', kind: 'text' },
    { key: 'district', title: 'Parole district', kind: 'text' },
    { key: 'status', title: 'Case status', kind: 'text' },
    { key: 'count', title: 'Count', kind: 'number' },
  ],
  charts: {
    'tracking stage': { label: 'stage', value: 'count' },
    'DOC custody': { label: 'facility_name', value: 'count' },
    'probation caseload': { label: 'office', value: 'count' },
    'parole caseload': { label: 'district', value: 'count' },
  },
  async *run(context) {
    const on = context.options.on!;
    const data = await askAggregates<Answer>(context, QUERY, { on }, {
      custodyPopulationCounts: 'OMIS (Department of Correction)', probationCaseloadCounts: 'PCMS (Judicial Branch)', paroleCaseloadCounts: 'Parole (Department of Correction)',
    });
    // The stage is derived as of today: the tracking subgraph keeps no history to ask for another day.
    if (on !== today()) context.note(`tracking stages are as of today (${today()}), not ${on}: the tracking subgraph derives each stage from the agencies' current records`);
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const stages = new Map<string, number>();
    const parts = [{ field: 'trackingStatus', system: 'tracking status (derived from every agency)', selection: 'trackingStatus { stage }' }];
    for await (const page of walkOffenders(context, parts, state)) {
      if (state.withheld.has('trackingStatus')) continue;
      for (const person of page) {
        const stage = person.trackingStatus?.stage ?? 'UNAVAILABLE';
        stages.set(stage, (stages.get(stage) ?? 0) + 1);
      }
    }
    for (const [stage, count] of [...stages].sort()) yield { section: 'tracking stage', ...blank, stage, count };
    for (const r of data.custodyPopulationCounts ?? []) yield { section: 'DOC custody', ...blank, facility: r.facility.code, facility_name: r.facility.name, custody_level: r.custodyLevel, count: r.count };
    for (const r of data.probationCaseloadCounts ?? []) yield { section: 'probation caseload', ...blank, office: r.office, status: r.status, count: r.count };
    for (const r of data.paroleCaseloadCounts ?? []) yield { section: 'parole caseload', ...blank, district: r.district, status: r.status, count: r.count };
  },
};
