// A person's current status from the stages of their cases (stages.ts): the most
// restrictive stage governs, contradictions are reported, and a contradiction that could
// change the answer makes the answer CONFLICTING instead of a guess.
import type { Facts, SourceRecord, SourceSystem } from './facts.ts';
import { ref } from './facts.ts';
import { caseStages, type CaseStage, type Contradiction, type CustodyBasis, type Stage } from './stages.ts';
import { overlaysOf, type Overlay } from './overlays.ts';

export interface TrackingStatus {
  stage: Stage;
  custodyBasis: CustodyBasis | null;
  since: string | null;
  summary: string;
  basis: SourceRecord[];
  overlays: Overlay[];
  cases: CaseStage[];
  activeCaseCount: number;
  contradictions: Contradiction[];
  unavailableSources: SourceSystem[];
  lastSourceChange: string | null;
}

/**
 * Policy: the most restrictive current condition governs where a person is — custody
 * over parole (a release from custody), over probation (a sentence served in the
 * community), over a conviction awaiting sentence, over a pending case, over an arrest
 * not yet in court. RELEASED is only what remains when none of these holds.
 */
export const PRECEDENCE: Stage[] = ['INCARCERATED', 'ON_PAROLE', 'ON_PROBATION', 'ADJUDICATED_AWAITING_SENTENCE', 'PRETRIAL', 'ARRESTED', 'RELEASED'];

const LABEL: Record<Stage, string> = {
  NO_RECORD: 'No record', ARRESTED: 'Arrested', PRETRIAL: 'Pretrial', ADJUDICATED_AWAITING_SENTENCE: 'Convicted, awaiting sentence',
  INCARCERATED: 'Incarcerated', ON_PROBATION: 'On probation', ON_PAROLE: 'On parole', RELEASED: 'Released', CONFLICTING: 'Conflicting records',
};

const rank = (stage: Stage) => {
  const index = PRECEDENCE.indexOf(stage);
  return index < 0 ? PRECEDENCE.length : index;
};

/** The status of the person `facts` describes. */
export function trackingStatus(facts: Facts): TrackingStatus {
  const cases = caseStages(facts);
  const contradictions = cases.flatMap((c) => c.contradictions);
  if (facts.casesTruncated) {
    contradictions.push({ kind: 'INCOMPLETE_CASE_LIST', summary: `CCMS holds more than the ${facts.cases.length} court cases read; older cases were not considered`, records: [] });
  }
  const common = {
    overlays: overlaysOf(facts), cases, contradictions, unavailableSources: facts.unavailable, lastSourceChange: lastChange(facts),
    activeCaseCount: cases.filter((c) => c.stage !== 'RELEASED').length,
  };
  const clear = cases.filter((c) => c.stage !== 'CONFLICTING');
  const best = clear.length ? PRECEDENCE[Math.min(...clear.map((c) => rank(c.stage)))] : null;
  // A contradiction matters when a stage one of its sources gives would outrank the best
  // stage the uncontested cases give: then nobody can say which is true.
  const contested = cases.filter((c) => c.stage === 'CONFLICTING' && (best === null || c.possible.some((p) => rank(p) < rank(best))));
  if (contested.length) {
    return {
      ...common, stage: 'CONFLICTING', custodyBasis: null, since: null, basis: contested.flatMap((c) => c.basis),
      summary: `Conflicting records: ${contested.map((c) => c.summary).join('; ')}`,
    };
  }
  if (best === null) {
    const known = facts.mniLastUpdated !== null;
    return {
      ...common, stage: 'NO_RECORD', custodyBasis: null, since: null, basis: known ? [ref.mni(facts)] : [],
      summary: known ? 'Identity on file (MNI); no disclosable arrest, case, custody or supervision' : 'No disclosable record in any agency',
    };
  }
  const governing = clear.filter((c) => c.stage === best);
  const dates = governing.map((c) => c.since).filter((d): d is string => d !== null).sort();
  // Released since the last thing ended; in any other stage since the first case entered it.
  const since = (best === 'RELEASED' ? dates[dates.length - 1] : dates[0]) ?? null;
  const custodyBasis = best === 'INCARCERATED' ? (governing.some((c) => c.custodyBasis === 'SENTENCED') ? 'SENTENCED' : 'HELD_PRETRIAL') : null;
  const lead = governing.find((c) => c.since === since) ?? governing[0];
  const others = common.activeCaseCount - (best === 'RELEASED' ? 0 : governing.length);
  return {
    ...common, stage: best, custodyBasis, since, basis: governing.flatMap((c) => c.basis),
    summary: `${LABEL[best]}${custodyBasis ? ` (${custodyBasis === 'SENTENCED' ? 'sentenced' : 'held pretrial'})` : ''} since ${since}: ${lead.summary}`
      + (governing.length > 1 && best !== 'RELEASED' ? `; ${governing.length} cases in this stage` : '')
      + (others > 0 ? `; ${others} other active case${others > 1 ? 's' : ''}` : ''),
  };
}

// Private: the newest change stamp among every record read.
function lastChange(facts: Facts): string | null {
  const stamps = [
    facts.mniLastUpdated, facts.registration?.recordLastUpdated,
    ...facts.cases.map((c) => c.recordLastUpdated), ...facts.warrants.map((w) => w.recordLastUpdated),
    ...facts.orders.map((o) => o.recordLastUpdated), ...facts.probation.map((p) => p.recordLastUpdated),
    ...facts.custody.map((c) => c.recordLastUpdated), ...facts.parole.map((p) => p.recordLastUpdated),
  ].filter((s): s is string => typeof s === 'string');
  return stamps.length ? stamps.sort()[stamps.length - 1] : null;
}
