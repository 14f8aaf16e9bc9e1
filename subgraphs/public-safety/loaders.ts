// Per-request DataLoaders, named by access path. Each batch is answered by the store in
// one SQL statement (arrestsBySid: one for the arrests, one for all their charges) and put
// back in key order by shared/batch.ts, so the statements a request runs depend on the
// fields asked for, never on how many offenders they cover. Built fresh in createContext
// for every request: nothing is cached across requests (or users).
import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../shared/batch.ts';
import type { ArrestRecord, OffenderRecord, PersonNameRecord, PublicSafetyStore, RegistrationRecord } from './store/index.ts';

/** Keys per batch: keeps a statement's parameters far below the drivers' limits. */
const MAX_BATCH = 5_000;

export interface PublicSafetyLoaders {
  offenderBySid: DataLoader<string, OffenderRecord | null>;
  aliasesBySid: DataLoader<string, PersonNameRecord[]>;
  scarsMarksTattoosBySid: DataLoader<string, string[]>;
  arrestsBySid: DataLoader<string, ArrestRecord[]>;
  registrationBySid: DataLoader<string, RegistrationRecord | null>;
}

export function createLoaders(store: PublicSafetyStore): PublicSafetyLoaders {
  const options = { maxBatchSize: MAX_BATCH };
  return {
    offenderBySid: new DataLoader(async (sids) => oneByKey(sids, await store.offendersBySids(sids), (row) => row.sid), options),
    aliasesBySid: new DataLoader(
      async (sids) => manyByKey(sids, await store.aliasesBySids(sids), (row) => row.sid).map((rows) => rows.map((row) => row.name)),
      options,
    ),
    scarsMarksTattoosBySid: new DataLoader(
      async (sids) => manyByKey(sids, await store.scarsMarksTattoosBySids(sids), (row) => row.sid).map((rows) => rows.map((row) => row.description)),
      options,
    ),
    arrestsBySid: new DataLoader(async (sids) => manyByKey(sids, await store.arrestsBySids(sids), (row) => row.sid), options),
    registrationBySid: new DataLoader(async (sids) => oneByKey(sids, await store.registrationsBySids(sids), (row) => row.sid), options),
  };
}
