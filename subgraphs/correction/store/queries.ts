// Every read of the DOC store. Each function answers a whole DataLoader batch with ONE
// statement and maps legacy columns to the records the subgraph serves. Rows of erased
// dockets (erase_ind = 'Y', C.G.S. 54-142a) are filtered here, in SQL, in every query.
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { CONTACT_TYPE, CUSTODY_STATUS, MOVEMENT_REASON, PAROLE_STATUS, RELEASE_TYPE, decode } from './codes.ts';
import type { CorrectionDatabase } from './schema.ts';

type Db = Kysely<CorrectionDatabase>;

export interface FacilityRecord { code: string; name: string }

/** One admission (OMIS omis_adm) with its facility and the SID it belongs to. */
export interface IncarcerationRecord {
  sid: string;
  inmateNumber: string;
  /** Which admission of this inmate number (1, 2, …). */
  admissionSequence: number;
  docketNumber: string;
  status: (typeof CUSTODY_STATUS)[keyof typeof CUSTODY_STATUS];
  facility: FacilityRecord;
  admissionDate: string;
  releaseDate: string | null;
  releaseType: (typeof RELEASE_TYPE)[keyof typeof RELEASE_TYPE] | null;
  custodyLevel: number;
  recordLastUpdated: string;
}

export interface MovementRecord {
  inmateNumber: string;
  admissionSequence: number;
  date: string;
  fromFacility: FacilityRecord | null;
  toFacility: FacilityRecord;
  reason: (typeof MOVEMENT_REASON)[keyof typeof MOVEMENT_REASON];
}

export interface TimeCalculationRecord {
  sid: string;
  docketNumber: string;
  inmateNumber: string;
  sentenceDate: string;
  termDays: number;
  jailCreditDays: number;
  earnedCreditDays: number;
  estimatedReleaseDate: string;
  maximumReleaseDate: string;
  paroleEligibilityDate: string | null;
  recordLastUpdated: string;
}

export interface ParoleCaseRecord {
  sid: string;
  caseNumber: string;
  inmateNumber: string;
  status: (typeof PAROLE_STATUS)[keyof typeof PAROLE_STATUS];
  district: string;
  officer: string;
  startDate: string;
  scheduledEndDate: string;
  endDate: string | null;
  conditions: string[];
  recordLastUpdated: string;
}

export interface CaseNoteRecord {
  caseNumber: string;
  date: string;
  author: string;
  contactType: (typeof CONTACT_TYPE)[keyof typeof CONTACT_TYPE];
  text: string;
  /** Names a victim or protected person; kept for the case-note permission to come. */
  sensitive: boolean;
}

/** A `timestamp` column's text ("2024-03-15 10:20:30.5") as ISO 8601 UTC. */
export function isoTimestamp(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}

// Private: admissions joined to their inmate master and facility, erased ones left out.
function admissions(db: Db) {
  return db.selectFrom('omis_adm as a')
    .innerJoin('omis_inmt_mstr as m', 'm.inmt_no', 'a.inmt_no')
    .innerJoin('omis_fac as f', 'f.fac_cd', 'a.fac_cd')
    .select([
      'm.sid_no', 'a.inmt_no', 'a.adm_seq', 'a.dkt_no', 'a.adm_dt', 'a.fac_cd', 'f.fac_nm', 'a.cust_lvl',
      'a.inmt_stat_cd', 'a.rel_dt', 'a.rel_typ_cd', 'a.last_mod_ts',
    ])
    .where('a.erase_ind', '=', 'N');
}

type AdmissionRow = Awaited<ReturnType<ReturnType<typeof admissions>['execute']>>[number];

function toIncarceration(row: AdmissionRow): IncarcerationRecord {
  return {
    sid: row.sid_no,
    inmateNumber: row.inmt_no,
    admissionSequence: row.adm_seq,
    docketNumber: row.dkt_no,
    status: decode(CUSTODY_STATUS, row.inmt_stat_cd, 'inmt_stat_cd'),
    facility: { code: row.fac_cd, name: row.fac_nm },
    admissionDate: row.adm_dt,
    releaseDate: row.rel_dt,
    releaseType: row.rel_typ_cd === null ? null : decode(RELEASE_TYPE, row.rel_typ_cd, 'rel_typ_cd'),
    custodyLevel: row.cust_lvl,
    recordLastUpdated: isoTimestamp(row.last_mod_ts),
  };
}

/** Admissions of these SIDs, newest first. */
export async function custodyBySids(db: Db, sids: readonly string[]): Promise<IncarcerationRecord[]> {
  if (!sids.length) return [];
  const rows = await admissions(db).where('m.sid_no', 'in', sids)
    .orderBy('a.adm_dt', 'desc').orderBy('a.inmt_no', 'desc').orderBy('a.adm_seq', 'desc').execute();
  return rows.map(toIncarceration);
}

/** Admissions of these inmate numbers, newest first within each. */
export async function admissionsByInmates(db: Db, inmateNumbers: readonly string[]): Promise<IncarcerationRecord[]> {
  if (!inmateNumbers.length) return [];
  const rows = await admissions(db).where('a.inmt_no', 'in', inmateNumbers)
    .orderBy('a.inmt_no').orderBy('a.adm_dt', 'desc').orderBy('a.adm_seq', 'desc').execute();
  return rows.map(toIncarceration);
}

/** Facility movements of these inmate numbers (all admissions), oldest first. */
export async function movementsByInmates(db: Db, inmateNumbers: readonly string[]): Promise<MovementRecord[]> {
  if (!inmateNumbers.length) return [];
  const rows = await db.selectFrom('omis_mvmt as v')
    .innerJoin('omis_adm as a', (join) => join.onRef('a.inmt_no', '=', 'v.inmt_no').onRef('a.adm_seq', '=', 'v.adm_seq'))
    .leftJoin('omis_fac as ff', 'ff.fac_cd', 'v.from_fac_cd')
    .innerJoin('omis_fac as tf', 'tf.fac_cd', 'v.to_fac_cd')
    .select(['v.inmt_no', 'v.adm_seq', 'v.mvmt_dt', 'v.from_fac_cd', 'ff.fac_nm as from_fac_nm', 'v.to_fac_cd', 'tf.fac_nm as to_fac_nm', 'v.mvmt_rsn_cd'])
    .where('a.erase_ind', '=', 'N')
    .where('v.inmt_no', 'in', inmateNumbers)
    .orderBy('v.inmt_no').orderBy('v.adm_seq').orderBy('v.mvmt_seq')
    .execute();
  return rows.map((row) => ({
    inmateNumber: row.inmt_no,
    admissionSequence: row.adm_seq,
    date: row.mvmt_dt,
    fromFacility: row.from_fac_cd === null ? null : { code: row.from_fac_cd, name: row.from_fac_nm ?? row.from_fac_cd },
    toFacility: { code: row.to_fac_cd, name: row.to_fac_nm },
    reason: decode(MOVEMENT_REASON, row.mvmt_rsn_cd, 'mvmt_rsn_cd'),
  }));
}

// Private: STC calculations joined to the inmate master for the SID.
function calculations(db: Db) {
  return db.selectFrom('stc_sent_calc as s')
    .innerJoin('omis_inmt_mstr as m', 'm.inmt_no', 's.inmt_no')
    .select(['m.sid_no', 's.dkt_no', 's.inmt_no', 's.sent_dt', 's.term_dd', 's.jail_cr_dd', 's.rrec_dd', 's.est_rel_dt', 's.max_rel_dt', 's.ped', 's.last_mod_ts'])
    .where('s.erase_ind', '=', 'N');
}

type CalculationRow = Awaited<ReturnType<ReturnType<typeof calculations>['execute']>>[number];

function toTimeCalculation(row: CalculationRow): TimeCalculationRecord {
  return {
    sid: row.sid_no,
    docketNumber: row.dkt_no,
    inmateNumber: row.inmt_no,
    sentenceDate: row.sent_dt,
    termDays: row.term_dd,
    jailCreditDays: row.jail_cr_dd,
    earnedCreditDays: row.rrec_dd,
    estimatedReleaseDate: row.est_rel_dt,
    maximumReleaseDate: row.max_rel_dt,
    paroleEligibilityDate: row.ped,
    recordLastUpdated: isoTimestamp(row.last_mod_ts),
  };
}

/** Time calculations of these SIDs, newest sentence first. */
export async function sentencesBySids(db: Db, sids: readonly string[]): Promise<TimeCalculationRecord[]> {
  if (!sids.length) return [];
  const rows = await calculations(db).where('m.sid_no', 'in', sids)
    .orderBy('s.sent_dt', 'desc').orderBy('s.dkt_no', 'desc').execute();
  return rows.map(toTimeCalculation);
}

/** Time calculations of these dockets, newest sentence first within each docket. */
export async function sentencesByDockets(db: Db, dockets: readonly string[]): Promise<TimeCalculationRecord[]> {
  if (!dockets.length) return [];
  const rows = await calculations(db).where('s.dkt_no', 'in', dockets)
    .orderBy('s.dkt_no').orderBy('s.sent_dt', 'desc').orderBy('s.inmt_no', 'desc').execute();
  return rows.map(toTimeCalculation);
}

/** Parole cases of these SIDs with their conditions (one statement), newest first. */
export async function paroleBySids(db: Db, sids: readonly string[]): Promise<ParoleCaseRecord[]> {
  if (!sids.length) return [];
  const rows = await db.selectFrom('prl_case as p')
    .innerJoin('omis_inmt_mstr as m', 'm.inmt_no', 'p.inmt_no')
    .select((eb) => [
      'm.sid_no', 'p.prl_case_no', 'p.inmt_no', 'p.prl_stat_cd', 'p.dist_nm', 'p.ofcr_nm', 'p.strt_dt', 'p.sched_end_dt', 'p.end_dt', 'p.last_mod_ts',
      jsonArrayFrom(eb.selectFrom('prl_cond as c').select('c.cond_txt').whereRef('c.prl_case_no', '=', 'p.prl_case_no').orderBy('c.cond_seq')).as('conditions'),
    ])
    .where('p.erase_ind', '=', 'N')
    .where('m.sid_no', 'in', sids)
    .orderBy('p.strt_dt', 'desc').orderBy('p.prl_case_no', 'desc')
    .execute();
  return rows.map((row) => ({
    sid: row.sid_no,
    caseNumber: row.prl_case_no,
    inmateNumber: row.inmt_no,
    status: decode(PAROLE_STATUS, row.prl_stat_cd, 'prl_stat_cd'),
    district: row.dist_nm,
    officer: row.ofcr_nm,
    startDate: row.strt_dt,
    scheduledEndDate: row.sched_end_dt,
    endDate: row.end_dt,
    conditions: row.conditions.map((c) => c.cond_txt),
    recordLastUpdated: isoTimestamp(row.last_mod_ts),
  }));
}

/** Case notes of these parole cases, newest first. */
export async function caseNotesByParoleCases(db: Db, caseNumbers: readonly string[]): Promise<CaseNoteRecord[]> {
  if (!caseNumbers.length) return [];
  const rows = await db.selectFrom('prl_case_note as n')
    .innerJoin('prl_case as p', 'p.prl_case_no', 'n.prl_case_no')
    .select(['n.prl_case_no', 'n.note_dt', 'n.auth_nm', 'n.cntct_typ_cd', 'n.note_txt', 'n.sens_ind'])
    .where('p.erase_ind', '=', 'N')
    .where('n.prl_case_no', 'in', caseNumbers)
    .orderBy('n.prl_case_no').orderBy('n.note_dt', 'desc').orderBy('n.note_seq', 'desc')
    .execute();
  return rows.map((row) => ({
    caseNumber: row.prl_case_no,
    date: row.note_dt,
    author: row.auth_nm,
    contactType: decode(CONTACT_TYPE, row.cntct_typ_cd, 'cntct_typ_cd'),
    text: row.note_txt,
    sensitive: row.sens_ind === 'Y',
  }));
}

/** Keyset position in the releases list: release date, inmate number, admission sequence. */
export type ReleaseKey = [string, string, number];

/** Releases dated `from`..`to` (inclusive) after `after`, in key order; at most `limit` rows. */
export async function releases(db: Db, range: { from: string; to: string }, limit: number, after?: ReleaseKey): Promise<IncarcerationRecord[]> {
  let query = admissions(db).where('a.rel_dt', '>=', range.from).where('a.rel_dt', '<=', range.to);
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('a.rel_dt', 'a.inmt_no', 'a.adm_seq'), '>', eb.tuple(after[0], after[1], after[2])));
  }
  const rows = await query.orderBy('a.rel_dt').orderBy('a.inmt_no').orderBy('a.adm_seq').limit(limit).execute();
  return rows.map(toIncarceration);
}

/** How many releases are dated `from`..`to` (inclusive). */
export async function countReleases(db: Db, range: { from: string; to: string }): Promise<number> {
  const row = await db.selectFrom('omis_adm')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('erase_ind', '=', 'N').where('rel_dt', '>=', range.from).where('rel_dt', '<=', range.to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Answers when the database does. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
