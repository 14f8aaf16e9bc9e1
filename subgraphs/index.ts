// Every subgraph module by name (the names in schema/subgraphs.ts): the agencies, and
// tracking, which has no store of its own.
import type { AgencyStore, SubgraphModule } from './shared/module.ts';
import { storeLocation } from './shared/main.ts';
import { subgraph as publicSafety } from './public-safety/index.ts';
import { subgraph as judicial } from './judicial/index.ts';
import { subgraph as correction } from './correction/index.ts';
import { subgraph as tracking } from './tracking/index.ts';
import { subgraph as notifications } from '../notifications/index.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';


export const MODULES: Record<string, SubgraphModule<any, any>> = {
  'public-safety': publicSafety,
  judicial,
  correction,
  tracking,
  notifications,
};

/** Opens every agency's store (each at its own location); tracking has none. */
export async function openAllStores(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, AgencyStore>> {
  const stores: Record<string, AgencyStore> = {};
  for (const entry of AGENCY_SUBGRAPHS) stores[entry.name] = await MODULES[entry.name].openStore(storeLocation(entry.name, env));
  return stores;
}
