// Arrest-to-disposition cycles, the unit of the BJS Offender Based Transaction Statistics:
// one CCH arrest (OTN), the CCMS case that carries the same OTN, its most serious charge
// and disposition, its sentence, and a DOC admission on that docket. Built per person
// from one walked page; case-processing and time-to-disposition count them.
import type { WalkPart, WalkState } from '../walk.ts';
import { docketKey, mostSerious } from './common.ts';

export const CYCLE_PARTS: WalkPart[] = [
  { field: 'arrests', system: 'CCH (Department of Public Safety)', selection: 'arrests { trackingNumber date charges { offenseClass } }' },
  {
    field: 'courtCases', system: 'CCMS (Judicial Branch)',
    selection: 'courtCases(first: 100) { edges { node { docketNumber court { code name } arraignmentDate trackingNumber charges { offenseClass dispositionCode dispositionDate } sentence { type date } } } }',
  },
  { field: 'custody', system: 'OMIS (Department of Correction)', selection: 'custody { docketNumber admissionDate }' },
];

export interface Cycle {
  trackingNumber: string;
  /** CCH arrest date; null when CCH was withheld or holds no arrest for the case. */
  arrestDate: string | null;
  /** Most serious offense class: of the CCH arrest charges, else of the court charges. */
  chargeClass: string;
  /** The court case carrying the OTN; null when not arraigned (or CCMS withheld). */
  court: { code: string; name: string | null } | null;
  arraignmentDate: string | null;
  /** Every charge of the case disposed: the latest disposition date; else null. */
  dispositionDate: string | null;
  /** CONVICTED when any charge was, else the most serious charge's disposition. */
  dispositionType: string | null;
  sentenceType: string | null;
  /** A DOC admission on the case's docket, on or after the arrest. */
  admitted: boolean;
}

/** The cycles of one walked person: every CCH arrest, and every court case with no CCH arrest visible. */
export function cyclesOf(person: Record<string, any>, state: WalkState): Cycle[] {
  const arrests: Array<{ trackingNumber: string; date: string; charges: Array<{ offenseClass: string }> }> = state.withheld.has('arrests') ? [] : person.arrests ?? [];
  const cases: any[] = state.withheld.has('courtCases') ? [] : (person.courtCases?.edges ?? []).map((edge: any) => edge.node);
  const admissions: Array<{ docketNumber: string; admissionDate: string }> = state.withheld.has('custody') ? [] : person.custody ?? [];
  const caseByOtn = new Map(cases.map((c) => [c.trackingNumber, c]));
  const cycle = (otn: string, arrestDate: string | null, arrestClasses: string[]): Cycle => {
    const kase = caseByOtn.get(otn);
    const charges: Array<{ offenseClass: string; dispositionCode: string | null; dispositionDate: string | null }> = kase?.charges ?? [];
    const disposed = charges.length > 0 && charges.every((c) => c.dispositionCode);
    const serious = mostSerious(charges.map((c) => c.offenseClass));
    const dispositionType = !disposed ? null : charges.some((c) => c.dispositionCode === 'CONVICTED') ? 'CONVICTED' : charges.find((c) => c.offenseClass === serious)!.dispositionCode;
    const since = arrestDate ?? kase?.arraignmentDate ?? '';
    return {
      trackingNumber: otn,
      arrestDate,
      chargeClass: mostSerious(arrestClasses) || serious || 'unknown',
      court: kase ? kase.court : null,
      arraignmentDate: kase?.arraignmentDate ?? null,
      dispositionDate: disposed ? charges.map((c) => c.dispositionDate ?? '').sort().at(-1) || null : null,
      dispositionType,
      sentenceType: kase?.sentence?.type ?? null,
      admitted: Boolean(kase) && admissions.some((a) => docketKey(a.docketNumber) === docketKey(kase.docketNumber) && a.admissionDate >= since),
    };
  };
  const cycles = arrests.map((a) => cycle(a.trackingNumber, a.date, a.charges.map((c) => c.offenseClass)));
  const seen = new Set(arrests.map((a) => a.trackingNumber));
  for (const kase of cases) if (!seen.has(kase.trackingNumber)) cycles.push(cycle(kase.trackingNumber, null, []));
  return cycles;
}
