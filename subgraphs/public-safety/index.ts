// The Department of Public Safety subgraph: MNI/CCH and the Sex Offender Registry.
// Run directly, it opens its store (PUBLIC_SAFETY_DATABASE_URL, or embedded PGlite in the
// data folder) and serves on its port.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'graphql';
import type { SubgraphModule } from '../shared/module.ts';
import { logger } from '../shared/log.ts';
import { startSubgraph } from '../shared/server.ts';
import { agencyEntry, dataDir } from '../../schema/subgraphs.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type PublicSafetyContext } from './resolvers.ts';
import { openPublicSafetyStore, type PublicSafetyStore } from './store/index.ts';

export const subgraph: SubgraphModule<PublicSafetyStore, PublicSafetyContext> = {
  name: 'public-safety',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: openPublicSafetyStore,
  createContext: (store, base) => ({ ...base, store, loaders: createLoaders(store) }),
};
export default subgraph;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = agencyEntry(subgraph.name);
  const url = process.env[entry.databaseSetting];
  const store = await openPublicSafetyStore(url ? { url } : { pgliteDir: path.join(dataDir(), subgraph.name) });
  const running = await startSubgraph(subgraph, store, { port: Number(process.env[entry.portSetting] ?? entry.defaultPort) });
  logger.info({ url: running.url, store: store.database.describe }, 'public-safety subgraph listening');
}
