// DOC aggregates for statistical reports (reports/README.md): each function is ONE
// statement that groups in SQL. The facility a person was held in on the report date
// comes from the movement history with a window function (the latest admission or
// transfer on or before the date), so a past date counts people where they were then.
// Erased admissions and parole cases (C.G.S. 54-142a) count nowhere.
import { sql, type Kysely } from 'kysely';
import { PAROLE_STATUS, decode } from './codes.ts';
import type { CorrectionDatabase } from './schema.ts';

type Db = Kysely<CorrectionDatabase>;

export interface CustodyPopulationCount { facility: { code: string; name: string }; custodyLevel: number; count: number }
export interface ParoleCaseloadCount { district: string; status: string; count: number }

/**
 * People in DOC custody on `on` (admitted on or before it, not released by then), by the
 * facility they were held in that day and their custody level (OMIS keeps the current
 * level only, so a past date is counted at today's level).
 */
export async function custodyPopulationCounts(db: Db, on: string): Promise<CustodyPopulationCount[]> {
  const result = await sql<{ fac_cd: string; fac_nm: string; cust_lvl: number; n: number | string }>`
    with held as (
      select a.inmt_no, a.adm_seq, a.fac_cd, a.cust_lvl
      from omis_adm a
      where a.erase_ind = 'N' and a.adm_dt <= ${on} and (a.rel_dt is null or a.rel_dt > ${on})
    ), placed as (
      select v.inmt_no, v.adm_seq, v.to_fac_cd,
             row_number() over (partition by v.inmt_no, v.adm_seq order by v.mvmt_dt desc, v.mvmt_seq desc) as latest
      from omis_mvmt v
      join held h on h.inmt_no = v.inmt_no and h.adm_seq = v.adm_seq
      where v.mvmt_dt <= ${on} and v.mvmt_rsn_cd in ('ADM', 'TRF')
    )
    select f.fac_cd, f.fac_nm, h.cust_lvl, count(*) as n
    from held h
    left join placed p on p.inmt_no = h.inmt_no and p.adm_seq = h.adm_seq and p.latest = 1
    join omis_fac f on f.fac_cd = coalesce(p.to_fac_cd, h.fac_cd)
    group by f.fac_cd, f.fac_nm, h.cust_lvl
    order by f.fac_cd, h.cust_lvl`.execute(db);
  return result.rows.map((row) => ({ facility: { code: row.fac_cd, name: row.fac_nm }, custodyLevel: Number(row.cust_lvl), count: Number(row.n) }));
}

/** Parole cases under supervision on `on` (started on or before it, not ended by then), by district and status. */
export async function paroleCaseloadCounts(db: Db, on: string): Promise<ParoleCaseloadCount[]> {
  const rows = await db.selectFrom('prl_case as p')
    .select((eb) => ['p.dist_nm', 'p.prl_stat_cd', eb.fn.countAll<number>().as('n')])
    .where('p.erase_ind', '=', 'N')
    .where('p.strt_dt', '<=', on)
    .where((eb) => eb.or([eb('p.end_dt', 'is', null), eb('p.end_dt', '>', on)]))
    .groupBy(['p.dist_nm', 'p.prl_stat_cd'])
    .orderBy('p.dist_nm').orderBy('p.prl_stat_cd')
    .execute();
  return rows.map((row) => ({ district: row.dist_nm, status: decode(PAROLE_STATUS, row.prl_stat_cd, 'prl_stat_cd'), count: Number(row.n) }));
}
