// POR queries: protective orders by SID and by number (with their conditions), and the
// protected persons of orders, kept apart because they will need their own permission.
// Orders issued in an erased criminal case never leave the store (C.G.S. 54-142a).
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { JudicialDb } from './tables.ts';
import type { CourtRecord } from './cases.ts';
import * as code from './codes.ts';
import { docketNotErased } from './erasure.ts';

/** An order as the contract shows it (status is computed for a date by the caller). */
export interface ProtectiveOrderRecord {
  orderNumber: string;
  sid: string;
  type: string;
  issuedDate: string;
  expirationDate: string;
  modifiedDate: string | null;
  vacatedDate: string | null;
  court: CourtRecord;
  docketNumber: string | null;
  conditions: string[];
  /** When POR last changed the order (ISO 8601 UTC). */
  recordLastUpdated: string;
}

/** A person an order protects. */
export interface ProtectedPersonRecord {
  orderNumber: string;
  /** "LAST, FIRST MIDDLE SUFFIX", as the registry prints it. */
  name: string;
  dateOfBirth: string;
  relationship: string;
}

// Private: the order with its court name and its conditions in order.
function selectOrders(db: Kysely<JudicialDb>) {
  return db.selectFrom('por.prot_ord as o')
    .leftJoin('ccms.crt_loc_ref as r', 'r.crt_loc', 'o.crt_loc')
    .select(['o.ord_no', 'o.sid_no', 'o.ord_typ_cd', 'o.iss_dt', 'o.exp_dt', 'o.mod_dt', 'o.vac_dt', 'o.crt_loc', 'r.crt_nm', 'o.dkt_no', 'o.last_chg_ts'])
    .select((eb) => jsonArrayFrom(
      eb.selectFrom('por.ord_cond as c').select('c.cond_txt').whereRef('c.ord_no', '=', 'o.ord_no').orderBy('c.cond_seq'),
    ).as('conds'))
    .where((eb) => docketNotErased(eb, 'o.dkt_no'));
}

type OrderRow = Awaited<ReturnType<ReturnType<typeof selectOrders>['execute']>>[number];

function toOrder(row: OrderRow): ProtectiveOrderRecord {
  return {
    orderNumber: row.ord_no,
    sid: row.sid_no,
    type: code.orderType.decode(row.ord_typ_cd),
    issuedDate: row.iss_dt,
    expirationDate: row.exp_dt,
    modifiedDate: row.mod_dt,
    vacatedDate: row.vac_dt,
    court: { code: row.crt_loc, name: row.crt_nm },
    docketNumber: row.dkt_no === null ? null : code.canonicalDocket(row.dkt_no),
    conditions: row.conds.map((c) => c.cond_txt),
    recordLastUpdated: code.isoTimestamp(row.last_chg_ts),
  };
}

/** Orders against these SIDs, newest issue date first. */
export async function ordersBySids(db: Kysely<JudicialDb>, sids: readonly string[]): Promise<ProtectiveOrderRecord[]> {
  if (sids.length === 0) return [];
  const rows = await selectOrders(db)
    .where('o.sid_no', 'in', sids)
    .orderBy('o.iss_dt', 'desc').orderBy('o.ord_no', 'desc')
    .execute();
  return rows.map(toOrder);
}

/** Orders with these numbers. */
export async function ordersByNumbers(db: Kysely<JudicialDb>, numbers: readonly string[]): Promise<ProtectiveOrderRecord[]> {
  if (numbers.length === 0) return [];
  return (await selectOrders(db).where('o.ord_no', 'in', numbers).execute()).map(toOrder);
}

/** The protected persons of these orders, in registry order (none for erased-case orders). */
export async function protectedPersonsByOrders(db: Kysely<JudicialDb>, numbers: readonly string[]): Promise<ProtectedPersonRecord[]> {
  if (numbers.length === 0) return [];
  const rows = await db.selectFrom('por.prot_prsn as p')
    .innerJoin('por.prot_ord as o', 'o.ord_no', 'p.ord_no')
    .select(['p.ord_no', 'p.lst_nm', 'p.fst_nm', 'p.mid_nm', 'p.sfx_nm', 'p.dob_dt', 'p.rel_desc'])
    .where('p.ord_no', 'in', numbers)
    .where((eb) => docketNotErased(eb, 'o.dkt_no'))
    .orderBy('p.ord_no').orderBy('p.prsn_seq')
    .execute();
  return rows.map((row) => ({
    orderNumber: row.ord_no,
    name: registryName(row.lst_nm, row.fst_nm, row.mid_nm, row.sfx_nm),
    dateOfBirth: row.dob_dt,
    relationship: row.rel_desc,
  }));
}

/** A name as POR prints it: "LAST, FIRST MIDDLE SUFFIX" (empty parts left out). */
export function registryName(last: string, first: string, middle: string | null, suffix: string | null): string {
  return `${last}, ${[first, middle, suffix].filter(Boolean).join(' ')}`;
}
