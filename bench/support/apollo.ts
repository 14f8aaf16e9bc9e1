// @apollo/gateway bare (bench/apollo/server.ts) as a contender: the executor this gateway is
// built on, with nothing of this project's around it but the signing hook, over the same
// subgraph processes. What it shows: how much of this gateway's time is the library's own.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { gatewayCommand } from './cores.ts';
import { ROOT } from '../../schema/subgraphs.ts';
import { permissionsFor } from '../../gateway/auth/policy.ts';
import { BENCH_USER, cpuProfile, stopChild, waitReady } from './system.ts';
import { NODE_FLAGS } from '../../subgraphs/shared/node-flags.ts';
import type { Contender } from './hive.ts';

export const APOLLO_BARE = '@apollo/gateway bare';

/** Starts bare @apollo/gateway on `port`, calling `subgraphUrls`; its own clock at `ownClockUrl`. */
export async function startApolloBare(options: { port: number; subgraphUrls: Record<string, string>; gatewayKeyFile: string }): Promise<Contender> {
  const identity = {
    userId: BENCH_USER.user, ori: BENCH_USER.ori, roles: BENCH_USER.roles, permissions: permissionsFor(BENCH_USER.roles),
    purpose: BENCH_USER.purpose, certifiedUntil: BENCH_USER.certifiedUntil.toISOString(),
  };
  const [command, args] = gatewayCommand(process.execPath, [...NODE_FLAGS, ...cpuProfile('apollo-bare'), '--import', 'tsx', path.join(ROOT, 'bench', 'apollo', 'server.ts')]);
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', APOLLO_BARE_PORT: String(options.port),
      APOLLO_BARE_SUBGRAPH_URLS: JSON.stringify(options.subgraphUrls), OBTS_GATEWAY_KEY_FILE: options.gatewayKeyFile, APOLLO_BARE_IDENTITY: JSON.stringify(identity),
    },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  await waitReady(`http://127.0.0.1:${options.port}/health`, 60_000, APOLLO_BARE, child);
  return {
    name: APOLLO_BARE,
    url: `http://127.0.0.1:${options.port}/graphql`,
    ownClockUrl: `http://127.0.0.1:${options.port}/metrics`,
    headers: {},
    pids: () => (child.pid ? [child.pid] : []),
    stop: () => stopChild(child, 5000),
  };
}
