// npm start: the whole system on one machine.
//  1. checks every setting it will use (scripts/preflight.ts) and stops with one line per
//     problem before anything starts;
//  2. takes the run lock (so `npm run seed` cannot rewrite the stores under it);
//  3. seeds a first run's empty stores, but never one store alone while the others hold
//     data (that would hand users people the other agencies never heard of);
//  4. starts every subgraph as its own supervised process (restarted with backoff when it
//     exits), waits for them, and starts the gateway even when an agency is down;
//  5. on Ctrl-C drains the gateway first (answers in flight keep their agency fields),
//     then stops the subgraphs, then releases the lock.
// Cleanup is registered before anything is spawned: a failed start stops what it started.
import '../gateway/telemetry-off.ts';
import path from 'node:path';
import { seedStores } from '../seed/run.ts';
import { AGENCY_SUBGRAPHS, ROOT, SUBGRAPHS, subgraphUrl } from '../schema/subgraphs.ts';
import { NODE_FLAGS } from '../subgraphs/shared/node-flags.ts';
import { loadGatewayConfig, startGateway } from '../gateway/index.ts';
import type { RunningGateway } from '../gateway/server.ts';
import { loadGatewayKey } from '../subgraphs/shared/trust.ts';
import { MODULES } from '../subgraphs/index.ts';
import { storeLocation } from '../subgraphs/shared/main.ts';
import type { AgencyStore } from '../subgraphs/shared/module.ts';
import { preflight } from './preflight.ts';
import { acquireRunLock, storeNames, type RunLock } from './run-lock.ts';
import { supervise, type Supervised } from './supervisor.ts';
import { parseCommandLine, wholeNumber, defineCli } from './cli.ts';
import { waitUntilReady } from './ready.ts';

const spec = defineCli({
  command: 'start',
  summary: 'Runs OBTS on this machine: every agency subgraph as its own process, then the gateway. A first run seeds embedded stores with synthetic offenders.',
  options: {
    'seed-empty': { type: 'boolean', help: 'seed a store that is empty even though other stores hold data (they will not match)' },
    'ready-timeout': { type: 'string', value: 'SECONDS', help: 'how long to wait for each subgraph before starting without it (default 120)' },
  },
  notes: [
    'Settings (environment): *_DATABASE_URL (unset: embedded PGlite under OBTS_DATA_DIR), GATEWAY_PORT, GATEWAY_HOST,',
    'PUBLIC_SAFETY_PORT, JUDICIAL_PORT, CORRECTION_PORT, TRACKING_PORT, NOTIFICATIONS_PORT, OBTS_SEED_OFFENDERS, OBTS_SEED, OBTS_MODE — see README "Configure".',
  ],
  examples: ['npm start', 'GATEWAY_PORT=5000 npm start', 'JUDICIAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/judicial npm start'],
});

const say = (line: string) => console.log(line);
const complain = (line: string) => console.error(`start: ${line}`);

let parsed;
let config;
let readyTimeoutMs = 120_000;
try {
  parsed = parseCommandLine(spec);
  if (parsed) readyTimeoutMs = wholeNumber(parsed.values['ready-timeout'], 'ready-timeout', 120, 1, 3600) * 1000;
  config = loadGatewayConfig();
} catch (error) {
  complain((error as Error).message);
  process.exit(2);
}
if (!parsed) process.exit(0);
const offenders = Number(process.env.OBTS_SEED_OFFENDERS ?? 10_000);
const seed = Number(process.env.OBTS_SEED ?? 1);

// Cleanup first: whatever happens from here on, what was started is stopped.
const processes: Supervised[] = [];
let gateway: RunningGateway | undefined;
let lock: RunLock | undefined;
let stopping = false;
let stopped: Promise<void> | undefined;
async function shutdown(code: number): Promise<never> {
  // A second signal (Ctrl-C twice, or the terminal's SIGINT to the whole group) waits for
  // the first shutdown instead of exiting under it.
  stopped ??= (async () => {
    stopping = true;
    // No restarts from here on, whatever exits while the gateway drains.
    for (const p of processes) p.holdRestarts();
    if (gateway) {
      say('draining the gateway…');
      await gateway.stop().catch((error: Error) => complain(`gateway did not stop cleanly: ${error.message}`));
    }
    await Promise.all(processes.map((p) => p.stop()));
    lock?.release();
  })();
  await stopped;
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.once('exit', () => {
  for (const p of processes) if (p.child && p.child.exitCode === null) p.child.kill('SIGKILL');
  lock?.release();
});
const fail = async (lines: string[]): Promise<never> => {
  for (const line of lines) complain(line);
  return shutdown(1);
};

try {
  // 1. Settings.
  const report = await preflight({ env: process.env, gatewayHost: config.host, gatewayPort: config.port, dataDir: config.dataDir, audit: config.audit });
  if (report.problems.length) await fail([...report.problems, `${report.problems.length} setting(s) to fix; nothing was started`]);
  for (const warning of Object.values(report.unreachable)) complain(`warning: ${warning}`);
  if (!Number.isInteger(offenders) || offenders < 1) await fail([`OBTS_SEED_OFFENDERS="${process.env.OBTS_SEED_OFFENDERS}" is not valid; expected a whole number of at least 1`]);
  if (!Number.isInteger(seed) || seed < 1) await fail([`OBTS_SEED="${process.env.OBTS_SEED}" is not valid; expected a whole number of at least 1`]);

  // 2. The run lock.
  lock = acquireRunLock(config.dataDir, 'npm start', storeNames());

  // 3. Seed what is empty, when everything reachable is empty (or --seed-empty says so).
  // Embedded PGlite holds one writer, so the stores are closed before the subgraphs open them.
  const reachable = AGENCY_SUBGRAPHS.filter((entry) => !report.unreachable[entry.name]);
  const stores: Record<string, AgencyStore> = {};
  try {
    for (const entry of reachable) stores[entry.name] = await MODULES[entry.name].openStore(storeLocation(entry.name));
    const people = Object.fromEntries(await Promise.all(Object.entries(stores).map(async ([name, store]) => [name, await store.countPeople()] as const)));
    const empty = Object.keys(stores).filter((name) => people[name] === 0);
    const holding = Object.keys(stores).filter((name) => people[name] > 0);
    if (empty.length && holding.length && !parsed.values['seed-empty']) {
      await fail([
        `${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} empty while ${holding.map((name) => `${name} (${people[name]} people)`).join(', ')} ${holding.length === 1 ? 'holds' : 'hold'} data;`
          + ' seeding only the empty one would give it people the other agencies never heard of.',
        'Run `npm run seed` to reseed every store the same way, or `npm start -- --seed-empty` to seed the empty ones anyway.',
      ]);
    }
    if (empty.length) {
      say(`${holding.length ? '' : 'first run: '}seeding ${empty.join(', ')} with ${offenders} synthetic offenders (seed ${seed})…`);
      await seedStores(Object.fromEntries(empty.map((name) => [name, stores[name]])), {
        offenders, seed, onProgress: (done, total) => process.stdout.write(process.stdout.isTTY ? `\r  ${done} / ${total}` : ''),
      });
      if (process.stdout.isTTY) process.stdout.write('\n');
    }
  } finally {
    for (const store of Object.values(stores)) await store.close();
  }

  // 4. Subgraphs, supervised. They trust the public half of the gateway's signing key, so
  // the key exists before they start (subgraphs/shared/trust.ts).
  await loadGatewayKey(config.gatewayKeyFile);
  for (const entry of SUBGRAPHS) {
    processes.push(supervise({
      name: `subgraph ${entry.name}`,
      command: process.execPath,
      args: [...NODE_FLAGS, '--import', 'tsx', path.join(ROOT, entry.main ?? path.join('subgraphs', entry.name, 'index.ts'))],
      spawnOptions: { env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', OBTS_SERVICE: entry.name, OBTS_SUPERVISED: '1' }, stdio: ['ignore', 'inherit', 'inherit'] },
      log: complain,
    }));
  }
  const waited = await Promise.all(SUBGRAPHS.map(async (entry) => {
    if (report.unreachable[entry.name]) return entry.name;
    return (await waitReady(subgraphUrl(entry).replace(/\/graphql$/, '/ready'), readyTimeoutMs)) ? null : entry.name;
  }));
  if (stopping) await new Promise(() => undefined); // shutdown() is under way and exits
  const notReady = waited.filter((name): name is string => name !== null);
  if (notReady.length === SUBGRAPHS.length) complain('warning: no subgraph is ready; the gateway starts anyway and answers with errors naming each agency');
  else if (notReady.length) complain(`warning: starting without ${notReady.join(', ')} (not ready); their fields fail, named, until they are`);

  // 5. The gateway.
  gateway = await startGateway(config);
  say(`\nOBTS gateway: ${gateway.url}`);
  if (config.mode !== 'production') say(`GraphiQL:     http://${config.host}:${gateway.port}/graphiql`);
  say(`Metrics:      ${gateway.metricsUrl} (its own listener: METRICS_HOST, METRICS_PORT)`);
  say('Ctrl-C stops everything.');
} catch (error) {
  await fail([(error as Error).message.split('\n')[0]]);
}

// Private: true once url answers 200, false after the deadline (or when stopping).
async function waitReady(url: string, timeoutMs: number): Promise<boolean> {
  return (await waitUntilReady(url, { timeoutMs, intervalMs: 250, until: () => (stopping ? 'stopping' : null) })) === 'ready';
}
