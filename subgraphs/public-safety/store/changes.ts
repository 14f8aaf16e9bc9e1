// What the DPS store reports as change events (subgraphs/shared/outbox), on MariaDB and
// PGlite alike: new identifications, arrests, court dispositions posted to CCH, erasures,
// and sex-offender registrations.
import type { Kysely } from 'kysely';
import { changed, type ChangeTrigger, type RowSql } from '../../shared/outbox/triggers.ts';
import type { DpsDatabase } from './schema.ts';
import type { EraseDocket } from '../../shared/events/erasure.ts';

const arrestSid = (r: RowSql) => `(SELECT a.${r.col('SID')} FROM ${r.table('CCH_ARREST')} a WHERE a.${r.col('OTN')} = ${r.row('OTN')})`;
const arrestDocket = (r: RowSql) => `(SELECT a.${r.col('DKT_NO')} FROM ${r.table('CCH_ARREST')} a WHERE a.${r.col('OTN')} = ${r.row('OTN')})`;

export const PUBLIC_SAFETY_TRIGGERS: ChangeTrigger[] = [
  { name: 'identified', table: 'MNI_PERSON', on: 'insert', system: 'MNI/CCH', kind: 'IDENTIFICATION', key: (r) => r.row('SID'), sid: (r) => r.row('SID') },
  { name: 'arrest', table: 'CCH_ARREST', on: 'insert', system: 'MNI/CCH', kind: 'ARREST', key: (r) => r.row('OTN'), sid: (r) => r.row('SID'), docket: (r) => r.row('DKT_NO') },
  // DPS applying a court's erasure (C.G.S. 54-142a) is itself an event: the record that it did.
  {
    name: 'arrest_erased', table: 'CCH_ARREST', on: 'update', system: 'MNI/CCH', kind: 'ERASURE',
    when: (r) => `${changed(r.old('ERASED_IND'), r.row('ERASED_IND'))} AND ${r.row('ERASED_IND')} = 'Y'`,
    key: (r) => r.row('OTN'), sid: (r) => r.row('SID'), docket: (r) => r.row('DKT_NO'),
  },
  {
    name: 'disposition', table: 'CCH_CHARGE', on: 'update', system: 'MNI/CCH', kind: 'DISPOSITION',
    when: (r) => `${changed(r.old('CRT_DISP_CD'), r.row('CRT_DISP_CD'))} AND ${r.row('CRT_DISP_CD')} IS NOT NULL`,
    key: (r) => `concat(${r.row('OTN')}, '/', ${r.row('CHG_SEQ')})`, sid: arrestSid, docket: arrestDocket,
  },
  { name: 'registration', table: 'SOR_REGISTRANT', on: 'insert', system: 'SOR', kind: 'REGISTRATION', key: (r) => r.row('REG_NO'), sid: (r) => r.row('SID'), docket: (r) => r.row('DKT_NO') },
  {
    name: 'registration_change', table: 'SOR_REGISTRANT', on: 'update', system: 'SOR', kind: 'REGISTRATION_CHANGE',
    when: (r) => changed(r.old('REG_STAT_CD'), r.row('REG_STAT_CD')), key: (r) => r.row('REG_NO'), sid: (r) => r.row('SID'), docket: (r) => r.row('DKT_NO'),
  },
];

/** Which of these dockets DPS holds only as erased arrests (one statement; feed filter). */
export async function erasedDockets(db: Kysely<any>, dockets: string[]): Promise<Set<string>> {
  const rows = await (db as Kysely<DpsDatabase>).selectFrom('CCH_ARREST').select('DKT_NO')
    .where('ERASED_IND', '=', 'Y').where('DKT_NO', 'in', [...dockets, '-']).execute();
  return new Set(rows.flatMap((row) => (row.DKT_NO ? [row.DKT_NO] : [])));
}

/** Applies a court erasure to CCH: the arrest cycles of the docket (C.G.S. 54-142a). */
export const eraseDocket: EraseDocket = async (trx, docket) => {
  const result = await (trx as unknown as Kysely<DpsDatabase>).updateTable('CCH_ARREST').set({ ERASED_IND: 'Y' })
    .where('DKT_NO', '=', docket).where('ERASED_IND', '=', 'N').executeTakeFirst();
  return Number(result.numUpdatedRows);
};
