// DOC's legacy code values and what they mean. Each table maps the code kept in a column
// to the GraphQL enum value the subgraph returns; `encode` goes the other way for the
// seed, from the synthetic story's wording (e.g. "END OF SENTENCE") to the code (EOS).

/** omis_adm.inmt_stat_cd */
export const CUSTODY_STATUS = { UN: 'UNSENTENCED', SN: 'SENTENCED', RL: 'RELEASED', PA: 'PAROLED' } as const;
/** omis_adm.rel_typ_cd */
export const RELEASE_TYPE = { EOS: 'END_OF_SENTENCE', PAR: 'PAROLE', TPR: 'TRANSFER_TO_PROBATION' } as const;
/** omis_mvmt.mvmt_rsn_cd */
export const MOVEMENT_REASON = { ADM: 'ADMISSION', TRF: 'TRANSFER', REL: 'RELEASE', PAR: 'PAROLE' } as const;
/** prl_case.prl_stat_cd */
export const PAROLE_STATUS = { A: 'ACTIVE', C: 'COMPLETED', V: 'VIOLATION', AB: 'ABSCONDED', R: 'REVOKED' } as const;
/** prl_case_note.cntct_typ_cd */
export const CONTACT_TYPE = { OV: 'OFFICE_VISIT', HV: 'HOME_VISIT', PH: 'PHONE', CL: 'COLLATERAL' } as const;

type CodeTable = Readonly<Record<string, string>>;

/** The meaning of a legacy code; an unknown code is a data fault, reported (masked) as internal. */
export function decode<T extends CodeTable>(table: T, code: string, column: string): T[keyof T] {
  const value = table[code.trim()];
  if (value === undefined) throw new Error(`unknown ${column} code "${code}"`);
  return value as T[keyof T];
}

/** The legacy code for a story value ("END OF SENTENCE" → EOS). */
export function encode(table: CodeTable, value: string, column: string): string {
  const wanted = value.replace(/ /g, '_');
  const entry = Object.entries(table).find(([, meaning]) => meaning === wanted);
  if (!entry) throw new Error(`no ${column} code for "${value}"`);
  return entry[0];
}
