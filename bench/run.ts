// npm run bench -- [--offenders 10000] [--engines embedded|servers] [--seconds 10] [--connections 8]
//
// Seeds every store (timing each), starts the subgraphs and the gateway on loopback, then
// drives each scenario with autocannon for a bounded time and prints, per scenario, the
// median and p99 latency, throughput, and the SQL statements one request sends to each
// store. Client and servers share this machine's cores: compare figures from one run.
import '../gateway/telemetry-off.ts';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startStack, type Engines } from '../test/support/stack.ts';
import { seedStores } from '../seed/run.ts';
import { generateStories } from '../seed/generate.ts';
import { SCENARIOS } from './scenarios.ts';

const { values } = parseArgs({
  options: {
    offenders: { type: 'string', default: '10000' },
    engines: { type: 'string', default: 'embedded' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
  },
});
const offenders = Number(values.offenders);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const seed = Number(values.seed);
if (!Number.isInteger(offenders) || offenders < 100) throw new Error(`--offenders ${values.offenders}: expected a whole number of at least 100`);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) throw new Error(`--seconds ${values.seconds}: expected 1 to 120`);
if (!['embedded', 'servers'].includes(values.engines!)) throw new Error(`--engines ${values.engines}: expected embedded or servers`);

let seedTimes: Record<string, number> = {};
const stack = await startStack([], {
  engines: values.engines as Engines,
  tag: 'bench',
  populate: async (stores) => {
    seedTimes = await seedStores(stores, { offenders, seed });
  },
});
console.log(`\n## ${offenders} offenders, ${values.engines} engines, ${connections} connections, ${seconds} s per scenario\n`);
console.log('seed time: ' + Object.entries(seedTimes).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', '));

// A sample of real SIDs and dockets to spread the load over many offenders.
const sample = generateStories({ offenders: 200, seed, start: Math.max(0, Math.floor(offenders / 2) - 100) });

const headers = { 'content-type': 'application/json', ...stack.authHeaders };
const bodiesOf = (scenario: (typeof SCENARIOS)[number]) => sample.map((story) => JSON.stringify(scenario.request(story)));

// SQL statements one request sends to each store, read from the driver counters while
// nothing else runs (so before any load).
const statements = new Map<string, number[]>();
for (const scenario of SCENARIOS) {
  const before = Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, store.database?.counter.total ?? 0]));
  const probe = await fetch(stack.gateway.url, { method: 'POST', headers, body: bodiesOf(scenario)[0] });
  const probeBody = (await probe.json()) as { errors?: unknown[] };
  if (probeBody.errors) throw new Error(`scenario ${scenario.name} failed: ${JSON.stringify(probeBody.errors)}`);
  statements.set(scenario.name, ['public-safety', 'judicial', 'correction'].map((name) => (stack.stores[name].database?.counter.total ?? 0) - before[name]));
}

console.log('\n| scenario | median ms | p99 ms | req/s | SQL statements per request (public-safety / judicial / correction) |');
console.log('|---|---|---|---|---|');
for (const scenario of SCENARIOS) {
  const bodies = bodiesOf(scenario);
  let next = 0;
  const result = await autocannon({
    url: stack.gateway.url,
    connections,
    duration: seconds,
    requests: [{
      method: 'POST',
      headers,
      setupRequest: (request: any) => ({ ...request, body: bodies[next++ % bodies.length] }),
    }],
  });
  if (result.non2xx || result.errors) throw new Error(`scenario ${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  console.log(`| ${scenario.name} | ${result.latency.p50} | ${result.latency.p99} | ${Math.round(result.requests.average)} | ${statements.get(scenario.name)!.join(' / ')} |`);
}
await stack.stop();
process.exit(0);
