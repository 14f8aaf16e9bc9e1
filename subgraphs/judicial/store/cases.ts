// CCMS queries: criminal cases by SID and by docket, and their counts. Each function is
// one SQL statement for a whole batch of keys (the DataLoaders call them), and each
// leaves erased dockets (C.G.S. 54-142a) in the database.
import type { Kysely } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { JudicialDb } from './tables.ts';
import * as code from './codes.ts';
import { NOT_ERASED } from './erasure.ts';

/** A court location: its code (the docket's first part) and name. */
export interface CourtRecord {
  code: string;
  name: string | null;
}

/** A criminal case as the contract shows it. */
export interface CourtCaseRecord {
  docketNumber: string;
  sid: string;
  court: CourtRecord;
  /** Date of the arrest that began the case, as CCMS recorded it. */
  arrestDate: string;
  arraignmentDate: string;
  status: string;
  trackingNumber: string;
  sentence: {
    date: string;
    type: string;
    termDays: number;
    suspendedDays: number;
    probationMonths: number;
    fineAmount: number;
  } | null;
  bond: { type: string; amount: number; posted: boolean } | null;
  nextHearing: { date: string; purpose: string } | null;
  recordLastUpdated: string;
}

/** One count of a case with its plea, verdict and disposition. */
export interface CourtChargeRecord {
  docketNumber: string;
  count: number;
  statute: string;
  description: string;
  offenseClass: string;
  /** The count is a family-violence crime (C.G.S. 46b-38a), CCMS's `fv_flg`. */
  familyViolence: boolean;
  plea: string | null;
  pleaDate: string | null;
  verdict: string | null;
  verdictDate: string | null;
  dispositionCode: string | null;
  dispositionDate: string | null;
}

// Private: the case with its court, bond, sentence and next scheduled calendar event.
function selectCases(db: Kysely<JudicialDb>) {
  return db.selectFrom('ccms.crim_case as k')
    .leftJoin('ccms.crt_loc_ref as r', 'r.crt_loc', 'k.crt_loc')
    .leftJoin('ccms.bond as b', 'b.dkt_no', 'k.dkt_no')
    .leftJoin('ccms.sntnc as s', 's.dkt_no', 'k.dkt_no')
    .select([
      'k.dkt_no', 'k.sid_no', 'k.crt_loc', 'r.crt_nm', 'k.arst_dt', 'k.arrgn_dt', 'k.case_stat_cd', 'k.otn_no', 'k.last_chg_ts',
      'b.bond_typ_cd', 'b.bond_amt', 'b.post_flg',
      's.sntnc_dt', 's.sntnc_typ_cd', 's.term_dd', 's.susp_dd', 's.prob_mo', 's.fine_amt',
    ])
    .select((eb) => jsonObjectFrom(
      eb.selectFrom('ccms.hrng as h')
        .select(['h.hrng_dt', 'h.hrng_purp'])
        .whereRef('h.dkt_no', '=', 'k.dkt_no')
        .where('h.hrng_stat_cd', '=', 'S')
        .orderBy('h.hrng_dt').orderBy('h.hrng_seq')
        .limit(1),
    ).as('next_hrng'))
    .where('k.erase_flg', '=', NOT_ERASED);
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof selectCases>['execute']>>[number];

// Private: legacy row → contract record.
function toCase(row: CaseRow): CourtCaseRecord {
  return {
    docketNumber: code.canonicalDocket(row.dkt_no),
    sid: row.sid_no,
    court: { code: row.crt_loc, name: row.crt_nm },
    arrestDate: row.arst_dt,
    arraignmentDate: row.arrgn_dt,
    status: code.caseStatus.decode(row.case_stat_cd),
    trackingNumber: row.otn_no,
    sentence: row.sntnc_dt === null ? null : {
      date: row.sntnc_dt,
      type: code.sentenceType.decode(row.sntnc_typ_cd!),
      termDays: row.term_dd!,
      suspendedDays: row.susp_dd!,
      probationMonths: row.prob_mo!,
      fineAmount: row.fine_amt!,
    },
    bond: row.bond_typ_cd === null ? null : { type: code.bondType.decode(row.bond_typ_cd), amount: row.bond_amt!, posted: row.post_flg === 'Y' },
    nextHearing: row.next_hrng ? { date: row.next_hrng.hrng_dt, purpose: row.next_hrng.hrng_purp } : null,
    recordLastUpdated: code.isoTimestamp(row.last_chg_ts),
  };
}

/** Non-erased cases of these SIDs, newest arraignment first. */
export async function casesBySids(db: Kysely<JudicialDb>, sids: readonly string[]): Promise<CourtCaseRecord[]> {
  if (sids.length === 0) return [];
  const rows = await selectCases(db)
    .where('k.sid_no', 'in', sids)
    .orderBy('k.arrgn_dt', 'desc').orderBy('k.dkt_no', 'desc')
    .execute();
  return rows.map(toCase);
}

/** Non-erased cases with these canonical docket numbers. */
export async function casesByDockets(db: Kysely<JudicialDb>, dockets: readonly string[]): Promise<CourtCaseRecord[]> {
  if (dockets.length === 0) return [];
  const rows = await selectCases(db).where('k.dkt_no', 'in', dockets.map(code.storedDocket)).execute();
  return rows.map(toCase);
}

/** The counts of these (non-erased) dockets, in count order. */
export async function chargesByDockets(db: Kysely<JudicialDb>, dockets: readonly string[]): Promise<CourtChargeRecord[]> {
  if (dockets.length === 0) return [];
  const rows = await db.selectFrom('ccms.chrg as c')
    .innerJoin('ccms.crim_case as k', 'k.dkt_no', 'c.dkt_no')
    .leftJoin('ccms.plea as p', (j) => j.onRef('p.dkt_no', '=', 'c.dkt_no').onRef('p.cnt_no', '=', 'c.cnt_no'))
    .leftJoin('ccms.vrdct as v', (j) => j.onRef('v.dkt_no', '=', 'c.dkt_no').onRef('v.cnt_no', '=', 'c.cnt_no'))
    .leftJoin('ccms.dispo as d', (j) => j.onRef('d.dkt_no', '=', 'c.dkt_no').onRef('d.cnt_no', '=', 'c.cnt_no'))
    .select([
      'c.dkt_no', 'c.cnt_no', 'c.stat_cd', 'c.chrg_desc', 'c.off_cls_cd', 'c.fv_flg',
      'p.plea_cd', 'p.plea_dt', 'v.vrdct_cd', 'v.vrdct_dt', 'd.dispo_cd', 'd.dispo_dt',
    ])
    .where('k.erase_flg', '=', NOT_ERASED)
    .where('c.dkt_no', 'in', dockets.map(code.storedDocket))
    .orderBy('c.dkt_no').orderBy('c.cnt_no')
    .execute();
  return rows.map((row) => ({
    docketNumber: code.canonicalDocket(row.dkt_no),
    count: row.cnt_no,
    statute: row.stat_cd,
    description: row.chrg_desc,
    offenseClass: row.off_cls_cd.trim(),
    familyViolence: row.fv_flg === 'Y',
    plea: row.plea_cd === null ? null : code.plea.decode(row.plea_cd),
    pleaDate: row.plea_dt,
    verdict: row.vrdct_cd === null ? null : code.verdict.decode(row.vrdct_cd),
    verdictDate: row.vrdct_dt,
    dispositionCode: row.dispo_cd === null ? null : code.disposition.decode(row.dispo_cd),
    dispositionDate: row.dispo_dt,
  }));
}
