// PRAWN queries: re-arrest warrants by SID, by number, and the statewide search (keyset
// pages, newest issue date first). Warrants on an erased docket never leave the store
// (C.G.S. 54-142a; see erasure.ts).
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { JudicialDb } from './tables.ts';
import type { CourtRecord } from './cases.ts';
import * as code from './codes.ts';
import { docketNotErased } from './erasure.ts';

/** A warrant as the contract shows it. */
export interface WarrantRecord {
  warrantNumber: string;
  sid: string;
  type: string;
  status: string;
  issuedDate: string;
  closedDate: string | null;
  court: CourtRecord;
  docketNumber: string;
  bondAmount: number;
  /** When PRAWN last changed the warrant (ISO 8601 UTC). */
  recordLastUpdated: string;
}

/** Filters of the statewide warrant search (already validated). */
export interface WarrantFilter {
  /** GraphQL enum value: ACTIVE, SERVED or VACATED. */
  status?: string;
  /** Court location code, e.g. H12M. */
  court?: string;
  /** Issued strictly after this date (YYYY-MM-DD). */
  issuedAfter?: string;
}

/** Position after which a page starts: the last row's issue date and number. */
export type WarrantKey = [issuedDate: string, warrantNumber: string];

// Private: the warrant with its court name, erased dockets excluded.
function selectWarrants(db: Kysely<JudicialDb>) {
  return db.selectFrom('prawn.wrnt as w')
    .leftJoin('ccms.crt_loc_ref as r', 'r.crt_loc', 'w.crt_loc')
    .select(['w.wrnt_no', 'w.sid_no', 'w.wrnt_typ_cd', 'w.wrnt_stat_cd', 'w.iss_dt', 'w.clsd_dt', 'w.crt_loc', 'r.crt_nm', 'w.dkt_no', 'w.bond_amt', 'w.last_chg_ts'])
    .where((eb) => docketNotErased(eb, 'w.dkt_no'));
}

type WarrantRow = Awaited<ReturnType<ReturnType<typeof selectWarrants>['execute']>>[number];

function toWarrant(row: WarrantRow): WarrantRecord {
  return {
    warrantNumber: row.wrnt_no,
    sid: row.sid_no,
    type: code.warrantType.decode(row.wrnt_typ_cd),
    status: code.warrantStatus.decode(row.wrnt_stat_cd),
    issuedDate: row.iss_dt,
    closedDate: row.clsd_dt,
    court: { code: row.crt_loc, name: row.crt_nm },
    docketNumber: code.canonicalDocket(row.dkt_no),
    bondAmount: row.bond_amt,
    recordLastUpdated: code.isoTimestamp(row.last_chg_ts),
  };
}

/** Warrants of these SIDs, newest first. */
export async function warrantsBySids(db: Kysely<JudicialDb>, sids: readonly string[]): Promise<WarrantRecord[]> {
  if (sids.length === 0) return [];
  const rows = await selectWarrants(db)
    .where('w.sid_no', 'in', sids)
    .orderBy('w.iss_dt', 'desc').orderBy('w.wrnt_no', 'desc')
    .execute();
  return rows.map(toWarrant);
}

/** Warrants with these numbers. */
export async function warrantsByNumbers(db: Kysely<JudicialDb>, numbers: readonly string[]): Promise<WarrantRecord[]> {
  if (numbers.length === 0) return [];
  return (await selectWarrants(db).where('w.wrnt_no', 'in', numbers).execute()).map(toWarrant);
}

// Private: the search filters as one SQL condition.
function matching(filter: WarrantFilter) {
  return (eb: ExpressionBuilder<JudicialDb & { w: JudicialDb['prawn.wrnt'] }, 'w'>) => {
    const conditions = [];
    if (filter.status) conditions.push(eb('w.wrnt_stat_cd', 'in', code.warrantStatus.codesOf(filter.status)));
    if (filter.court) conditions.push(eb('w.crt_loc', '=', filter.court));
    if (filter.issuedAfter) conditions.push(eb('w.iss_dt', '>', filter.issuedAfter));
    return eb.and(conditions);
  };
}

/**
 * One page of the statewide search: `limit` warrants after `after`, ordered by issue date
 * then warrant number, both descending (a row-value comparison, so the index on
 * (iss_dt, wrnt_no) serves the order and the page start alike).
 */
export async function searchWarrants(db: Kysely<JudicialDb>, filter: WarrantFilter, limit: number, after?: WarrantKey): Promise<WarrantRecord[]> {
  let query = selectWarrants(db).where(matching(filter));
  if (after) query = query.where((eb) => eb(eb.refTuple('w.iss_dt', 'w.wrnt_no'), '<', eb.tuple(after[0], after[1])));
  const rows = await query.orderBy('w.iss_dt', 'desc').orderBy('w.wrnt_no', 'desc').limit(limit).execute();
  return rows.map(toWarrant);
}

/** How many warrants match the search filters (all pages). */
export async function countWarrants(db: Kysely<JudicialDb>, filter: WarrantFilter): Promise<number> {
  const row = await db.selectFrom('prawn.wrnt as w')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => docketNotErased(eb, 'w.dkt_no'))
    .where(matching(filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
