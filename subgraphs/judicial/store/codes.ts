// The source systems' code tables, in one place: the seed encodes story values with
// them and the queries decode the stored codes into the GraphQL enum values (the story
// value with spaces and hyphens as underscores, e.g. 'AWAITING SENTENCE' → AWAITING_SENTENCE).
import type {
  BondStory,
  CaseStatus,
  DispositionCode,
  InfractionStatus,
  Plea,
  ProtectiveOrderType,
  SentenceType,
  SupervisionStatus,
  Verdict,
  WarrantStatus,
  WarrantType,
} from '../../../seed/story.ts';

/** A legacy code table: story value → stored code, and stored code → GraphQL enum value. */
export interface CodeTable<V extends string> {
  encode(value: V): string;
  decode(code: string): string;
  /** The stored codes that decode to a GraphQL enum value (for SQL filters). */
  codesOf(enumValue: string): string[];
}

// Private: builds both directions from the one table, so they cannot disagree.
function codeTable<V extends string>(system: string, table: Record<V, string>): CodeTable<V> {
  const decoded = new Map<string, string>();
  for (const [value, code] of Object.entries(table) as Array<[string, string]>) {
    decoded.set(code, value.toUpperCase().replace(/[ -]/g, '_'));
  }
  return {
    encode: (value) => {
      const code = table[value];
      if (code === undefined) throw new Error(`${system}: no code for "${value}"`);
      return code;
    },
    decode: (code) => {
      const value = decoded.get(code.trim());
      if (value === undefined) throw new Error(`${system}: unknown code "${code}"`);
      return value;
    },
    codesOf: (enumValue) => [...decoded].filter(([, value]) => value === enumValue).map(([code]) => code),
  };
}

/** ccms.crim_case.case_stat_cd */
export const caseStatus = codeTable<CaseStatus>('case_stat_cd', { OPEN: 'OP', 'AWAITING SENTENCE': 'AS', DISPOSED: 'DS' });
/** ccms.plea.plea_cd */
export const plea = codeTable<Plea>('plea_cd', { GUILTY: 'G', 'NOT GUILTY': 'NG', 'NOLO CONTENDERE': 'NOLO' });
/** ccms.vrdct.vrdct_cd */
export const verdict = codeTable<Verdict>('vrdct_cd', { GUILTY: 'G', 'NOT GUILTY': 'NG' });
/** ccms.dispo.dispo_cd (NOL, DIS and ACQ are erasable under C.G.S. 54-142a) */
export const disposition = codeTable<DispositionCode>('dispo_cd', { CONVICTED: 'CNV', NOLLE: 'NOL', DISMISSED: 'DIS', 'NOT GUILTY': 'ACQ' });
/** ccms.sntnc.sntnc_typ_cd */
export const sentenceType = codeTable<SentenceType>('sntnc_typ_cd', {
  INCARCERATION: 'INC', SPLIT: 'SPL', PROBATION: 'PRB', 'CONDITIONAL DISCHARGE': 'CD', FINE: 'FIN',
});
/** ccms.bond.bond_typ_cd */
export const bondType = codeTable<BondStory['type']>('bond_typ_cd', { CASH: 'C', SURETY: 'S', 'PROMISE TO APPEAR': 'PTA', 'NON-SURETY': 'NS' });
/** prawn.wrnt.wrnt_typ_cd */
export const warrantType = codeTable<WarrantType>('wrnt_typ_cd', { 'FAILURE TO APPEAR': 'FTA', 'VIOLATION OF PROBATION': 'VOP', ARREST: 'ARR' });
/** prawn.wrnt.wrnt_stat_cd */
export const warrantStatus = codeTable<WarrantStatus>('wrnt_stat_cd', { active: 'A', served: 'S', vacated: 'V' });
/** por.prot_ord.ord_typ_cd */
export const orderType = codeTable<ProtectiveOrderType>('ord_typ_cd', {
  'CRIMINAL PROTECTIVE': 'CPO', 'STANDING CRIMINAL PROTECTIVE': 'SCPO', 'CIVIL RESTRAINING': 'CRO',
});
/** cib.tkt.tkt_stat_cd */
export const ticketStatus = codeTable<InfractionStatus>('tkt_stat_cd', { PAID: 'P', UNPAID: 'U', CONTESTED: 'C', DEFAULTED: 'D' });
/** pcms.prob_case.prob_stat_cd */
export const probationStatus = codeTable<SupervisionStatus>('prob_stat_cd', {
  ACTIVE: 'ACT', COMPLETED: 'CMP', VIOLATION: 'VIO', ABSCONDED: 'ABS', REVOKED: 'REV',
});

/** Y/N flags. */
export const flag = (value: boolean): string => (value ? 'Y' : 'N');

/** Docket as CCMS keys it (no hyphens): H12M-CR19-0123456-S → H12MCR190123456S. */
export const storedDocket = (docket: string): string => docket.replace(/-/g, '').toUpperCase();

/** Docket as the contract shows it: H12MCR190123456S → H12M-CR19-0123456-S. */
export const canonicalDocket = (stored: string): string =>
  `${stored.slice(0, 4)}-${stored.slice(4, 8)}-${stored.slice(8, 15)}-${stored.slice(15, 16)}`;

/** A stored timestamp ('YYYY-MM-DD HH:MM:SS[.fff]', UTC) as ISO 8601 with Z. */
export const isoTimestamp = (stored: string): string => new Date(`${stored.replace(' ', 'T')}Z`).toISOString();
