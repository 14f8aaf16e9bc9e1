// The correction subgraph (Department of Correction: OMIS, STC, Parole). Run directly, it
// opens the store from CORRECTION_DATABASE_URL (or embedded PGlite) and serves on its port.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { SubgraphModule } from '../shared/module.ts';
import { isEntry, serve } from '../shared/main.ts';
import { requestDissemination } from '../shared/dissemination.ts';
import { convictionOnlyLoaders } from './dissemination.ts';
import { agencyEvents } from '../shared/events/agency.ts';
import { erasedDockets, eraseDocket } from './store/changes.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type CorrectionContext } from './resolvers.ts';
import { openCorrectionStore, type CorrectionStore } from './store/index.ts';

export const subgraph: SubgraphModule<CorrectionStore, CorrectionContext> = {
  name: 'correction',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: openCorrectionStore,
  createContext: (store, base) => {
    // A purpose that is not criminal justice reads conviction information only (54-142k).
    const dissemination = requestDissemination(base.identity);
    const loaders = createLoaders(store);
    return { ...base, store, dissemination, loaders: dissemination === 'conviction-only' ? convictionOnlyLoaders(loaders) : loaders };
  },
  background: agencyEvents('correction', erasedDockets, eraseDocket),
};
export default subgraph;

if (isEntry(import.meta.url)) await serve(subgraph);
