// The MNI name search (searchOffenders) and its count, as SQL that reads only the page it
// returns. A person is found by the MNI (primary) name or by any alias; pages run in the
// person's order (MNI last name, first name, SID). Each name source is read from an index
// that starts with what the criterion fixes and goes on in page order (store/schema.ts,
// *_PAGE_IX; the alias rows carry their person's sort key, PRI_LAST / PRI_FIRST), with the
// keyset and LIMIT inside each branch: at most `limit` entries from each, merged, grouped
// to one row per person and cut to `limit` again. What a statement reads grows with the
// page size, not with how many people share the name (a SMITH among 1 000 000 offenders
// costs what a rare name does). A prefix on an alias name (SMI*) is the one case an index
// cannot give in page order (the range covers many alias names); it is sorted, over the
// aliases that match only.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Engine } from '../../shared/db.ts';
import { soundex } from './phonetic.ts';
import { toCcyymmdd } from './legacy.ts';
import type { DpsDatabase } from './schema.ts';
import type { NameMatch, OffenderCriteria, SearchKey } from './index.ts';

const ALL = sql<SqlBool>`1 = 1`;
export const hasName = (criteria: OffenderCriteria) => Boolean(criteria.lastName || criteria.firstName);
const hasPersonCriteria = (criteria: OffenderCriteria) => Boolean(criteria.dateOfBirth || criteria.sex || criteria.race);

/** A search without a name: persons in page order from MNI_PERSON_NAME_IX (or DOB's index). */
export function personPage(db: Kysely<DpsDatabase>, engine: Engine, criteria: OffenderCriteria, limit: number, after?: SearchKey) {
  return db.selectFrom('MNI_PERSON as P').selectAll('P').where(personMatching(criteria)).where(keysetAfter(engine, 'P', after))
    .orderBy('P.NAM_LAST').orderBy('P.NAM_FIRST').orderBy('P.SID').limit(limit);
}

/**
 * A name search page: the persons' SIDs, sort key and best matching name (SEQ 0 for the
 * MNI name, else the lowest matching ALIAS_SEQ), at most `limit`, in page order.
 */
export function namePage(db: Kysely<DpsDatabase>, engine: Engine, criteria: OffenderCriteria, limit: number, after?: SearchKey) {
  const primary = db.selectFrom('MNI_PERSON as P')
    .select(['P.SID', 'P.NAM_LAST', 'P.NAM_FIRST', sql<number>`0`.as('SEQ')])
    .where(nameMatching(criteria, 'P')).where(personMatching(criteria)).where(keysetAfter(engine, 'P', after))
    .orderBy('P.NAM_LAST').orderBy('P.NAM_FIRST').orderBy('P.SID').limit(limit);
  // Aliases: one row per person (several of a person's aliases may match), grouped in
  // index order; the person is joined only when a person criterion needs its columns.
  let aliasRows = db.selectFrom('MNI_ALIAS as A')
    .select((eb) => ['A.SID', 'A.PRI_LAST as NAM_LAST', 'A.PRI_FIRST as NAM_FIRST', eb.fn.min<number>('A.ALIAS_SEQ').as('SEQ')])
    .where(nameMatching(criteria, 'A')).where(keysetAfter(engine, 'A', after));
  if (hasPersonCriteria(criteria)) aliasRows = aliasRows.innerJoin('MNI_PERSON as P', 'P.SID', 'A.SID').where(personMatching(criteria));
  const aliases = aliasRows.groupBy(['A.PRI_LAST', 'A.PRI_FIRST', 'A.SID'])
    .orderBy('A.PRI_LAST').orderBy('A.PRI_FIRST').orderBy('A.SID').limit(limit);
  // Each branch in its own derived table keeps its ORDER BY / LIMIT on every engine.
  const merged = db.selectFrom(primary.as('B1')).selectAll().unionAll(db.selectFrom(aliases.as('B2')).selectAll());
  return db.selectFrom(merged.as('H'))
    .select((eb) => ['H.SID', 'H.NAM_LAST', 'H.NAM_FIRST', eb.fn.min<number>('H.SEQ').as('SEQ')])
    .groupBy(['H.SID', 'H.NAM_LAST', 'H.NAM_FIRST'])
    .orderBy('H.NAM_LAST').orderBy('H.NAM_FIRST').orderBy('H.SID').limit(limit);
}

/** How many persons a search matches over all pages (one statement). */
export function countQuery(db: Kysely<DpsDatabase>, criteria: OffenderCriteria) {
  if (!hasName(criteria)) return db.selectFrom('MNI_PERSON as P').select((eb) => eb.fn.countAll().as('N')).where(personMatching(criteria));
  // Persons, not names: UNION (distinct) of the SIDs both sources match.
  return db.selectFrom(personSids(db, criteria).union(aliasSids(db, criteria)).as('X')).select((eb) => eb.fn.countAll().as('N'));
}

// Private: the SIDs of the persons whose MNI name matches, and of the aliases that match (one
// row per alias). Without person criteria the aliases need no join to MNI_PERSON (the FK holds).
function personSids(db: Kysely<DpsDatabase>, criteria: OffenderCriteria) {
  return db.selectFrom('MNI_PERSON as P').select('P.SID').where(nameMatching(criteria, 'P')).where(personMatching(criteria));
}
function aliasSids(db: Kysely<DpsDatabase>, criteria: OffenderCriteria) {
  return hasPersonCriteria(criteria)
    ? db.selectFrom('MNI_ALIAS as A').innerJoin('MNI_PERSON as P', 'P.SID', 'A.SID').select('A.SID').where(nameMatching(criteria, 'A')).where(personMatching(criteria))
    : db.selectFrom('MNI_ALIAS as A').select('A.SID').where(nameMatching(criteria, 'A'));
}

/**
 * How many persons a search matches, counted up to `atMost` + 1 (one statement): each name
 * source gives at most `atMost` + 1 distinct SIDs, read in index order, and their union is
 * counted. A result of at most `atMost` is exact (neither source was cut: a cut one alone
 * holds `atMost` + 1 persons); more means more than `atMost` match. With names alone, what
 * it reads grows with the bound, not with the matches; a date of birth, sex or race is
 * checked on the rows the name index gives, so a rare one beside a common name reads on.
 */
export function boundedCountQuery(db: Kysely<DpsDatabase>, criteria: OffenderCriteria, atMost: number) {
  const cut = atMost + 1;
  if (!hasName(criteria)) {
    const persons = db.selectFrom('MNI_PERSON as P').select('P.SID').where(personMatching(criteria)).limit(cut);
    return db.selectFrom(persons.as('X')).select((eb) => eb.fn.countAll().as('N'));
  }
  // One row per person from each source (a person may have several matching aliases, and a
  // cut source must hold cut persons). Exact and phonetic names: in page order, as namePage
  // reads them, so each source streams from its *_PAGE_IX index and stops at the cut on
  // every engine (an unordered DISTINCT makes PostgreSQL hash every match). A prefix range
  // is not in page order: there, an unordered DISTINCT, which MariaDB stops at the cut.
  const ordered = ![criteria.lastName, criteria.firstName].some((match) => match?.mode === 'prefix');
  const primary = (ordered ? personSids(db, criteria).orderBy('P.NAM_LAST').orderBy('P.NAM_FIRST').orderBy('P.SID') : personSids(db, criteria)).limit(cut);
  const aliases = ordered
    ? aliasSids(db, criteria).groupBy(['A.PRI_LAST', 'A.PRI_FIRST', 'A.SID']).orderBy('A.PRI_LAST').orderBy('A.PRI_FIRST').orderBy('A.SID').limit(cut)
    : aliasSids(db, criteria).distinct().limit(cut);
  // Each source in its own derived table keeps its LIMIT on every engine (as in namePage).
  const union = db.selectFrom(primary.as('B1')).select('B1.SID').union(db.selectFrom(aliases.as('B2')).select('B2.SID'));
  return db.selectFrom(union.as('X')).select((eb) => eb.fn.countAll().as('N'));
}

// Private: the keyset, strictly after (last, first, sid) in page order, on the person `P`
// or on the person's key copied to the alias `A`. PostgreSQL (and PGlite) take a row-value
// comparison as an index condition (it starts the scan at the cursor); MariaDB turns the
// spelled-out OR form into index ranges, and not a row-value one.
function keysetAfter(engine: Engine, table: 'P' | 'A', after: SearchKey | undefined): Expression<SqlBool> {
  if (!after) return ALL;
  const [last, first, sid] = after;
  const [LAST, FIRST, SID] = table === 'P'
    ? [sql.ref('P.NAM_LAST'), sql.ref('P.NAM_FIRST'), sql.ref('P.SID')]
    : [sql.ref('A.PRI_LAST'), sql.ref('A.PRI_FIRST'), sql.ref('A.SID')];
  if (engine !== 'mysql') return sql<SqlBool>`(${LAST}, ${FIRST}, ${SID}) > (${last}, ${first}, ${sid})`;
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
