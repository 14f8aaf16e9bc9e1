// Every subgraph module by name, loaded from the folder each registry entry names
// (schema/subgraphs.ts): adding a subgraph never means editing this file.
import type { AgencyStore, SubgraphModule } from './shared/module.ts';
import { storeLocation } from './shared/main.ts';
import { AGENCY_SUBGRAPHS, SUBGRAPHS } from '../schema/subgraphs.ts';

/** Imports `subgraphs/<name>/index.ts` and checks that it exports the subgraph it is listed as. */
async function load(name: string): Promise<SubgraphModule<any, any>> {
  const module = (await import(`./${name}/index.ts`)) as { subgraph?: SubgraphModule<any, any> };
  if (module.subgraph?.name !== name) {
    throw new Error(`subgraphs/${name}/index.ts must export \`subgraph\` with name "${name}" (schema/subgraphs.ts lists it); found ${JSON.stringify(module.subgraph?.name)}`);
  }
  return module.subgraph;
}

export const MODULES: Record<string, SubgraphModule<any, any>> = Object.fromEntries(
  await Promise.all(SUBGRAPHS.map(async (entry) => [entry.name, await load(entry.name)] as const)),
);

/** Opens every agency's store (each at its own location); tracking has none. */
export async function openAllStores(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, AgencyStore>> {
  const stores: Record<string, AgencyStore> = {};
  for (const entry of AGENCY_SUBGRAPHS) stores[entry.name] = await MODULES[entry.name].openStore(storeLocation(entry.name, env));
  return stores;
}
