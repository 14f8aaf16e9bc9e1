// Every subgraph module by name, from the registry (schema/subgraphs.ts) through the
// generated import list subgraphs/modules.ts (`npm run compose` writes it): adding a
// subgraph never means editing this file.
import type { AgencyStore, SubgraphModule } from './shared/module.ts';
import { storeLocation } from './shared/main.ts';
import { REGISTERED_MODULES } from './modules.ts';
import { AGENCY_SUBGRAPHS, SUBGRAPHS } from '../schema/subgraphs.ts';

/** Each registry entry's module, checked to be the subgraph it is listed as. */
function modules(): Record<string, SubgraphModule<any, any>> {
  const found: Record<string, SubgraphModule<any, any>> = {};
  for (const entry of SUBGRAPHS) {
    const module = REGISTERED_MODULES[entry.name];
    if (module?.name !== entry.name) {
      throw new Error(`subgraphs/${entry.name}/index.ts must export \`subgraph\` named "${entry.name}" (schema/subgraphs.ts lists it); run \`npm run compose\` if subgraphs/modules.ts is stale`);
    }
    found[entry.name] = module;
  }
  return found;
}

export const MODULES: Record<string, SubgraphModule<any, any>> = modules();

/** Opens every agency's store (each at its own location); tracking has none. */
export async function openAllStores(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, AgencyStore>> {
  const stores: Record<string, AgencyStore> = {};
  for (const entry of AGENCY_SUBGRAPHS) stores[entry.name] = await MODULES[entry.name].openStore(storeLocation(entry.name, env));
  return stores;
}
