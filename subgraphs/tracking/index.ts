// The tracking subgraph: one status and one timeline per offender, derived on each request
// from the agencies' fields (through @requires). It keeps no data, so its "store" is a
// handle whose readiness is the process's own. Run directly, it serves on its port.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { StoreHandle, SubgraphModule } from '../shared/module.ts';
import { isEntry, serve } from '../shared/main.ts';
import { resolvers, type TrackingContext } from './resolvers.ts';

/** No database: ready whenever the process is, nothing to close. */
export function noStore(): StoreHandle {
  return { ping: async () => {}, close: async () => {} };
}

export const subgraph: SubgraphModule<StoreHandle, TrackingContext> = {
  name: 'tracking',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: async () => noStore(),
  createContext: (_store, base) => base,
};
export default subgraph;

if (isEntry(import.meta.url)) await serve(subgraph);
