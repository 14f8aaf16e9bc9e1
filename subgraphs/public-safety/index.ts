// The Department of Public Safety subgraph: MNI/CCH and the Sex Offender Registry.
// Run directly, it opens its store (PUBLIC_SAFETY_DATABASE_URL, or embedded PGlite in the
// data folder) and serves on its port.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { SubgraphModule } from '../shared/module.ts';
import { isEntry, serve } from '../shared/main.ts';
import { requestDissemination } from '../shared/dissemination.ts';
import { convictionOnlyLoaders } from './dissemination.ts';
import { agencyEvents } from '../shared/events/agency.ts';
import { erasedDockets, eraseDocket } from './store/changes.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type PublicSafetyContext } from './resolvers.ts';
import { openPublicSafetyStore, type PublicSafetyStore } from './store/index.ts';

export const subgraph: SubgraphModule<PublicSafetyStore, PublicSafetyContext> = {
  name: 'public-safety',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: openPublicSafetyStore,
  createContext: (store, base) => {
    // A purpose that is not criminal justice reads conviction information only (54-142k).
    const dissemination = requestDissemination(base.identity);
    const loaders = createLoaders(store);
    return { ...base, store, dissemination, loaders: dissemination === 'conviction-only' ? convictionOnlyLoaders(loaders) : loaders };
  },
  background: agencyEvents('public-safety', erasedDockets, eraseDocket),
};
export default subgraph;

if (isEntry(import.meta.url)) await serve(subgraph);
