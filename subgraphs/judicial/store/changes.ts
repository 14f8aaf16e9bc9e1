// What the Judicial Branch store reports as change events (subgraphs/shared/outbox):
// one trigger per table event that means something to another agency or a subscriber.
// Dockets leave in canonical form (H12M-CR19-0123456-S), as the contract shows them.
import type { Kysely } from 'kysely';
import { changed, type ChangeTrigger, type RowSql } from '../../shared/outbox/triggers.ts';
import type { JudicialDb } from './tables.ts';
import { NOT_ERASED } from './erasure.ts';
import { canonicalDocket, storedDocket } from './codes.ts';

// Private: CCMS keys dockets without hyphens; events carry the canonical form.
const canonical = (docket: string) =>
  `CASE WHEN ${docket} IS NULL THEN NULL ELSE concat(substr(${docket}, 1, 4), '-', substr(${docket}, 5, 4), '-', substr(${docket}, 9, 7), '-', substr(${docket}, 16, 1)) END`;
const caseSid = (r: RowSql, docket: string) => `(SELECT c.sid_no FROM ccms.crim_case c WHERE c.dkt_no = ${docket})`;
const probationSid = (r: RowSql) => `(SELECT p.sid_no FROM pcms.prob_case p WHERE p.prob_case_no = ${r.row('prob_case_no')})`;
const newDocket = (r: RowSql) => canonical(r.row('dkt_no'));

export const JUDICIAL_TRIGGERS: ChangeTrigger[] = [
  { name: 'case_arraigned', table: 'ccms.crim_case', on: 'insert', system: 'CCMS', kind: 'ARRAIGNMENT', key: newDocket, sid: (r) => r.row('sid_no'), docket: newDocket },
  // C.G.S. 54-142a: the clerk's erasure is what the other agencies must act on (54-142c).
  {
    name: 'case_erased', table: 'ccms.crim_case', on: 'update', system: 'CCMS', kind: 'ERASURE',
    when: (r) => `${changed(r.old('erase_flg'), r.row('erase_flg'))} AND ${r.row('erase_flg')} <> 'N'`,
    key: newDocket, sid: (r) => r.row('sid_no'), docket: newDocket,
  },
  {
    name: 'case_status', table: 'ccms.crim_case', on: 'update', system: 'CCMS', kind: 'CASE_STATUS',
    when: (r) => changed(r.old('case_stat_cd'), r.row('case_stat_cd')), key: newDocket, sid: (r) => r.row('sid_no'), docket: newDocket,
  },
  { name: 'disposition', table: 'ccms.dispo', on: 'insert', system: 'CCMS', kind: 'DISPOSITION', key: (r) => `concat(${newDocket(r)}, '/', ${r.row('cnt_no')})`, sid: (r) => caseSid(r, r.row('dkt_no')), docket: newDocket },
  { name: 'sentence', table: 'ccms.sntnc', on: 'insert', system: 'CCMS', kind: 'SENTENCE', key: newDocket, sid: (r) => caseSid(r, r.row('dkt_no')), docket: newDocket },
  { name: 'warrant_issued', table: 'prawn.wrnt', on: 'insert', system: 'PRAWN', kind: 'WARRANT_ISSUED', key: (r) => r.row('wrnt_no'), sid: (r) => r.row('sid_no'), docket: newDocket },
  ...(['S', 'V'] as const).map((code): ChangeTrigger => ({
    name: code === 'S' ? 'warrant_served' : 'warrant_vacated', table: 'prawn.wrnt', on: 'update', system: 'PRAWN',
    kind: code === 'S' ? 'WARRANT_SERVED' : 'WARRANT_VACATED',
    when: (r) => `${changed(r.old('wrnt_stat_cd'), r.row('wrnt_stat_cd'))} AND ${r.row('wrnt_stat_cd')} = '${code}'`,
    key: (r) => r.row('wrnt_no'), sid: (r) => r.row('sid_no'), docket: newDocket,
  })),
  { name: 'order_issued', table: 'por.prot_ord', on: 'insert', system: 'POR', kind: 'ORDER_ISSUED', key: (r) => r.row('ord_no'), sid: (r) => r.row('sid_no'), docket: newDocket },
  ...(['mod_dt', 'vac_dt'] as const).map((column): ChangeTrigger => ({
    name: column === 'mod_dt' ? 'order_modified' : 'order_vacated', table: 'por.prot_ord', on: 'update', system: 'POR',
    kind: column === 'mod_dt' ? 'ORDER_MODIFIED' : 'ORDER_VACATED',
    when: (r) => `${changed(r.old(column), r.row(column))} AND ${r.row(column)} IS NOT NULL`,
    key: (r) => r.row('ord_no'), sid: (r) => r.row('sid_no'), docket: newDocket,
  })),
  { name: 'infraction', table: 'cib.tkt', on: 'insert', system: 'CIB', kind: 'INFRACTION', key: (r) => r.row('tkt_no'), sid: (r) => r.row('sid_no') },
  { name: 'probation_start', table: 'pcms.prob_case', on: 'insert', system: 'PCMS', kind: 'PROBATION_START', key: (r) => r.row('prob_case_no'), sid: (r) => r.row('sid_no'), docket: newDocket },
  {
    name: 'probation_end', table: 'pcms.prob_case', on: 'update', system: 'PCMS', kind: 'PROBATION_END',
    when: (r) => `${changed(r.old('end_dt'), r.row('end_dt'))} AND ${r.row('end_dt')} IS NOT NULL`,
    key: (r) => r.row('prob_case_no'), sid: (r) => r.row('sid_no'), docket: newDocket,
  },
  { name: 'probation_violation', table: 'pcms.prob_viol', on: 'insert', system: 'PCMS', kind: 'PROBATION_VIOLATION', key: (r) => `concat(${r.row('prob_case_no')}, '/', ${r.row('viol_seq')})`, sid: probationSid },
];

/** Which of these canonical dockets CCMS holds as erased (one statement; feed filter). */
export async function erasedDockets(db: Kysely<any>, dockets: string[]): Promise<Set<string>> {
  const rows = await (db as Kysely<JudicialDb>).selectFrom('ccms.crim_case').select('dkt_no')
    .where('erase_flg', '<>', NOT_ERASED).where('dkt_no', 'in', [...dockets.map(storedDocket), '-']).execute();
  return new Set(rows.map((row) => canonicalDocket(row.dkt_no)));
}

/** The dockets of each person that CCMS holds as erased (not to be disclosed): one statement per batch. */
export async function erasedDocketsBySids(db: Kysely<any>, sids: readonly string[]): Promise<Array<{ sid: string; docketNumber: string }>> {
  const rows = await (db as Kysely<JudicialDb>).selectFrom('ccms.crim_case').select(['sid_no', 'dkt_no'])
    .where('erase_flg', '<>', NOT_ERASED).where('sid_no', 'in', [...sids]).orderBy('dkt_no').execute();
  return rows.map((row) => ({ sid: row.sid_no, docketNumber: canonicalDocket(row.dkt_no) }));
}
