// The agencies' records as the gateway hands them to this subgraph (the `@requires`
// selection in schema.graphql), and `readFacts`, which turns one entity representation
// into lists the rules can walk. An agency that did not answer leaves its fields null or
// absent: its systems are listed as unavailable and its lists are empty, so the status
// rests on what the other agencies said instead of failing as a whole.

/** The systems a record can come from (the SourceSystem enum). */
export type SourceSystem = 'MNI' | 'CCH' | 'SOR' | 'CCMS' | 'PRAWN' | 'POR' | 'PCMS' | 'OMIS' | 'PAROLE';

/** One record in one system, by that system's own key. */
export interface SourceRecord {
  system: SourceSystem;
  key: string;
  /** When the system last changed the record; null when it keeps no change stamp. */
  lastUpdated: string | null;
}

export interface ArrestFact {
  trackingNumber: string;
  date: string;
  arrestingAgencyName: string;
  charges: Array<{ sequence: number; description: string; courtDisposition: { code: string; date: string | null } | null }>;
}

export interface RegistrationFact {
  registrationNumber: string;
  status: 'ACTIVE' | 'NON_COMPLIANT' | 'INCARCERATED' | 'EXPIRED';
  registeredDate: string;
  expirationDate: string | null;
  compliant: boolean;
  lastVerifiedDate: string;
  recordLastUpdated: string;
}

export interface ChargeFact {
  count: number;
  description: string;
  plea: string | null;
  pleaDate: string | null;
  verdict: string | null;
  verdictDate: string | null;
  dispositionCode: string | null;
  dispositionDate: string | null;
}

export interface SentenceFact {
  date: string;
  type: 'INCARCERATION' | 'SPLIT' | 'PROBATION' | 'CONDITIONAL_DISCHARGE' | 'FINE';
  termDays: number;
  suspendedDays: number;
  probationMonths: number;
}

export interface CaseFact {
  docketNumber: string;
  arraignmentDate: string;
  status: 'OPEN' | 'AWAITING_SENTENCE' | 'DISPOSED';
  trackingNumber: string;
  recordLastUpdated: string;
  charges: ChargeFact[];
  sentence: SentenceFact | null;
}

export interface WarrantFact {
  warrantNumber: string;
  type: 'FAILURE_TO_APPEAR' | 'VIOLATION_OF_PROBATION' | 'ARREST';
  status: 'ACTIVE' | 'SERVED' | 'VACATED';
  issuedDate: string;
  closedDate: string | null;
  docketNumber: string;
  recordLastUpdated: string;
}

export interface OrderFact {
  orderNumber: string;
  type: 'CRIMINAL_PROTECTIVE' | 'STANDING_CRIMINAL_PROTECTIVE' | 'CIVIL_RESTRAINING';
  /** As of today (the judicial subgraph decides). */
  status: 'ACTIVE' | 'EXPIRED' | 'VACATED';
  issuedDate: string;
  expirationDate: string;
  modifiedDate: string | null;
  vacatedDate: string | null;
  docketNumber: string | null;
  recordLastUpdated: string;
}

export type SupervisionStatus = 'ACTIVE' | 'COMPLETED' | 'VIOLATION' | 'ABSCONDED' | 'REVOKED';

export interface ProbationFact {
  caseNumber: string;
  docketNumber: string;
  status: SupervisionStatus;
  startDate: string;
  scheduledEndDate: string;
  endDate: string | null;
  violations: Array<{ date: string; description: string }>;
  recordLastUpdated: string;
}

export interface FacilityFact {
  code: string;
  name?: string;
}

export interface CustodyFact {
  inmateNumber: string;
  admissionSequence: number;
  docketNumber: string;
  status: 'UNSENTENCED' | 'SENTENCED' | 'RELEASED' | 'PAROLED';
  admissionDate: string;
  releaseDate: string | null;
  releaseType: 'END_OF_SENTENCE' | 'PAROLE' | 'TRANSFER_TO_PROBATION' | null;
  facility: FacilityFact;
  movements: Array<{ date: string; reason: string; fromFacility: FacilityFact | null; toFacility: FacilityFact }>;
  recordLastUpdated: string;
}

export interface ParoleFact {
  caseNumber: string;
  inmateNumber: string;
  status: SupervisionStatus;
  startDate: string;
  scheduledEndDate: string;
  endDate: string | null;
  recordLastUpdated: string;
}

/** The representation the gateway sends: the key plus every required field (null when its agency failed). */
export interface OffenderRepresentation {
  sid: string;
  recordLastUpdated?: string | null;
  arrests?: ArrestFact[] | null;
  sexOffenderRegistration?: RegistrationFact | null;
  casesForTracking?: { totalCount: number; edges: Array<{ node: CaseFact }> } | null;
  warrantsForTracking?: WarrantFact[] | null;
  protectiveOrdersForTracking?: OrderFact[] | null;
  probation?: ProbationFact[] | null;
  custody?: CustodyFact[] | null;
  parole?: ParoleFact[] | null;
}

/** Everything the rules read about one person, lists never null. */
export interface Facts {
  sid: string;
  /** MNI's change stamp of the person; null when MNI did not answer or does not know the SID. */
  mniLastUpdated: string | null;
  arrests: ArrestFact[];
  registration: RegistrationFact | null;
  cases: CaseFact[];
  /** The court holds more cases than were read (the @requires selection reads 100). */
  casesTruncated: boolean;
  warrants: WarrantFact[];
  orders: OrderFact[];
  probation: ProbationFact[];
  custody: CustodyFact[];
  parole: ParoleFact[];
  /** Systems whose records are missing from this request because their agency did not answer. */
  unavailable: SourceSystem[];
}

/** An empty history for `sid`: the start of every hand-built test history. */
export function emptyFacts(sid = '000100001'): Facts {
  return {
    sid, mniLastUpdated: null, arrests: [], registration: null, cases: [], casesTruncated: false,
    warrants: [], orders: [], probation: [], custody: [], parole: [], unavailable: [],
  };
}

/** Reads a representation into Facts, noting each system whose fields did not arrive. */
export function readFacts(rep: OffenderRepresentation): Facts {
  const unavailable: SourceSystem[] = [];
  const list = <T>(value: T[] | null | undefined, ...systems: SourceSystem[]): T[] => {
    if (Array.isArray(value)) return value;
    unavailable.push(...systems);
    return [];
  };
  // MNI answers recordLastUpdated, arrests and registration in the same fetch. No MNI stamp
  // and no arrests means DPS did not answer (or does not know the SID): none of the three is
  // known. A stamp without arrests means only CCH was withheld (the user's role lacks it).
  const dpsAnswered = rep.recordLastUpdated != null || Array.isArray(rep.arrests);
  const arrests = dpsAnswered ? list(rep.arrests, 'CCH') : list(rep.arrests, 'MNI', 'CCH', 'SOR');
  const cases = list(rep.casesForTracking?.edges.map((edge) => edge.node), 'CCMS');
  return {
    sid: rep.sid,
    mniLastUpdated: rep.recordLastUpdated ?? null,
    arrests,
    registration: dpsAnswered ? rep.sexOffenderRegistration ?? null : null,
    cases,
    casesTruncated: rep.casesForTracking ? rep.casesForTracking.totalCount > cases.length : false,
    warrants: list(rep.warrantsForTracking, 'PRAWN'),
    orders: list(rep.protectiveOrdersForTracking, 'POR'),
    probation: list(rep.probation, 'PCMS'),
    custody: list(rep.custody, 'OMIS'),
    parole: list(rep.parole, 'PAROLE'),
    unavailable,
  };
}

// Record references, one per kind of source record.
export const ref = {
  mni: (facts: Facts): SourceRecord => ({ system: 'MNI', key: facts.sid, lastUpdated: facts.mniLastUpdated }),
  arrest: (a: ArrestFact): SourceRecord => ({ system: 'CCH', key: a.trackingNumber, lastUpdated: null }),
  registration: (r: RegistrationFact): SourceRecord => ({ system: 'SOR', key: r.registrationNumber, lastUpdated: r.recordLastUpdated }),
  case: (c: CaseFact): SourceRecord => ({ system: 'CCMS', key: c.docketNumber, lastUpdated: c.recordLastUpdated }),
  warrant: (w: WarrantFact): SourceRecord => ({ system: 'PRAWN', key: w.warrantNumber, lastUpdated: w.recordLastUpdated }),
  order: (o: OrderFact): SourceRecord => ({ system: 'POR', key: o.orderNumber, lastUpdated: o.recordLastUpdated }),
  probation: (p: ProbationFact): SourceRecord => ({ system: 'PCMS', key: p.caseNumber, lastUpdated: p.recordLastUpdated }),
  custody: (c: CustodyFact): SourceRecord => ({ system: 'OMIS', key: `${c.inmateNumber}/${c.admissionSequence}`, lastUpdated: c.recordLastUpdated }),
  parole: (p: ParoleFact): SourceRecord => ({ system: 'PAROLE', key: p.caseNumber, lastUpdated: p.recordLastUpdated }),
};
