// The DPS legacy tables, as the Master Name Index / Computerized Criminal History
// mainframe and the Sex Offender Registry lay them out: upper-case tables and columns,
// dates in MNI/CCH as CHAR(8) CCYYMMDD, timestamps as DB2 text (CCYY-MM-DD-HH.MM.SS.NNNNNN),
// codes as short CHAR columns. Names are stored upper case (as MNI keys them), so a
// search is case-insensitive on every engine and every collation. Only portable types
// (char, varchar, integer, date) and Kysely's schema builder: the same DDL runs on
// MariaDB (production) and PGlite (embedded).
import type { Kysely } from 'kysely';
import { chunk } from '../../shared/batch.ts';
import type { Engine } from '../../shared/db.ts';
import { soundex } from './phonetic.ts';

/** MNI: one row per fingerprint-identified person, keyed by SPBI number (SID). */
export interface MniPersonTable {
  SID: string;
  FBI_NO: string | null;
  NAM_LAST: string;
  NAM_FIRST: string;
  NAM_MID: string | null;
  NAM_SFX: string | null;
  /** CCYYMMDD. */
  DOB: string;
  SEX_CD: string;
  RACE_CD: string;
  /** NCIC height: feet then two digits of inches ('511' is 5 ft 11 in). */
  HGT: string | null;
  WGT: number | null;
  EYE_CD: string | null;
  HAIR_CD: string | null;
  /** Soundex of NAM_LAST / NAM_FIRST, written with the name (phonetic search). */
  SNDX_LAST: string;
  SNDX_FIRST: string;
  LAST_UPD_TS: string;
}

/** MNI: other names a person has used (AKA), in the order recorded. */
export interface MniAliasTable {
  SID: string;
  ALIAS_SEQ: number;
  NAM_LAST: string;
  NAM_FIRST: string;
  NAM_MID: string | null;
  NAM_SFX: string | null;
  /** Soundex of NAM_LAST / NAM_FIRST, written with the alias (phonetic search of aliases). */
  SNDX_LAST: string;
  SNDX_FIRST: string;
  /**
   * The person's MNI name (MNI_PERSON.NAM_LAST / NAM_FIRST), copied with each alias: the
   * order a search pages in, so the alias matches are read from an index in page order.
   */
  PRI_LAST: string;
  PRI_FIRST: string;
}

/** MNI: scars, marks and tattoos (NCIC SMT code with a short description). */
export interface MniSmtTable {
  SID: string;
  SMT_SEQ: number;
  SMT_DESC: string;
}

/** CCH: one arrest cycle, keyed by its Offense Tracking Number. */
export interface CchArrestTable {
  OTN: string;
  SID: string;
  ARR_DT: string;
  ARR_ORI: string;
  ARR_AGCY: string;
  /** Court docket the arrest went to (CCMS). */
  DKT_NO: string | null;
  /** 'Y' when erased under C.G.S. 54-142a: kept on file, never disclosed. */
  ERASED_IND: string;
}

/** CCH: the charges of an arrest cycle with the court disposition posted back to CCH. */
export interface CchChargeTable {
  OTN: string;
  CHG_SEQ: number;
  STATUTE: string;
  CHG_DESC: string;
  NCIC_CD: string;
  OFF_CLASS: string;
  /** CNV convicted, NOL nolle, DIS dismissed, NGU not guilty; null until posted. */
  CRT_DISP_CD: string | null;
  CRT_DISP_DT: string | null;
}

/** SOR: one registration per registrant (C.G.S. 54-251 ff.). */
export interface SorRegistrantTable {
  REG_NO: string;
  SID: string;
  DKT_NO: string | null;
  /** A active, N non-compliant, I incarcerated, E expired. */
  REG_STAT_CD: string;
  COMPLY_IND: string;
  REG_DT: string;
  /** Null for lifetime registrants. */
  EXP_DT: string | null;
  LAST_VERIF_DT: string;
  ADDR_STREET: string;
  ADDR_CITY: string;
  ADDR_ST: string;
  ADDR_ZIP: string;
  LAST_UPD_TS: string;
}

export interface DpsDatabase {
  MNI_PERSON: MniPersonTable;
  MNI_ALIAS: MniAliasTable;
  MNI_SMT: MniSmtTable;
  CCH_ARREST: CchArrestTable;
  CCH_CHARGE: CchChargeTable;
  SOR_REGISTRANT: SorRegistrantTable;
}

/** Tables children first: the order rows are deleted in (and the reverse of creation). */
export const TABLES_CHILDREN_FIRST = ['CCH_CHARGE', 'CCH_ARREST', 'MNI_ALIAS', 'MNI_SMT', 'SOR_REGISTRANT', 'MNI_PERSON'] as const;

/** Creates the tables and indexes that do not exist yet. */
export async function migrate(db: Kysely<DpsDatabase>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('MNI_PERSON').ifNotExists()
    .addColumn('SID', 'char(9)', (c) => c.primaryKey())
    .addColumn('FBI_NO', 'varchar(9)')
    .addColumn('NAM_LAST', 'varchar(40)', (c) => c.notNull())
    .addColumn('NAM_FIRST', 'varchar(30)', (c) => c.notNull())
    .addColumn('NAM_MID', 'varchar(30)')
    .addColumn('NAM_SFX', 'varchar(4)')
    .addColumn('DOB', 'char(8)', (c) => c.notNull())
    .addColumn('SEX_CD', 'char(1)', (c) => c.notNull())
    .addColumn('RACE_CD', 'char(1)', (c) => c.notNull())
    .addColumn('HGT', 'char(3)')
    .addColumn('WGT', 'integer')
    .addColumn('EYE_CD', 'char(3)')
    .addColumn('HAIR_CD', 'char(3)')
    .addColumn('SNDX_LAST', 'varchar(4)', (c) => c.notNull())
    .addColumn('SNDX_FIRST', 'varchar(4)', (c) => c.notNull())
    .addColumn('LAST_UPD_TS', 'char(26)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('MNI_ALIAS').ifNotExists()
    .addColumn('SID', 'char(9)', (c) => c.notNull())
    .addColumn('ALIAS_SEQ', 'integer', (c) => c.notNull())
    .addColumn('NAM_LAST', 'varchar(40)', (c) => c.notNull())
    .addColumn('NAM_FIRST', 'varchar(30)', (c) => c.notNull())
    .addColumn('NAM_MID', 'varchar(30)')
    .addColumn('NAM_SFX', 'varchar(4)')
    .addColumn('SNDX_LAST', 'varchar(4)', (c) => c.notNull())
    .addColumn('SNDX_FIRST', 'varchar(4)', (c) => c.notNull())
    .addColumn('PRI_LAST', 'varchar(40)', (c) => c.notNull())
    .addColumn('PRI_FIRST', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('MNI_ALIAS_PK', ['SID', 'ALIAS_SEQ'])
    .addForeignKeyConstraint('MNI_ALIAS_SID_FK', ['SID'], 'MNI_PERSON', ['SID'])
    .execute();
  await db.schema
    .createTable('MNI_SMT').ifNotExists()
    .addColumn('SID', 'char(9)', (c) => c.notNull())
    .addColumn('SMT_SEQ', 'integer', (c) => c.notNull())
    .addColumn('SMT_DESC', 'varchar(80)', (c) => c.notNull())
    .addPrimaryKeyConstraint('MNI_SMT_PK', ['SID', 'SMT_SEQ'])
    .addForeignKeyConstraint('MNI_SMT_SID_FK', ['SID'], 'MNI_PERSON', ['SID'])
    .execute();
  await db.schema
    .createTable('CCH_ARREST').ifNotExists()
    .addColumn('OTN', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('SID', 'char(9)', (c) => c.notNull())
    .addColumn('ARR_DT', 'char(8)', (c) => c.notNull())
    .addColumn('ARR_ORI', 'varchar(9)', (c) => c.notNull())
    .addColumn('ARR_AGCY', 'varchar(80)', (c) => c.notNull())
    .addColumn('DKT_NO', 'varchar(20)')
    .addColumn('ERASED_IND', 'char(1)', (c) => c.notNull().defaultTo('N'))
    .addForeignKeyConstraint('CCH_ARREST_SID_FK', ['SID'], 'MNI_PERSON', ['SID'])
    .execute();
  await db.schema
    .createTable('CCH_CHARGE').ifNotExists()
    .addColumn('OTN', 'varchar(20)', (c) => c.notNull())
    .addColumn('CHG_SEQ', 'integer', (c) => c.notNull())
    .addColumn('STATUTE', 'varchar(20)', (c) => c.notNull())
    .addColumn('CHG_DESC', 'varchar(120)', (c) => c.notNull())
    .addColumn('NCIC_CD', 'char(4)', (c) => c.notNull())
    .addColumn('OFF_CLASS', 'char(2)', (c) => c.notNull())
    .addColumn('CRT_DISP_CD', 'char(3)')
    .addColumn('CRT_DISP_DT', 'char(8)')
    .addPrimaryKeyConstraint('CCH_CHARGE_PK', ['OTN', 'CHG_SEQ'])
    .addForeignKeyConstraint('CCH_CHARGE_OTN_FK', ['OTN'], 'CCH_ARREST', ['OTN'])
    .execute();
  await db.schema
    .createTable('SOR_REGISTRANT').ifNotExists()
    .addColumn('REG_NO', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('SID', 'char(9)', (c) => c.notNull())
    .addColumn('DKT_NO', 'varchar(20)')
    .addColumn('REG_STAT_CD', 'char(1)', (c) => c.notNull())
    .addColumn('COMPLY_IND', 'char(1)', (c) => c.notNull())
    .addColumn('REG_DT', 'date', (c) => c.notNull())
    .addColumn('EXP_DT', 'date')
    .addColumn('LAST_VERIF_DT', 'date', (c) => c.notNull())
    .addColumn('ADDR_STREET', 'varchar(100)', (c) => c.notNull())
    .addColumn('ADDR_CITY', 'varchar(40)', (c) => c.notNull())
    .addColumn('ADDR_ST', 'char(2)', (c) => c.notNull())
    .addColumn('ADDR_ZIP', 'varchar(10)', (c) => c.notNull())
    .addColumn('LAST_UPD_TS', 'char(26)', (c) => c.notNull())
    .addForeignKeyConstraint('SOR_REGISTRANT_SID_FK', ['SID'], 'MNI_PERSON', ['SID'])
    .execute();

  await addAliasSoundex(db);
  await addAliasSortKey(db);

  // Search paths: name (also the keyset order of searchOffenders), phonetic codes,
  // date of birth, sex, race, FBI number; the same name paths on aliases (a name search
  // matches them too); foreign keys not already leading a key.
  const indexes: Array<[string, keyof DpsDatabase, string[], boolean?]> = [
    // Name search (store/search.ts): each index leads with what a criterion fixes and
    // continues with the page order (person's last, first, SID), so a page is the first
    // `limit` entries after the cursor, never a sort of every match.
    ['MNI_PERSON_NAME_IX', 'MNI_PERSON', ['NAM_LAST', 'NAM_FIRST', 'SID']],
    ['MNI_PERSON_FIRST_PAGE_IX', 'MNI_PERSON', ['NAM_FIRST', 'NAM_LAST', 'SID']],
    ['MNI_PERSON_SNDX_PAGE_IX', 'MNI_PERSON', ['SNDX_LAST', 'NAM_LAST', 'NAM_FIRST', 'SID']],
    ['MNI_PERSON_DOB_IX', 'MNI_PERSON', ['DOB']],
    ['MNI_PERSON_SEX_IX', 'MNI_PERSON', ['SEX_CD']],
    ['MNI_PERSON_RACE_IX', 'MNI_PERSON', ['RACE_CD']],
    ['MNI_PERSON_FBI_IX', 'MNI_PERSON', ['FBI_NO']],
    ['MNI_ALIAS_NAME_PAGE_IX', 'MNI_ALIAS', ['NAM_LAST', 'PRI_LAST', 'PRI_FIRST', 'SID', 'ALIAS_SEQ']],
    ['MNI_ALIAS_FIRST_PAGE_IX', 'MNI_ALIAS', ['NAM_FIRST', 'PRI_LAST', 'PRI_FIRST', 'SID', 'ALIAS_SEQ']],
    ['MNI_ALIAS_SNDX_PAGE_IX', 'MNI_ALIAS', ['SNDX_LAST', 'PRI_LAST', 'PRI_FIRST', 'SID', 'ALIAS_SEQ']],
    ['CCH_ARREST_SID_IX', 'CCH_ARREST', ['SID', 'ERASED_IND', 'ARR_DT']],
    ['SOR_REGISTRANT_SID_IX', 'SOR_REGISTRANT', ['SID'], true],
  ];
  for (const [name, table, columns, unique] of indexes) {
    let index = db.schema.createIndex(name).ifNotExists().on(table).columns(columns);
    if (unique) index = index.unique();
    await index.execute();
  }
  // Superseded by the *_PAGE_IX indexes above (they did not hold the page order); MariaDB's
  // DROP INDEX names the table.
  const superseded: Array<[string, keyof DpsDatabase]> = [
    ['MNI_PERSON_FIRST_IX', 'MNI_PERSON'], ['MNI_PERSON_SNDX_IX', 'MNI_PERSON'],
    ['MNI_ALIAS_NAME_IX', 'MNI_ALIAS'], ['MNI_ALIAS_FIRST_IX', 'MNI_ALIAS'], ['MNI_ALIAS_SNDX_IX', 'MNI_ALIAS'],
  ];
  for (const [name, table] of superseded) {
    const drop = db.schema.dropIndex(name).ifExists();
    await (engine === 'mysql' ? drop.on(table) : drop).execute();
  }
}

// Private: an MNI_ALIAS created before the copied sort key gets PRI_LAST / PRI_FIRST,
// filled from each alias's person in one statement (correlated subqueries: portable).
async function addAliasSortKey(db: Kysely<DpsDatabase>): Promise<void> {
  const tables = await db.introspection.getTables();
  const alias = tables.find((t) => t.name === 'MNI_ALIAS');
  if (!alias || alias.columns.some((c) => c.name === 'PRI_LAST')) return;
  await db.schema.alterTable('MNI_ALIAS')
    .addColumn('PRI_LAST', 'varchar(40)', (c) => c.notNull().defaultTo(''))
    .addColumn('PRI_FIRST', 'varchar(30)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.updateTable('MNI_ALIAS').set((eb) => ({
    PRI_LAST: eb.selectFrom('MNI_PERSON as P').select('P.NAM_LAST').whereRef('P.SID', '=', 'MNI_ALIAS.SID'),
    PRI_FIRST: eb.selectFrom('MNI_PERSON as P').select('P.NAM_FIRST').whereRef('P.SID', '=', 'MNI_ALIAS.SID'),
  })).execute();
}

// Private: MNI_ALIAS tables created before aliases carried Soundex codes get the two
// columns, filled from the names already there: one UPDATE per code and chunk of names
// (not per row), so an existing store upgrades in a few statements per distinct code.
async function addAliasSoundex(db: Kysely<DpsDatabase>): Promise<void> {
  const tables = await db.introspection.getTables();
  const alias = tables.find((t) => t.name === 'MNI_ALIAS');
  if (!alias || alias.columns.some((c) => c.name === 'SNDX_LAST')) return;
  await db.schema.alterTable('MNI_ALIAS')
    .addColumn('SNDX_LAST', 'varchar(4)', (c) => c.notNull().defaultTo(''))
    .addColumn('SNDX_FIRST', 'varchar(4)', (c) => c.notNull().defaultTo(''))
    .execute();
  for (const [column, code] of [['NAM_LAST', 'SNDX_LAST'], ['NAM_FIRST', 'SNDX_FIRST']] as const) {
    const names = await db.selectFrom('MNI_ALIAS').select(column).distinct().execute();
    const byCode = new Map<string, string[]>();
    for (const row of names) {
      const name = row[column];
      byCode.set(soundex(name), [...(byCode.get(soundex(name)) ?? []), name]);
    }
    for (const [value, group] of byCode) {
      for (const part of chunk(group, 1_000)) await db.updateTable('MNI_ALIAS').set(code, value).where(column, 'in', part).execute();
    }
  }
}
