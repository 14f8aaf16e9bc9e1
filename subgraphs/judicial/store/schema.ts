// DDL of the Judicial store: one SQL schema per source system, tables named and shaped
// the way those systems keep them (see tables.ts and README.md). Idempotent: every
// schema, table and index is created only if missing, so opening a store migrates it.
// Indexes cover every key, every foreign key and every search path the queries use
// (SID on every system, docket on everything tied to a case, the warrant search order).
import type { Kysely } from 'kysely';
import type { JudicialDb } from './tables.ts';

export const SOURCE_SYSTEMS = ['ccms', 'cib', 'prawn', 'por', 'pcms'] as const;

/** Creates the schemas, tables and indexes that are missing. */
export async function migrateJudicial(db: Kysely<JudicialDb>): Promise<void> {
  for (const name of SOURCE_SYSTEMS) await db.schema.createSchema(name).ifNotExists().execute();
  const s = db.schema;

  // CCMS: court locations, defendants, dockets and everything hanging off a docket.
  await s.createTable('ccms.crt_loc_ref').ifNotExists()
    .addColumn('crt_loc', 'char(4)', (c) => c.primaryKey())
    .addColumn('crt_nm', 'varchar(80)')
    .execute();
  await s.createTable('ccms.dfndnt').ifNotExists()
    .addColumn('sid_no', 'char(9)', (c) => c.primaryKey())
    .addColumn('lst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('fst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('mid_nm', 'varchar(40)')
    .addColumn('sfx_nm', 'varchar(10)')
    .addColumn('dob_dt', 'date', (c) => c.notNull())
    .addColumn('sex_cd', 'char(1)', (c) => c.notNull())
    .addColumn('race_cd', 'char(1)', (c) => c.notNull())
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();
  await s.createTable('ccms.crim_case').ifNotExists()
    .addColumn('dkt_no', 'char(16)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull().references('ccms.dfndnt.sid_no'))
    .addColumn('crt_loc', 'char(4)', (c) => c.notNull().references('ccms.crt_loc_ref.crt_loc'))
    .addColumn('otn_no', 'varchar(20)', (c) => c.notNull())
    .addColumn('arst_dt', 'date', (c) => c.notNull())
    .addColumn('arst_ori', 'varchar(9)', (c) => c.notNull())
    .addColumn('arrgn_dt', 'date', (c) => c.notNull())
    .addColumn('case_stat_cd', 'char(2)', (c) => c.notNull())
    .addColumn('erase_flg', 'char(1)', (c) => c.notNull().defaultTo('N'))
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();
  await s.createTable('ccms.chrg').ifNotExists()
    .addColumn('dkt_no', 'char(16)', (c) => c.notNull().references('ccms.crim_case.dkt_no'))
    .addColumn('cnt_no', 'smallint', (c) => c.notNull())
    .addColumn('stat_cd', 'varchar(20)', (c) => c.notNull())
    .addColumn('chrg_desc', 'varchar(120)', (c) => c.notNull())
    .addColumn('off_cls_cd', 'char(2)', (c) => c.notNull())
    .addColumn('ncic_cd', 'varchar(4)', (c) => c.notNull())
    .addColumn('fv_flg', 'char(1)', (c) => c.notNull())
    .addPrimaryKeyConstraint('chrg_pk', ['dkt_no', 'cnt_no'])
    .execute();
  for (const [table, code, date] of [['plea', 'plea_cd', 'plea_dt'], ['vrdct', 'vrdct_cd', 'vrdct_dt'], ['dispo', 'dispo_cd', 'dispo_dt']] as const) {
    await s.createTable(`ccms.${table}`).ifNotExists()
      .addColumn('dkt_no', 'char(16)', (c) => c.notNull())
      .addColumn('cnt_no', 'smallint', (c) => c.notNull())
      .addColumn(code, 'varchar(4)', (c) => c.notNull())
      .addColumn(date, 'date') // CCMS does not always date a not-guilty plea entered at arraignment
      .addPrimaryKeyConstraint(`${table}_pk`, ['dkt_no', 'cnt_no'])
      .addForeignKeyConstraint(`${table}_chrg_fk`, ['dkt_no', 'cnt_no'], 'ccms.chrg', ['dkt_no', 'cnt_no'])
      .execute();
  }
  await s.createTable('ccms.sntnc').ifNotExists()
    .addColumn('dkt_no', 'char(16)', (c) => c.primaryKey().references('ccms.crim_case.dkt_no'))
    .addColumn('sntnc_dt', 'date', (c) => c.notNull())
    .addColumn('sntnc_typ_cd', 'varchar(3)', (c) => c.notNull())
    .addColumn('term_dd', 'integer', (c) => c.notNull())
    .addColumn('susp_dd', 'integer', (c) => c.notNull())
    .addColumn('prob_mo', 'integer', (c) => c.notNull())
    .addColumn('fine_amt', 'numeric(10, 2)', (c) => c.notNull())
    .execute();
  await s.createTable('ccms.bond').ifNotExists()
    .addColumn('dkt_no', 'char(16)', (c) => c.primaryKey().references('ccms.crim_case.dkt_no'))
    .addColumn('bond_typ_cd', 'varchar(3)', (c) => c.notNull())
    .addColumn('bond_amt', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('post_flg', 'char(1)', (c) => c.notNull())
    .execute();
  await s.createTable('ccms.hrng').ifNotExists()
    .addColumn('dkt_no', 'char(16)', (c) => c.notNull().references('ccms.crim_case.dkt_no'))
    .addColumn('hrng_seq', 'smallint', (c) => c.notNull())
    .addColumn('hrng_dt', 'date', (c) => c.notNull())
    .addColumn('hrng_purp', 'varchar(60)', (c) => c.notNull())
    .addColumn('hrng_stat_cd', 'char(1)', (c) => c.notNull())
    .addPrimaryKeyConstraint('hrng_pk', ['dkt_no', 'hrng_seq'])
    .execute();

  // PRAWN: warrants, searched by SID, by docket and by issue date (newest first).
  await s.createTable('prawn.wrnt').ifNotExists()
    .addColumn('wrnt_no', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull())
    .addColumn('wrnt_typ_cd', 'varchar(3)', (c) => c.notNull())
    .addColumn('dkt_no', 'char(16)', (c) => c.notNull())
    .addColumn('crt_loc', 'char(4)', (c) => c.notNull())
    .addColumn('iss_dt', 'date', (c) => c.notNull())
    .addColumn('wrnt_stat_cd', 'char(1)', (c) => c.notNull())
    .addColumn('clsd_dt', 'date')
    .addColumn('bond_amt', 'numeric(12, 2)', (c) => c.notNull())
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();

  // POR: orders with their conditions and protected persons.
  await s.createTable('por.prot_ord').ifNotExists()
    .addColumn('ord_no', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull())
    .addColumn('ord_typ_cd', 'varchar(4)', (c) => c.notNull())
    .addColumn('dkt_no', 'char(16)')
    .addColumn('crt_loc', 'char(4)', (c) => c.notNull())
    .addColumn('iss_dt', 'date', (c) => c.notNull())
    .addColumn('exp_dt', 'date', (c) => c.notNull())
    .addColumn('mod_dt', 'date')
    .addColumn('vac_dt', 'date')
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();
  await s.createTable('por.ord_cond').ifNotExists()
    .addColumn('ord_no', 'varchar(20)', (c) => c.notNull().references('por.prot_ord.ord_no'))
    .addColumn('cond_seq', 'smallint', (c) => c.notNull())
    .addColumn('cond_txt', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ord_cond_pk', ['ord_no', 'cond_seq'])
    .execute();
  await s.createTable('por.prot_prsn').ifNotExists()
    .addColumn('ord_no', 'varchar(20)', (c) => c.notNull().references('por.prot_ord.ord_no'))
    .addColumn('prsn_seq', 'smallint', (c) => c.notNull())
    .addColumn('lst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('fst_nm', 'varchar(40)', (c) => c.notNull())
    .addColumn('mid_nm', 'varchar(40)')
    .addColumn('sfx_nm', 'varchar(10)')
    .addColumn('dob_dt', 'date', (c) => c.notNull())
    .addColumn('rel_desc', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('prot_prsn_pk', ['ord_no', 'prsn_seq'])
    .execute();

  // CIB: infraction tickets.
  await s.createTable('cib.tkt').ifNotExists()
    .addColumn('tkt_no', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull())
    .addColumn('viol_dt', 'date', (c) => c.notNull())
    .addColumn('stat_cd', 'varchar(20)', (c) => c.notNull())
    .addColumn('viol_desc', 'varchar(120)', (c) => c.notNull())
    .addColumn('fine_amt', 'numeric(10, 2)', (c) => c.notNull())
    .addColumn('tkt_stat_cd', 'char(1)', (c) => c.notNull())
    .addColumn('iss_ori', 'varchar(9)', (c) => c.notNull())
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();

  // PCMS: probation cases with conditions and violations.
  await s.createTable('pcms.prob_case').ifNotExists()
    .addColumn('prob_case_no', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('sid_no', 'char(9)', (c) => c.notNull())
    .addColumn('dkt_no', 'char(16)', (c) => c.notNull())
    .addColumn('prob_stat_cd', 'varchar(3)', (c) => c.notNull())
    .addColumn('strt_dt', 'date', (c) => c.notNull())
    .addColumn('sched_end_dt', 'date', (c) => c.notNull())
    .addColumn('end_dt', 'date')
    .addColumn('po_nm', 'varchar(60)', (c) => c.notNull())
    .addColumn('ofc_nm', 'varchar(60)', (c) => c.notNull())
    .addColumn('last_chg_ts', 'timestamp', (c) => c.notNull())
    .execute();
  await s.createTable('pcms.prob_cond').ifNotExists()
    .addColumn('prob_case_no', 'varchar(20)', (c) => c.notNull().references('pcms.prob_case.prob_case_no'))
    .addColumn('cond_seq', 'smallint', (c) => c.notNull())
    .addColumn('cond_txt', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('prob_cond_pk', ['prob_case_no', 'cond_seq'])
    .execute();
  await s.createTable('pcms.prob_viol').ifNotExists()
    .addColumn('prob_case_no', 'varchar(20)', (c) => c.notNull().references('pcms.prob_case.prob_case_no'))
    .addColumn('viol_seq', 'smallint', (c) => c.notNull())
    .addColumn('viol_dt', 'date', (c) => c.notNull())
    .addColumn('viol_desc', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('prob_viol_pk', ['prob_case_no', 'viol_seq'])
    .execute();

  // Secondary indexes (primary keys index themselves; composite keys lead with the parent).
  const indexes: Array<[name: string, table: keyof JudicialDb, columns: string[]]> = [
    ['crim_case_sid_ix', 'ccms.crim_case', ['sid_no', 'arrgn_dt']],
    ['crim_case_crt_ix', 'ccms.crim_case', ['crt_loc']],
    ['crim_case_otn_ix', 'ccms.crim_case', ['otn_no']],
    ['crim_case_erase_ix', 'ccms.crim_case', ['erase_flg', 'dkt_no']],
    ['wrnt_sid_ix', 'prawn.wrnt', ['sid_no']],
    ['wrnt_dkt_ix', 'prawn.wrnt', ['dkt_no']],
    ['wrnt_iss_ix', 'prawn.wrnt', ['iss_dt', 'wrnt_no']],
    ['wrnt_crt_iss_ix', 'prawn.wrnt', ['crt_loc', 'iss_dt']],
    ['wrnt_stat_iss_ix', 'prawn.wrnt', ['wrnt_stat_cd', 'iss_dt']],
    ['prot_ord_sid_ix', 'por.prot_ord', ['sid_no']],
    ['prot_ord_dkt_ix', 'por.prot_ord', ['dkt_no']],
    ['prot_ord_crt_ix', 'por.prot_ord', ['crt_loc']],
    ['tkt_sid_ix', 'cib.tkt', ['sid_no']],
    ['prob_case_sid_ix', 'pcms.prob_case', ['sid_no']],
    ['prob_case_dkt_ix', 'pcms.prob_case', ['dkt_no']],
  ];
  for (const [name, table, columns] of indexes) {
    await s.createIndex(name).ifNotExists().on(table).columns(columns).execute();
  }
}

/** Every table, children before parents: the order `clear()` empties them in. */
export const TABLES_CHILD_FIRST: Array<keyof JudicialDb> = [
  'ccms.plea', 'ccms.vrdct', 'ccms.dispo', 'ccms.chrg', 'ccms.sntnc', 'ccms.bond', 'ccms.hrng', 'ccms.crim_case',
  'ccms.dfndnt', 'ccms.crt_loc_ref', 'prawn.wrnt', 'por.ord_cond', 'por.prot_prsn', 'por.prot_ord', 'cib.tkt',
  'pcms.prob_cond', 'pcms.prob_viol', 'pcms.prob_case',
];
