// One synthetic offender's life cycle through the Connecticut criminal-justice agencies,
// as the generator makes it. Each agency store takes its own part of a story and writes
// it in that agency's legacy tables; because every store reads the same story, the three
// databases agree with each other (the sentence in CCMS is the one STC computes from).
//
// Dates are ISO `YYYY-MM-DD` strings; codes are NCIC codes where NCIC has them.

/** NCIC sex codes. */
export type SexCode = 'M' | 'F' | 'U';
/** NCIC race codes: White, Black, Asian/Pacific Islander, American Indian/Alaskan, Unknown. */
export type RaceCode = 'W' | 'B' | 'A' | 'I' | 'U';

export interface PersonName {
  last: string;
  first: string;
  middle: string | null;
  suffix: string | null;
}

/** Master Name Index identity (DPS). */
export interface Person {
  /** SPBI state identification number, 9 digits zero-padded. */
  sid: string;
  /** FBI Universal Control Number, when the FBI has one. */
  fbiNumber: string | null;
  name: PersonName;
  /** Other names the person has used (aliases, misspellings recorded at booking). */
  aliases: PersonName[];
  dateOfBirth: string;
  sex: SexCode;
  race: RaceCode;
  heightInches: number;
  weightPounds: number;
  /** NCIC eye colour: BRO BLU GRN HAZ BLK GRY. */
  eyeColor: string;
  /** NCIC hair colour: BLK BRO BLN RED GRY WHI BAL SDY. */
  hairColor: string;
  /** Scars, marks and tattoos (NCIC SMT codes with a short description). */
  scarsMarksTattoos: string[];
  address: Address;
}

export interface Address {
  street: string;
  city: string;
  state: string;
  zip: string;
}

/** Felony or misdemeanor class under C.G.S. 53a-25/53a-26 (U: unclassified). */
export type OffenseClass = 'FA' | 'FB' | 'FC' | 'FD' | 'FE' | 'FU' | 'MA' | 'MB' | 'MC' | 'MD' | 'MU';

/** One statute from the offense catalogue. */
export interface Offense {
  /** e.g. "53a-119" (C.G.S. section). */
  statute: string;
  description: string;
  /** NCIC offense code (4 digits). */
  ncicCode: string;
  offenseClass: OffenseClass;
  /** Family violence (C.G.S. 46b-38a): brings a criminal protective order. */
  familyViolence: boolean;
  /** Registrable sex offense (C.G.S. 54-250): conviction brings SOR registration. */
  sexOffense: boolean;
}

export type Plea = 'GUILTY' | 'NOT GUILTY' | 'NOLO CONTENDERE';
export type Verdict = 'GUILTY' | 'NOT GUILTY';
/**
 * How a charge ended: convicted (plea or verdict), nolle (prosecution declined),
 * dismissed, not guilty (acquitted). Nolle, dismissed and not guilty are erased
 * under C.G.S. 54-142a.
 */
export type DispositionCode = 'CONVICTED' | 'NOLLE' | 'DISMISSED' | 'NOT GUILTY';

export interface ChargeStory {
  /** Count number on the information, 1-based. */
  count: number;
  offense: Offense;
  plea: Plea | null;
  pleaDate: string | null;
  verdict: Verdict | null;
  verdictDate: string | null;
  disposition: DispositionCode | null;
  dispositionDate: string | null;
}

/** An arrest cycle in CCH: one arrest event with its charges. */
export interface ArrestStory {
  /** Offense Tracking Number linking CCH to the court case, e.g. "CT1900012345". */
  trackingNumber: string;
  date: string;
  /** Arresting agency ORI, e.g. CT0006400. */
  arrestingOri: string;
  arrestingAgency: string;
}

export type SentenceType = 'INCARCERATION' | 'SPLIT' | 'PROBATION' | 'CONDITIONAL DISCHARGE' | 'FINE';

/** Sentence imposed by the court on the case (CCMS), in days. */
export interface SentenceStory {
  date: string;
  type: SentenceType;
  /** Total term imposed, days. */
  termDays: number;
  /** Part of the term suspended (served on probation instead), days. */
  suspendedDays: number;
  /** Probation term, months (0 when none). */
  probationMonths: number;
  fineAmount: number;
}

export type CaseStatus = 'OPEN' | 'AWAITING SENTENCE' | 'DISPOSED';

export interface BondStory {
  type: 'CASH' | 'SURETY' | 'PROMISE TO APPEAR' | 'NON-SURETY';
  amount: number;
  /** Whether the defendant posted it (otherwise held pretrial). */
  posted: boolean;
}

/** A criminal case in CCMS with the arrest behind it (CCH). */
export interface CaseStory {
  docketNumber: string;
  /** Court location code, e.g. H12M (the docket's first part). */
  court: string;
  courtName: string;
  arrest: ArrestStory;
  arraignmentDate: string;
  charges: ChargeStory[];
  status: CaseStatus;
  bond: BondStory;
  nextHearing: { date: string; purpose: string } | null;
  sentence: SentenceStory | null;
  /** Erased under C.G.S. 54-142a (every charge nolled, dismissed or acquitted). */
  erased: boolean;
  /** When CCMS last changed this case (timestamp, ISO). */
  lastUpdated: string;
}

export type WarrantType = 'FAILURE TO APPEAR' | 'VIOLATION OF PROBATION' | 'ARREST';
export type WarrantStatus = 'active' | 'served' | 'vacated';

/** A re-arrest warrant in PRAWN. */
export interface WarrantStory {
  warrantNumber: string;
  type: WarrantType;
  docketNumber: string;
  court: string;
  issuedDate: string;
  status: WarrantStatus;
  /** Served or vacated on this date. */
  closedDate: string | null;
  bondAmount: number;
  lastUpdated: string;
}

export type ProtectiveOrderType = 'CRIMINAL PROTECTIVE' | 'STANDING CRIMINAL PROTECTIVE' | 'CIVIL RESTRAINING';

export interface ProtectedPerson {
  name: PersonName;
  dateOfBirth: string;
  relationship: string;
}

/** An order in the Protection Order Registry. */
export interface ProtectiveOrderStory {
  orderNumber: string;
  type: ProtectiveOrderType;
  /** The criminal case it was issued in (null for civil restraining orders). */
  docketNumber: string | null;
  court: string;
  issuedDate: string;
  expirationDate: string;
  /** Modified on this date (conditions changed), if ever. */
  modifiedDate: string | null;
  /** Vacated (terminated early) on this date, if ever. */
  vacatedDate: string | null;
  conditions: string[];
  protectedPersons: ProtectedPerson[];
  lastUpdated: string;
}

export type InfractionStatus = 'PAID' | 'UNPAID' | 'CONTESTED' | 'DEFAULTED';

/** A ticket in the Central Infractions Bureau. */
export interface InfractionStory {
  ticketNumber: string;
  date: string;
  statute: string;
  description: string;
  amount: number;
  status: InfractionStatus;
  issuingOri: string;
  lastUpdated: string;
}

export type SupervisionStatus = 'ACTIVE' | 'COMPLETED' | 'VIOLATION' | 'ABSCONDED' | 'REVOKED';

export interface ViolationStory {
  date: string;
  description: string;
}

/** Probation supervision in PCMS (Court Support Services Division). */
export interface ProbationStory {
  caseNumber: string;
  docketNumber: string;
  startDate: string;
  scheduledEndDate: string;
  /** When supervision actually ended (completed or revoked). */
  endDate: string | null;
  status: SupervisionStatus;
  officer: string;
  office: string;
  conditions: string[];
  violations: ViolationStory[];
  lastUpdated: string;
}

export type CustodyStatus = 'UNSENTENCED' | 'SENTENCED' | 'RELEASED' | 'PAROLED';

export interface MovementStory {
  date: string;
  fromFacility: string | null;
  toFacility: string;
  reason: 'ADMISSION' | 'TRANSFER' | 'RELEASE' | 'PAROLE';
}

/** One DOC incarceration (OMIS) for a sentence. */
export interface CustodyStory {
  inmateNumber: string;
  docketNumber: string;
  admissionDate: string;
  facility: string;
  /** DOC custody level 1 (community) to 5 (maximum). */
  custodyLevel: number;
  status: CustodyStatus;
  releaseDate: string | null;
  releaseType: 'END OF SENTENCE' | 'PAROLE' | 'TRANSFER TO PROBATION' | null;
  movements: MovementStory[];
  lastUpdated: string;
}

/** Sentence and Time Calculation (STC) for one docket. */
export interface TimeCalculationStory {
  docketNumber: string;
  inmateNumber: string;
  sentenceDate: string;
  /** Executed (not suspended) term, days. */
  termDays: number;
  jailCreditDays: number;
  /** Risk Reduction Earned Credit (C.G.S. 18-98e), days. */
  earnedCreditDays: number;
  estimatedReleaseDate: string;
  maximumReleaseDate: string;
  /** Parole eligibility date (C.G.S. 54-125a), null when not parole-eligible. */
  paroleEligibilityDate: string | null;
  lastUpdated: string;
}

export interface CaseNoteStory {
  date: string;
  author: string;
  contactType: 'OFFICE VISIT' | 'HOME VISIT' | 'PHONE' | 'COLLATERAL';
  text: string;
  /** Note names a victim or protected person: needs its own permission. */
  sensitive: boolean;
}

/** Parole supervision (DOC Parole and Community Services). */
export interface ParoleStory {
  caseNumber: string;
  inmateNumber: string;
  status: SupervisionStatus;
  district: string;
  officer: string;
  startDate: string;
  scheduledEndDate: string;
  endDate: string | null;
  conditions: string[];
  caseNotes: CaseNoteStory[];
  lastUpdated: string;
}

export type RegistrationStatus = 'ACTIVE' | 'NON-COMPLIANT' | 'INCARCERATED' | 'EXPIRED';

/** Sex Offender Registry entry (DPS). */
export interface RegistrationStory {
  registrationNumber: string;
  docketNumber: string;
  status: RegistrationStatus;
  registeredDate: string;
  /** 10 years after release for most offenses; null for lifetime registrants. */
  expirationDate: string | null;
  compliant: boolean;
  lastVerifiedDate: string;
  homeAddress: Address;
  lastUpdated: string;
}

/** Everything the three agencies hold about one synthetic offender. */
export interface OffenderStory {
  person: Person;
  /** Criminal cases, oldest first; `erased` ones are marked, not removed. */
  cases: CaseStory[];
  warrants: WarrantStory[];
  protectiveOrders: ProtectiveOrderStory[];
  infractions: InfractionStory[];
  probations: ProbationStory[];
  custodies: CustodyStory[];
  timeCalculations: TimeCalculationStory[];
  paroles: ParoleStory[];
  registration: RegistrationStory | null;
  /** When MNI last changed the person record. */
  lastUpdated: string;
}

/** Options of one generator run: same options, same stories, on every engine. */
export interface GeneratorOptions {
  offenders: number;
  seed: number;
  /** The day the data describes ("today" for statuses); fixed so runs are repeatable. */
  asOf?: string;
  /** Index of the first offender (to generate a slice of a larger population). */
  start?: number;
}
