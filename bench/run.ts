// npm run bench -- [options]   (npm run bench -- --help lists them)
//
// Starts every store, subgraph and the gateway on loopback (test/support/stack.ts: real
// HTTP between them), then drives each workload with autocannon for a bounded time at each
// connection count and prints, per workload, median and p99 latency, throughput, the
// process's CPU per request, and the SQL statements one request sends to each store.
// With --engines servers --reuse PREFIX it reads databases seeded before (npm run seed
// into PREFIX_ps on MariaDB, PREFIX_judicial and PREFIX_correction on PostgreSQL) instead
// of seeding fresh ones: a 1 000 000-offender seed takes most of an hour on a shared machine.
// Client and servers share this machine's cores: compare figures from one run only.
import '../gateway/telemetry-off.ts';
import { defineCli, parseCommandLine } from '../scripts/cli.ts';
import autocannon from 'autocannon';
import { startStack, type Engines } from '../test/support/stack.ts';
import { seedStores } from '../seed/run.ts';
import { generateStories } from '../seed/generate.ts';
import type { StoreLocation } from '../subgraphs/shared/db.ts';
import { SCENARIOS } from './scenarios.ts';

const parsed = (() => {
  try {
    return parseCommandLine(defineCli({
      command: 'bench',
      summary: 'Runs each workload through the gateway at the given connection counts and prints req/s, p50/p99 and the SQL statements per request.',
      options: {
        offenders: { type: 'string', value: 'N', help: 'offenders to seed (default 10000; with --reuse, how many the databases hold)' },
        engines: { type: 'string', value: 'E', help: 'embedded (PGlite, default) or servers (MariaDB for public-safety, PostgreSQL for the rest)' },
        reuse: { type: 'string', value: 'PREFIX', help: 'servers only: use the databases PREFIX_ps (MariaDB), PREFIX_judicial, PREFIX_correction (PostgreSQL) as seeded by npm run seed' },
        seconds: { type: 'string', value: 'S', help: 'seconds per workload and connection count (default 10, at most 120)' },
        connections: { type: 'string', value: 'C', help: 'comma-separated connection counts (default 1,16)' },
        only: { type: 'string', value: 'NAME', help: 'run only the workloads whose name contains NAME' },
        seed: { type: 'string', value: 'S', help: 'generator seed (default 1)' },
      },
      examples: ['npm run bench -- --engines servers --seconds 10', 'npm run bench -- --engines servers --reuse perf --offenders 1000000 --connections 1'],
    }));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
if (!parsed) process.exit(0);
const values: Record<string, string | boolean | undefined> = { offenders: '10000', engines: 'embedded', seconds: '10', connections: '1,16', seed: '1', ...(parsed.values as Record<string, string | undefined>) };
const fail = (message: string): never => {
  console.error(`bench: ${message}; see \`npm run bench -- --help\``);
  process.exit(2);
};
const offenders = Number(values.offenders);
const seconds = Number(values.seconds);
const connectionCounts = String(values.connections).split(',').map(Number);
const seed = Number(values.seed);
const engines = values.engines as Engines;
if (!Number.isInteger(offenders) || offenders < 100) fail(`--offenders ${values.offenders}: expected a whole number of at least 100`);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) fail(`--seconds ${values.seconds}: expected 1 to 120`);
if (connectionCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) fail(`--connections ${values.connections}: expected whole numbers from 1 to 256, e.g. 1,16`);
if (!['embedded', 'servers'].includes(engines)) fail(`--engines ${values.engines}: expected embedded or servers`);
if (values.reuse !== undefined && (engines !== 'servers' || !/^[a-z][a-z0-9_]{0,40}$/.test(String(values.reuse)))) fail(`--reuse ${values.reuse}: expected a database name prefix (e.g. perf) with --engines servers`);

const locations: Record<string, StoreLocation> | undefined = values.reuse ? {
  'public-safety': { url: `mysql://root@127.0.0.1:3306/${values.reuse}_ps` },
  judicial: { url: `postgres://postgres@127.0.0.1:5432/${values.reuse}_judicial` },
  correction: { url: `postgres://postgres@127.0.0.1:5432/${values.reuse}_correction` },
} : undefined;

let seedTimes: Record<string, number> = {};
const stack = await startStack([], {
  engines, tag: 'bench', locations,
  populate: async (stores) => {
    if (locations) {
      for (const [name, store] of Object.entries(stores)) {
        const people = await store.countPeople();
        if (people < offenders) fail(`--reuse ${values.reuse}: ${name} holds ${people} offenders, fewer than --offenders ${offenders}; seed it first (npm run seed)`);
      }
      return;
    }
    seedTimes = await seedStores(stores, { offenders, seed });
  },
});
console.log(`\n## ${offenders} offenders, ${engines} engines${locations ? ` (reused ${values.reuse}_*)` : ''}, ${seconds} s per workload and connection count\n`);
if (!locations) {
  const total = Object.values(seedTimes).reduce((a, b) => a + b, 0) / 1000;
  console.log(`seed: ${Object.entries(seedTimes).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}; ${Math.round(offenders / total)} offenders/s`);
}

// A sample of real people to spread the load over many offenders (names by frequency: typical ones).
const sample = generateStories({ offenders: 200, seed, start: Math.max(0, Math.floor(offenders / 2) - 100) });
const headers = { 'content-type': 'application/json', ...stack.authHeaders };
const bodiesOf = (scenario: (typeof SCENARIOS)[number]) => sample.map((story) => JSON.stringify(scenario.request(story)));
const chosen = SCENARIOS.filter((s) => !values.only || s.name.includes(String(values.only)));

// SQL statements one request sends to each store, read from the driver counters while
// nothing else runs (so before any load); the same for the common and the typical name.
const statements = new Map<string, number[]>();
for (const scenario of chosen) {
  const before = Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, store.database?.counter.total ?? 0]));
  const probe = await fetch(stack.gateway.url, { method: 'POST', headers, body: bodiesOf(scenario)[0] });
  const probeBody = (await probe.json()) as { errors?: unknown[] };
  if (probeBody.errors) throw new Error(`workload ${scenario.name} failed: ${JSON.stringify(probeBody.errors)}`);
  statements.set(scenario.name, ['public-safety', 'judicial', 'correction'].map((name) => (stack.stores[name].database?.counter.total ?? 0) - before[name]));
}

console.log('\n| workload | connections | median ms | p99 ms | req/s | CPU ms per request (this process: gateway + subgraphs) | SQL statements per request (public-safety / judicial / correction) |');
console.log('|---|---|---|---|---|---|---|');
for (const scenario of chosen) {
  for (const connections of connectionCounts) {
    const bodies = bodiesOf(scenario);
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const result = await autocannon({
      url: stack.gateway.url, connections, duration: seconds,
      requests: [{ method: 'POST', headers, setupRequest: (request: any) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
    });
    const cpu = process.cpuUsage(cpuBefore);
    if (result.non2xx || result.errors) throw new Error(`workload ${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const perRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, result.requests.total);
    console.log(`| ${scenario.name} | ${connections} | ${result.latency.p50} | ${result.latency.p99} | ${Math.round(result.requests.average)} | ${perRequest.toFixed(1)} | ${statements.get(scenario.name)!.join(' / ')} |`);
  }
}
await stack.stop();
process.exit(0);
