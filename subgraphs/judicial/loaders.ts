// Per-request DataLoaders, named by access path. Each batch is one SQL statement in the
// store (see store/*.ts), and shared/batch.ts puts the rows back in key order, so a query
// over N offenders runs a number of statements that does not grow with N.
// Built fresh for every request in createContext: nothing is cached across requests,
// so a record erased or changed in the source system is never served stale.
import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../shared/batch.ts';
import { erasedDocketsBySids } from './store/changes.ts';
import type {
  CourtCaseRecord,
  CourtChargeRecord,
  InfractionRecord,
  JudicialStore,
  ProbationRecord,
  ProtectedPersonRecord,
  ProtectiveOrderRecord,
  WarrantRecord,
} from './store/index.ts';

/** Keys per batch: well under the bind-parameter limit of one `IN (…)` list. */
const MAX_BATCH = 10_000;

export interface JudicialLoaders {
  /** Case by canonical docket number (null: unknown or erased). */
  caseByDocket: DataLoader<string, CourtCaseRecord | null>;
  /** A person's cases, newest arraignment first. */
  casesBySid: DataLoader<string, CourtCaseRecord[]>;
  /** A case's counts, in count order. */
  chargesByDocket: DataLoader<string, CourtChargeRecord[]>;
  /** A person's warrants, newest first. */
  warrantsBySid: DataLoader<string, WarrantRecord[]>;
  /** Warrant by number (null: unknown or erased). */
  warrantByNumber: DataLoader<string, WarrantRecord | null>;
  /** Orders against a person, newest first. */
  ordersBySid: DataLoader<string, ProtectiveOrderRecord[]>;
  /** Order by number (null: unknown or erased). */
  orderByNumber: DataLoader<string, ProtectiveOrderRecord | null>;
  /** The persons an order protects (its own loader: it will get its own permission). */
  protectedPersonsByOrder: DataLoader<string, ProtectedPersonRecord[]>;
  /** A person's infraction tickets, newest first. */
  infractionsBySid: DataLoader<string, InfractionRecord[]>;
  /** A person's probation cases, newest first. */
  probationBySid: DataLoader<string, ProbationRecord[]>;
  /** A person's erased dockets (the disclosure guard, shared/disclosure.ts). */
  erasedDocketsBySid: DataLoader<string, string[]>;
}

/** Fresh loaders over `store` for one request. */
export function createLoaders(store: JudicialStore): JudicialLoaders {
  const options = { maxBatchSize: MAX_BATCH };
  const caseByDocket = new DataLoader<string, CourtCaseRecord | null>(
    async (dockets) => oneByKey(dockets, await store.casesByDockets(dockets), (c) => c.docketNumber), options);
  const casesBySid = new DataLoader<string, CourtCaseRecord[]>(async (sids) => {
    const rows = await store.casesBySids(sids);
    // The same rows answer later look-ups by docket (e.g. _entities) without a statement.
    for (const row of rows) caseByDocket.prime(row.docketNumber, row);
    return manyByKey(sids, rows, (c) => c.sid);
  }, options);
  return {
    caseByDocket,
    casesBySid,
    chargesByDocket: new DataLoader(async (dockets) => manyByKey(dockets, await store.chargesByDockets(dockets), (c) => c.docketNumber), options),
    warrantsBySid: new DataLoader(async (sids) => manyByKey(sids, await store.warrantsBySids(sids), (w) => w.sid), options),
    warrantByNumber: new DataLoader(async (numbers) => oneByKey(numbers, await store.warrantsByNumbers(numbers), (w) => w.warrantNumber), options),
    ordersBySid: new DataLoader(async (sids) => manyByKey(sids, await store.ordersBySids(sids), (o) => o.sid), options),
    orderByNumber: new DataLoader(async (numbers) => oneByKey(numbers, await store.ordersByNumbers(numbers), (o) => o.orderNumber), options),
    protectedPersonsByOrder: new DataLoader(
      async (numbers) => manyByKey(numbers, await store.protectedPersonsByOrders(numbers), (p) => p.orderNumber), options),
    infractionsBySid: new DataLoader(async (sids) => manyByKey(sids, await store.infractionsBySids(sids), (t) => t.sid), options),
    probationBySid: new DataLoader(async (sids) => manyByKey(sids, await store.probationBySids(sids), (p) => p.sid), options),
    erasedDocketsBySid: new DataLoader(async (sids) =>
      manyByKey(sids, await erasedDocketsBySids(store.database.db, sids), (d) => d.sid).map((list) => list.map((d) => d.docketNumber)), options),
  };
}
