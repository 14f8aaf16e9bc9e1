// case-processing: of the CCH arrests in a period, how many reached arraignment,
// disposition, conviction, sentence and DOC admission — by court and by most serious
// charge class — plus dispositions and sentences by type. A walk of the roll (CCH, CCMS,
// OMIS on each page); the cohort is defined by CCH arrest dates.
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkState } from '../walk.ts';
import { Tally } from './common.ts';
import { CYCLE_PARTS, cyclesOf } from './cycles.ts';

const STAGES = ['arrests', 'arraigned', 'disposed', 'convicted', 'sentenced', 'admitted'] as const;

export const caseProcessingReport: ReportDefinition = {
  name: 'case-processing',
  title: 'Case processing: arrests in a period and how far they went',
  summary: 'CCH arrests from --from to --to: arraigned, disposed, convicted, sentenced, admitted to DOC; by court and charge class',
  kind: 'walk',
  dates: 'period',
  maxPeriodDays: 1827,
  by: ['all', 'court', 'charge-class'],
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'group', title: 'Group', kind: 'text' },
    { key: 'group_name', title: 'Name', kind: 'text' },
    ...STAGES.map((stage) => ({ key: stage, title: stage[0].toUpperCase() + stage.slice(1), kind: 'number' as const })),
  ],
  charts: { 'by court': { label: 'group', value: 'arrests' }, 'by charge class': { label: 'group', value: 'arrests' }, dispositions: { label: 'group', value: 'arrests' }, sentences: { label: 'group', value: 'arrests' } },
  async *run(context) {
    const { from, to, by } = context.options;
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const byCourt = new Tally(STAGES);
    const byClass = new Tally(STAGES);
    const dispositions = new Tally(['arrests'] as const);
    const sentences = new Tally(['arrests'] as const);
    const names = new Map<string, string | null>();
    for await (const page of walkOffenders(context, CYCLE_PARTS, state)) {
      if (state.withheld.has('arrests')) continue;
      for (const person of page) {
        for (const cycle of cyclesOf(person, state)) {
          if (!cycle.arrestDate || cycle.arrestDate < from! || cycle.arrestDate > to!) continue;
          const court = cycle.court?.code ?? '(not arraigned)';
          names.set(court, cycle.court?.name ?? null);
          const reached: Array<[typeof STAGES[number], boolean]> = [
            ['arrests', true], ['arraigned', cycle.court !== null], ['disposed', cycle.dispositionDate !== null],
            ['convicted', cycle.dispositionType === 'CONVICTED'], ['sentenced', cycle.sentenceType !== null], ['admitted', cycle.admitted],
          ];
          for (const [stage, yes] of reached) {
            if (!yes) continue;
            byCourt.add(court, stage);
            byClass.add(cycle.chargeClass, stage);
          }
          if (cycle.dispositionType) dispositions.add(cycle.dispositionType, 'arrests');
          if (cycle.sentenceType) sentences.add(cycle.sentenceType, 'arrests');
        }
      }
    }
    if (state.withheld.has('arrests')) {
      context.note('case-processing counts CCH arrests: without CCH there is no cohort, so the report has no rows');
      return;
    }
    const withheld = (stage: string) => (stage === 'arraigned' || stage === 'disposed' || stage === 'convicted' || stage === 'sentenced' ? state.withheld.has('courtCases') : stage === 'admitted' ? state.withheld.has('custody') : false);
    const shape = (section: string, group: string, counts: Record<string, number>): Row => ({
      section, group, group_name: section === 'by court' ? names.get(group) ?? null : null,
      ...Object.fromEntries(STAGES.map((stage) => [stage, withheld(stage) ? null : counts[stage]])),
    });
    if (by !== 'charge-class') for (const [group, counts] of byCourt.sorted()) yield shape('by court', group, counts);
    if (by !== 'court') for (const [group, counts] of byClass.sorted()) yield shape('by charge class', group, counts);
    const only = (section: string, group: string, n: number): Row => ({ section, group, group_name: null, ...Object.fromEntries(STAGES.map((stage) => [stage, stage === 'arrests' ? n : null])) });
    for (const [group, counts] of dispositions.sorted()) yield only('dispositions', group, counts.arrests);
    for (const [group, counts] of sentences.sorted()) yield only('sentences', group, counts.arrests);
  },
};
