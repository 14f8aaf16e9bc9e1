// The Department of Correction's legacy tables, as its three source systems keep them:
//   omis_*  Offender Management Information System (inmates, admissions, facility movements)
//   stc_*   Sentence and Time Calculation (one calculation per docket)
//   prl_*   Parole and Community Services (parole cases, conditions, case notes)
// Terse DOC column names are kept on purpose; README.md maps each one to the GraphQL
// contract. Dates are `date` columns, change stamps `timestamp` (UTC, no zone).
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/** Y/N indicator, as DOC mainframe-era columns keep flags. */
export type Indicator = 'Y' | 'N';

/** OMIS facility code table. */
export interface OmisFacTable {
  fac_cd: string;
  fac_nm: string;
}

/** OMIS inmate master: one row per inmate number, linked to the MNI (SPBI) number. */
export interface OmisInmtMstrTable {
  inmt_no: string;
  sid_no: string;
  lst_nm: string;
  fst_nm: string;
  dob_dt: string;
  last_mod_ts: string;
}

/** OMIS admission: one incarceration episode of an inmate number (adm_seq 1, 2, …). */
export interface OmisAdmTable {
  inmt_no: string;
  adm_seq: number;
  dkt_no: string;
  adm_dt: string;
  fac_cd: string;
  cust_lvl: number;
  /** UN unsentenced, SN sentenced, RL released, PA paroled. */
  inmt_stat_cd: string;
  rel_dt: string | null;
  /** EOS end of sentence, PAR parole, TPR transfer to probation. */
  rel_typ_cd: string | null;
  /** Erased under C.G.S. 54-142a: never leaves the store. */
  erase_ind: Indicator;
  last_mod_ts: string;
}

/** OMIS facility movement within an admission. */
export interface OmisMvmtTable {
  inmt_no: string;
  adm_seq: number;
  mvmt_seq: number;
  mvmt_dt: string;
  from_fac_cd: string | null;
  to_fac_cd: string;
  /** ADM admission, TRF transfer, REL release, PAR release to parole. */
  mvmt_rsn_cd: string;
}

/** STC sentence and time calculation for one docket. */
export interface StcSentCalcTable {
  dkt_no: string;
  inmt_no: string;
  sent_dt: string;
  term_dd: number;
  jail_cr_dd: number;
  /** Risk Reduction Earned Credit (C.G.S. 18-98e), days. */
  rrec_dd: number;
  est_rel_dt: string;
  max_rel_dt: string;
  /** Parole eligibility date (C.G.S. 54-125a). */
  ped: string | null;
  erase_ind: Indicator;
  last_mod_ts: string;
}

/** Parole case. */
export interface PrlCaseTable {
  prl_case_no: string;
  inmt_no: string;
  /** A active, C completed, V violation, AB absconded, R revoked. */
  prl_stat_cd: string;
  dist_nm: string;
  ofcr_nm: string;
  strt_dt: string;
  sched_end_dt: string;
  end_dt: string | null;
  erase_ind: Indicator;
  last_mod_ts: string;
}

/** Parole condition (one line each). */
export interface PrlCondTable {
  prl_case_no: string;
  cond_seq: number;
  cond_txt: string;
}

/** Parole case note. */
export interface PrlCaseNoteTable {
  prl_case_no: string;
  note_seq: number;
  note_dt: string;
  auth_nm: string;
  /** OV office visit, HV home visit, PH phone, CL collateral contact. */
  cntct_typ_cd: string;
  note_txt: string;
  /** Note names a victim or protected person (needs its own permission). */
  sens_ind: Indicator;
}

export interface CorrectionDatabase {
  omis_fac: OmisFacTable;
  omis_inmt_mstr: OmisInmtMstrTable;
  omis_adm: OmisAdmTable;
  omis_mvmt: OmisMvmtTable;
  stc_sent_calc: StcSentCalcTable;
  prl_case: PrlCaseTable;
  prl_cond: PrlCondTable;
  prl_case_note: PrlCaseNoteTable;
}

/** Children first, so deleting in this order never breaks a foreign key. */
export const TABLES_CHILDREN_FIRST = [
  'prl_case_note', 'prl_cond', 'prl_case', 'stc_sent_calc', 'omis_mvmt', 'omis_adm', 'omis_inmt_mstr', 'omis_fac',
] as const;

// Y/N flags default to N (not erased, not sensitive).
const flagN = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('N');

/** Creates the tables and indexes if missing (idempotent). */
export async function migrate(db: Kysely<CorrectionDatabase>): Promise<void> {
  const stamp = sql`timestamp`;
  await db.schema.createTable('omis_fac').ifNotExists()
    .addColumn('fac_cd', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('fac_nm', 'varchar(80)', (c) => c.notNull())
    .execute();
  await db.schema.createTable('omis_inmt_mstr').ifNotExists()
    .addColumn('inmt_no', 'varchar(7)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull())
    .addColumn('lst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('fst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('dob_dt', 'date', (c) => c.notNull())
    .addColumn('last_mod_ts', stamp, (c) => c.notNull())
    .execute();
  await db.schema.createTable('omis_adm').ifNotExists()
    .addColumn('inmt_no', 'varchar(7)', (c) => c.notNull().references('omis_inmt_mstr.inmt_no'))
    .addColumn('adm_seq', 'smallint', (c) => c.notNull())
    .addColumn('dkt_no', 'varchar(20)', (c) => c.notNull())
    .addColumn('adm_dt', 'date', (c) => c.notNull())
    .addColumn('fac_cd', 'varchar(10)', (c) => c.notNull().references('omis_fac.fac_cd'))
    .addColumn('cust_lvl', 'smallint', (c) => c.notNull())
    .addColumn('inmt_stat_cd', 'char(2)', (c) => c.notNull())
    .addColumn('rel_dt', 'date')
    .addColumn('rel_typ_cd', 'char(3)')
    .addColumn('erase_ind', 'char(1)', flagN)
    .addColumn('last_mod_ts', stamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('omis_adm_pk', ['inmt_no', 'adm_seq'])
    .execute();
  await db.schema.createTable('omis_mvmt').ifNotExists()
    .addColumn('inmt_no', 'varchar(7)', (c) => c.notNull())
    .addColumn('adm_seq', 'smallint', (c) => c.notNull())
    .addColumn('mvmt_seq', 'smallint', (c) => c.notNull())
    .addColumn('mvmt_dt', 'date', (c) => c.notNull())
    .addColumn('from_fac_cd', 'varchar(10)', (c) => c.references('omis_fac.fac_cd'))
    .addColumn('to_fac_cd', 'varchar(10)', (c) => c.notNull().references('omis_fac.fac_cd'))
    .addColumn('mvmt_rsn_cd', 'char(3)', (c) => c.notNull())
    .addPrimaryKeyConstraint('omis_mvmt_pk', ['inmt_no', 'adm_seq', 'mvmt_seq'])
    .addForeignKeyConstraint('omis_mvmt_adm_fk', ['inmt_no', 'adm_seq'], 'omis_adm', ['inmt_no', 'adm_seq'])
    .execute();
  await db.schema.createTable('stc_sent_calc').ifNotExists()
    .addColumn('dkt_no', 'varchar(20)', (c) => c.notNull())
    .addColumn('inmt_no', 'varchar(7)', (c) => c.notNull().references('omis_inmt_mstr.inmt_no'))
    .addColumn('sent_dt', 'date', (c) => c.notNull())
    .addColumn('term_dd', 'integer', (c) => c.notNull())
    .addColumn('jail_cr_dd', 'integer', (c) => c.notNull())
    .addColumn('rrec_dd', 'integer', (c) => c.notNull())
    .addColumn('est_rel_dt', 'date', (c) => c.notNull())
    .addColumn('max_rel_dt', 'date', (c) => c.notNull())
    .addColumn('ped', 'date')
    .addColumn('erase_ind', 'char(1)', flagN)
    .addColumn('last_mod_ts', stamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('stc_sent_calc_pk', ['dkt_no', 'inmt_no'])
    .execute();
  await db.schema.createTable('prl_case').ifNotExists()
    .addColumn('prl_case_no', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('inmt_no', 'varchar(7)', (c) => c.notNull().references('omis_inmt_mstr.inmt_no'))
    .addColumn('prl_stat_cd', 'varchar(2)', (c) => c.notNull())
    .addColumn('dist_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('ofcr_nm', 'varchar(60)', (c) => c.notNull())
    .addColumn('strt_dt', 'date', (c) => c.notNull())
    .addColumn('sched_end_dt', 'date', (c) => c.notNull())
    .addColumn('end_dt', 'date')
    .addColumn('erase_ind', 'char(1)', flagN)
    .addColumn('last_mod_ts', stamp, (c) => c.notNull())
    .execute();
  await db.schema.createTable('prl_cond').ifNotExists()
    .addColumn('prl_case_no', 'varchar(16)', (c) => c.notNull().references('prl_case.prl_case_no'))
    .addColumn('cond_seq', 'smallint', (c) => c.notNull())
    .addColumn('cond_txt', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('prl_cond_pk', ['prl_case_no', 'cond_seq'])
    .execute();
  await db.schema.createTable('prl_case_note').ifNotExists()
    .addColumn('prl_case_no', 'varchar(16)', (c) => c.notNull().references('prl_case.prl_case_no'))
    .addColumn('note_seq', 'smallint', (c) => c.notNull())
    .addColumn('note_dt', 'date', (c) => c.notNull())
    .addColumn('auth_nm', 'varchar(60)', (c) => c.notNull())
    .addColumn('cntct_typ_cd', 'char(2)', (c) => c.notNull())
    .addColumn('note_txt', 'text', (c) => c.notNull())
    .addColumn('sens_ind', 'char(1)', flagN)
    .addPrimaryKeyConstraint('prl_case_note_pk', ['prl_case_no', 'note_seq'])
    .execute();

  // Search paths and foreign keys not already led by a primary key.
  const indexes: Array<[string, keyof CorrectionDatabase, string[]]> = [
    ['omis_inmt_mstr_sid_ix', 'omis_inmt_mstr', ['sid_no']],
    ['omis_adm_rel_ix', 'omis_adm', ['rel_dt', 'inmt_no', 'adm_seq']],
    ['omis_adm_dkt_ix', 'omis_adm', ['dkt_no']],
    ['omis_adm_fac_ix', 'omis_adm', ['fac_cd']],
    ['omis_mvmt_from_ix', 'omis_mvmt', ['from_fac_cd']],
    ['omis_mvmt_to_ix', 'omis_mvmt', ['to_fac_cd']],
    ['stc_sent_calc_inmt_ix', 'stc_sent_calc', ['inmt_no']],
    ['prl_case_inmt_ix', 'prl_case', ['inmt_no']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
  }
}
