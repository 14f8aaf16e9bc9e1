// The correction subgraph (Department of Correction: OMIS, STC, Parole). Run directly, it
// opens the store from CORRECTION_DATABASE_URL (or embedded PGlite) and serves on its port.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule } from '../shared/module.ts';
import { startSubgraph } from '../shared/server.ts';
import { logger } from '../shared/log.ts';
import { agencyEntry, dataDir } from '../../schema/subgraphs.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type CorrectionContext } from './resolvers.ts';
import { openCorrectionStore, type CorrectionStore } from './store/index.ts';

export const subgraph: SubgraphModule<CorrectionStore, CorrectionContext> = {
  name: 'correction',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: openCorrectionStore,
  createContext: (store, base) => ({ ...base, store, loaders: createLoaders(store) }),
};
export default subgraph;

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const entry = agencyEntry('correction');
  const url = process.env[entry.databaseSetting];
  const store = await openCorrectionStore(url ? { url } : { pgliteDir: path.join(dataDir(), 'correction') });
  const running = await startSubgraph(subgraph, store, { port: Number(process.env[entry.portSetting] ?? entry.defaultPort) });
  logger.info({ url: running.url, store: store.database.describe }, 'correction subgraph ready');
  // Finish requests in flight and close the store (PGlite flushes its files) before exiting.
  const stop = () => void running.stop().then(() => store.close()).finally(() => process.exit(0));
  process.once('SIGTERM', stop).once('SIGINT', stop);
}
