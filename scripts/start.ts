// npm start: the whole system on one machine. Seeds any empty store on first run
// (OBTS_SEED_OFFENDERS, default 10 000; OBTS_SEED, default 1), starts each agency
// subgraph as its own process, waits until every one is ready, then starts the gateway
// and prints its URL. Ctrl-C stops everything.
import '../gateway/telemetry-off.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { openAllStores } from '../subgraphs/index.ts';
import { seedStores } from '../seed/run.ts';
import { ROOT, SUBGRAPHS, subgraphUrl } from '../schema/subgraphs.ts';
import { loadGatewayConfig, startGateway } from '../gateway/index.ts';
import type { RunningGateway } from '../gateway/server.ts';
import { loadGatewayKey } from '../subgraphs/shared/trust.ts';

const config = loadGatewayConfig();
const offenders = Number(process.env.OBTS_SEED_OFFENDERS ?? 10_000);
const seed = Number(process.env.OBTS_SEED ?? 1);

// 1. Seed what is empty (embedded PGlite holds one writer, so close before the subgraphs open).
const stores = await openAllStores();
const empty = Object.fromEntries(await Promise.all(Object.entries(stores).map(async ([name, store]) => [name, await store.countPeople()] as const)));
const toSeed = Object.fromEntries(Object.entries(stores).filter(([name]) => empty[name] === 0));
if (Object.keys(toSeed).length) {
  console.log(`first run: seeding ${Object.keys(toSeed).join(', ')} with ${offenders} synthetic offenders (seed ${seed})…`);
  await seedStores(toSeed, { offenders, seed, onProgress: (done, total) => process.stdout.write(`\r  ${done} / ${total}`) });
  process.stdout.write('\n');
}
for (const store of Object.values(stores)) await store.close();

// 2. One process per agency subgraph. The gateway's signing key exists before they start:
// they trust its public half (subgraphs/shared/trust.ts).
await loadGatewayKey(config.gatewayKeyFile);
const children: ChildProcess[] = [];
let stopping = false;
let gateway: RunningGateway | undefined;
for (const entry of SUBGRAPHS) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'subgraphs', entry.name, 'index.ts')], {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', OBTS_SERVICE: entry.name },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`subgraph ${entry.name} exited (code ${code}); stopping`);
      void shutdown(1);
    }
  });
  children.push(child);
}
await Promise.all(SUBGRAPHS.map((entry) => waitReady(entry.name, subgraphUrl(entry).replace(/\/graphql$/, '/ready'))));

// 3. The gateway.
gateway = await startGateway(config);
console.log(`\nOBTS gateway: ${gateway.url}`);
if (config.mode !== 'production') console.log(`GraphiQL:     http://${config.host}:${gateway.port}/graphiql`);
console.log(`Metrics:      ${gateway.metricsUrl} (its own listener: METRICS_HOST, METRICS_PORT)`);
console.log('Ctrl-C stops everything.');

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await gateway?.stop().catch(() => {});
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
// However this process ends, it takes its subgraph processes with it.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

async function waitReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`subgraph ${name} was not ready at ${url} within 120 s`);
  await shutdown(1);
}
