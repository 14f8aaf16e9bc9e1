// The tracking subgraph: one status and one timeline per offender, derived on each request
// from the agencies' fields (through @requires). It keeps no data, so its "store" is a
// handle whose readiness is the process's own. Run directly, it serves on its port.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { StoreHandle, SubgraphModule } from '../shared/module.ts';
import { logger } from '../shared/log.ts';
import { startSubgraph } from '../shared/server.ts';
import { subgraphEntry } from '../../schema/subgraphs.ts';
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = subgraphEntry('tracking');
  const running = await startSubgraph(subgraph, noStore(), { port: Number(process.env[entry.portSetting] ?? entry.defaultPort) });
  logger.info({ url: running.url }, 'tracking subgraph listening (no store: derives from the agencies)');
}
