// The event work an agency subgraph process runs beside its server (issue 9): the NATS
// relay of its change log when NATS_URL is set, and, for agencies that keep records of
// court dockets, the propagation of the court's erasures into their own store.
import type { AgencyStore } from '../module.ts';
import type { ErasedAmong } from '../outbox/resolvers.ts';
import { startErasurePropagation, type EraseDocket } from './erasure.ts';
import { natsTarget } from './nats.ts';
import { startRelay } from './relay.ts';

export interface Background {
  stop(): Promise<void>;
}

/** The background of an agency subgraph: relay (with a broker) and erasure propagation (if `erase`). */
export function agencyEvents(feed: string, erasedAmong: ErasedAmong, erase?: EraseDocket) {
  return async (store: AgencyStore, env: NodeJS.ProcessEnv = process.env): Promise<Background> => {
    const db = store.database.db;
    const parts: Background[] = [];
    const nats = natsTarget(env);
    if (nats) parts.push(await startRelay({ feed, db, erasedAmong, nats }));
    if (erase) parts.push(await startErasurePropagation(feed, db, erase, env));
    return { stop: async () => { for (const part of parts) await part.stop(); } };
  };
}
