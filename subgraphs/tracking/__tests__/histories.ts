// Hand-built histories for the rule tests: small records a reader can check by eye, each
// with only what the test is about. Stamps are fixed so expected values are literal.
import type { ArrestFact, CaseFact, CustodyFact, Facts, OrderFact, ParoleFact, ProbationFact, RegistrationFact, SentenceFact, WarrantFact } from '../facts.ts';
import { emptyFacts } from '../facts.ts';

export const STAMP = '2024-06-01T12:00:00.000Z';
export const DOCKET = 'H12M-CR23-0000001-S';
export const DOCKET_2 = 'H12M-CR24-0000002-S';

/** A history: an empty one with the given lists. */
export function history(parts: Partial<Facts>): Facts {
  return { ...emptyFacts(), mniLastUpdated: STAMP, ...parts };
}

export function arrest(otn: string, date: string, disposed: string | null = null): ArrestFact {
  return {
    trackingNumber: otn, date, arrestingAgencyName: 'HARTFORD PD',
    charges: [{ sequence: 1, description: 'LARCENY 3RD DEGREE', courtDisposition: disposed ? { code: 'CONVICTED', date: disposed } : null }],
  };
}

export function courtCase(status: CaseFact['status'], extra: Partial<CaseFact> = {}): CaseFact {
  return {
    docketNumber: DOCKET, arraignmentDate: '2023-01-03', status, trackingNumber: 'CT2300000001', recordLastUpdated: STAMP,
    charges: [{ count: 1, description: 'Larceny 3rd degree', plea: null, pleaDate: null, verdict: null, verdictDate: null, dispositionCode: null, dispositionDate: null }],
    sentence: null, ...extra,
  };
}

/** A disposed case: convicted by guilty plea on `date`, sentenced the same day. */
export function sentenced(sentence: Partial<SentenceFact>, extra: Partial<CaseFact> = {}): CaseFact {
  const date = sentence.date ?? '2023-05-10';
  return courtCase('DISPOSED', {
    charges: [{ count: 1, description: 'Larceny 3rd degree', plea: 'GUILTY', pleaDate: date, verdict: null, verdictDate: null, dispositionCode: 'CONVICTED', dispositionDate: date }],
    sentence: { date, type: 'INCARCERATION', termDays: 365, suspendedDays: 0, probationMonths: 0, ...sentence },
    ...extra,
  });
}

export function custody(status: CustodyFact['status'], extra: Partial<CustodyFact> = {}): CustodyFact {
  return {
    inmateNumber: '301234', admissionSequence: 1, docketNumber: DOCKET, status, admissionDate: '2023-05-10',
    releaseDate: null, releaseType: null, facility: { code: 'MWCI', name: 'MacDougall-Walker Correctional Institution' },
    movements: [{ date: '2023-05-10', reason: 'ADMISSION', fromFacility: null, toFacility: { code: 'HCC', name: 'Hartford Correctional Center' } }],
    recordLastUpdated: STAMP, ...extra,
  };
}

export function probation(status: ProbationFact['status'], extra: Partial<ProbationFact> = {}): ProbationFact {
  return {
    caseNumber: 'PB-2023-0000001', docketNumber: DOCKET, status, startDate: '2023-05-10', scheduledEndDate: '2026-05-10',
    endDate: null, violations: [], recordLastUpdated: STAMP, ...extra,
  };
}

export function parole(status: ParoleFact['status'], extra: Partial<ParoleFact> = {}): ParoleFact {
  return {
    caseNumber: 'PR-2024-0000001', inmateNumber: '301234', status, startDate: '2024-02-01', scheduledEndDate: '2027-05-10',
    endDate: null, recordLastUpdated: STAMP, ...extra,
  };
}

export function warrant(status: WarrantFact['status'], extra: Partial<WarrantFact> = {}): WarrantFact {
  return {
    warrantNumber: 'WR-2023-0000001', type: 'FAILURE_TO_APPEAR', status, issuedDate: '2023-02-01',
    closedDate: status === 'ACTIVE' ? null : '2023-02-15', docketNumber: DOCKET, recordLastUpdated: STAMP, ...extra,
  };
}

export function order(status: OrderFact['status'], extra: Partial<OrderFact> = {}): OrderFact {
  return {
    orderNumber: 'PO-2023-0000001', type: 'CRIMINAL_PROTECTIVE', status, issuedDate: '2023-01-03', expirationDate: '2024-01-03',
    modifiedDate: null, vacatedDate: null, docketNumber: DOCKET, recordLastUpdated: STAMP, ...extra,
  };
}

export function registration(status: RegistrationFact['status'], extra: Partial<RegistrationFact> = {}): RegistrationFact {
  return {
    registrationNumber: 'SOR-0000001', status, registeredDate: '2024-01-15', expirationDate: '2034-01-15', compliant: status !== 'NON_COMPLIANT',
    lastVerifiedDate: '2024-04-01', recordLastUpdated: STAMP, ...extra,
  };
}

/** A history as the gateway hands it over: the `_entities` representation with every required field. */
export function representation(facts: Facts): Record<string, unknown> {
  return {
    __typename: 'Offender', sid: facts.sid, recordLastUpdated: facts.mniLastUpdated, arrests: facts.arrests,
    sexOffenderRegistration: facts.registration,
    casesForTracking: { totalCount: facts.cases.length + (facts.casesTruncated ? 1 : 0), edges: facts.cases.map((node) => ({ node })) },
    warrantsForTracking: facts.warrants, protectiveOrdersForTracking: facts.orders, probation: facts.probation, custody: facts.custody, parole: facts.parole,
  };
}

/** A life cycle through every agency: arrest, court, prison, parole, plus warrant, order, registry. */
export function fullHistory() {
  const kase = sentenced({ date: '2023-05-10', termDays: 1460 }, {
    charges: [
      { count: 1, description: 'Sexual assault 4th degree', plea: 'GUILTY', pleaDate: '2023-05-10', verdict: null, verdictDate: null, dispositionCode: 'CONVICTED', dispositionDate: '2023-05-10' },
      { count: 2, description: 'Breach of peace', plea: 'NOT_GUILTY', pleaDate: '2023-01-03', verdict: null, verdictDate: null, dispositionCode: 'NOLLE', dispositionDate: '2023-05-10' },
    ],
  });
  const stay = custody('PAROLED', {
    releaseDate: '2024-02-01', releaseType: 'PAROLE',
    movements: [
      { date: '2023-05-10', reason: 'ADMISSION', fromFacility: null, toFacility: { code: 'HCC', name: 'Hartford Correctional Center' } },
      { date: '2023-06-20', reason: 'TRANSFER', fromFacility: { code: 'HCC' }, toFacility: { code: 'MWCI', name: 'MacDougall-Walker Correctional Institution' } },
      { date: '2024-02-01', reason: 'PAROLE', fromFacility: { code: 'MWCI' }, toFacility: { code: 'COMMUNITY', name: 'Community (outside DOC custody)' } },
    ],
  });
  return history({
    arrests: [arrest('CT2300000001', '2023-01-02')],
    cases: [kase],
    warrants: [warrant('SERVED')],
    orders: [order('EXPIRED', { modifiedDate: '2023-03-03' })],
    custody: [stay],
    parole: [parole('ACTIVE')],
    registration: registration('ACTIVE'),
  });
}
