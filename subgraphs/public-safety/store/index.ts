// The DPS store: MNI/CCH and SOR tables behind the queries the subgraph's loaders and
// resolvers use. All SQL of the subgraph is here, through Kysely, portable between
// MariaDB (production) and PGlite (embedded): no RETURNING, no ILIKE, no upserts.
// Every query leaves out arrests erased under C.G.S. 54-142a.
import { sql, type Selectable } from 'kysely';
import type { OffenderStory, RaceCode, SexCode } from '../../../seed/story.ts';
import { openDatabase, type Database, type StoreLocation } from '../../shared/db.ts';
import type { AgencyStore } from '../../shared/module.ts';
import { migrate, TABLES_CHILDREN_FIRST, type DpsDatabase, type MniPersonTable } from './schema.ts';
import { seedStories } from './seed.ts';
import { boundedCountQuery, countQuery, hasName, namePage, personPage } from './search.ts';
import { migrateOutbox } from '../../shared/outbox/table.ts';
import { PUBLIC_SAFETY_TRIGGERS } from './changes.ts';
import { soundex } from './phonetic.ts';
import {
  fromCcyymmdd, fromCchDisposition, fromDb2Timestamp, fromIndicator, fromNcicHeight, fromSorStatus,
  type ArrestChargeRecord, type ArrestRecord, type OffenderRecord, type PersonNameRecord, type RegistrationRecord,
} from './legacy.ts';

export type { ArrestRecord, ArrestChargeRecord, OffenderRecord, PersonNameRecord, RegistrationRecord } from './legacy.ts';

/** How a name criterion matches: the whole stored name, its beginning, or its Soundex code. */
export interface NameMatch {
  mode: 'exact' | 'prefix' | 'phonetic';
  /** Upper case, as MNI stores names. */
  value: string;
}

/** searchOffenders criteria, already checked and normalised. */
export interface OffenderCriteria {
  lastName?: NameMatch;
  firstName?: NameMatch;
  /** ISO date. */
  dateOfBirth?: string;
  sex?: SexCode;
  race?: RaceCode;
}

/** Keyset position in the search order (last name, first name, SID). */
export type SearchKey = [last: string, first: string, sid: string];

/** Which of a person's names a search matched: the MNI (primary) name or a recorded alias. */
export type NameMatchKind = 'PRIMARY' | 'ALIAS';

/** One person found by searchOffenders, with the name that matched. */
export interface OffenderSearchHit {
  offender: OffenderRecord;
  /** PRIMARY when the MNI name matched (or no name was searched), else ALIAS. */
  matchedOn: NameMatchKind;
  /** The primary name, or the matching alias with the lowest ALIAS_SEQ. */
  matchedName: PersonNameRecord;
}

export interface PublicSafetyStore extends AgencyStore {
  database: Database<DpsDatabase>;
  offendersBySids(sids: readonly string[]): Promise<OffenderRecord[]>;
  offenderByFbiNumber(fbiNumber: string): Promise<OffenderRecord | null>;
  aliasesBySids(sids: readonly string[]): Promise<Array<{ sid: string; name: PersonNameRecord }>>;
  scarsMarksTattoosBySids(sids: readonly string[]): Promise<Array<{ sid: string; description: string }>>;
  /** Arrests not erased, newest first, each with its charges (two statements per call). */
  arrestsBySids(sids: readonly string[]): Promise<Array<ArrestRecord & { sid: string }>>;
  registrationsBySids(sids: readonly string[]): Promise<Array<RegistrationRecord & { sid: string }>>;
  /**
   * Up to `limit` persons matching, once each, in (primary last, first, SID) order, after
   * `after`. Name criteria match the primary name or any alias (one statement).
   */
  searchOffenders(criteria: OffenderCriteria, limit: number, after?: SearchKey): Promise<OffenderSearchHit[]>;
  /** How many persons searchOffenders would return over all pages (one statement). */
  countOffenders(criteria: OffenderCriteria): Promise<number>;
  /** How many persons match, counted up to `atMost`: exact when no more match, else `atMost` and not exact. */
  countOffendersUpTo(criteria: OffenderCriteria, atMost: number): Promise<{ count: number; exact: boolean }>;
  /**
   * The MNI roll: up to `limit` persons after `afterSid` (exclusive), in SID order, one
   * keyset page on the primary key (one statement). Reports walk the population with it.
   */
  offendersAfter(limit: number, afterSid?: string): Promise<OffenderRecord[]>;
}

/** The search order key of an offender record (the cursor of searchOffenders). */
export function searchKeyOf(offender: OffenderRecord): SearchKey {
  return [offender.name.last, offender.name.first, offender.sid];
}

/** Opens the DPS store at a location, creates its tables if needed, and returns its queries. */
export async function openPublicSafetyStore(location: StoreLocation): Promise<PublicSafetyStore> {
  const database = await openDatabase<DpsDatabase>(location);
  const { db } = database;
  // The legacy tables, then the change log and its triggers (issue 9).
  const migrateAll = async () => {
    await migrate(db, database.engine);
    await migrateOutbox(db, database.engine, PUBLIC_SAFETY_TRIGGERS);
  };
  await migrateAll();

  return {
    database,
    migrate: migrateAll,
    seed: (stories: OffenderStory[]) => seedStories(db, stories),
    async countPeople() {
      const row = await db.selectFrom('MNI_PERSON').select((eb) => eb.fn.countAll().as('N')).executeTakeFirstOrThrow();
      return Number(row.N);
    },
    async clear() {
      for (const table of TABLES_CHILDREN_FIRST) await db.deleteFrom(table).execute();
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => database.close(),

    async offendersBySids(sids) {
      if (!sids.length) return [];
      const rows = await db.selectFrom('MNI_PERSON').selectAll().where('SID', 'in', [...sids]).execute();
      return rows.map(toOffender);
    },
    async offenderByFbiNumber(fbiNumber) {
      const row = await db.selectFrom('MNI_PERSON').selectAll().where('FBI_NO', '=', fbiNumber).orderBy('SID').limit(1).executeTakeFirst();
      return row ? toOffender(row) : null;
    },
    async aliasesBySids(sids) {
      if (!sids.length) return [];
      const rows = await db.selectFrom('MNI_ALIAS').selectAll().where('SID', 'in', [...sids]).orderBy('SID').orderBy('ALIAS_SEQ').execute();
      return rows.map((row) => ({ sid: row.SID, name: toName(row) }));
    },
    async scarsMarksTattoosBySids(sids) {
      if (!sids.length) return [];
      const rows = await db.selectFrom('MNI_SMT').selectAll().where('SID', 'in', [...sids]).orderBy('SID').orderBy('SMT_SEQ').execute();
      return rows.map((row) => ({ sid: row.SID, description: row.SMT_DESC }));
    },
    async arrestsBySids(sids) {
      if (!sids.length) return [];
      const [arrests, charges] = await Promise.all([
        db.selectFrom('CCH_ARREST').selectAll()
          .where('SID', 'in', [...sids]).where('ERASED_IND', '=', 'N')
          .orderBy('ARR_DT', 'desc').orderBy('OTN', 'desc').execute(),
        db.selectFrom('CCH_CHARGE').innerJoin('CCH_ARREST', 'CCH_ARREST.OTN', 'CCH_CHARGE.OTN').selectAll('CCH_CHARGE')
          .where('CCH_ARREST.SID', 'in', [...sids]).where('CCH_ARREST.ERASED_IND', '=', 'N')
          .orderBy('CCH_CHARGE.OTN').orderBy('CCH_CHARGE.CHG_SEQ').execute(),
      ]);
      const chargesByOtn = new Map<string, ArrestChargeRecord[]>();
      for (const charge of charges) {
        const list = chargesByOtn.get(charge.OTN) ?? [];
        const code = fromCchDisposition(charge.CRT_DISP_CD);
        list.push({
          sequence: charge.CHG_SEQ,
          statute: charge.STATUTE,
          description: charge.CHG_DESC,
          ncicOffenseCode: charge.NCIC_CD,
          offenseClass: charge.OFF_CLASS.trim(),
          courtDisposition: code ? { code, date: fromCcyymmdd(charge.CRT_DISP_DT) } : null,
        });
        chargesByOtn.set(charge.OTN, list);
      }
      return arrests.map((arrest) => ({
        sid: arrest.SID,
        trackingNumber: arrest.OTN,
        docketNumber: arrest.DKT_NO,
        date: fromCcyymmdd(arrest.ARR_DT) ?? '',
        arrestingAgencyOri: arrest.ARR_ORI,
        arrestingAgencyName: arrest.ARR_AGCY,
        charges: chargesByOtn.get(arrest.OTN) ?? [],
      }));
    },
    async registrationsBySids(sids) {
      if (!sids.length) return [];
      const rows = await db.selectFrom('SOR_REGISTRANT').selectAll().where('SID', 'in', [...sids]).execute();
      return rows.map((row) => ({
        sid: row.SID,
        registrationNumber: row.REG_NO,
        status: fromSorStatus(row.REG_STAT_CD),
        registeredDate: row.REG_DT,
        expirationDate: row.EXP_DT,
        compliant: fromIndicator(row.COMPLY_IND),
        lastVerifiedDate: row.LAST_VERIF_DT,
        homeAddress: { street: row.ADDR_STREET, city: row.ADDR_CITY, state: row.ADDR_ST, zip: row.ADDR_ZIP },
        recordLastUpdated: fromDb2Timestamp(row.LAST_UPD_TS),
      }));
    },

    async searchOffenders(criteria, limit, after) {
      if (!hasName(criteria)) {
        const rows = await personPage(db, database.engine, criteria, limit, after).execute();
        return rows.map((row) => {
          const offender = toOffender(row);
          return { offender, matchedOn: 'PRIMARY', matchedName: offender.name };
        });
      }
      // The page of persons (store/search.ts), then their MNI rows and matching aliases by
      // primary key, for those `limit` persons only: one statement.
      const rows = await db.selectFrom(namePage(db, database.engine, criteria, limit, after).as('M'))
        .innerJoin('MNI_PERSON as P', 'P.SID', 'M.SID')
        .leftJoin('MNI_ALIAS as A', (join) => join.onRef('A.SID', '=', 'M.SID').onRef('A.ALIAS_SEQ', '=', 'M.SEQ'))
        .selectAll('P')
        .select(['M.SEQ as MATCH_SEQ', 'A.NAM_LAST as AKA_LAST', 'A.NAM_FIRST as AKA_FIRST', 'A.NAM_MID as AKA_MID', 'A.NAM_SFX as AKA_SFX'])
        .orderBy('M.NAM_LAST').orderBy('M.NAM_FIRST').orderBy('M.SID')
        .execute();
      return rows.map((row) => {
        const offender = toOffender(row);
        if (row.AKA_LAST === null || row.AKA_FIRST === null || !Number(row.MATCH_SEQ)) return { offender, matchedOn: 'PRIMARY', matchedName: offender.name };
        return { offender, matchedOn: 'ALIAS', matchedName: toName({ NAM_LAST: row.AKA_LAST, NAM_FIRST: row.AKA_FIRST, NAM_MID: row.AKA_MID, NAM_SFX: row.AKA_SFX }) };
      });
    },
    async countOffenders(criteria) {
      const row = await countQuery(db, criteria).executeTakeFirstOrThrow();
      return Number(row.N);
    },
    async countOffendersUpTo(criteria, atMost) {
      const counted = Number((await boundedCountQuery(db, criteria, atMost).executeTakeFirstOrThrow()).N);
      return counted > atMost ? { count: atMost, exact: false } : { count: counted, exact: true };
    },
    async offendersAfter(limit, afterSid) {
      let query = db.selectFrom('MNI_PERSON').selectAll();
      if (afterSid) query = query.where('SID', '>', afterSid);
      return (await query.orderBy('SID').limit(limit).execute()).map(toOffender);
    },
  };
}

// Private: an MNI row as the record the subgraph serves.
function toOffender(row: Selectable<MniPersonTable>): OffenderRecord {
  return {
    sid: row.SID,
    fbiNumber: row.FBI_NO,
    name: toName(row),
    dateOfBirth: fromCcyymmdd(row.DOB),
    sex: row.SEX_CD.trim() as SexCode,
    race: row.RACE_CD.trim() as RaceCode,
    heightInches: fromNcicHeight(row.HGT),
    weightPounds: row.WGT,
    eyeColor: row.EYE_CD?.trim() || null,
    hairColor: row.HAIR_CD?.trim() || null,
    recordLastUpdated: fromDb2Timestamp(row.LAST_UPD_TS),
  };
}

function toName(row: { NAM_LAST: string; NAM_FIRST: string; NAM_MID: string | null; NAM_SFX: string | null }): PersonNameRecord {
  return { last: row.NAM_LAST, first: row.NAM_FIRST, middle: row.NAM_MID, suffix: row.NAM_SFX };
}
