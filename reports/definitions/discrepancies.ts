// discrepancies: records that disagree across agencies (data quality), one row per finding
// naming both records (system and key) and the rule broken, streamed page by page, then a
// count per rule. A walk of the roll (CCH, CCMS, PCMS, OMIS on each page). A rule that needs
// a system the caller may not see is skipped, with a note.
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkPart, type WalkState } from '../walk.ts';
import { addDays, docketKey, today } from './common.ts';

const PARTS: WalkPart[] = [
  { field: 'arrests', system: 'CCH (Department of Public Safety)', selection: 'arrests { trackingNumber date charges { sequence courtDisposition { code } } }' },
  { field: 'courtCases', system: 'CCMS (Judicial Branch)', selection: 'courtCases(first: 100) { edges { node { docketNumber trackingNumber charges { count dispositionCode } sentence { type date } } } }' },
  { field: 'probation', system: 'PCMS (Judicial Branch)', selection: 'probation { caseNumber docketNumber }' },
  { field: 'custody', system: 'OMIS (Department of Correction)', selection: 'custody { inmateNumber admissionSequence docketNumber admissionDate }' },
];

/** The rules, each with the systems it compares. */
export const RULES = {
  'sentence-without-admission': { needs: ['courtCases', 'custody'], text: 'a court sentence to incarceration with no DOC admission on the docket within 14 days' },
  'custody-without-court-case': { needs: ['custody', 'courtCases'], text: 'DOC custody whose docket has no disclosable court case' },
  'arrest-without-court-case': { needs: ['arrests', 'courtCases'], text: 'a CCH arrest with no court case after 90 days' },
  'probation-without-probation-sentence': { needs: ['probation', 'courtCases'], text: 'a probation case whose docket shows no probation sentence' },
  'disposition-not-in-cch': { needs: ['courtCases', 'arrests'], text: 'a court disposition not posted to CCH' },
} as const;
type Rule = keyof typeof RULES;

const finding = (rule: Rule, sid: string, a: [string, string], b: [string, string], detail: string): Row => ({
  section: 'discrepancies', rule, sid, system_a: a[0], record_a: a[1], system_b: b[0], record_b: b[1], detail, count: null,
});

/** The findings of one walked person under the rules `active`, as of `asOf`. */
export function findingsOf(person: Record<string, any>, active: Set<Rule>, asOf: string): Row[] {
  const rows: Row[] = [];
  const cases: any[] = (person.courtCases?.edges ?? []).map((edge: any) => edge.node);
  const caseByDocket = new Map(cases.map((c) => [docketKey(c.docketNumber), c]));
  const arrests: any[] = person.arrests ?? [];
  const custody: any[] = person.custody ?? [];
  for (const c of cases) {
    const s = c.sentence;
    if (active.has('sentence-without-admission') && s && (s.type === 'INCARCERATION' || s.type === 'SPLIT') && addDays(s.date, 14) < asOf
      && !custody.some((k) => docketKey(k.docketNumber) === docketKey(c.docketNumber) && k.admissionDate <= addDays(s.date, 14))) {
      rows.push(finding('sentence-without-admission', person.sid, ['CCMS', c.docketNumber], ['OMIS', '(none)'], `${s.type} sentence of ${s.date}`));
    }
    const arrest = arrests.find((a) => a.trackingNumber === c.trackingNumber);
    if (active.has('disposition-not-in-cch') && arrest) {
      for (const charge of c.charges) {
        const posted = arrest.charges.find((x: any) => x.sequence === charge.count);
        if (charge.dispositionCode && !posted?.courtDisposition) {
          rows.push(finding('disposition-not-in-cch', person.sid, ['CCMS', `${c.docketNumber} count ${charge.count}`], ['CCH', `${arrest.trackingNumber} charge ${charge.count}`], `${charge.dispositionCode} in court, none in CCH`));
        }
      }
    }
  }
  if (active.has('custody-without-court-case')) {
    for (const k of custody) if (!caseByDocket.has(docketKey(k.docketNumber))) rows.push(finding('custody-without-court-case', person.sid, ['OMIS', `${k.inmateNumber}/${k.admissionSequence}`], ['CCMS', k.docketNumber], `admitted ${k.admissionDate}`));
  }
  if (active.has('arrest-without-court-case')) {
    const otns = new Set(cases.map((c) => c.trackingNumber));
    for (const a of arrests) if (addDays(a.date, 90) < asOf && !otns.has(a.trackingNumber)) rows.push(finding('arrest-without-court-case', person.sid, ['CCH', a.trackingNumber], ['CCMS', '(none)'], `arrested ${a.date}`));
  }
  if (active.has('probation-without-probation-sentence')) {
    for (const p of person.probation ?? []) {
      const type = caseByDocket.get(docketKey(p.docketNumber))?.sentence?.type;
      if (type !== 'PROBATION' && type !== 'SPLIT') rows.push(finding('probation-without-probation-sentence', person.sid, ['PCMS', p.caseNumber], ['CCMS', p.docketNumber], type ? `sentence ${type}` : 'no sentence on the docket'));
    }
  }
  return rows;
}

export const discrepanciesReport: ReportDefinition = {
  name: 'discrepancies',
  title: 'Discrepancies between agencies (data quality)',
  summary: 'records that disagree across CCH, CCMS, PCMS and OMIS, one row each naming both records and the rule; as of today',
  kind: 'walk',
  dates: 'on',
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'rule', title: 'Rule', kind: 'text' },
    { key: 'sid', title: 'SID', kind: 'text' },
    { key: 'system_a', title: 'System', kind: 'text' },
    { key: 'record_a', title: 'Record', kind: 'text' },
    { key: 'system_b', title: 'Other system', kind: 'text' },
    { key: 'record_b', title: 'Other record', kind: 'text' },
    { key: 'detail', title: 'Detail', kind: 'text' },
    { key: 'count', title: 'Count', kind: 'number' },
  ],
  charts: { summary: { label: 'rule', value: 'count' } },
  async *run(context) {
    const asOf = context.options.on!;
    if (asOf !== today()) context.note(`records are compared as they stand today (${today()}); --on ${asOf} sets only the 14- and 90-day deadlines`);
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const counts = new Map<Rule, number>(Object.keys(RULES).map((rule) => [rule as Rule, 0]));
    let active: Set<Rule> | null = null;
    for await (const page of walkOffenders(context, PARTS, state)) {
      if (!active) {
        active = new Set((Object.keys(RULES) as Rule[]).filter((rule) => RULES[rule].needs.every((field) => !state.withheld.has(field))));
        for (const rule of Object.keys(RULES) as Rule[]) if (!active.has(rule)) context.note(`rule ${rule} (${RULES[rule].text}) skipped: it compares a system your roles do not grant`);
      }
      for (const person of page) {
        for (const row of findingsOf(person, active, asOf)) {
          counts.set(row.rule as Rule, counts.get(row.rule as Rule)! + 1);
          yield row;
        }
      }
    }
    for (const [rule, count] of counts) if (!active || active.has(rule)) yield { section: 'summary', rule, sid: null, system_a: null, record_a: null, system_b: null, record_b: null, detail: RULES[rule].text, count };
  },
};
