// What the DOC store reports as change events (subgraphs/shared/outbox): admissions,
// transfers, releases, time calculations, parole, and erasures DOC applied.
import type { Kysely } from 'kysely';
import { changed, type ChangeTrigger, type RowSql } from '../../shared/outbox/triggers.ts';
import type { CorrectionDatabase } from './schema.ts';
import type { EraseDocket } from '../../shared/events/erasure.ts';

const inmateSid = (r: RowSql) => `(SELECT m.sid_no FROM omis_inmt_mstr m WHERE m.inmt_no = ${r.row('inmt_no')})`;
const admissionKey = (r: RowSql) => `concat(${r.row('inmt_no')}, '-', ${r.row('adm_seq')})`;
const erasedNow = (r: RowSql) => `${changed(r.old('erase_ind'), r.row('erase_ind'))} AND ${r.row('erase_ind')} = 'Y'`;
const setNow = (column: string) => (r: RowSql) => `${changed(r.old(column), r.row(column))} AND ${r.row(column)} IS NOT NULL`;

export const CORRECTION_TRIGGERS: ChangeTrigger[] = [
  { name: 'admission', table: 'omis_adm', on: 'insert', system: 'OMIS', kind: 'ADMISSION', key: admissionKey, sid: inmateSid, docket: (r) => r.row('dkt_no') },
  { name: 'release', table: 'omis_adm', on: 'update', system: 'OMIS', kind: 'RELEASE', when: setNow('rel_dt'), key: admissionKey, sid: inmateSid, docket: (r) => r.row('dkt_no') },
  { name: 'admission_erased', table: 'omis_adm', on: 'update', system: 'OMIS', kind: 'ERASURE', when: erasedNow, key: admissionKey, sid: inmateSid, docket: (r) => r.row('dkt_no') },
  {
    name: 'transfer', table: 'omis_mvmt', on: 'insert', system: 'OMIS', kind: 'TRANSFER', when: (r) => `${r.row('mvmt_rsn_cd')} = 'TRF'`,
    key: (r) => `concat(${r.row('inmt_no')}, '-', ${r.row('adm_seq')}, '-', ${r.row('mvmt_seq')})`, sid: inmateSid,
  },
  { name: 'time_calculation', table: 'stc_sent_calc', on: 'insert', system: 'STC', kind: 'TIME_CALCULATION', key: (r) => `concat(${r.row('dkt_no')}, '/', ${r.row('inmt_no')})`, sid: inmateSid, docket: (r) => r.row('dkt_no') },
  { name: 'time_calculation_erased', table: 'stc_sent_calc', on: 'update', system: 'STC', kind: 'ERASURE', when: erasedNow, key: (r) => `concat(${r.row('dkt_no')}, '/', ${r.row('inmt_no')})`, sid: inmateSid, docket: (r) => r.row('dkt_no') },
  { name: 'parole_start', table: 'prl_case', on: 'insert', system: 'Parole', kind: 'PAROLE_START', key: (r) => r.row('prl_case_no'), sid: inmateSid },
  {
    name: 'parole_violation', table: 'prl_case', on: 'update', system: 'Parole', kind: 'PAROLE_VIOLATION',
    when: (r) => `${changed(r.old('prl_stat_cd'), r.row('prl_stat_cd'))} AND ${r.row('prl_stat_cd')} = 'V'`, key: (r) => r.row('prl_case_no'), sid: inmateSid,
  },
  { name: 'parole_end', table: 'prl_case', on: 'update', system: 'Parole', kind: 'PAROLE_END', when: setNow('end_dt'), key: (r) => r.row('prl_case_no'), sid: inmateSid },
];

/** Which of these dockets DOC holds as erased admissions or time calculations (one statement). */
export async function erasedDockets(db: Kysely<any>, dockets: string[]): Promise<Set<string>> {
  const list = [...dockets, '-'];
  const rows = await (db as Kysely<CorrectionDatabase>).selectFrom('omis_adm').select('dkt_no').where('erase_ind', '=', 'Y').where('dkt_no', 'in', list)
    .union((db as Kysely<CorrectionDatabase>).selectFrom('stc_sent_calc').select('dkt_no').where('erase_ind', '=', 'Y').where('dkt_no', 'in', list))
    .execute();
  return new Set(rows.map((row) => row.dkt_no));
}

/** Applies a court erasure to OMIS and STC: the docket's incarcerations and time calculations (C.G.S. 54-142a). */
export const eraseDocket: EraseDocket = async (trx, docket) => {
  const typed = trx as unknown as Kysely<CorrectionDatabase>;
  const admissions = await typed.updateTable('omis_adm').set({ erase_ind: 'Y' }).where('dkt_no', '=', docket).where('erase_ind', '=', 'N').executeTakeFirst();
  const calculations = await typed.updateTable('stc_sent_calc').set({ erase_ind: 'Y' }).where('dkt_no', '=', docket).where('erase_ind', '=', 'N').executeTakeFirst();
  return Number(admissions.numUpdatedRows) + Number(calculations.numUpdatedRows);
};
