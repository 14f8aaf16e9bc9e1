// The Department of Correction store: OMIS, STC and Parole tables in one database
// (PostgreSQL in production via CORRECTION_DATABASE_URL, embedded PGlite by default).
// `openCorrectionStore` opens it, creates the tables if needed, and returns the
// AgencyStore every subgraph offers plus DOC's batch queries, bound to the database.
import type { OffenderStory } from '../../../seed/story.ts';
import { openDatabase, type Database, type StoreLocation } from '../../shared/db.ts';
import type { AgencyStore } from '../../shared/module.ts';
import * as q from './queries.ts';
import { migrate, TABLES_CHILDREN_FIRST, type CorrectionDatabase } from './schema.ts';
import { seedStories } from './seed.ts';
import { custodyPopulationCounts, paroleCaseloadCounts, type CustodyPopulationCount, type ParoleCaseloadCount } from './statistics.ts';
import { migrateOutbox } from '../../shared/outbox/table.ts';
import { CORRECTION_TRIGGERS } from './changes.ts';

export type {
  CaseNoteRecord, FacilityRecord, IncarcerationRecord, MovementRecord, ParoleCaseRecord, ReleaseKey, TimeCalculationRecord,
} from './queries.ts';

/** DOC's store: the AgencyStore basics plus one batch query per loader. */
export interface CorrectionStore extends AgencyStore {
  database: Database<CorrectionDatabase>;
  custodyBySids(sids: readonly string[]): Promise<q.IncarcerationRecord[]>;
  admissionsByInmates(inmateNumbers: readonly string[]): Promise<q.IncarcerationRecord[]>;
  movementsByInmates(inmateNumbers: readonly string[]): Promise<q.MovementRecord[]>;
  sentencesBySids(sids: readonly string[]): Promise<q.TimeCalculationRecord[]>;
  sentencesByDockets(dockets: readonly string[]): Promise<q.TimeCalculationRecord[]>;
  paroleBySids(sids: readonly string[]): Promise<q.ParoleCaseRecord[]>;
  caseNotesByParoleCases(caseNumbers: readonly string[]): Promise<q.CaseNoteRecord[]>;
  releases(range: { from: string; to: string }, limit: number, after?: q.ReleaseKey): Promise<q.IncarcerationRecord[]>;
  countReleases(range: { from: string; to: string }): Promise<number>;
  /** Aggregates for reports (statistics.ts), one grouped statement each. */
  custodyPopulationCounts(on: string): Promise<CustodyPopulationCount[]>;
  paroleCaseloadCounts(on: string): Promise<ParoleCaseloadCount[]>;
}

/** Opens (and migrates) the DOC store at a location. */
export async function openCorrectionStore(location: StoreLocation): Promise<CorrectionStore> {
  const database = await openDatabase<CorrectionDatabase>(location);
  if (database.engine === 'mysql') {
    await database.close();
    throw new Error('the correction store runs on PostgreSQL or PGlite; CORRECTION_DATABASE_URL must be postgres://…');
  }
  const { db } = database;
  const store: CorrectionStore = {
    database,
    // The legacy tables, then the change log and its triggers (issue 9).
    migrate: async () => {
      await migrate(db);
      await migrateOutbox(db, database.engine, CORRECTION_TRIGGERS);
    },
    seed: (stories: OffenderStory[]) => seedStories(db, stories),
    async countPeople() {
      const row = await db.selectFrom('omis_inmt_mstr').select((eb) => eb.fn.count<number>('sid_no').distinct().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async clear() {
      for (const table of TABLES_CHILDREN_FIRST) await db.deleteFrom(table).execute();
    },
    ping: () => q.ping(db),
    close: () => database.close(),
    custodyBySids: (sids) => q.custodyBySids(db, sids),
    admissionsByInmates: (inmateNumbers) => q.admissionsByInmates(db, inmateNumbers),
    movementsByInmates: (inmateNumbers) => q.movementsByInmates(db, inmateNumbers),
    sentencesBySids: (sids) => q.sentencesBySids(db, sids),
    sentencesByDockets: (dockets) => q.sentencesByDockets(db, dockets),
    paroleBySids: (sids) => q.paroleBySids(db, sids),
    caseNotesByParoleCases: (caseNumbers) => q.caseNotesByParoleCases(db, caseNumbers),
    releases: (range, limit, after) => q.releases(db, range, limit, after),
    countReleases: (range) => q.countReleases(db, range),
    custodyPopulationCounts: (on) => custodyPopulationCounts(db, on),
    paroleCaseloadCounts: (on) => paroleCaseloadCounts(db, on),
  };
  try {
    await store.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return store;
}
