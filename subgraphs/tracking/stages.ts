// The stage rules: where one case stands, from the records each agency holds about it.
// Every rule is a small pure function over Facts (facts.ts) and cites the statute or
// policy it reflects. Where two agencies' records cannot both be true, the rule does not
// pick one: it returns CONFLICTING with the contradiction and the stages each source,
// taken alone, would give (`possible`), and status.ts decides whether that changes the
// person's overall stage.
import { ref, type CaseFact, type CustodyFact, type Facts, type ParoleFact, type ProbationFact, type SourceRecord, type ArrestFact } from './facts.ts';

export type Stage =
  | 'NO_RECORD' | 'ARRESTED' | 'PRETRIAL' | 'ADJUDICATED_AWAITING_SENTENCE' | 'INCARCERATED'
  | 'ON_PROBATION' | 'ON_PAROLE' | 'RELEASED' | 'CONFLICTING';
export type CustodyBasis = 'SENTENCED' | 'HELD_PRETRIAL';
export type ContradictionKind =
  | 'SENTENCED_WITHOUT_ADMISSION' | 'CUSTODY_STATUS_DISAGREES' | 'PAROLE_RELEASE_WITHOUT_PAROLE_CASE'
  | 'PROBATION_SENTENCE_WITHOUT_CASE' | 'SUPERVISED_WHILE_IN_CUSTODY' | 'INCOMPLETE_CASE_LIST';

export interface Contradiction {
  kind: ContradictionKind;
  summary: string;
  records: SourceRecord[];
}

/** The stage of one case: a docket, or a custody or supervision record no court case explains. */
export interface CaseStage {
  docketNumber: string | null;
  stage: Stage;
  custodyBasis: CustodyBasis | null;
  /** When the case entered the stage; null when CONFLICTING. */
  since: string | null;
  summary: string;
  basis: SourceRecord[];
  contradictions: Contradiction[];
  /** For CONFLICTING: the stages the disagreeing sources would each give. */
  possible: Stage[];
}

/** No system left unread. */
const NONE: ReadonlySet<string> = new Set();

/** Supervision statuses under which the person is still supervised (PCMS and Parole codes). */
const SUPERVISED = new Set(['ACTIVE', 'VIOLATION', 'ABSCONDED']);

function stage(docketNumber: string | null, value: Stage, since: string | null, summary: string, basis: SourceRecord[], custodyBasis: CustodyBasis | null = null): CaseStage {
  return { docketNumber, stage: value, custodyBasis, since, summary, basis, contradictions: [], possible: [] };
}

function conflicting(docketNumber: string | null, contradiction: Contradiction, possible: Stage[]): CaseStage {
  return { docketNumber, stage: 'CONFLICTING', custodyBasis: null, since: null, summary: contradiction.summary, basis: contradiction.records, contradictions: [contradiction], possible };
}

/** Still in DOC custody: admitted and not released. */
export const isHeld = (custody: CustodyFact): boolean => custody.releaseDate === null && (custody.status === 'UNSENTENCED' || custody.status === 'SENTENCED');

/**
 * Rule: DOC holds the person. A sentenced inmate is in the Commissioner of Correction's
 * custody (C.G.S. 18-86, 53a-28(b)); an unsentenced one is held because release
 * conditions were not met (C.G.S. 54-64a): pretrial detention.
 */
export function heldStage(custody: CustodyFact, basis: SourceRecord[] = []): CaseStage {
  const why: CustodyBasis = custody.status === 'SENTENCED' ? 'SENTENCED' : 'HELD_PRETRIAL';
  const words = why === 'SENTENCED' ? 'serving a sentence' : 'held pretrial';
  return stage(custody.docketNumber, 'INCARCERATED', custody.admissionDate,
    `In DOC custody (${words}) at ${custody.facility.code} since ${custody.admissionDate}, inmate ${custody.inmateNumber}`,
    [...basis, ref.custody(custody)], why);
}

/**
 * Rule: a case pending in court. After arraignment (C.G.S. 54-1g; Practice Book 37-1)
 * the case is pretrial until a plea or verdict convicts; then it awaits sentence
 * (Practice Book 43-1). Held in custody meanwhile, the person is incarcerated pretrial
 * (C.G.S. 54-64a) — unless DOC says it holds them on a sentence the court never imposed.
 */
export function pendingCaseStage(kase: CaseFact, custody: CustodyFact | undefined): CaseStage {
  if (custody && isHeld(custody)) {
    if (custody.status === 'SENTENCED') {
      return conflicting(kase.docketNumber, {
        kind: 'CUSTODY_STATUS_DISAGREES',
        summary: `DOC holds inmate ${custody.inmateNumber} as sentenced on ${kase.docketNumber}, but CCMS shows the case ${kase.status === 'OPEN' ? 'pending' : 'awaiting sentence'}`,
        records: [ref.case(kase), ref.custody(custody)],
      }, ['INCARCERATED']);
    }
    return heldStage(custody, [ref.case(kase)]);
  }
  if (kase.status === 'AWAITING_SENTENCE') {
    const on = convictionDate(kase) ?? kase.arraignmentDate;
    return stage(kase.docketNumber, 'ADJUDICATED_AWAITING_SENTENCE', on, `Convicted ${on}, awaiting sentence on ${kase.docketNumber}`, [ref.case(kase)]);
  }
  return stage(kase.docketNumber, 'PRETRIAL', kase.arraignmentDate, `Arraigned ${kase.arraignmentDate}, case ${kase.docketNumber} pending`, [ref.case(kase)]);
}

/** The latest date a count was convicted: guilty or nolo plea, guilty verdict, or conviction. */
export function convictionDate(kase: CaseFact): string | null {
  const dates = kase.charges.flatMap((c) => [
    c.plea === 'GUILTY' || c.plea === 'NOLO_CONTENDERE' ? c.pleaDate : null,
    c.verdict === 'GUILTY' ? c.verdictDate : null,
    c.dispositionCode === 'CONVICTED' ? c.dispositionDate : null,
  ]).filter((d): d is string => d !== null);
  return dates.length ? dates.sort()[dates.length - 1] : null;
}

/**
 * Rule: a disposed case. A sentence with an executed term commits the person to DOC
 * (C.G.S. 53a-28(b)(1)-(2), 18-86): OMIS must show the admission, or the sources
 * contradict each other. A suspended term with probation (C.G.S. 53a-29, 53a-30) puts
 * the person under CSSD supervision, which PCMS must show. A fine or conditional
 * discharge (C.G.S. 53a-28(b)(3)-(5), 53a-29) leaves no custody or supervision.
 */
export function disposedCaseStage(kase: CaseFact, custody: CustodyFact | undefined, probation: ProbationFact | undefined, parole: ParoleFact | undefined, unread: ReadonlySet<string> = NONE): CaseStage {
  const sentence = kase.sentence;
  if (custody && isHeld(custody) && (custody.status === 'UNSENTENCED' || !sentence || sentence.termDays - sentence.suspendedDays <= 0)) {
    return conflicting(kase.docketNumber, {
      kind: 'CUSTODY_STATUS_DISAGREES',
      summary: `DOC holds inmate ${custody.inmateNumber} as ${custody.status.toLowerCase()} on ${kase.docketNumber}, but CCMS shows the case disposed${sentence ? ` with a ${sentence.type.toLowerCase().replace(/_/g, ' ')} sentence on ${sentence.date}` : ''}`,
      records: [ref.case(kase), ref.custody(custody)],
    }, ['INCARCERATED', 'RELEASED']);
  }
  if (!sentence) {
    const ended = kase.charges.map((c) => c.dispositionDate).filter((d): d is string => d !== null).sort().pop() ?? kase.arraignmentDate;
    return stage(kase.docketNumber, 'RELEASED', ended, `Case ${kase.docketNumber} disposed ${ended} without a sentence`, [ref.case(kase)]);
  }
  if (sentence.termDays - sentence.suspendedDays > 0) {
    if (!custody && unread.has('OMIS')) {
      return stage(kase.docketNumber, 'INCARCERATED', sentence.date,
        `CCMS shows a sentence to ${sentence.termDays - sentence.suspendedDays} days of prison on ${kase.docketNumber} (${sentence.date}); not confirmed: OMIS did not answer`, [ref.case(kase)], 'SENTENCED');
    }
    if (!custody) {
      return conflicting(kase.docketNumber, {
        kind: 'SENTENCED_WITHOUT_ADMISSION',
        summary: `CCMS shows a sentence to ${sentence.termDays - sentence.suspendedDays} days of prison on ${kase.docketNumber} (${sentence.date}), but OMIS has no admission on that docket`,
        records: [ref.case(kase)],
      }, ['INCARCERATED', 'RELEASED']);
    }
    if (isHeld(custody)) return heldStage(custody, [ref.case(kase)]);
    return afterReleaseStage(custody, probation, parole, [ref.case(kase)], unread);
  }
  if (sentence.probationMonths > 0) {
    if (probation) return probationStage(probation, [ref.case(kase)]);
    if (unread.has('PCMS')) {
      return stage(kase.docketNumber, 'ON_PROBATION', sentence.date,
        `CCMS shows ${sentence.probationMonths} months of probation on ${kase.docketNumber} (${sentence.date}); not confirmed: PCMS did not answer`, [ref.case(kase)]);
    }
    return conflicting(kase.docketNumber, {
      kind: 'PROBATION_SENTENCE_WITHOUT_CASE',
      summary: `CCMS shows ${sentence.probationMonths} months of probation on ${kase.docketNumber} (${sentence.date}), but PCMS has no probation case on that docket`,
      records: [ref.case(kase)],
    }, ['ON_PROBATION', 'RELEASED']);
  }
  return stage(kase.docketNumber, 'RELEASED', sentence.date,
    `Sentenced ${sentence.date} to ${sentence.type.toLowerCase().replace(/_/g, ' ')} on ${kase.docketNumber}: no custody or supervision`, [ref.case(kase)]);
}

/**
 * Rule: released from DOC. A release to parole starts parole supervision (C.G.S. 54-125a,
 * 54-125b), which the Parole unit must show; a release at the end of the prison part of a
 * split sentence starts probation (C.G.S. 53a-28(b)(7)), which PCMS must show; otherwise
 * the person is free from the release date.
 */
export function afterReleaseStage(custody: CustodyFact, probation: ProbationFact | undefined, parole: ParoleFact | undefined, basis: SourceRecord[] = [], unread: ReadonlySet<string> = NONE): CaseStage {
  const records = [...basis, ref.custody(custody)];
  if (custody.releaseType === 'PAROLE' || custody.status === 'PAROLED') {
    if (parole) return paroleStage(parole, custody.docketNumber, records);
    if (unread.has('PAROLE')) {
      return stage(custody.docketNumber, 'ON_PAROLE', custody.releaseDate,
        `OMIS shows inmate ${custody.inmateNumber} released to parole on ${custody.releaseDate}; not confirmed: Parole did not answer`, records);
    }
    return conflicting(custody.docketNumber, {
      kind: 'PAROLE_RELEASE_WITHOUT_PAROLE_CASE',
      summary: `OMIS shows inmate ${custody.inmateNumber} released to parole on ${custody.releaseDate}, but Parole has no case starting then`,
      records,
    }, ['ON_PAROLE', 'RELEASED']);
  }
  if (probation) return probationStage(probation, records);
  if (custody.releaseType === 'TRANSFER_TO_PROBATION' && unread.has('PCMS')) {
    return stage(custody.docketNumber, 'ON_PROBATION', custody.releaseDate,
      `OMIS shows inmate ${custody.inmateNumber} released to probation on ${custody.releaseDate}; not confirmed: PCMS did not answer`, records);
  }
  if (custody.releaseType === 'TRANSFER_TO_PROBATION') {
    return conflicting(custody.docketNumber, {
      kind: 'PROBATION_SENTENCE_WITHOUT_CASE',
      summary: `OMIS shows inmate ${custody.inmateNumber} released to probation on ${custody.releaseDate}, but PCMS has no probation case on ${custody.docketNumber}`,
      records,
    }, ['ON_PROBATION', 'RELEASED']);
  }
  return stage(custody.docketNumber, 'RELEASED', custody.releaseDate,
    `Released from DOC custody ${custody.releaseDate} (inmate ${custody.inmateNumber}), no supervision`, records);
}

/**
 * Rule: probation (C.G.S. 53a-29 to 53a-32). Supervised while ACTIVE, in VIOLATION or
 * ABSCONDED (the violation or absconding is an overlay, the person is still a
 * probationer until the court acts); over once COMPLETED or REVOKED.
 */
export function probationStage(probation: ProbationFact, basis: SourceRecord[] = []): CaseStage {
  const records = [...basis, ref.probation(probation)];
  if (SUPERVISED.has(probation.status)) {
    return stage(probation.docketNumber, 'ON_PROBATION', probation.startDate,
      `PCMS probation ${probation.caseNumber} from ${probation.startDate} until ${probation.scheduledEndDate}${probation.status === 'ACTIVE' ? '' : `, ${probation.status.toLowerCase()}`}`, records);
  }
  const ended = probation.endDate ?? probation.scheduledEndDate;
  return stage(probation.docketNumber, 'RELEASED', ended, `Probation ${probation.caseNumber} ${probation.status.toLowerCase()} ${ended}`, records);
}

/**
 * Rule: parole (C.G.S. 54-125a ff.; Board of Pardons and Paroles). Supervised while
 * ACTIVE, in VIOLATION or ABSCONDED; over once COMPLETED or REVOKED (a revocation
 * returns the person to DOC, whose own record then shows the custody).
 */
export function paroleStage(parole: ParoleFact, docketNumber: string | null, basis: SourceRecord[] = []): CaseStage {
  const records = [...basis, ref.parole(parole)];
  if (SUPERVISED.has(parole.status)) {
    return stage(docketNumber, 'ON_PAROLE', parole.startDate,
      `Parole case ${parole.caseNumber} from ${parole.startDate} until ${parole.scheduledEndDate}${parole.status === 'ACTIVE' ? '' : `, ${parole.status.toLowerCase()}`}`, records);
  }
  const ended = parole.endDate ?? parole.scheduledEndDate;
  return stage(docketNumber, 'RELEASED', ended, `Parole ${parole.caseNumber} ${parole.status.toLowerCase()} ${ended}`, records);
}

/**
 * Rule: parole with no DOC release behind it. Parole is release from custody (C.G.S.
 * 54-125a): a parolee DOC still holds, admitted before the parole began, cannot be both.
 */
export function unmatchedParoleStage(parole: ParoleFact, custody: CustodyFact[]): CaseStage {
  const held = custody.find((c) => c.inmateNumber === parole.inmateNumber && isHeld(c) && c.admissionDate <= parole.startDate);
  if (held && SUPERVISED.has(parole.status)) {
    return conflicting(held.docketNumber, {
      kind: 'SUPERVISED_WHILE_IN_CUSTODY',
      summary: `Parole shows ${parole.caseNumber} ${parole.status.toLowerCase()} since ${parole.startDate}, but OMIS still holds inmate ${held.inmateNumber} (admitted ${held.admissionDate})`,
      records: [ref.parole(parole), ref.custody(held)],
    }, ['INCARCERATED', 'ON_PAROLE']);
  }
  return paroleStage(parole, null);
}

/**
 * Rule: an arrest CCMS has no case for. Until arraignment (C.G.S. 54-1g: the next court
 * day) the person is only arrested; once CCH holds a disposition for every charge, the
 * arrest is over.
 */
export function arrestStage(arrest: ArrestFact): CaseStage {
  const dispositions = arrest.charges.map((c) => c.courtDisposition);
  if (dispositions.length && dispositions.every((d) => d !== null)) {
    const ended = dispositions.map((d) => d!.date).filter((d): d is string => d !== null).sort().pop() ?? arrest.date;
    return stage(null, 'RELEASED', ended, `Arrest ${arrest.trackingNumber} of ${arrest.date} disposed ${ended} (CCH)`, [ref.arrest(arrest)]);
  }
  return stage(null, 'ARRESTED', arrest.date, `Arrested ${arrest.date} by ${arrest.arrestingAgencyName} (OTN ${arrest.trackingNumber}); no court case yet`, [ref.arrest(arrest)]);
}

/**
 * Every case's stage, newest first: court cases with the custody and supervision on their
 * docket, then what no court case explains (custody or probation on a docket CCMS does
 * not show, parole not matched to a DOC release, arrests without a court case), so a
 * person known to one agency only still gets a stage from what exists.
 */
export function caseStages(facts: Facts): CaseStage[] {
  // A record missing from a system that did not answer (down, or withheld from this
  // user's role) is not evidence of absence: rules then rest on the source that did
  // answer and say what could not be confirmed, instead of reporting a contradiction.
  const unread: ReadonlySet<string> = new Set(facts.unavailable);
  const custodyByDocket = firstBy(facts.custody, (c) => c.docketNumber);
  const probationByDocket = firstBy(facts.probation, (p) => p.docketNumber);
  const usedParole = new Set<string>();
  const paroleAfter = (custody: CustodyFact | undefined) => {
    const parole = custody && facts.parole.find((p) => p.inmateNumber === custody.inmateNumber && p.startDate === custody.releaseDate);
    if (parole) usedParole.add(parole.caseNumber);
    return parole || undefined;
  };
  const stages: CaseStage[] = [];
  const dockets = new Set(facts.cases.map((c) => c.docketNumber));
  for (const kase of facts.cases) {
    const custody = custodyByDocket.get(kase.docketNumber);
    stages.push(kase.status === 'DISPOSED'
      ? disposedCaseStage(kase, custody, probationByDocket.get(kase.docketNumber), paroleAfter(custody), unread)
      : pendingCaseStage(kase, custody));
  }
  for (const [docket, custody] of custodyByDocket) {
    if (dockets.has(docket)) continue;
    dockets.add(docket);
    stages.push(isHeld(custody) ? heldStage(custody) : afterReleaseStage(custody, probationByDocket.get(docket), paroleAfter(custody), [], unread));
  }
  for (const [docket, probation] of probationByDocket) if (!dockets.has(docket)) stages.push(probationStage(probation));
  for (const parole of facts.parole) if (!usedParole.has(parole.caseNumber)) stages.push(unmatchedParoleStage(parole, facts.custody));
  const otns = new Set(facts.cases.map((c) => c.trackingNumber));
  for (const arrest of facts.arrests) if (!otns.has(arrest.trackingNumber)) stages.push(arrestStage(arrest));
  return stages.sort((a, b) => (b.since ?? '9999').localeCompare(a.since ?? '9999'));
}

// Private: the first item for each key (lists arrive newest first, so the newest).
function firstBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(keyOf(item))) map.set(keyOf(item), item);
  return map;
}
