// The system as the benchmarks run it: every subgraph and the gateway as their own
// processes (the way `npm start` and docker-compose run them), on free loopback ports,
// so the process that drives the load (bench/support/load.ts, another process again) and
// the process that measures take no CPU from them, and each one's CPU can be read apart
// (bench/support/cpu.ts).
//
// Stores: the embedded engine (PGlite folders under a fresh data folder, seeded here and
// closed before the subgraphs open them: PGlite has one writer), fresh databases on the
// real servers (seeded here), or databases seeded before with `npm run seed` (reuse).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatewayCommand } from './cores.ts';
import { NODE_FLAGS } from '../../subgraphs/shared/node-flags.ts';
import { AGENCY_SUBGRAPHS, ROOT, SUBGRAPHS, type SubgraphEntry } from '../../schema/subgraphs.ts';
import { MODULES } from '../../subgraphs/index.ts';
import type { AgencyStore } from '../../subgraphs/shared/module.ts';
import type { StoreLocation } from '../../subgraphs/shared/db.ts';
import { loadGatewayKey, gatewayKeyFile } from '../../subgraphs/shared/trust.ts';
import { issueDevToken, loadDevKey, type DevTokenClaims } from '../../gateway/auth/dev-key.ts';
import { seedStores } from '../../seed/run.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from '../../test/support/databases.ts';
import { freePorts } from '../../test/support/ports.ts';
import { waitUntilReady } from '../../scripts/ready.ts';

export type Engines = 'embedded' | 'servers';

export interface SystemOptions {
  engines: Engines;
  /** Offenders to seed into fresh stores; with `reuse`, the least the stores must hold. */
  offenders: number;
  seed?: number;
  /** Servers only: the databases PREFIX_ps (MariaDB), PREFIX_judicial, PREFIX_correction, seeded before. */
  reuse?: string;
  /** Name part of fresh server databases (default "bench"). */
  tag?: string;
  /** Gateway settings (environment variables) on top of the benchmark's defaults. */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Says what it is doing, one line each. */
  say?: (line: string) => void;
}

export interface System {
  gatewayUrl: string;
  metricsUrl: string;
  /** Every subgraph's GraphQL URL, by name. */
  subgraphUrls: Record<string, string>;
  /** Where each agency keeps its data (server database URLs, or PGlite folders). */
  locations: Record<string, StoreLocation>;
  dataDir: string;
  /** The gateway's key file: another router given the same key signs subgraph calls the subgraphs accept. */
  gatewayKeyFile: string;
  /** Seconds the seed took per store (empty when the stores were reused). */
  seedSeconds: Record<string, number>;
  /** Process ids, read when asked (the gateway's workers may be replaced). */
  pids(): { gateway: number[]; subgraphs: Record<string, number[]> };
  /** A bearer token from the development identity provider. */
  token(claims?: Partial<DevTokenClaims>): Promise<string>;
  /** The environment the gateway process runs with (another gateway started beside it takes it, with ports of its own). */
  gatewayProcessEnv(): NodeJS.ProcessEnv;
  /** Starts the gateway again (after stopGateway), with other settings if given. */
  restartGateway(env?: NodeJS.ProcessEnv): Promise<void>;
  stopGateway(): Promise<void>;
  stop(): Promise<void>;
}

/** The benchmark's user: every role that sees offender data, certified for a year. */
export const BENCH_USER: DevTokenClaims = {
  user: 'bench-user', ori: 'CT0000000', roles: ['law-enforcement', 'prosecutor', 'parole'],
  certifiedUntil: new Date(Date.now() + 365 * 86_400_000), purpose: 'C',
};

/** The settings that place a subgraph: its port, and its database when it has one. */
function subgraphEnv(entry: SubgraphEntry, port: number, location: StoreLocation | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { [entry.portSetting]: String(port) };
  if (entry.databaseSetting && location?.url) env[entry.databaseSetting] = location.url;
  return env;
}

/** Stores, seeded when fresh, then every subgraph and the gateway as processes. */
export async function startSystem(options: SystemOptions): Promise<System> {
  const say = options.say ?? (() => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'obts-bench-'));
  const children: ChildProcess[] = [];
  let gateway: ChildProcess | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stopChild(gateway);
    await Promise.all(children.map((child) => stopChild(child)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', () => { for (const child of [gateway, ...children]) child?.kill('SIGKILL'); });

  try {
    // 1. Stores.
    const locations: Record<string, StoreLocation> = {};
    for (const entry of AGENCY_SUBGRAPHS) {
      if (options.reuse) {
        const suffix = entry.name === 'public-safety' ? 'ps' : entry.name;
        locations[entry.name] = { url: entry.engine === 'mysql' ? `mysql://root@127.0.0.1:3306/${options.reuse}_${suffix}` : `postgres://postgres@127.0.0.1:5432/${options.reuse}_${suffix}` };
      } else if (options.engines === 'servers') {
        const database = `${options.tag ?? 'bench'}_${entry.name.replace(/-/g, '_')}`;
        locations[entry.name] = { url: entry.engine === 'mysql' ? await freshMysqlDatabase(database) : await freshPostgresDatabase(database) };
      } else {
        locations[entry.name] = { pgliteDir: path.join(dataDir, entry.name) };
      }
    }
    const stores: Record<string, AgencyStore> = {};
    let seedSeconds: Record<string, number> = {};
    try {
      for (const entry of AGENCY_SUBGRAPHS) stores[entry.name] = await MODULES[entry.name].openStore(locations[entry.name]);
      if (options.reuse) {
        // The master name index (public-safety) holds every offender; the others only
        // those with a record there, so they need only be seeded.
        for (const [name, store] of Object.entries(stores)) {
          const people = await store.countPeople();
          if (name === 'public-safety' ? people < options.offenders : people === 0) {
            throw new Error(`--reuse ${options.reuse}: ${name} holds ${people} offenders${name === 'public-safety' ? `, fewer than ${options.offenders}` : ''}; seed it first (npm run seed)`);
          }
        }
      } else {
        say(`seeding ${options.offenders} offenders (${options.engines})…`);
        const ms = await seedStores(stores, { offenders: options.offenders, seed: options.seed ?? 1 });
        seedSeconds = Object.fromEntries(Object.entries(ms).map(([name, value]) => [name, value / 1000]));
      }
    } finally {
      for (const store of Object.values(stores)) await store.close();
    }

    // 2. Subgraphs, each its own process, trusting the gateway's key (made before they start).
    const keyFile = gatewayKeyFile({ OBTS_DATA_DIR: dataDir });
    await loadGatewayKey(keyFile);
    const ports = await freePorts(SUBGRAPHS.length + 2);
    const [gatewayPort, metricsPort] = ports.splice(0, 2);
    const subgraphUrls: Record<string, string> = {};
    const urlEnv: NodeJS.ProcessEnv = {};
    const base: NodeJS.ProcessEnv = {
      ...process.env, APOLLO_TELEMETRY_DISABLED: '1', OBTS_DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The change relays and erasure consumers stay off: they poll the gateway, which
      // would bill their reads to every workload (and to no other router).
      OBTS_EVENTS: 'off', GATEWAY_PORT: String(gatewayPort),
      // As deployed (the Dockerfile sets it; Hive's contender runs so too): graphql-js's
      // development-mode instanceOf checks cost the subgraphs 3 % of their CPU.
      NODE_ENV: process.env.NODE_ENV ?? 'production',
    };
    const subgraphPids: Record<string, ChildProcess> = {};
    SUBGRAPHS.forEach((entry, i) => {
      const location = locations[entry.name];
      const env: NodeJS.ProcessEnv = { ...base, OBTS_SERVICE: entry.name, ...subgraphEnv(entry, ports[i], location) };
      if (entry.databaseSetting && !location) delete env[entry.databaseSetting]; // notifications: embedded, in the data folder
      const child = spawn(process.execPath, [...NODE_FLAGS, ...cpuProfile(entry.name), '--import', 'tsx', path.join(ROOT, entry.main ?? path.join('subgraphs', entry.name, 'index.ts'))], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      children.push(child);
      subgraphPids[entry.name] = child;
      // A subgraph that goes away mid-run is said at once (its figures would be of nothing).
      child.once('exit', (code, signal) => { if (!stopping) console.error(`bench: subgraph ${entry.name} (pid ${child.pid}) exited (${signal ?? code}) during the run`); });
      subgraphUrls[entry.name] = `http://127.0.0.1:${ports[i]}/graphql`;
      urlEnv[entry.urlSetting] = subgraphUrls[entry.name];
    });
    await Promise.all(SUBGRAPHS.map((entry) => waitReady(subgraphUrls[entry.name].replace(/\/graphql$/, '/ready'), 120_000, `subgraph ${entry.name}`, subgraphPids[entry.name])));

    // 3. The gateway. No per-user rate or concurrency limit unless asked: the benchmark's
    // one user asks far faster than a person.
    let gatewayEnv = options.gatewayEnv ?? {};
    const gatewayProcessEnv = () => ({ ...base, ...urlEnv, GATEWAY_RATE_LIMIT: '0', GATEWAY_USER_CONCURRENCY: '0', GATEWAY_USER_COST_LIMIT: '0', METRICS_PORT: String(metricsPort), ...gatewayEnv });
    const startGatewayProcess = async () => {
      gateway = await spawnGateway({ root: ROOT, env: gatewayProcessEnv(), port: gatewayPort, name: 'gateway' });
    };
    await startGatewayProcess();

    const devKey = await loadDevKey(dataDir);
    return {
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      subgraphUrls, locations, dataDir, gatewayKeyFile: keyFile, seedSeconds,
      pids: () => ({
        gateway: gateway?.pid ? [gateway.pid, ...descendants(gateway.pid)] : [],
        subgraphs: Object.fromEntries(Object.entries(subgraphPids).map(([name, child]) => [name, child.pid ? [child.pid] : []])),
      }),
      token: (claims = {}) => issueDevToken(devKey, { ...BENCH_USER, ...claims }),
      gatewayProcessEnv,
      stopGateway: async () => { await stopChild(gateway); gateway = undefined; },
      restartGateway: async (env) => {
        await stopChild(gateway);
        if (env) gatewayEnv = env;
        await startGatewayProcess();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts `root`'s gateway/index.ts as a process (this checkout's, or a baseline worktree's)
 * and waits until it is ready on `port`; a profile goes under `name` (BENCH_CPU_PROF_DIR).
 */
export async function spawnGateway(options: { root: string; env: NodeJS.ProcessEnv; port: number; name: string; what?: string }): Promise<ChildProcess> {
  const [command, args] = gatewayCommand(process.execPath, [...NODE_FLAGS, ...cpuProfile(options.name), '--import', 'tsx', path.join(options.root, 'gateway/index.ts')]);
  const child = spawn(command, args, { cwd: options.root, env: options.env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitReady(`http://127.0.0.1:${options.port}/ready`, 120_000, options.what ?? 'the gateway', child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once `child` has exited (at once if it has). */
export function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * BENCH_CPU_PROF_DIR: V8 CPU profiles of each process, written into a folder named after it
 * when it stops: one file per thread (tsx's loader runs on a thread of its own; one name for
 * all threads would let its profile overwrite the main thread's).
 */
export function cpuProfile(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`] : [];
}

/** Child processes of `pid`, and theirs (the gateway's cluster workers), from /proc. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const walk = (parent: number) => {
    let text = '';
    try {
      text = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8');
    } catch {
      return;
    }
    for (const child of text.split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}


/** Resolves once `url` answers 200; fails with the process's exit, or after `timeoutMs`. */
export async function waitReady(url: string, timeoutMs: number, what: string, child?: ChildProcess): Promise<void> {
  const outcome = await waitUntilReady(url, {
    timeoutMs,
    until: () => (child && (child.exitCode !== null || child.signalCode !== null) ? `${what} exited (${child.exitCode ?? child.signalCode}) before it was ready` : null),
  });
  if (outcome === 'timeout') throw new Error(`${what} was not ready at ${url} within ${timeoutMs / 1000} s`);
  if (outcome !== 'ready') throw new Error(outcome.stopped);
}
