// The Judicial Branch store: one database (PostgreSQL in production, PGlite embedded) with
// one SQL schema per source system — ccms, cib, prawn, por, pcms. `openJudicialStore`
// opens and migrates it and returns the AgencyStore contract plus the batch queries the
// DataLoaders call (each one SQL statement per batch, erased records filtered in SQL).
import { sql } from 'kysely';
import { openDatabase, type Database, type StoreLocation } from '../../shared/db.ts';
import type { AgencyStore } from '../../shared/module.ts';
import type { OffenderStory } from '../../../seed/story.ts';
import type { JudicialDb } from './tables.ts';
import { migrateJudicial, TABLES_CHILD_FIRST } from './schema.ts';
import { seedJudicial } from './seed.ts';
import { migrateOutbox } from '../../shared/outbox/table.ts';
import { JUDICIAL_TRIGGERS } from './changes.ts';
import { casesByDockets, casesBySids, chargesByDockets } from './cases.ts';
import { countWarrants, searchWarrants, warrantsByNumbers, warrantsBySids, type WarrantFilter, type WarrantKey } from './warrants.ts';
import { ordersByNumbers, ordersBySids, protectedPersonsByOrders } from './orders.ts';
import { infractionsBySids, probationBySids } from './supervision.ts';
import { activeWarrantCounts, orderCounts, probationCaseloadCounts, warrantFlowCounts } from './statistics.ts';

export type { CourtCaseRecord, CourtChargeRecord, CourtRecord } from './cases.ts';
export type { WarrantFilter, WarrantKey, WarrantRecord } from './warrants.ts';
export type { ProtectedPersonRecord, ProtectiveOrderRecord } from './orders.ts';
export type { InfractionRecord, ProbationRecord } from './supervision.ts';
export type { OrderCount, ProbationCaseloadCount, WarrantActiveCount, WarrantFlowCount } from './statistics.ts';

/** The Judicial store: the AgencyStore contract plus the Branch's batch queries. */
export interface JudicialStore extends AgencyStore {
  database: Database<JudicialDb>;
  casesBySids(sids: readonly string[]): ReturnType<typeof casesBySids>;
  casesByDockets(dockets: readonly string[]): ReturnType<typeof casesByDockets>;
  chargesByDockets(dockets: readonly string[]): ReturnType<typeof chargesByDockets>;
  warrantsBySids(sids: readonly string[]): ReturnType<typeof warrantsBySids>;
  warrantsByNumbers(numbers: readonly string[]): ReturnType<typeof warrantsByNumbers>;
  searchWarrants(filter: WarrantFilter, limit: number, after?: WarrantKey): ReturnType<typeof searchWarrants>;
  countWarrants(filter: WarrantFilter): Promise<number>;
  ordersBySids(sids: readonly string[]): ReturnType<typeof ordersBySids>;
  ordersByNumbers(numbers: readonly string[]): ReturnType<typeof ordersByNumbers>;
  protectedPersonsByOrders(numbers: readonly string[]): ReturnType<typeof protectedPersonsByOrders>;
  infractionsBySids(sids: readonly string[]): ReturnType<typeof infractionsBySids>;
  probationBySids(sids: readonly string[]): ReturnType<typeof probationBySids>;
  /** Aggregates for reports (statistics.ts), one grouped statement each. */
  activeWarrantCounts(on: string): ReturnType<typeof activeWarrantCounts>;
  warrantFlowCounts(from: string, to: string): ReturnType<typeof warrantFlowCounts>;
  orderCounts(on: string, withinDays: number): ReturnType<typeof orderCounts>;
  probationCaseloadCounts(on: string): ReturnType<typeof probationCaseloadCounts>;
}

/** Opens the Judicial store at `location` (URL, PGlite folder or 'memory') and migrates it. */
export async function openJudicialStore(location: StoreLocation): Promise<JudicialStore> {
  const database = await openDatabase<JudicialDb>(location);
  if (database.engine === 'mysql') {
    await database.close();
    throw new Error('the Judicial store runs on PostgreSQL or PGlite; JUDICIAL_DATABASE_URL must be postgres://…');
  }
  const { db } = database;
  // The legacy tables, then the change log and its triggers (issue 9).
  const migrate = async () => {
    await migrateJudicial(db);
    await migrateOutbox(db, database.engine, JUDICIAL_TRIGGERS);
  };
  await migrate();
  return {
    database,
    migrate,
    seed: (stories: OffenderStory[]) => seedJudicial(db, stories),
    countPeople: async () => {
      const row = await db.selectFrom('ccms.dfndnt').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    clear: async () => {
      await db.transaction().execute(async (trx) => {
        for (const table of TABLES_CHILD_FIRST) await trx.deleteFrom(table).execute();
      });
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => database.close(),
    casesBySids: (sids) => casesBySids(db, sids),
    casesByDockets: (dockets) => casesByDockets(db, dockets),
    chargesByDockets: (dockets) => chargesByDockets(db, dockets),
    warrantsBySids: (sids) => warrantsBySids(db, sids),
    warrantsByNumbers: (numbers) => warrantsByNumbers(db, numbers),
    searchWarrants: (filter, limit, after) => searchWarrants(db, filter, limit, after),
    countWarrants: (filter) => countWarrants(db, filter),
    ordersBySids: (sids) => ordersBySids(db, sids),
    ordersByNumbers: (numbers) => ordersByNumbers(db, numbers),
    protectedPersonsByOrders: (numbers) => protectedPersonsByOrders(db, numbers),
    infractionsBySids: (sids) => infractionsBySids(db, sids),
    probationBySids: (sids) => probationBySids(db, sids),
    activeWarrantCounts: (on) => activeWarrantCounts(db, on),
    warrantFlowCounts: (from, to) => warrantFlowCounts(db, from, to),
    orderCounts: (on, withinDays) => orderCounts(db, on, withinDays),
    probationCaseloadCounts: (on) => probationCaseloadCounts(db, on),
  };
}
