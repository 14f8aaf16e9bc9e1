// Every agency subgraph module by name (the names in schema/subgraphs.ts).
import type { AgencyStore, SubgraphModule } from './shared/module.ts';
import type { StoreLocation } from './shared/db.ts';
import { subgraph as publicSafety } from './public-safety/index.ts';
import { subgraph as judicial } from './judicial/index.ts';
import { subgraph as correction } from './correction/index.ts';
import { dataDir, SUBGRAPHS, subgraphEntry } from '../schema/subgraphs.ts';
import path from 'node:path';

export const MODULES: Record<string, SubgraphModule<any, any>> = {
  'public-safety': publicSafety,
  judicial,
  correction,
};

/** Where subgraph `name` keeps its data: its database URL setting, else embedded PGlite. */
export function storeLocation(name: string, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const entry = subgraphEntry(name);
  const url = env[entry.databaseSetting];
  return url ? { url } : { pgliteDir: path.join(dataDir(env), name) };
}

/** Opens every agency's store (each at its own location). */
export async function openAllStores(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, AgencyStore>> {
  const stores: Record<string, AgencyStore> = {};
  for (const entry of SUBGRAPHS) stores[entry.name] = await MODULES[entry.name].openStore(storeLocation(entry.name, env));
  return stores;
}
