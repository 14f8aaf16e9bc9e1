// The DPS store: MNI/CCH and SOR tables behind the queries the subgraph's loaders and
// resolvers use. All SQL of the subgraph is here, through Kysely, portable between
// MariaDB (production) and PGlite (embedded): no RETURNING, no ILIKE, no upserts.
// Every query leaves out arrests erased under C.G.S. 54-142a.
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { OffenderStory, RaceCode, SexCode } from '../../../seed/story.ts';
import { openDatabase, type Database, type StoreLocation } from '../../shared/db.ts';
import type { AgencyStore } from '../../shared/module.ts';
import { migrate, TABLES_CHILDREN_FIRST, type DpsDatabase, type MniPersonTable } from './schema.ts';
import { seedStories } from './seed.ts';
import { migrateOutbox } from '../../shared/outbox/table.ts';
import { PUBLIC_SAFETY_TRIGGERS } from './changes.ts';
import { soundex } from './phonetic.ts';
import {
  fromCcyymmdd, fromCchDisposition, fromDb2Timestamp, fromIndicator, fromNcicHeight, fromSorStatus, toCcyymmdd,
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
    await migrate(db);
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
        // No name searched: nothing to match on aliases; MNI_PERSON_NAME_IX in order.
        const rows = await db.selectFrom('MNI_PERSON as P').selectAll('P').where(personMatching(criteria)).where(keysetAfter(after))
          .orderBy('P.NAM_LAST').orderBy('P.NAM_FIRST').orderBy('P.SID').limit(limit).execute();
        return rows.map((row) => {
          const offender = toOffender(row);
          return { offender, matchedOn: 'PRIMARY', matchedName: offender.name };
        });
      }
      // The page of persons (SID, sort key, best name) first, from both name sources with
      // every criterion and the keyset applied inside each branch; then their MNI rows and
      // matching aliases, by primary key, for those `limit` persons only.
      const { primary, aliases } = nameMatches(db, criteria, after);
      const page = db.selectFrom(primary.select(['P.NAM_LAST', 'P.NAM_FIRST', sql<number>`0`.as('SEQ')])
        .unionAll(aliases.select(['P.NAM_LAST', 'P.NAM_FIRST', 'A.ALIAS_SEQ as SEQ'])).as('H'))
        // Grouped by SID (its sort key comes along): one row per person, the MNI name (0)
        // before aliases, else the lowest ALIAS_SEQ that matched.
        .select((eb) => ['H.SID', 'H.NAM_LAST', 'H.NAM_FIRST', eb.fn.min<number>('H.SEQ').as('SEQ')])
        .groupBy(['H.SID', 'H.NAM_LAST', 'H.NAM_FIRST'])
        .orderBy('H.NAM_LAST').orderBy('H.NAM_FIRST').orderBy('H.SID').limit(limit);
      const rows = await db.selectFrom(page.as('M'))
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
      let query;
      if (hasName(criteria)) {
        // Persons, not names: UNION (distinct) of the SIDs both sources match.
        const { primary, aliases } = nameMatches(db, criteria);
        // Without person criteria the aliases' SIDs need no join to MNI_PERSON (the FK holds).
        const aliasSids = hasPersonCriteria(criteria) ? aliases : db.selectFrom('MNI_ALIAS as A').select('A.SID').where(nameMatching(criteria, 'A'));
        query = db.selectFrom(primary.union(aliasSids).as('X')).select((eb) => eb.fn.countAll().as('N'));
      } else {
        query = db.selectFrom('MNI_PERSON as P').select((eb) => eb.fn.countAll().as('N')).where(personMatching(criteria));
      }
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.N);
    },
  };
}

const ALL = sql<SqlBool>`1 = 1`;
const hasName = (criteria: OffenderCriteria) => Boolean(criteria.lastName || criteria.firstName);
const hasPersonCriteria = (criteria: OffenderCriteria) => Boolean(criteria.dateOfBirth || criteria.sex || criteria.race);

// Private: the SIDs of persons a name search matches, from each name source, with the
// person criteria (date of birth, sex, race) and the keyset on the person `P`:
// - primary: MNI_PERSON as P by its name (MNI_PERSON_NAME_IX / _FIRST_IX / _SNDX_IX);
// - aliases: MNI_ALIAS as A by the alias name (MNI_ALIAS_NAME_IX / _FIRST_IX / _SNDX_IX),
//   joined to its person P by primary key. A person may come out of both, and of several
//   aliases: callers group or UNION them to one row per person.
// Portable SQL only: joins, derived tables, UNION [ALL], GROUP BY, MIN, ORDER BY / LIMIT.
function nameMatches(db: Kysely<DpsDatabase>, criteria: OffenderCriteria, after?: SearchKey) {
  const primary = db.selectFrom('MNI_PERSON as P').select('P.SID')
    .where(nameMatching(criteria, 'P')).where(personMatching(criteria)).where(keysetAfter(after));
  const aliases = db.selectFrom('MNI_ALIAS as A').innerJoin('MNI_PERSON as P', 'P.SID', 'A.SID').select('P.SID')
    .where(nameMatching(criteria, 'A')).where(personMatching(criteria)).where(keysetAfter(after));
  return { primary, aliases };
}

// Private: the keyset over the person's own sort key (one row per person, so it is
// unique): persons strictly after (last, first, sid), spelled out instead of a row-value
// comparison so both engines can use MNI_PERSON_NAME_IX.
function keysetAfter(after: SearchKey | undefined): Expression<SqlBool> {
  if (!after) return ALL;
  const [last, first, sid] = after;
  const [LAST, FIRST, SID] = [sql.ref('P.NAM_LAST'), sql.ref('P.NAM_FIRST'), sql.ref('P.SID')];
  return sql<SqlBool>`(${LAST} > ${last} or (${LAST} = ${last} and ${FIRST} > ${first}) or (${LAST} = ${last} and ${FIRST} = ${first} and ${SID} > ${sid}))`;
}

// Private: the name part of a search, on MNI_PERSON or MNI_ALIAS (same column names) as
// `table`: the last and first name criteria must match the same name. Names are stored
// upper case and criteria come upper case, so plain = and LIKE are case-insensitive on
// every engine. Prefix values hold only letters, apostrophes, hyphens and spaces
// (normalizeName), so no LIKE wildcard can slip in from the caller. Values are bound.
function nameMatching(criteria: OffenderCriteria, table: 'P' | 'A'): Expression<SqlBool> {
  const conditions: Array<Expression<SqlBool>> = [];
  const name = (column: 'NAM_LAST' | 'NAM_FIRST', code: 'SNDX_LAST' | 'SNDX_FIRST', match: NameMatch) => {
    if (match.mode === 'phonetic') return sql<SqlBool>`${sql.ref(`${table}.${code}`)} = ${soundex(match.value)}`;
    if (match.mode === 'prefix') return sql<SqlBool>`${sql.ref(`${table}.${column}`)} like ${`${match.value}%`}`;
    return sql<SqlBool>`${sql.ref(`${table}.${column}`)} = ${match.value}`;
  };
  if (criteria.lastName) conditions.push(name('NAM_LAST', 'SNDX_LAST', criteria.lastName));
  if (criteria.firstName) conditions.push(name('NAM_FIRST', 'SNDX_FIRST', criteria.firstName));
  return conditions.length ? sql<SqlBool>`(${sql.join(conditions, sql` and `)})` : ALL;
}

// Private: the person part of a search, on `P` (always the person, whichever name matched).
function personMatching(criteria: OffenderCriteria): Expression<SqlBool> {
  const conditions: Array<Expression<SqlBool>> = [];
  if (criteria.dateOfBirth) conditions.push(sql<SqlBool>`${sql.ref('P.DOB')} = ${toCcyymmdd(criteria.dateOfBirth)}`);
  if (criteria.sex) conditions.push(sql<SqlBool>`${sql.ref('P.SEX_CD')} = ${criteria.sex}`);
  if (criteria.race) conditions.push(sql<SqlBool>`${sql.ref('P.RACE_CD')} = ${criteria.race}`);
  return conditions.length ? sql<SqlBool>`(${sql.join(conditions, sql` and `)})` : ALL;
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
