// Hive Gateway as a contender (bench/hive/server.mjs): installed on first use into
// bench/hive/node_modules from its own lockfile (npm ci), so the project's own install
// stays as it is; started over the same subgraph processes with the gateway's signing key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gatewayCommand } from './cores.ts';
import { ROOT } from '../../schema/subgraphs.ts';
import { permissionsFor } from '../../gateway/auth/policy.ts';
import { BENCH_USER, stopChild, waitReady } from './system.ts';
import { NODE_FLAGS } from '../../subgraphs/shared/node-flags.ts';

const HIVE_DIR = path.join(ROOT, 'bench', 'hive');

export type HivePlanner = 'js' | 'rust';

export interface Contender {
  name: string;
  url: string;
  /** Headers every request carries (OBTS: the user's token and purpose). */
  headers: Record<string, string>;
  pids(): number[];
  stop(): Promise<void>;
  /** A contender over subgraph processes of its own (--scale): their pids, for the CPU split. */
  subgraphPids?(): number[];
  /** Where its own clock (obts_gateway_own_seconds, gateway/own-time.ts) is scraped, when it keeps one. */
  ownClockUrl?: string;
  /** A contender over another population (--scale): its requests, drawn from that population. */
  bodies?(scenario: import('../scenarios.ts').Scenario): string[];
}

/** Installs bench/hive's packages when they are not there yet (a minute at most, from the registry). */
export function ensureHiveInstalled(say: (line: string) => void): void {
  if (existsSync(path.join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway-runtime'))) return;
  say('installing Hive Gateway into bench/hive (npm ci, its own lockfile; once)…');
  const run = spawnSync('npm', ['ci', '--engine-strict', '--no-audit', '--no-fund'], { cwd: HIVE_DIR, stdio: 'inherit', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`npm ci in bench/hive failed (${run.status ?? run.signal}); --compare needs it`);
}

/** Starts Hive Gateway with the given planner on `port`, calling `subgraphUrls`. */
export async function startHive(planner: HivePlanner, options: { port: number; subgraphUrls: Record<string, string>; gatewayKeyFile: string }): Promise<Contender> {
  const identity = {
    sub: BENCH_USER.user, ori: BENCH_USER.ori, roles: BENCH_USER.roles, perms: permissionsFor(BENCH_USER.roles),
    purpose: BENCH_USER.purpose, cert: BENCH_USER.certifiedUntil.toISOString(),
  };
  // The same Node flags as this gateway's (a fair race: Hive Gateway's own process is Node too).
  const [command, args] = gatewayCommand(process.execPath, [...NODE_FLAGS, path.join(HIVE_DIR, 'server.mjs')]);
  const child: ChildProcess = spawn(command, args, {
    cwd: HIVE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH, HIVE_PORT: String(options.port), HIVE_PLANNER: planner,
      HIVE_SUPERGRAPH: path.join(ROOT, 'schema', 'supergraph.graphql'), HIVE_SUBGRAPH_URLS: JSON.stringify(options.subgraphUrls),
      OBTS_GATEWAY_KEY_FILE: options.gatewayKeyFile, HIVE_IDENTITY: JSON.stringify(identity), NODE_ENV: 'production',
    },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  await waitReady(`http://127.0.0.1:${options.port}/healthcheck`, 60_000, `Hive Gateway (${planner} planner)`, child);
  return {
    name: `Hive Gateway (${planner === 'js' ? 'JS' : 'Rust'} planner)`,
    url: `http://127.0.0.1:${options.port}/graphql`,
    headers: {},
    pids: () => (child.pid ? [child.pid] : []),
    stop: () => stopChild(child, 5000),
  };
}
