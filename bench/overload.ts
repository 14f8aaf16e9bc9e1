// npm run bench:overload -- [--offenders 2000] [--engines servers|embedded] [--seconds 4]
//   [--rounds 5] [--sections sweep,bystander,recovery] [--compare "GATEWAY_X=1,GATEWAY_Y=2"]…
//
// How the gateway behaves past its capacity (gateway/limits/README.md), on loopback, bounded.
// The system runs as it does in production: every subgraph and the gateway are processes
// of their own (bench/support/system.ts), and every load generator (autocannon) is another
// process (bench/support/load.ts), so the load takes no CPU from the event loop it measures.
// 1. sweep: 1, 8, 32, 128 and 256 connections (each request from one of 256 users): req/s,
//    p50/p99, the share of 503 and 429 answers, the gateway's peak RSS (from /proc of its
//    processes) and the CPU each part used (gateway / subgraphs / databases, bench/support/cpu.ts);
// 2. bystander: one user's profile p99 alone, then beside an abusive user running 8
//    concurrent tracking searches (goal: within 2x). Rounds are interleaved and the ratio is
//    of the medians. Each --compare is one more set of gateway settings: every round runs
//    every set (the gateway restarted with it), so the sets are compared under the same load;
// 3. refusals: the abuser alone (16 connections of one user, nearly all 429): the gateway's
//    CPU per answer, per settings set;
// 4. recovery: every PostgreSQL backend (judicial, correction) and then every MariaDB
//    connection (public-safety) of this run's databases terminated under load: time from
//    the termination to the last answer with an error.
// Admission runs at the gateway's production defaults (GATEWAY_* in the environment
// override them, as for npm start) except the per-minute rate limit, off: the sweep's users
// and the abuser ask far faster than a person would. Everything shares the machine's cores
// with whatever else runs there: compare figures within one run, not across runs.
import '../gateway/telemetry-off.ts';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { defineCli, runCli, UsageError, wholeNumber } from '../scripts/cli.ts';
import { generateStories } from '../seed/generate.ts';
import { dropRunDatabases, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from '../test/support/databases.ts';
import { startSystem, type System } from './support/system.ts';
import { runLoad, type LoadResult } from './support/load.ts';
import { cpuSnapshot, pidsByName, type CpuTarget } from './support/cpu.ts';
import { PER_USER_DEFAULTS } from '../gateway/limits/settings.ts';
import { PROFILE_QUERY, SEARCH_QUERY, TRACKING_QUERY } from './scenarios.ts';

const SECTIONS = ['sweep', 'bystander', 'refusals', 'recovery'] as const;
type Section = (typeof SECTIONS)[number];

const spec = defineCli({
  command: 'bench:overload',
  summary: 'The gateway past its capacity, with the gateway, subgraphs and load generators as separate processes: a connection sweep, a bystander beside an abusive user, recovery after database connections are terminated.',
  options: {
    'offenders': { type: 'string', value: 'N', help: 'offenders to seed (default 2000, at least 100)' },
    'engines': { type: 'string', value: 'E', help: 'servers (default: PostgreSQL and MariaDB, fresh databases, dropped at the end) or embedded' },
    'seconds': { type: 'string', value: 'S', help: 'seconds per load step, 1 to 60 (default 4)' },
    'rounds': { type: 'string', value: 'N', help: 'bystander rounds, 1 to 50 (default 5)' },
    'sections': { type: 'string', value: 'LIST', help: 'which parts to run: sweep, bystander, refusals, recovery, comma-separated (default all)' },
    'compare': { type: 'string', multiple: true, value: 'SETTINGS', help: 'another set of gateway settings for the bystander and refusal rounds, NAME=VALUE,… of GATEWAY_* settings (the first set is always the defaults)' },
  },
  notes: ['The load average is printed beside every figure; GATEWAY_* settings in the environment apply to every set.'],
  examples: [
    'npm run bench:overload -- --offenders 2000 --seconds 4',
    'npm run bench:overload -- --sections bystander --compare GATEWAY_USER_CONCURRENCY=2',
  ],
});

/** "GATEWAY_A=1,GATEWAY_B=2" → settings, or a UsageError saying what was expected. */
function settingsSet(text: string): Record<string, string> {
  const set: Record<string, string> = {};
  for (const pair of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^(GATEWAY_[A-Z0-9_]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`--compare "${text}": "${pair}" is not valid; expected NAME=VALUE with a GATEWAY_* setting, e.g. GATEWAY_USER_CONCURRENCY=2`);
    set[match[1]] = match[2];
  }
  if (!Object.keys(set).length) throw new UsageError(`--compare "${text}" is empty; expected NAME=VALUE,… e.g. GATEWAY_USER_CONCURRENCY=2`);
  return set;
}

const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' ');
const utc = () => new Date().toISOString().slice(0, 16).replace('T', ' ');
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const describeSet = (set: Record<string, string>) => (Object.keys(set).length ? Object.entries(set).map(([key, value]) => `${key}=${value}`).join(',') : 'defaults');

/** Resident memory (MB) of the gateway's processes, from /proc (the primary and any workers). */
function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kb / 1024);
}

async function main(values: Record<string, string | string[] | undefined>): Promise<void> {
  const offenders = wholeNumber(values.offenders as string | undefined, 'offenders', 2000, 100, 1_000_000);
  const seconds = wholeNumber(values.seconds as string | undefined, 'seconds', 4, 1, 60);
  const rounds = wholeNumber(values.rounds as string | undefined, 'rounds', 5, 1, 50);
  const engines = (values.engines as string | undefined) ?? 'servers';
  if (engines !== 'embedded' && engines !== 'servers') throw new UsageError(`--engines "${engines}" is not valid; expected embedded or servers`);
  const sections = new Set(((values.sections as string | undefined) ?? SECTIONS.join(',')).split(',').map((part) => part.trim()));
  for (const section of sections) if (!(SECTIONS as readonly string[]).includes(section)) throw new UsageError(`--sections "${values.sections}": "${section}" is not a section; expected one or more of ${SECTIONS.join(', ')}, comma-separated`);
  const fromEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('GATEWAY_'))) as Record<string, string>;
  // The production defaults for admission (startSystem turns the per-user limits off).
  const baseEnv: Record<string, string> = { GATEWAY_USER_CONCURRENCY: String(PER_USER_DEFAULTS.userConcurrency), GATEWAY_USER_QUEUE_LIMIT: String(PER_USER_DEFAULTS.userQueueLimit), GATEWAY_USER_COST_LIMIT: String(PER_USER_DEFAULTS.userCostLimit), GATEWAY_RATE_LIMIT: '0', ...fromEnv };
  const sets: Record<string, string>[] = [{}, ...((values.compare as string[] | undefined) ?? []).map(settingsSet)];

  const system = await startSystem({ engines, offenders, tag: 'overload', gatewayEnv: baseEnv, say: (line) => console.log(line) });
  try {
    await run(system, { offenders, seconds, rounds, engines, sections: sections as Set<Section>, baseEnv, sets });
  } finally {
    await system.stop();
    await dropRunDatabases();
  }
}

async function run(system: System, options: { offenders: number; seconds: number; rounds: number; engines: string; sections: Set<Section>; baseEnv: Record<string, string>; sets: Record<string, string>[] }): Promise<void> {
  const { seconds } = options;
  const sample = generateStories({ offenders: 200, seed: 1, start: Math.max(0, Math.floor(options.offenders / 2) - 100) });
  const tokens = await Promise.all(Array.from({ length: 256 }, (_, i) => system.token({ user: `bench-user-${i}` })));
  const requests = (query: string, users: string[], count = 1600) => Array.from({ length: count }, (_, n) => {
    const story = sample[n % sample.length];
    return { headers: { authorization: `Bearer ${users[n % users.length]}`, 'x-obts-purpose': 'C' }, body: JSON.stringify({ query, variables: { sid: story.person.sid, lastName: story.person.name.last } }) };
  });
  const drive = (connections: number, query: string, users: string[], stepSeconds = seconds, recordErrorTimes = false) =>
    runLoad({ url: system.gatewayUrl, connections, seconds: stepSeconds, requests: requests(query, users), recordErrorTimes });

  // CPU by part: the gateway's processes, the subgraphs', and this run's database backends
  // (PostgreSQL processes serving its databases, MariaDB threads serving its database):
  // the servers also serve other work on this machine, which is left out.
  const databaseNames = Object.fromEntries(Object.entries(system.locations).map(([name, location]) => [name, location.url ? new URL(location.url).pathname.slice(1) : '']));
  const backends = async (): Promise<CpuTarget[]> => {
    if (options.engines !== 'servers') return [];
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)', [Object.values(databaseNames).filter(Boolean)]);
    await admin.end();
    const connection = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    const [threads] = await connection.query('SELECT TID FROM information_schema.PROCESSLIST WHERE DB = ?', [databaseNames['public-safety']]);
    await connection.end();
    const [mariadb] = pidsByName(['mariadbd', 'mysqld']);
    return [...rows.map((row) => row.pid), ...(mariadb ? (threads as { TID: number }[]).map((row): CpuTarget => [mariadb, Number(row.TID)]) : [])];
  };
  const measured = async <T>(work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number>; rss: number }> => {
    const before = await backends();
    const snapshot = cpuSnapshot({
      gateway: () => system.pids().gateway,
      subgraphs: () => Object.values(system.pids().subgraphs).flat(),
      databases: () => before,
    });
    const pids = system.pids().gateway;
    let rss = rssMb(pids);
    const timer = setInterval(() => { rss = Math.max(rss, rssMb(pids)); }, 250);
    try {
      const result = await work();
      return { result, cpu: snapshot.since(), rss: Math.max(rss, rssMb(pids)) };
    } finally {
      clearInterval(timer);
    }
  };
  const cpuLine = (cpu: Record<string, number>, wallSeconds: number) => ['gateway', 'subgraphs', 'databases'].map((part) => `${Math.round(cpu[part] / wallSeconds / 10)} %`).join(' / ');

  /** Waits (bounded: 15 s) until the gateway has nothing running or queued, so one step does not bill the next. */
  async function idle(): Promise<void> {
    let text = '';
    for (let tries = 0; tries < 75; tries += 1) {
      text = await (await fetch(system.metricsUrl)).text();
      if (/^obts_gateway_in_flight 0$/m.test(text) && /^obts_gateway_queued 0$/m.test(text)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.log(`(the gateway was still busy 15 s after the step: ${text.split('\n').filter((line) => /^obts_gateway_(in_flight|queued) /.test(line)).join(', ')})`);
  }
  const statuses = (run: LoadResult, code: string) => run.statuses[code] ?? 0;

  console.log(`\n## overload ${utc()} UTC: ${options.offenders} offenders, ${options.engines}, ${seconds} s per step; ${os.cpus().length} cores, load average ${load()}`);
  console.log(`gateway, each subgraph and each load generator in a process of its own; gateway settings ${describeSet(options.baseEnv)} over its defaults\n`);

  // 1. The sweep.
  if (options.sections.has('sweep')) {
    console.log('| connections | req/s (all answers) | p50 ms | p99 ms | 503 share | 429 share | gateway peak RSS MB | CPU gateway / subgraphs / databases | load average |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const connections of [1, 8, 32, 128, 256]) {
      await idle();
      const { result: run, cpu, rss } = await measured(() => drive(connections, SEARCH_QUERY, tokens));
      console.log(`| ${connections} | ${Math.round(run.requestsPerSecond)} | ${run.p50} | ${run.p99} | ${pct(statuses(run, '503'), run.total)} | ${pct(statuses(run, '429'), run.total)} | ${rss} | ${cpuLine(cpu, seconds)} | ${load()} |`);
    }
    console.log('(CPU: % of one core over the step; 200 % is both cores)\n');
  }

  // 2. Bystander alone, then beside an abusive user; every settings set in every round.
  if (options.sections.has('bystander')) {
    const alone = options.sets.map(() => [] as number[]);
    const beside = options.sets.map(() => [] as number[]);
    let current = -1;
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [index, set] of options.sets.entries()) {
        if (options.sets.length > 1 || current !== index) {
          await system.restartGateway({ ...options.baseEnv, ...set });
          current = index;
          // A fresh gateway plans each operation once and its code is not yet optimised:
          // warm it with both workloads (answers discarded) so "alone" is not its first second.
          await Promise.all([drive(1, PROFILE_QUERY, [tokens[0]], 2), drive(2, TRACKING_QUERY, [tokens[2]], 2)]);
        }
        await idle();
        const single = await drive(1, PROFILE_QUERY, [tokens[0]]);
        alone[index].push(single.p99);
        await idle();
        const { result: [bystander, abuser], cpu } = await measured(() => Promise.all([drive(1, PROFILE_QUERY, [tokens[0]]), drive(8, TRACKING_QUERY, [tokens[1]])]));
        beside[index].push(bystander.p99);
        const served = statuses(abuser, '200');
        console.log(`round ${round + 1} [${describeSet(set)}]: bystander p99 alone ${single.p99} ms, beside the abuser ${bystander.p99} ms (p50 ${single.p50} → ${bystander.p50} ms); abuser ${Math.round(abuser.requestsPerSecond)} req/s, ${Math.round(served / seconds)} served/s, ${pct(statuses(abuser, '429'), abuser.total)} refused 429; CPU gateway / subgraphs / databases ${cpuLine(cpu, seconds)}; load ${load()}`);
      }
    }
    for (const [index, set] of options.sets.entries()) {
      console.log(`bystander p99 [${describeSet(set)}]: alone ${median(alone[index])} ms, beside an abusive user ${median(beside[index])} ms, ratio ${(median(beside[index]) / median(alone[index])).toFixed(2)}x (medians of ${options.rounds} rounds; load ${load()})`);
    }
    if (options.sets.length > 1) await system.restartGateway(options.baseEnv);
  }

  // 3. What a refusal costs: the abuser alone, 16 connections of one user, nearly every
  // answer a 429; the gateway's CPU per answer, every set in every round.
  if (options.sections.has('refusals')) {
    const perAnswer = options.sets.map(() => [] as number[]);
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [index, set] of options.sets.entries()) {
        await system.restartGateway({ ...options.baseEnv, ...set });
        await idle();
        const { result: abuser, cpu } = await measured(() => drive(16, TRACKING_QUERY, [tokens[1]]));
        perAnswer[index].push(cpu.gateway / abuser.total);
        console.log(`refusals round ${round + 1} [${describeSet(set)}]: ${Math.round(abuser.requestsPerSecond)} answers/s, ${pct(statuses(abuser, '429'), abuser.total)} 429, ${Math.round(statuses(abuser, '200') / seconds)} served/s; gateway CPU ${(cpu.gateway / abuser.total).toFixed(2)} ms per answer; CPU gateway / subgraphs / databases ${cpuLine(cpu, seconds)}; load ${load()}`);
      }
    }
    for (const [index, set] of options.sets.entries()) console.log(`gateway CPU per answer to the abuser alone [${describeSet(set)}]: ${median(perAnswer[index]).toFixed(2)} ms (median of ${options.rounds} rounds; load ${load()})`);
    await system.restartGateway(options.baseEnv);
  }

  // 4. Recovery after backend termination under load.
  if (options.sections.has('recovery') && options.engines === 'servers') {
    for (const target of ['postgres', 'mysql'] as const) {
      await idle();
      const running = drive(8, PROFILE_QUERY, tokens.slice(0, 32), Math.max(4, seconds), true);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const killedAt = Date.now();
      const killed = await terminate(target, databaseNames);
      const run = await running;
      const after = run.errorTimes.filter((at) => at >= killedAt);
      const recovery = after.length ? `the last answer with an error ${Math.max(...after) - killedAt} ms after` : 'no answer had an error';
      console.log(`${target === 'postgres' ? 'PostgreSQL' : 'MariaDB'}: ${killed} connections terminated under load; ${recovery}; ${after.length} of ${run.total} answers had an error; ${run.errors} transport errors; load ${load()}`);
    }
    const health = await fetch(system.gatewayUrl.replace(/\/graphql$/, '/health')).then((response) => response.status, (error: Error) => error.message);
    console.log(`after the terminations the gateway's /health answers ${health}`);
  }
}

/** Terminates every connection to this run's judicial and correction (PostgreSQL) or public-safety (MariaDB) database. */
async function terminate(engine: 'postgres' | 'mysql', databases: Record<string, string>): Promise<number> {
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ANY($1)', [[databases.judicial, databases.correction]]);
    await admin.end();
    return rows.filter((row) => row.done).length;
  }
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  const [rows] = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [databases['public-safety']]);
  for (const row of rows as { ID: number }[]) await admin.query(`KILL CONNECTION ${Number(row.ID)}`).catch(() => {});
  await admin.end();
  return (rows as unknown[]).length;
}

await runCli(spec, (values) => main(values as Record<string, string | string[] | undefined>));
process.exit(process.exitCode ?? 0);
