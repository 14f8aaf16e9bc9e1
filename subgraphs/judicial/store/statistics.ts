// Branch-wide aggregates for statistical and administrative reports (reports/README.md):
// each function is ONE statement that groups in SQL (GROUP BY, CASE bands), so a count
// over 100 000 records returns a handful of rows. Records tied to a docket erased under
// C.G.S. 54-142a count nowhere (docketNotErased, as in every other query of this store).
import { sql, type Kysely } from 'kysely';
import type { JudicialDb } from './tables.ts';
import * as code from './codes.ts';
import { docketNotErased } from './erasure.ts';

/** Age bands of an active warrant on the report date (days since issue), in report order. */
export const WARRANT_AGE_BANDS = [
  { band: 'UNDER_30_DAYS', below: 30 },
  { band: 'DAYS_30_TO_89', below: 90 },
  { band: 'DAYS_90_TO_364', below: 365 },
  { band: 'YEARS_1_TO_2', below: 730 },
  { band: 'YEARS_2_TO_5', below: 1826 },
  { band: 'YEARS_5_AND_OVER', below: null },
] as const;

export interface WarrantActiveCount { court: { code: string; name: string | null }; ageBand: string; count: number }
export interface WarrantFlowCount { court: { code: string; name: string | null }; type: string; issued: number; served: number }
export interface OrderCount { type: string; inEffect: number; expiring: number }
export interface ProbationCaseloadCount { office: string; status: string; count: number }

// Private: the CASE expression that names a warrant's age band on `on`.
function ageBand(on: string) {
  const age = sql`(cast(${on} as date) - w.iss_dt)`;
  const whens = WARRANT_AGE_BANDS.map(({ band, below }) => (below === null ? sql`else ${band}` : sql`when ${age} < ${below} then ${band}`));
  return sql<string>`case ${sql.join(whens, sql` `)} end`;
}

/**
 * Warrants active on `on`: issued on or before it and not yet served or vacated by then
 * (closed later, or not at all), by issuing court and age band.
 */
export async function activeWarrantCounts(db: Kysely<JudicialDb>, on: string): Promise<WarrantActiveCount[]> {
  // The band is computed in a derived table so GROUP BY names it once (bound parameters
  // would make two spellings of the same CASE differ).
  const active = db.selectFrom('prawn.wrnt as w')
    .select(['w.crt_loc', ageBand(on).as('age_band')])
    .where('w.iss_dt', '<=', on)
    .where((eb) => eb.or([eb('w.clsd_dt', 'is', null), eb('w.clsd_dt', '>', on)]))
    .where((eb) => docketNotErased(eb, 'w.dkt_no'))
    .as('a');
  const rows = await db.selectFrom(active)
    .leftJoin('ccms.crt_loc_ref as r', 'r.crt_loc', 'a.crt_loc')
    .select((eb) => ['a.crt_loc', 'r.crt_nm', 'a.age_band', eb.fn.countAll<number>().as('n')])
    .groupBy(['a.crt_loc', 'r.crt_nm', 'a.age_band'])
    .orderBy('a.crt_loc').orderBy('a.age_band')
    .execute();
  return rows.map((row) => ({ court: { code: row.crt_loc, name: row.crt_nm }, ageBand: row.age_band, count: Number(row.n) }));
}

/**
 * Warrants issued from `from` to `to` (inclusive), and warrants served in that period
 * (closed with status served), by issuing court and warrant type.
 */
export async function warrantFlowCounts(db: Kysely<JudicialDb>, from: string, to: string): Promise<WarrantFlowCount[]> {
  const served = code.warrantStatus.codesOf('SERVED');
  const issuedIn = sql<number>`sum(case when w.iss_dt between ${from} and ${to} then 1 else 0 end)`;
  const servedIn = sql<number>`sum(case when w.wrnt_stat_cd in (${sql.join(served)}) and w.clsd_dt between ${from} and ${to} then 1 else 0 end)`;
  const rows = await db.selectFrom('prawn.wrnt as w')
    .leftJoin('ccms.crt_loc_ref as r', 'r.crt_loc', 'w.crt_loc')
    .select(['w.crt_loc', 'r.crt_nm', 'w.wrnt_typ_cd', issuedIn.as('issued'), servedIn.as('served')])
    .where((eb) => eb.or([eb.between('w.iss_dt', from, to), eb.between('w.clsd_dt', from, to)]))
    .where((eb) => docketNotErased(eb, 'w.dkt_no'))
    .groupBy(['w.crt_loc', 'r.crt_nm', 'w.wrnt_typ_cd'])
    .orderBy('w.crt_loc').orderBy('w.wrnt_typ_cd')
    .execute();
  return rows
    .map((row) => ({ court: { code: row.crt_loc, name: row.crt_nm }, type: code.warrantType.decode(row.wrnt_typ_cd), issued: Number(row.issued), served: Number(row.served) }))
    .filter((row) => row.issued > 0 || row.served > 0);
}

/**
 * Protective orders in effect on `on` (issued on or before it, expiring on or after it,
 * not vacated by then), by type; `expiring` counts those of them that expire within
 * `withinDays` days after `on` (on day on+1 … on+withinDays).
 */
export async function orderCounts(db: Kysely<JudicialDb>, on: string, withinDays: number): Promise<OrderCount[]> {
  const expiring = sql<number>`sum(case when o.exp_dt <= cast(${on} as date) + ${withinDays}::int and o.exp_dt > cast(${on} as date) then 1 else 0 end)`;
  const rows = await db.selectFrom('por.prot_ord as o')
    .select((eb) => ['o.ord_typ_cd', eb.fn.countAll<number>().as('n'), expiring.as('expiring')])
    .where('o.iss_dt', '<=', on)
    .where('o.exp_dt', '>=', on)
    .where((eb) => eb.or([eb('o.vac_dt', 'is', null), eb('o.vac_dt', '>', on)]))
    .where((eb) => docketNotErased(eb, 'o.dkt_no'))
    .groupBy('o.ord_typ_cd')
    .orderBy('o.ord_typ_cd')
    .execute();
  return rows.map((row) => ({ type: code.orderType.decode(row.ord_typ_cd), inEffect: Number(row.n), expiring: Number(row.expiring) }));
}

/**
 * Probation cases under supervision on `on` (started on or before it, not ended by then),
 * by office and the case's recorded status.
 */
export async function probationCaseloadCounts(db: Kysely<JudicialDb>, on: string): Promise<ProbationCaseloadCount[]> {
  const rows = await db.selectFrom('pcms.prob_case as p')
    .select((eb) => ['p.ofc_nm', 'p.prob_stat_cd', eb.fn.countAll<number>().as('n')])
    .where('p.strt_dt', '<=', on)
    .where((eb) => eb.or([eb('p.end_dt', 'is', null), eb('p.end_dt', '>', on)]))
    .where((eb) => docketNotErased(eb, 'p.dkt_no'))
    .groupBy(['p.ofc_nm', 'p.prob_stat_cd'])
    .orderBy('p.ofc_nm').orderBy('p.prob_stat_cd')
    .execute();
  return rows.map((row) => ({ office: row.ofc_nm, status: code.probationStatus.decode(row.prob_stat_cd), count: Number(row.n) }));
}
