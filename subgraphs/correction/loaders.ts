// Per-request DataLoaders, named by access path. Each batch is ONE statement in the store,
// put back in key order by shared/batch.ts, so a query over N offenders costs the same
// number of statements as a query over one. Built fresh in createContext for every request:
// nothing is cached across requests (DOC data stays in DOC's store).
import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../shared/batch.ts';
import type {
  CaseNoteRecord, CorrectionStore, IncarcerationRecord, MovementRecord, ParoleCaseRecord, TimeCalculationRecord,
} from './store/index.ts';

/** Keys per statement: well under PostgreSQL's 65 535 bind parameters. */
const MAX_BATCH = 5_000;

export interface CorrectionLoaders {
  /** OMIS admissions of a SID, newest first. */
  custodyBySid: DataLoader<string, IncarcerationRecord[]>;
  /** OMIS facility movements under an inmate number (all its admissions), oldest first. */
  movementsByInmate: DataLoader<string, MovementRecord[]>;
  /** STC time calculations of a SID, newest sentence first. */
  sentencesBySid: DataLoader<string, TimeCalculationRecord[]>;
  /** STC time calculation of a docket (the newest if STC holds several), or null. */
  sentenceByDocket: DataLoader<string, TimeCalculationRecord | null>;
  /** Parole cases (with conditions) of a SID, newest first. */
  paroleBySid: DataLoader<string, ParoleCaseRecord[]>;
  /** Case notes of a parole case, newest first; its own loader so it can get its own permission. */
  caseNotesByParoleCase: DataLoader<string, CaseNoteRecord[]>;
  /** The most recent admission under an inmate number, or null. */
  incarcerationByInmate: DataLoader<string, IncarcerationRecord | null>;
}

export function createLoaders(store: CorrectionStore): CorrectionLoaders {
  const options = { maxBatchSize: MAX_BATCH };
  return {
    custodyBySid: new DataLoader(async (sids) => manyByKey(sids, await store.custodyBySids(sids), (r) => r.sid), options),
    movementsByInmate: new DataLoader(
      async (inmates) => manyByKey(inmates, await store.movementsByInmates(inmates), (r) => r.inmateNumber),
      options,
    ),
    sentencesBySid: new DataLoader(async (sids) => manyByKey(sids, await store.sentencesBySids(sids), (r) => r.sid), options),
    sentenceByDocket: new DataLoader(
      async (dockets) => oneByKey(dockets, await store.sentencesByDockets(dockets), (r) => r.docketNumber),
      options,
    ),
    paroleBySid: new DataLoader(async (sids) => manyByKey(sids, await store.paroleBySids(sids), (r) => r.sid), options),
    caseNotesByParoleCase: new DataLoader(
      async (cases) => manyByKey(cases, await store.caseNotesByParoleCases(cases), (r) => r.caseNumber),
      options,
    ),
    // Rows come newest first within each inmate number; oneByKey keeps the first.
    incarcerationByInmate: new DataLoader(
      async (inmates) => oneByKey(inmates, await store.admissionsByInmates(inmates), (r) => r.inmateNumber),
      options,
    ),
  };
}
