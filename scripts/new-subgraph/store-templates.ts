// The store of a new subgraph: its legacy table (schema.ts: migrate), the batch queries
// (queries.ts: one statement per batch, erased rows never returned), the synthetic seed
// (seed.ts) and the AgencyStore that binds them (index.ts). Kysely throughout, so the same
// store runs on PostgreSQL, MariaDB/MySQL and embedded PGlite.
import type { SubgraphNames } from './names.ts';

export function storeSchemaTs(n: SubgraphNames): string {
  return `// The ${n.agency}'s legacy table, as ${n.system} keeps it: one row per record about a
// person, linked to the person by the MNI (SPBI) number. Terse column names are kept on
// purpose; README.md maps each one to the GraphQL contract.
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../../shared/db.ts';

/** Y/N indicator, as mainframe-era columns keep flags. */
export type Indicator = 'Y' | 'N';

/** ${n.system} record: one row per record about a person. */
export interface RecordTable {
  /** Record id, e.g. ${n.system}-000123456-1. */
  rec_id: string;
  /** MNI (SPBI) number of the person, 9 digits. */
  sid_no: string;
  /** Kind of record, as ${n.system} codes it. */
  rec_typ_cd: string;
  /** O open, C closed. */
  rec_stat_cd: string;
  rec_dt: string;
  /** Erased under C.G.S. 54-142a: never leaves the store. */
  erase_ind: Indicator;
  last_mod_ts: string;
}

export interface ${n.pascal}Database {
  ${n.table}: RecordTable;
}

/** Tables in the order rows must be removed (children first). */
export const TABLES_CHILDREN_FIRST = ['${n.table}'] as const;

/** Creates the table and its index if they do not exist yet. */
export async function migrate(db: Kysely<${n.pascal}Database>, engine: Engine): Promise<void> {
  await db.schema.createTable('${n.table}').ifNotExists()
    .addColumn('rec_id', 'varchar(40)', (column) => column.primaryKey())
    .addColumn('sid_no', 'char(9)', (column) => column.notNull())
    .addColumn('rec_typ_cd', 'varchar(20)', (column) => column.notNull())
    .addColumn('rec_stat_cd', 'char(1)', (column) => column.notNull())
    .addColumn('rec_dt', 'date', (column) => column.notNull())
    .addColumn('erase_ind', 'char(1)', (column) => column.notNull().defaultTo('N'))
    .addColumn('last_mod_ts', engine === 'mysql' ? sql\`datetime(3)\` : sql\`timestamp(3)\`, (column) => column.notNull())
    .execute();
  // The loaders look records up by SID, newest first.
  await db.schema.createIndex('${n.table}_sid_ix').ifNotExists().on('${n.table}').columns(['sid_no', 'rec_dt']).execute();
}
`;
}

export function storeQueriesTs(n: SubgraphNames): string {
  return `// ${n.system}'s batch queries: each answers many keys in ONE statement (the loaders rely
// on it). Rows erased under C.G.S. 54-142a are filtered here, so no path returns them.
import { sql, type Kysely } from 'kysely';
import type { ${n.pascal}Database, RecordTable } from './schema.ts';

type Db = Kysely<${n.pascal}Database>;

/** A record as the GraphQL contract names it (README.md maps the columns). */
export interface ${n.type}Record {
  id: string;
  sid: string;
  kind: string;
  status: 'OPEN' | 'CLOSED';
  date: string;
  recordLastUpdated: string;
}

/** rec_stat_cd → ${n.type}Status. */
export const STATUS: Record<string, ${n.type}Record['status']> = { O: 'OPEN', C: 'CLOSED' };

/** A \`timestamp\`/\`datetime\` column's text ("2024-03-15 09:00:00.5") as ISO 8601 UTC. */
export function isoTimestamp(text: string): string {
  return new Date(\`\${text.replace(' ', 'T')}Z\`).toISOString();
}

export function toRecord(row: RecordTable): ${n.type}Record {
  const status = STATUS[row.rec_stat_cd];
  if (!status) throw new Error(\`${n.table}.rec_stat_cd "\${row.rec_stat_cd}" of \${row.rec_id} is not a known status code\`);
  return { id: row.rec_id, sid: row.sid_no, kind: row.rec_typ_cd, status, date: row.rec_dt, recordLastUpdated: isoTimestamp(row.last_mod_ts) };
}

// Private: every disclosable record (erased ones left out).
function disclosable(db: Db) {
  return db.selectFrom('${n.table}').selectAll().where('erase_ind', '=', 'N');
}

/** Records of these SIDs, newest first. */
export async function recordsBySids(db: Db, sids: readonly string[]): Promise<${n.type}Record[]> {
  if (!sids.length) return [];
  const rows = await disclosable(db).where('sid_no', 'in', sids).orderBy('rec_dt', 'desc').orderBy('rec_id', 'desc').execute();
  return rows.map(toRecord);
}

/** Records with these ids. */
export async function recordsByIds(db: Db, ids: readonly string[]): Promise<${n.type}Record[]> {
  if (!ids.length) return [];
  return (await disclosable(db).where('rec_id', 'in', ids).execute()).map(toRecord);
}

/** Number of people ${n.system} holds records for (erased ones included: the store is seeded). */
export async function countPeople(db: Db): Promise<number> {
  const row = await db.selectFrom('${n.table}').select((eb) => eb.fn.count<number>('sid_no').distinct().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Answers when the database does (readiness). */
export async function ping(db: Db): Promise<void> {
  await sql\`select 1\`.execute(db);
}
`;
}

export function storeSeedTs(n: SubgraphNames): string {
  return `// Writes ${n.system}'s part of the synthetic life stories (seed/generate.ts). Until the
// generator tells ${n.system}'s own story, the rule is simple and deterministic: a person
// with court cases gets (SID mod 3) records, each dated on one of their cases' arraignment
// and erased when that case is (C.G.S. 54-142a), so erasure is exercised from day one.
import type { Kysely } from 'kysely';
import type { OffenderStory } from '../../../seed/story.ts';
import { bulkInsert } from '../../shared/bulk-insert.ts';
import type { ${n.pascal}Database, RecordTable } from './schema.ts';

/** Inserts the stories' ${n.system} records in one transaction. */
export async function seedStories(db: Kysely<${n.pascal}Database>, stories: OffenderStory[]): Promise<void> {
  const rows = toRows(stories);
  await db.transaction().execute(async (trx) => {
    await bulkInsert(trx, '${n.table}', rows);
  });
}

/** Maps stories to legacy rows. Exported for the tests, which read what was written. */
export function toRows(stories: OffenderStory[]): RecordTable[] {
  const rows: RecordTable[] = [];
  for (const story of stories) {
    const count = story.cases.length ? Number(story.person.sid) % 3 : 0;
    for (let index = 0; index < count; index += 1) {
      const kase = story.cases[index % story.cases.length];
      rows.push({
        rec_id: \`${n.system}-\${story.person.sid}-\${index + 1}\`,
        sid_no: story.person.sid,
        rec_typ_cd: 'APPLICATION',
        rec_stat_cd: index === 0 && count > 1 ? 'C' : 'O',
        rec_dt: kase.arraignmentDate,
        erase_ind: kase.erased ? 'Y' : 'N',
        last_mod_ts: \`\${kase.arraignmentDate} 09:00:00\`,
      });
    }
  }
  return rows;
}
`;
}

export function storeIndexTs(n: SubgraphNames): string {
  return `// The ${n.agency} store (${n.system}): PostgreSQL or MariaDB/MySQL via
// ${n.system}_DATABASE_URL, embedded PGlite by default. \`open${n.pascal}Store\` opens it, creates the
// table if needed, and returns the AgencyStore every subgraph offers plus the batch queries.
import type { OffenderStory } from '../../../seed/story.ts';
import { openDatabase, type Database, type StoreLocation } from '../../shared/db.ts';
import type { AgencyStore } from '../../shared/module.ts';
import * as q from './queries.ts';
import { migrate, TABLES_CHILDREN_FIRST, type ${n.pascal}Database } from './schema.ts';
import { seedStories } from './seed.ts';

export type { ${n.type}Record } from './queries.ts';

/** ${n.system}'s store: the AgencyStore basics plus one batch query per loader. */
export interface ${n.pascal}Store extends AgencyStore {
  database: Database<${n.pascal}Database>;
  recordsBySids(sids: readonly string[]): Promise<q.${n.type}Record[]>;
  recordsByIds(ids: readonly string[]): Promise<q.${n.type}Record[]>;
}

/** Opens (and migrates) the ${n.system} store at a location. */
export async function open${n.pascal}Store(location: StoreLocation): Promise<${n.pascal}Store> {
  const database = await openDatabase<${n.pascal}Database>(location);
  const { db } = database;
  const store: ${n.pascal}Store = {
    database,
    migrate: () => migrate(db, database.engine),
    seed: (stories: OffenderStory[]) => seedStories(db, stories),
    countPeople: () => q.countPeople(db),
    async clear() {
      for (const table of TABLES_CHILDREN_FIRST) await db.deleteFrom(table).execute();
    },
    ping: () => q.ping(db),
    close: () => database.close(),
    recordsBySids: (sids) => q.recordsBySids(db, sids),
    recordsByIds: (ids) => q.recordsByIds(db, ids),
  };
  try {
    await store.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return store;
}
`;
}
