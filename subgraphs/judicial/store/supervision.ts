// CIB and PCMS queries: infraction tickets and adult probation by SID. Probation on an
// erased docket never leaves the store (C.G.S. 54-142a); infractions are not criminal
// records and carry no docket.
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { JudicialDb } from './tables.ts';
import * as code from './codes.ts';
import { docketNotErased } from './erasure.ts';

/** An infraction ticket as the contract shows it. */
export interface InfractionRecord {
  ticketNumber: string;
  sid: string;
  date: string;
  statute: string;
  description: string;
  amount: number;
  status: string;
  issuingAgencyOri: string;
}

/** A probation case as the contract shows it. */
export interface ProbationRecord {
  caseNumber: string;
  sid: string;
  docketNumber: string;
  status: string;
  startDate: string;
  scheduledEndDate: string;
  endDate: string | null;
  officer: string;
  office: string;
  conditions: string[];
  violations: Array<{ date: string; description: string }>;
  /** When PCMS last changed the case (ISO 8601 UTC). */
  recordLastUpdated: string;
}

/** Tickets of these SIDs, newest violation date first. */
export async function infractionsBySids(db: Kysely<JudicialDb>, sids: readonly string[]): Promise<InfractionRecord[]> {
  if (sids.length === 0) return [];
  const rows = await db.selectFrom('cib.tkt as t')
    .select(['t.tkt_no', 't.sid_no', 't.viol_dt', 't.stat_cd', 't.viol_desc', 't.fine_amt', 't.tkt_stat_cd', 't.iss_ori'])
    .where('t.sid_no', 'in', sids)
    .orderBy('t.viol_dt', 'desc').orderBy('t.tkt_no', 'desc')
    .execute();
  return rows.map((row) => ({
    ticketNumber: row.tkt_no,
    sid: row.sid_no,
    date: row.viol_dt,
    statute: row.stat_cd,
    description: row.viol_desc,
    amount: row.fine_amt,
    status: code.ticketStatus.decode(row.tkt_stat_cd),
    issuingAgencyOri: row.iss_ori,
  }));
}

/** Probation cases of these SIDs with conditions and violations, newest start first. */
export async function probationBySids(db: Kysely<JudicialDb>, sids: readonly string[]): Promise<ProbationRecord[]> {
  if (sids.length === 0) return [];
  const rows = await db.selectFrom('pcms.prob_case as p')
    .select(['p.prob_case_no', 'p.sid_no', 'p.dkt_no', 'p.prob_stat_cd', 'p.strt_dt', 'p.sched_end_dt', 'p.end_dt', 'p.po_nm', 'p.ofc_nm', 'p.last_chg_ts'])
    .select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('pcms.prob_cond as c').select('c.cond_txt').whereRef('c.prob_case_no', '=', 'p.prob_case_no').orderBy('c.cond_seq'),
      ).as('conds'),
      jsonArrayFrom(
        eb.selectFrom('pcms.prob_viol as v').select(['v.viol_dt', 'v.viol_desc']).whereRef('v.prob_case_no', '=', 'p.prob_case_no').orderBy('v.viol_seq'),
      ).as('viols'),
    ])
    .where('p.sid_no', 'in', sids)
    .where((eb) => docketNotErased(eb, 'p.dkt_no'))
    .orderBy('p.strt_dt', 'desc').orderBy('p.prob_case_no', 'desc')
    .execute();
  return rows.map((row) => ({
    caseNumber: row.prob_case_no,
    sid: row.sid_no,
    docketNumber: code.canonicalDocket(row.dkt_no),
    status: code.probationStatus.decode(row.prob_stat_cd),
    startDate: row.strt_dt,
    scheduledEndDate: row.sched_end_dt,
    endDate: row.end_dt,
    officer: row.po_nm,
    office: row.ofc_nm,
    conditions: row.conds.map((c) => c.cond_txt),
    violations: row.viols.map((v) => ({ date: v.viol_dt, description: v.viol_desc })),
    recordLastUpdated: code.isoTimestamp(row.last_chg_ts),
  }));
}
