// The whole system in one test process: every agency store (embedded PGlite, or the real
// PostgreSQL and MariaDB servers), each subgraph over real HTTP on port 0, and the gateway
// on port 0 in front of them, exactly as `npm start` wires it. Each stack has its own
// temporary data folder (development keys, audit log), removed by stop().
import '../../gateway/telemetry-off.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OffenderStory } from '../../seed/story.ts';
import { MODULES } from '../../subgraphs/index.ts';
import type { AgencyStore, SubgraphModule } from '../../subgraphs/shared/module.ts';
import type { StoreLocation } from '../../subgraphs/shared/db.ts';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/server.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { AGENCY_SUBGRAPHS, SUBGRAPHS, type AgencySubgraphEntry } from '../../schema/subgraphs.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from './databases.ts';
import { issueDevToken, loadDevKey, type DevTokenClaims } from '../../gateway/auth/dev-key.ts';
import { gatewayKeyFile, loadGatewayKey } from '../../subgraphs/shared/trust.ts';
import { writeSyntheticMarker } from '../../subgraphs/shared/synthetic.ts';

export type Engines = 'embedded' | 'servers';

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  stores: Record<string, AgencyStore>;
  /** What backs the subgraphs without an agency store (tracking, notifications), by name. */
  handles: Record<string, any>;
  /** The stack's data folder (development keys, audit log). */
  dataDir: string;
  /** Headers of the default test user (every role that sees offender data, purpose C). */
  authHeaders: Record<string, string>;
  /** Issues a user token with the stack's development key; unset claims take test defaults. */
  token(claims?: Partial<DevTokenClaims>): Promise<string>;
  /**
   * POSTs a GraphQL request to the gateway as the default test user (pass an
   * `authorization` header to be someone else, or `''` to send none); returns status and
   * parsed body.
   */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** An agency's store for a test run: in-memory PGlite, or a fresh database on the server its registry entry names. */
async function locationFor(entry: AgencySubgraphEntry, engines: Engines, tag: string): Promise<StoreLocation> {
  if (engines === 'embedded') return { pgliteDir: 'memory' };
  const database = `${tag}_${entry.name.replace(/-/g, '_')}`;
  return { url: entry.engine === 'mysql' ? await freshMysqlDatabase(database) : await freshPostgresDatabase(database) };
}

export interface StackOptions {
  engines?: Engines;
  /** Prefix of the test databases on the real servers. */
  tag?: string;
  /** Gateway settings (as environment variables). */
  env?: NodeJS.ProcessEnv;
  /** A supergraph other than the committed one (tests of schema variants). */
  supergraphSdl?: string;
  /** Subgraphs besides the registered ones (tests of a subgraph that is not in the registry); pass a supergraphSdl that composes them. */
  extraSubgraphs?: SubgraphModule<any, any>[];
  /** Fills the stores instead of writing `stories` in one go (the benchmark seeds in batches). */
  populate?: (stores: Record<string, AgencyStore>) => Promise<void>;
  /** Leave the stores without the seeder's synthetic marker (tests of training mode's refusal). */
  unmarked?: boolean;
  /** Existing store locations by subgraph name (the benchmark reuses seeded databases); others are fresh. */
  locations?: Record<string, StoreLocation>;
}

/** The default test user: every role that sees offender data, certified for a year. */
const DEFAULT_USER: DevTokenClaims = {
  user: 'stack-test-user', ori: 'CT0000000', roles: ['law-enforcement', 'prosecutor', 'parole'],
  certifiedUntil: new Date(Date.now() + 365 * 86_400_000), purpose: 'C',
};

/** Starts the stack with `stories` written to every store. */
export async function startStack(stories: OffenderStory[], options: StackOptions = {}): Promise<Stack> {
  const engines = options.engines ?? 'embedded';
  const stores: Record<string, AgencyStore> = {};
  const subgraphs: Record<string, RunningSubgraph> = {};
  for (const entry of AGENCY_SUBGRAPHS) {
    stores[entry.name] = await MODULES[entry.name].openStore(options.locations?.[entry.name] ?? await locationFor(entry, engines, options.tag ?? 'stack'));
  }
  if (options.populate) await options.populate(stores);
  else for (const store of Object.values(stores)) await store.seed(stories);
  if (!options.unmarked) for (const store of Object.values(stores)) await writeSyntheticMarker(store, { seed: 0, offenders: stories.length, generator: 'test/support/stack.ts' });
  // The gateway and the subgraphs share the gateway's signing key (subgraphs/shared/trust.ts).
  const dataDir = options.env?.OBTS_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'obts-stack-'));
  const gatewayKey = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: dataDir, ...options.env }));
  // Tracking has no store: its module hands out a handle that is always ready.
  const handles: Record<string, any> = {};
  for (const entry of SUBGRAPHS) {
    if (!stores[entry.name]) handles[entry.name] = await MODULES[entry.name].openStore({});
    subgraphs[entry.name] = await startSubgraph(MODULES[entry.name], stores[entry.name] ?? handles[entry.name], { port: 0, trust: { jwks: gatewayKey.publicJwks } });
  }
  for (const module of options.extraSubgraphs ?? []) subgraphs[module.name] = await startSubgraph(module, await module.openStore({}), { port: 0, trust: { jwks: gatewayKey.publicJwks } });
  const devKey = await loadDevKey(dataDir);
  const token = (claims: Partial<DevTokenClaims> = {}) => issueDevToken(devKey, { ...DEFAULT_USER, ...claims });
  const authHeaders = { authorization: `Bearer ${await token()}`, 'x-obts-purpose': 'C' };
  const config = {
    // No per-user rate or concurrency limit unless asked: tests and the benchmark drive one user far faster than a person.
    ...loadGatewayConfig({ OBTS_DATA_DIR: dataDir, GATEWAY_RATE_LIMIT: '0', GATEWAY_USER_CONCURRENCY: '0', GATEWAY_USER_COST_LIMIT: '0', ...options.env }),
    port: 0,
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, running]) => [name, running.url])),
  };
  const gateway = await startGateway(config, options.supergraphSdl);
  return {
    gateway, subgraphs, stores, handles, dataDir, authHeaders, token,
    async query(query, variables, headers = {}) {
      const sent: Record<string, string> = { 'content-type': 'application/json', ...authHeaders, ...headers };
      if (sent.authorization === '') delete sent.authorization;
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: sent,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await gateway.stop();
      for (const running of Object.values(subgraphs)) await running.stop();
      for (const store of Object.values(stores)) await store.close();
      for (const handle of Object.values(handles)) await handle.close();
      if (!options.env?.OBTS_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
