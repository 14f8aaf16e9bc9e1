// The synthetic-data marker: one row in a small table of each agency store, written by the
// seeder (seed/run.ts) after it fills the store with generated people. A store without it
// is treated as real criminal justice information: training mode refuses to start on it
// (gateway/graphiql/training-mode.ts) and no page calls its data synthetic. Real agency
// databases never carry this table; anyone who loads real rows into a seeded store must
// drop it (`npm run seed` rewrites it each time).
import { sql, type Kysely } from 'kysely';
import type { AgencyStore } from './module.ts';

export const MARKER_TABLE = 'obts_synthetic_marker';

/** What the seeder wrote: when, with which seed and how many generated people. */
export interface SyntheticMarker {
  seededAt: string;
  seed: number;
  offenders: number;
  generator: string;
}

// The marker table is not part of any agency's legacy schema, so it is typed loosely here.
type MarkerDb = Kysely<any>;

async function ensureTable(db: MarkerDb): Promise<void> {
  await db.schema.createTable(MARKER_TABLE).ifNotExists()
    .addColumn('seeded_at', 'varchar(32)', (column) => column.notNull())
    .addColumn('seed', 'integer', (column) => column.notNull())
    .addColumn('offenders', 'integer', (column) => column.notNull())
    .addColumn('generator', 'varchar(100)', (column) => column.notNull())
    .execute();
}

/** Writes (replaces) the marker of a store the seeder just filled. */
export async function writeSyntheticMarker(store: AgencyStore, marker: Omit<SyntheticMarker, 'seededAt' | 'generator'> & Partial<SyntheticMarker>): Promise<void> {
  const db = store.database.db as MarkerDb;
  await ensureTable(db);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom(MARKER_TABLE).execute();
    await trx.insertInto(MARKER_TABLE).values({
      seeded_at: marker.seededAt ?? new Date().toISOString(), seed: marker.seed, offenders: marker.offenders, generator: marker.generator ?? 'obts seed/generate.ts',
    }).execute();
  });
}

/** Removes the marker (before a store is cleared or loaded with anything but the seeder's rows). */
export async function removeSyntheticMarker(store: AgencyStore): Promise<void> {
  const db = store.database.db as MarkerDb;
  await ensureTable(db);
  await db.deleteFrom(MARKER_TABLE).execute();
}

/** The store's marker, or null when it has none (no table, or an empty one). */
export async function readSyntheticMarker(store: AgencyStore): Promise<SyntheticMarker | null> {
  const db = store.database.db as MarkerDb;
  // Look the table up in the catalog first: a failing SELECT would abort a surrounding transaction on PostgreSQL.
  const exists = store.database.engine === 'mysql'
    ? await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = database() and table_name = ${MARKER_TABLE}`.execute(db)
    : await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = ${MARKER_TABLE}`.execute(db);
  if (!Number(exists.rows[0]?.n)) return null;
  const row = await db.selectFrom(MARKER_TABLE).selectAll().limit(1).executeTakeFirst();
  if (!row) return null;
  return { seededAt: String(row.seeded_at), seed: Number(row.seed), offenders: Number(row.offenders), generator: String(row.generator) };
}
