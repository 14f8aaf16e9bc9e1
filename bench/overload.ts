// npm run bench:overload -- [--offenders 2000] [--engines servers|embedded] [--seconds 4]
//
// How the gateway behaves past its capacity (gateway/limits/README.md), on loopback, bounded:
// 1. a sweep at 1, 8, 32, 128 and 256 connections (each request from one of 256 users):
//    req/s, p50/p99, the share of 503 (and 429) answers, the process's memory;
// 2. a bystander's profile p99 alone, then beside an abusive user running 8 concurrent
//    tracking searches (goal: within 2x);
// 3. recovery after every PostgreSQL backend (judicial, correction) and then every MariaDB
//    connection (public-safety) is terminated under load: time from the termination to the
//    last answer with an error.
// Gateway, subgraphs, stores and autocannon share one Node process and the machine's cores
// (with whatever else runs there): compare figures within one run, not across machines.
import '../gateway/telemetry-off.ts';
import os from 'node:os';
import { defineCli, parseCommandLine } from '../scripts/cli.ts';
import autocannon from 'autocannon';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { startStack, type Engines, type Stack } from '../test/support/stack.ts';
import { seedStores } from '../seed/run.ts';
import { generateStories } from '../seed/generate.ts';
import { MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from '../test/support/databases.ts';
import { PROFILE_QUERY, SEARCH_QUERY, TRACKING_QUERY } from './scenarios.ts';

const parsed = (() => {
  try {
    return parseCommandLine(defineCli({
      command: 'bench:overload',
      summary: 'The gateway past its capacity: a connection sweep, a bystander beside an abusive user, recovery after database connections are terminated.',
      options: {
      'offenders': { type: 'string', value: 'N', help: 'offenders to seed (default 2000)' },
      'engines': { type: 'string', value: 'E', help: 'servers (default) or embedded' },
      'seconds': { type: 'string', value: 'S', help: 'seconds per load step, 1 to 60 (default 4)' },
      },
      examples: ['npm run bench:overload -- --offenders 2000 --seconds 4'],
    }));
  } catch (error) {
    console.error(`bench:overload: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
if (!parsed) process.exit(0);
const values: Record<string, string | undefined> = { 'offenders': '2000', 'engines': 'servers', 'seconds': '4', ...(parsed.values as Record<string, string | undefined>) };
const offenders = Number(values.offenders);
const seconds = Number(values.seconds);
if (!Number.isInteger(offenders) || offenders < 100) throw new Error(`--offenders ${values.offenders}: expected a whole number of at least 100`);
if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60) throw new Error(`--seconds ${values.seconds}: expected 1 to 60`);
if (!['embedded', 'servers'].includes(values.engines!)) throw new Error(`--engines ${values.engines}: expected embedded or servers`);

// The gateway's own defaults for admission (the test stack turns the per-user limit off);
// GATEWAY_* settings in the environment override them, as for npm start.
const stack = await startStack([], {
  engines: values.engines as Engines, tag: 'overload',
  env: { GATEWAY_USER_CONCURRENCY: '4', ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('GATEWAY_'))) },
  populate: async (stores) => { await seedStores(stores, { offenders, seed: 1 }); },
});
const sample = generateStories({ offenders: 200, seed: 1, start: Math.max(0, Math.floor(offenders / 2) - 100) });
const tokens = await Promise.all(Array.from({ length: 256 }, (_, i) => stack.token({ user: `bench-user-${i}` })));
const body = (query: string, story: (typeof sample)[number]) => JSON.stringify({ query, variables: { sid: story.person.sid, lastName: story.person.name.last } });

interface Run { rps: number; p50: number; p99: number; total: number; s503: number; s429: number; errors: number }

async function drive(options: { connections: number; query: string; users: string[]; seconds: number; onBody?: (at: number, text: string) => void }): Promise<Run> {
  let next = 0;
  const result = await autocannon({
    url: stack.gateway.url, connections: options.connections, duration: options.seconds, timeout: 30,
    requests: [{
      method: 'POST',
      setupRequest: (request: any) => {
        const n = next++;
        return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${options.users[n % options.users.length]}`, 'x-obts-purpose': 'C' }, body: body(options.query, sample[n % sample.length]) };
      },
      onResponse: options.onBody ? (_status: number, text: string) => options.onBody!(performance.now(), text) : undefined,
    } as any],
  });
  const codes = (result as any).statusCodeStats ?? {};
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total, s503: codes['503']?.count ?? 0, s429: codes['429']?.count ?? 0, errors: result.errors };
}

const mb = () => Math.round(process.memoryUsage().rss / 1048576);

/** Waits (bounded: 15 s) until the gateway has nothing running or queued, so one step does not bill the next. */
async function idle(): Promise<void> {
  for (let tries = 0; tries < 75; tries += 1) {
    const text = await (await fetch(stack.gateway.metricsUrl)).text();
    if (/^obts_gateway_in_flight 0$/m.test(text) && /^obts_gateway_queued 0$/m.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log('(the gateway was still busy 15 s after the step)');
}
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');

console.log(`\n## overload: ${offenders} offenders, ${values.engines}, ${seconds} s per step; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; gateway, subgraphs and load generator in one process\n`);
console.log('| connections | req/s | p50 ms | p99 ms | 503 share | 429 share | RSS MB |');
console.log('|---|---|---|---|---|---|---|');
for (const connections of [1, 8, 32, 128, 256]) {
  await idle();
  const run = await drive({ connections, query: SEARCH_QUERY, users: tokens, seconds });
  console.log(`| ${connections} | ${Math.round(run.rps)} | ${run.p50} | ${run.p99} | ${pct(run.s503, run.total)} | ${pct(run.s429, run.total)} | ${mb()} |`);
}

// 2. Bystander alone, then beside an abusive user (interleaved, five rounds; medians of the p99s).
const alone: number[] = [];
const beside: number[] = [];
for (let round = 0; round < 5; round += 1) {
  await idle();
  alone.push((await drive({ connections: 1, query: PROFILE_QUERY, users: [tokens[0]], seconds })).p99);
  await idle();
  const [bystander, abuser] = await Promise.all([
    drive({ connections: 1, query: PROFILE_QUERY, users: [tokens[0]], seconds }),
    drive({ connections: 8, query: TRACKING_QUERY, users: [tokens[1]], seconds }),
  ]);
  beside.push(bystander.p99);
  console.log(`round ${round + 1}: bystander p99 alone ${alone[round]} ms, beside abuser ${bystander.p99} ms (abuser: ${Math.round(abuser.rps)} req/s, ${pct(abuser.s429, abuser.total)} refused 429)`);
}
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
console.log(`bystander p99: alone ${median(alone)} ms, beside an abusive user ${median(beside)} ms, ratio ${(median(beside) / median(alone)).toFixed(2)}x`);

// 3. Recovery after backend termination under load.
if (values.engines === 'servers') {
  for (const target of ['postgres', 'mysql'] as const) {
    await idle();
    let killedAt = 0;
    let lastError = 0;
    let erroredAfter = 0;
    const load = drive({ connections: 8, query: PROFILE_QUERY, users: tokens.slice(0, 32), seconds: Math.max(4, seconds), onBody: (at, text) => {
      if (killedAt && at >= killedAt && /"errors"/.test(text)) { lastError = at; erroredAfter += 1; }
    } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    killedAt = performance.now();
    const killed = await terminate(stack, target);
    const run = await load;
    const recovery = lastError ? `${Math.round(lastError - killedAt)} ms` : 'no answer with an error';
    console.log(`${target === 'postgres' ? 'PostgreSQL' : 'MariaDB'}: ${killed} connections terminated under load; last answer with an error ${recovery} after; ${erroredAfter} of ${run.total} answers had an error; ${run.errors} transport errors`);
  }
}
await stack.stop();
process.exit(0);

async function terminate(stack: Stack, engine: 'postgres' | 'mysql'): Promise<number> {
  const database = (name: string) => new URL(stack.stores[name].database.describe.replace('***', 'x')).pathname.slice(1);
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ANY($1)', [[database('judicial'), database('correction')]]);
    await admin.end();
    return rows.filter((row) => row.done).length;
  }
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  const [rows] = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [database('public-safety')]);
  for (const row of rows as { ID: number }[]) await admin.query(`KILL CONNECTION ${Number(row.ID)}`).catch(() => {});
  await admin.end();
  return (rows as unknown[]).length;
}
