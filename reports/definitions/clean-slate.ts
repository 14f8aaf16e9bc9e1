// clean-slate: convictions erased by operation of law as of a date (C.G.S. 54-142a(e), the
// "clean slate" law; the Branch erases them automatically, C.G.S. 54-142t). A conviction
// of a misdemeanour is erasable 7 years, of a class D or E felony 10 years, after the
// person's most recent conviction, unless the statute excludes it (class A and B felonies,
// family-violence crimes, sexual offences), its offense predates 2000, or the person is
// still serving a sentence. One row per erasable conviction (docket and count), streamed
// as the walk goes, then a summary row per outcome. A walk of the roll: CCMS convictions
// and sentences, PCMS probation, OMIS custody, DOC parole, the Sex Offender Registry.
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkPart, type WalkState } from '../walk.ts';
import { addYears, docketKey, today } from './common.ts';

export const CLEAN_SLATE_PARTS: WalkPart[] = [
  {
    field: 'courtCases', system: 'CCMS (Judicial Branch)',
    selection: 'courtCases(first: 100) { edges { node { docketNumber arrestDate charges { count statute offenseClass familyViolence dispositionCode dispositionDate } sentence { date termDays suspendedDays probationMonths } } } }',
  },
  { field: 'probation', system: 'PCMS (Judicial Branch)', selection: 'probation { startDate endDate }' },
  { field: 'custody', system: 'OMIS (Department of Correction)', selection: 'custody { docketNumber admissionDate releaseDate }' },
  { field: 'parole', system: 'Parole (Department of Correction)', selection: 'parole { startDate endDate }' },
  { field: 'sexOffenderRegistration', system: 'SOR (Department of Public Safety)', selection: 'sexOffenderRegistration { registrationNumber }' },
];

/** Sections of C.G.S. that define sexual offences (C.G.S. 54-250: sexually violent, against a minor, nonviolent sexual). */
export const SEXUAL_OFFENSE_SECTIONS = new Set([
  '53-21', '53a-70', '53a-70a', '53a-70b', '53a-70c', '53a-71', '53a-72a', '53a-72b', '53a-73a', '53a-90a',
  '53a-189a', '53a-189b', '53a-189c', '53a-196a', '53a-196b', '53a-196c', '53a-196d', '53a-196e', '53a-196f', '53a-196g', '53a-196h', '53a-196i',
]);

/** How a conviction fares, in the order the rules are applied (the first that applies wins). */
export const OUTCOMES = {
  'class-a-b-felony': 'class A or B felony: never erased by operation of law (54-142a(e))',
  'family-violence': 'family-violence crime (46b-38a): never erased by operation of law (54-142a(e))',
  'sexual-offense': 'sexual offence (54-250): never erased by operation of law (54-142a(e))',
  'class-c-felony': 'class C felony: not among the offences 54-142a(e) erases',
  'unclassified-felony': 'unclassified felony: erasable only with a maximum term of 5 years or less, which CCMS does not record',
  'offense-before-2000': 'offense (arrest) before 1 January 2000: outside 54-142a(e)',
  'sex-offender-registrant': 'the person is on the Sex Offender Registry and no conviction shown identifies the registrable offence',
  'sentence-not-completed': 'the person is still serving a sentence on the date (DOC custody on a sentenced docket, probation, parole, or a court sentence running past it)',
  'waiting-period': 'not yet 7 (misdemeanour) or 10 (felony) years after the most recent conviction',
  'erasable-misdemeanor': 'erasable: misdemeanour, 7 years after the most recent conviction',
  'erasable-felony': 'erasable: class D or E felony, 10 years after the most recent conviction',
} as const;
export type Outcome = keyof typeof OUTCOMES;

/** Which system each person-level rule reads (the rule is partial, with a note, when it is withheld). */
const RULE_SYSTEMS: Partial<Record<Outcome, string[]>> = { 'sex-offender-registrant': ['sexOffenderRegistration'], 'sentence-not-completed': ['custody', 'probation', 'parole'] };

const MISDEMEANORS = new Set(['MA', 'MB', 'MC', 'MD', 'MU']);
const sectionOf = (statute: string) => statute.trim().replace(/\(.*$/, '').toLowerCase();
const runs = (period: { startDate: string; endDate: string | null }, on: string) => period.startDate <= on && (period.endDate === null || period.endDate > on);

/** The end of a court sentence as imposed: sentence date + executed days + probation months. */
export function sentenceEnd(sentence: { date: string; termDays: number; suspendedDays: number; probationMonths: number }): string {
  const d = new Date(`${sentence.date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.max(0, sentence.termDays - sentence.suspendedDays));
  d.setUTCMonth(d.getUTCMonth() + sentence.probationMonths);
  return d.toISOString().slice(0, 10);
}

export interface Conviction {
  sid: string;
  docketNumber: string;
  count: number;
  statute: string;
  offenseClass: string;
  convictionDate: string;
  latestConviction: string;
  /** The day the waiting period ends (null when the class has none). */
  erasableOn: string | null;
  outcome: Outcome;
}

/** Every conviction of one walked person with its outcome as of `on` (withheld parts read as empty). */
export function convictionsOf(person: Record<string, any>, state: WalkState, on: string): Conviction[] {
  const seen = (field: string) => !state.withheld.has(field);
  const cases: any[] = seen('courtCases') ? (person.courtCases?.edges ?? []).map((edge: any) => edge.node) : [];
  const counts = cases.flatMap((kase) => kase.charges.filter((c: any) => c.dispositionCode === 'CONVICTED').map((charge: any) => ({ kase, charge, date: charge.dispositionDate ?? kase.sentence?.date ?? kase.arrestDate })));
  if (!counts.length) return [];
  const latest = counts.map((c) => c.date as string).sort().at(-1)!;
  const sentenced = new Set(cases.filter((kase) => kase.sentence).map((kase) => docketKey(kase.docketNumber)));
  const serving = (seen('custody') && (person.custody ?? []).some((k: any) => sentenced.has(docketKey(k.docketNumber)) && runs({ startDate: k.admissionDate, endDate: k.releaseDate }, on)))
    || (seen('probation') && (person.probation ?? []).some((p: any) => runs(p, on)))
    || (seen('parole') && (person.parole ?? []).some((p: any) => runs(p, on)))
    || cases.some((kase) => kase.sentence && kase.sentence.date <= on && sentenceEnd(kase.sentence) > on);
  const sexual = counts.some(({ charge }) => SEXUAL_OFFENSE_SECTIONS.has(sectionOf(charge.statute)));
  const registrant = seen('sexOffenderRegistration') && person.sexOffenderRegistration != null && !sexual;
  return counts.map(({ kase, charge, date }) => {
    const cls: string = charge.offenseClass;
    const years = MISDEMEANORS.has(cls) ? 7 : cls === 'FD' || cls === 'FE' ? 10 : null;
    const erasableOn = years === null ? null : addYears(latest, years);
    const outcome: Outcome = cls === 'FA' || cls === 'FB' ? 'class-a-b-felony'
      : charge.familyViolence ? 'family-violence'
        : SEXUAL_OFFENSE_SECTIONS.has(sectionOf(charge.statute)) ? 'sexual-offense'
          : cls === 'FC' ? 'class-c-felony'
            : years === null ? 'unclassified-felony'
              : kase.arrestDate < '2000-01-01' ? 'offense-before-2000'
                : registrant ? 'sex-offender-registrant'
                  : serving ? 'sentence-not-completed'
                    : erasableOn! > on ? 'waiting-period'
                      : years === 7 ? 'erasable-misdemeanor' : 'erasable-felony';
    return { sid: person.sid, docketNumber: kase.docketNumber, count: charge.count, statute: charge.statute, offenseClass: cls, convictionDate: date, latestConviction: latest, erasableOn, outcome };
  });
}

const EMPTY = { sid: null, docket_number: null, count_number: null, statute: null, offense_class: null, conviction_date: null, latest_conviction_date: null, erasable_on: null };

export const cleanSlateReport: ReportDefinition = {
  name: 'clean-slate',
  title: 'Clean slate: convictions erased by operation of law (C.G.S. 54-142a(e))',
  summary: 'convictions erasable on --on: misdemeanours 7, class D/E felonies 10 years after the most recent conviction, statutory exclusions applied',
  kind: 'walk',
  dates: 'on',
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'outcome', title: 'Outcome', kind: 'text' },
    { key: 'sid', title: 'SID', kind: 'text' },
    { key: 'docket_number', title: 'Docket', kind: 'text' },
    { key: 'count_number', title: 'Count', kind: 'number' },
    { key: 'statute', title: 'Statute', kind: 'text' },
    { key: 'offense_class', title: 'Class', kind: 'text' },
    { key: 'conviction_date', title: 'Convicted', kind: 'date' },
    { key: 'latest_conviction_date', title: 'Most recent conviction', kind: 'date' },
    { key: 'erasable_on', title: 'Erasable on', kind: 'date' },
    { key: 'detail', title: 'Detail', kind: 'text' },
    { key: 'convictions', title: 'Convictions', kind: 'number' },
  ],
  charts: { summary: { label: 'outcome', value: 'convictions' } },
  async *run(context) {
    const on = context.options.on!;
    if (on !== today()) context.note(`records are read as they stand today (${today()}); --on ${on} moves only the waiting periods and the sentences running on that day`);
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const tally = new Map<Outcome, number>((Object.keys(OUTCOMES) as Outcome[]).map((outcome) => [outcome, 0]));
    let noted = false;
    for await (const page of walkOffenders(context, CLEAN_SLATE_PARTS, state)) {
      if (state.withheld.has('courtCases')) continue;
      if (!noted) {
        noted = true;
        for (const [outcome, fields] of Object.entries(RULE_SYSTEMS)) {
          const missing = fields.filter((field) => state.withheld.has(field));
          if (missing.length) context.note(`rule ${outcome} is checked without ${missing.map((field) => CLEAN_SLATE_PARTS.find((part) => part.field === field)!.system).join(', ')}: a conviction listed as erasable may still be held back by what that system records`);
        }
      }
      for (const person of page) {
        for (const c of convictionsOf(person, state, on)) {
          tally.set(c.outcome, tally.get(c.outcome)! + 1);
          if (!c.outcome.startsWith('erasable-')) continue;
          yield {
            section: 'erasable', outcome: c.outcome, sid: c.sid, docket_number: c.docketNumber, count_number: c.count, statute: c.statute, offense_class: c.offenseClass,
            conviction_date: c.convictionDate, latest_conviction_date: c.latestConviction, erasable_on: c.erasableOn, detail: null, convictions: null,
          } satisfies Row;
        }
      }
    }
    if (state.rollWithheld) return;
    if (state.withheld.has('courtCases')) {
      context.note('clean-slate reads CCMS convictions: without CCMS there is nothing to erase, so the report has no rows');
      return;
    }
    for (const [outcome, count] of tally) yield { section: 'summary', outcome, ...EMPTY, detail: OUTCOMES[outcome], convictions: count };
  },
};
