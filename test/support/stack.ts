// The whole system in one test process: every agency store (embedded PGlite, or the real
// PostgreSQL and MariaDB servers), each subgraph over real HTTP on port 0, and the gateway
// on port 0 in front of them, exactly as `npm start` wires it.
import '../../gateway/telemetry-off.ts';
import type { OffenderStory } from '../../seed/story.ts';
import { MODULES } from '../../subgraphs/index.ts';
import type { AgencyStore } from '../../subgraphs/shared/module.ts';
import type { StoreLocation } from '../../subgraphs/shared/db.ts';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/server.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { SUBGRAPHS } from '../../schema/subgraphs.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from './databases.ts';

export type Engines = 'embedded' | 'servers';

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  stores: Record<string, AgencyStore>;
  /** POSTs a GraphQL request to the gateway; returns status and parsed body. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

async function locationFor(name: string, engines: Engines, tag: string): Promise<StoreLocation> {
  if (engines === 'embedded') return { pgliteDir: 'memory' };
  const database = `${tag}_${name.replace('-', '_')}`;
  return { url: name === 'public-safety' ? await freshMysqlDatabase(database) : await freshPostgresDatabase(database) };
}

export interface StackOptions {
  engines?: Engines;
  /** Prefix of the test databases on the real servers. */
  tag?: string;
  /** Gateway settings (as environment variables). */
  env?: NodeJS.ProcessEnv;
  /** Fills the stores instead of writing `stories` in one go (the benchmark seeds in batches). */
  populate?: (stores: Record<string, AgencyStore>) => Promise<void>;
}

/** Starts the stack with `stories` written to every store. */
export async function startStack(stories: OffenderStory[], options: StackOptions = {}): Promise<Stack> {
  const engines = options.engines ?? 'embedded';
  const stores: Record<string, AgencyStore> = {};
  const subgraphs: Record<string, RunningSubgraph> = {};
  for (const entry of SUBGRAPHS) {
    stores[entry.name] = await MODULES[entry.name].openStore(await locationFor(entry.name, engines, options.tag ?? 'stack'));
  }
  if (options.populate) await options.populate(stores);
  else for (const store of Object.values(stores)) await store.seed(stories);
  for (const entry of SUBGRAPHS) subgraphs[entry.name] = await startSubgraph(MODULES[entry.name], stores[entry.name], { port: 0 });
  const config = {
    ...loadGatewayConfig({ ...options.env }),
    port: 0,
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, running]) => [name, running.url])),
  };
  const gateway = await startGateway(config);
  return {
    gateway, subgraphs, stores,
    async query(query, variables, headers = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await gateway.stop();
      for (const running of Object.values(subgraphs)) await running.stop();
      for (const store of Object.values(stores)) await store.close();
    },
  };
}
