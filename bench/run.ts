// npm run bench -- [options]   (npm run bench -- --help lists them)
//
// The system as it runs in production: every subgraph and the gateway in processes of
// their own (bench/support/system.ts), the load generator (autocannon) in another
// (bench/support/load.ts), this process only measuring. For each workload and connection
// count, rounds alternate the contenders (this gateway and, with --compare, Hive Gateway
// with its JS and its Rust planner over the same subgraph processes), so a change in the
// machine's load falls on all of them; medians of the rounds are printed, with the CPU
// each part used per request (gateway, subgraphs, database servers; from /proc).
// Before any load, every contender's answer to the same requests is compared with this
// gateway's (the data member, byte for byte). Then, one request at a time and interleaved,
// each contender's own time: end-to-end minus the time a subgraph call was open
// (bench/support/tap.ts). SQL statements per request come from the subgraphs' /metrics.
// With --engines servers --reuse PREFIX it reads databases seeded before with npm run seed.
import '../gateway/telemetry-off.ts';
import os from 'node:os';
import { defineCli, parseCommandLine } from '../scripts/cli.ts';
import { generateStories } from '../seed/generate.ts';
import { AGENCY_SUBGRAPHS, SUBGRAPHS } from '../schema/subgraphs.ts';
import { freePorts } from '../test/support/ports.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import { startSystem, type Engines, type System } from './support/system.ts';
import { runLoad } from './support/load.ts';
import { cpuSnapshot, DATABASE_PROCESS_NAMES, pidsByName } from './support/cpu.ts';
import { ensureHiveInstalled, startHive, type Contender } from './support/hive.ts';
import { startApolloBare } from './support/apollo.ts';
import { startTap } from './support/tap.ts';
import { checkBaseline, startBaseline } from './support/baseline.ts';
import { applyPlacement, describePlacement, parsePlacement, releasePlacement } from './support/cores.ts';
import { readOwnTime } from '../gateway/own-time.ts';

const parsed = (() => {
  try {
    return parseCommandLine(defineCli({
      command: 'bench',
      summary: 'Runs each workload through the gateway (and, with --compare, Hive Gateway) at the given connection counts, with subgraphs, gateway and load generator as separate processes; prints req/s, p50/p99, CPU per request by part, gateway overhead and SQL statements per request.',
      options: {
        offenders: { type: 'string', value: 'N', help: 'offenders to seed (default 10000; with --reuse, how many the databases hold at least)' },
        engines: { type: 'string', value: 'E', help: 'embedded (PGlite, default) or servers (MariaDB for public-safety, PostgreSQL for the rest)' },
        reuse: { type: 'string', value: 'PREFIX', help: 'servers only: use the databases PREFIX_ps (MariaDB), PREFIX_judicial, PREFIX_correction (PostgreSQL) as seeded by npm run seed' },
        seconds: { type: 'string', value: 'S', help: 'seconds per round of one contender, workload and connection count (default 5, at most 120)' },
        'warm-up': { type: 'string', value: 'S', help: 'seconds of uncounted load each contender gets before each workload and connection count (default 2, at most 300; a freshly started system keeps getting faster for about a minute)' },
        rounds: { type: 'string', value: 'R', help: 'rounds per workload and connection count, contenders alternating (default 3, at most 20)' },
        connections: { type: 'string', value: 'C', help: 'comma-separated connection counts (default 1,16)' },
        only: { type: 'string', value: 'NAME', help: 'run only the workloads whose name contains NAME' },
        compare: { type: 'boolean', help: 'also run Hive Gateway (JS and Rust planners; installed into bench/hive on first use)' },
        apollo: { type: 'boolean', help: 'also run @apollo/gateway bare (bench/apollo/server.ts: only a signing hook, none of this gateway\'s authentication, permission cut, audit or batching): how much of this gateway\'s time is the library\'s' },
        baseline: { type: 'string', value: 'REF', help: 'also run this gateway as it was at git commit REF (e.g. HEAD~1), over the same subgraphs: a change measured against what it replaces, in one run' },
        scale: { type: 'string', value: 'PREFIX:N', help: 'servers and --reuse only: also run this gateway over the databases PREFIX_* holding N offenders (subgraph processes of their own), interleaved with the main one: latency at two population sizes in one run' },
        'overhead-requests': { type: 'string', value: 'N', help: 'requests per contender and workload for the overhead figure, one at a time (default 100; 0 skips it)' },
        workers: { type: 'string', value: 'N', help: 'GATEWAY_WORKERS for this gateway (default 1; auto = one per core)' },
        'gateway-cores': { type: 'string', value: 'LIST', help: 'Linux: run every gateway (this one, --baseline, --compare) on these cores (e.g. 0) and the subgraphs, databases and load generator on the others, as on a gateway host of its own (taskset)' },
        seed: { type: 'string', value: 'S', help: 'generator seed (default 1)' },
      },
      examples: [
        'npm run bench -- --engines servers --compare',
        'npm run bench -- --engines servers --reuse perf --offenders 1000000 --connections 1',
        'npm run bench -- --engines servers --baseline HEAD~1 --only profile',
        'npm run bench -- --engines servers --reuse perf --offenders 1000000 --scale p10k:10000 --connections 1',
        'npm run bench -- --engines servers --reuse p10k --compare --connections 1 --gateway-cores 0',
      ],
    }));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
if (!parsed) process.exit(0);
const values: Record<string, string | boolean | undefined> = { offenders: '10000', engines: 'embedded', seconds: '5', 'warm-up': '2', rounds: '3', connections: '1,16', seed: '1', 'overhead-requests': '100', workers: '1', ...(parsed.values as Record<string, string | undefined>) };
const fail = (message: string): never => {
  releasePlacement(); // the database servers get every core back
  console.error(`bench: ${message}; see \`npm run bench -- --help\``);
  process.exit(2);
};
const offenders = Number(values.offenders);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
/** Seconds of the uncounted warm-up round each contender gets before each workload and connection count. */
const warmUpSeconds = Number(values['warm-up']);
const overheadRequests = Number(values['overhead-requests']);
const connectionCounts = String(values.connections).split(',').map(Number);
const seed = Number(values.seed);
const engines = values.engines as Engines;
if (!Number.isInteger(offenders) || offenders < 100) fail(`--offenders ${values.offenders}: expected a whole number of at least 100`);
if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) fail(`--seconds ${values.seconds}: expected 1 to 120`);
if (!Number.isFinite(warmUpSeconds) || warmUpSeconds < 0 || warmUpSeconds > 300) fail(`--warm-up ${values['warm-up']}: expected 0 to 300 seconds`);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) fail(`--rounds ${values.rounds}: expected a whole number from 1 to 20`);
if (!Number.isInteger(overheadRequests) || overheadRequests < 0 || overheadRequests > 10_000) fail(`--overhead-requests ${values['overhead-requests']}: expected a whole number from 0 to 10000`);
if (connectionCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) fail(`--connections ${values.connections}: expected whole numbers from 1 to 256, e.g. 1,16`);
if (!['embedded', 'servers'].includes(engines)) fail(`--engines ${values.engines}: expected embedded or servers`);
if (values.workers !== 'auto' && !(Number.isInteger(Number(values.workers)) && Number(values.workers) >= 1 && Number(values.workers) <= 64)) fail(`--workers ${values.workers}: expected a whole number from 1 to 64, or auto`);
if (values.reuse !== undefined && (engines !== 'servers' || !/^[a-z][a-z0-9_]{0,40}$/.test(String(values.reuse)))) fail(`--reuse ${values.reuse}: expected a database name prefix (e.g. perf) with --engines servers`);
const baselineCommit = values.baseline === undefined ? undefined : (() => {
  try {
    return checkBaseline(String(values.baseline));
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const scale = values.scale === undefined ? undefined : (() => {
  const match = /^([a-z][a-z0-9_]{0,40}):(\d+)$/.exec(String(values.scale));
  if (!match || Number(match[2]) < 100) return fail(`--scale ${values.scale}: expected PREFIX:N, the prefix of databases seeded with npm run seed and the offenders they hold (at least 100), e.g. p10k:10000`);
  if (values.reuse === undefined) return fail('--scale needs --engines servers and --reuse PREFIX for the main population');
  if (values.compare || values.apollo || values.baseline !== undefined) return fail('--scale runs this gateway at two sizes; run --compare, --apollo and --baseline on their own');
  return { reuse: match[1], offenders: Number(match[2]) };
})();
const placement = values['gateway-cores'] === undefined ? undefined : (() => {
  try {
    return parsePlacement(String(values['gateway-cores']));
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const chosen = SCENARIOS.filter((s) => !values.only || s.name.includes(String(values.only)));
if (!chosen.length) fail(`--only ${values.only}: no workload's name contains it (workloads: ${SCENARIOS.map((s) => s.name).join('; ')})`);

const say = (line: string) => console.error(line);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const gatewayEnv = { GATEWAY_WORKERS: String(values.workers) };
if (placement) applyPlacement(placement);
const system: System = await startSystem({ engines, offenders, seed, reuse: values.reuse as string | undefined, gatewayEnv, say }).catch((error: Error) => fail(error.message));
const contenders: Contender[] = [];
const stopAll = async () => {
  for (const contender of contenders.slice(1)) await contender.stop();
  await system.stop();
  releasePlacement();
};
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

try {
  const token = await system.token();
  const ours: Contender = { name: 'OBTS', url: system.gatewayUrl, headers: { authorization: `Bearer ${token}`, 'x-obts-purpose': 'C' }, ownClockUrl: system.metricsUrl, pids: () => system.pids().gateway, stop: () => system.stopGateway() };
  contenders.push(ours);
  if (baselineCommit) {
    const [port, metricsPort] = await freePorts(2);
    say(`starting the baseline gateway at ${baselineCommit.slice(0, 10)} (a git worktree sharing node_modules)…`);
    contenders.push(await startBaseline(system, baselineCommit, { port, metricsPort }));
  }
  if (scale) {
    say(`starting a second set of subgraphs and a gateway over ${scale.reuse}_* (${scale.offenders} offenders)…`);
    // Thrown, not fail(): the finally below stops the main system as well.
    const other = await startSystem({ engines, offenders: scale.offenders, seed, reuse: scale.reuse, gatewayEnv, say });
    const stories = generateStories({ offenders: 200, seed, start: Math.max(0, Math.floor(scale.offenders / 2) - 100) });
    const contender: Contender = {
      name: `OBTS at ${scale.offenders} offenders`, url: other.gatewayUrl, headers: {},
      pids: () => other.pids().gateway, subgraphPids: () => Object.values(other.pids().subgraphs).flat(), stop: () => other.stop(),
      bodies: (scenario) => stories.map((story) => JSON.stringify(scenario.request(story))),
    };
    contenders.push(contender); // stopped with the rest from here on
    contender.headers = { authorization: `Bearer ${await other.token()}`, 'x-obts-purpose': 'C' };
  }
  if (values.compare) {
    ensureHiveInstalled(say);
    const [jsPort, rustPort] = await freePorts(2);
    contenders.push(await startHive('js', { port: jsPort, subgraphUrls: system.subgraphUrls, gatewayKeyFile: system.gatewayKeyFile }));
    contenders.push(await startHive('rust', { port: rustPort, subgraphUrls: system.subgraphUrls, gatewayKeyFile: system.gatewayKeyFile }));
  }
  if (values.apollo) {
    const [apolloPort] = await freePorts(1);
    contenders.push(await startApolloBare({ port: apolloPort, subgraphUrls: system.subgraphUrls, gatewayKeyFile: system.gatewayKeyFile }));
  }

  console.log(`\n## ${offenders} offenders, ${engines} engines${values.reuse ? ` (reused ${values.reuse}_*)` : ''}${scale ? `, beside ${scale.offenders} (${scale.reuse}_*)` : ''}; ${rounds} rounds of ${seconds} s per contender, workload and connection count; GATEWAY_WORKERS=${values.workers}`);
  console.log(`${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average at the start ${load()}; ${new Date().toISOString()}`);
  if (describePlacement()) console.log(describePlacement());
  if (Object.keys(system.seedSeconds).length) {
    const total = Object.values(system.seedSeconds).reduce((a, b) => a + b, 0);
    console.log(`seed: ${Object.entries(system.seedSeconds).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ')}; ${Math.round(offenders / total)} offenders/s`);
  }

  // A sample of real people, to spread the load over many offenders (names by frequency).
  const sample = generateStories({ offenders: 200, seed, start: Math.max(0, Math.floor(offenders / 2) - 100) });
  const bodiesOf = (scenario: Scenario) => sample.map((story) => JSON.stringify(scenario.request(story)));
  const post = async (contender: Contender, body: string) => {
    const response = await fetch(contender.url, { method: 'POST', headers: { 'content-type': 'application/json', ...contender.headers }, body, signal: AbortSignal.timeout(60_000) });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };

  // 1. Same answers, and SQL statements per request (from the subgraphs' counters).
  const statementsNow = async () => Object.fromEntries(await Promise.all(AGENCY_SUBGRAPHS.map(async (entry) => {
    const text = await (await fetch(system.subgraphUrls[entry.name].replace(/\/graphql$/, '/metrics'))).text();
    return [entry.name, Number(/^obts_subgraph_sql_statements_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? NaN)] as const;
  })));
  const statements = new Map<string, string>();
  const sameness = new Map<string, string[]>();
  for (const scenario of chosen) {
    const bodies = bodiesOf(scenario);
    const before = await statementsNow();
    const reference = await post(ours, bodies[0]);
    const after = await statementsNow();
    if (reference.errors) throw new Error(`workload ${scenario.name} failed on this gateway: ${JSON.stringify(reference.errors).slice(0, 500)}`);
    statements.set(scenario.name, AGENCY_SUBGRAPHS.map((entry) => after[entry.name] - before[entry.name]).join(' / '));
    const verdicts: string[] = [];
    for (const contender of contenders.slice(1)) {
      if (contender.bodies) {
        // Another population: its answers cannot be ours; they must be whole, and the page's size is told.
        const own = contender.bodies(scenario).slice(0, 20);
        const pages: number[] = [];
        for (const body of own) {
          const answer = await post(contender, body);
          if (answer.errors || !answer.data) throw new Error(`workload ${scenario.name} failed on ${contender.name}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
          pages.push(peopleOnPage(answer.data));
        }
        const ours20: number[] = [];
        for (const body of bodies.slice(0, 20)) ours20.push(peopleOnPage((await post(ours, body)).data));
        verdicts.push(`${contender.name}: another population, not compared; people on the page, median of 20 requests: ${median(ours20)} here, ${median(pages)} there`);
        continue;
      }
      let differing = 0;
      const probes = bodies.slice(0, 5);
      for (const body of probes) {
        const [a, b] = [await post(ours, body), await post(contender, body)];
        if (JSON.stringify(a.data) !== JSON.stringify(b.data) || b.errors) differing += 1;
      }
      verdicts.push(`${contender.name}: ${differing ? `${differing} of ${probes.length} answers DIFFER` : `same data in ${probes.length} of ${probes.length}`}`);
    }
    sameness.set(scenario.name, verdicts);
  }

  // 2. Throughput and latency, contenders alternating round by round.
  const databases = () => pidsByName(DATABASE_PROCESS_NAMES);
  const subgraphPids = () => Object.values(system.pids().subgraphs).flat();
  const p50s: { workload: string; connections: number; byContender: Map<string, number> }[] = []; // median p50 per contender
  console.log('\n| workload | connections | contender | req/s | p50 ms | p99 ms | CPU ms per request: gateway / subgraphs / databases | ratio req/s to OBTS, median of rounds (range) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const scenario of chosen) {
    const requests = bodiesOf(scenario);
    const requestsOf = (contender: Contender) => contender.bodies ? contender.bodies(scenario) : requests;
    for (const connections of connectionCounts) {
      const runs = new Map<string, { rps: number[]; p50: number[]; p99: number[]; cpu: number[][] }>(contenders.map((c) => [c.name, { rps: [], p50: [], p99: [], cpu: [] }]));
      // A short round per contender first, not counted: a gateway's first seconds at a new
      // load (JIT, connection pools, plan caches) were its slowest, and one cold round in
      // three moved a median ratio by up to 0.4.
      if (warmUpSeconds > 0) for (const contender of contenders) await runLoad({ url: contender.url, connections, seconds: warmUpSeconds, requests: requestsOf(contender).map((body) => ({ headers: contender.headers, body })) });
      for (let round = 0; round < rounds; round += 1) {
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
        for (const contender of order) {
          const cpu = cpuSnapshot({ gateway: contender.pids, subgraphs: contender.subgraphPids ?? subgraphPids, databases });
          const result = await runLoad({ url: contender.url, connections, seconds, requests: requestsOf(contender).map((body) => ({ headers: contender.headers, body })) });
          const used = cpu.since();
          const bad = result.total - (result.statuses['200'] ?? 0);
          if (bad || result.errors || result.errorAnswers) throw new Error(`${contender.name}, ${scenario.name}, ${connections} connections: ${bad} answers not 200 (${JSON.stringify(result.statuses)}), ${result.errorAnswers} with GraphQL errors, ${result.errors} connection errors`);
          const run = runs.get(contender.name)!;
          run.rps.push(result.requestsPerSecond);
          run.p50.push(result.p50);
          run.p99.push(result.p99);
          run.cpu.push(['gateway', 'subgraphs', 'databases'].map((part) => used[part] / Math.max(1, result.total)));
        }
      }
      // Each round's ratio pairs contenders that ran seconds apart, so the machine's drift
      // (±15 % over an hour here) cancels; the median and range of those are printed.
      const ourRounds = runs.get('OBTS')!.rps;
      p50s.push({ workload: scenario.name, connections, byContender: new Map(contenders.map((c) => [c.name, median(runs.get(c.name)!.p50)])) });
      for (const contender of contenders) {
        const run = runs.get(contender.name)!;
        const cpu = [0, 1, 2].map((i) => median(run.cpu.map((c) => c[i])).toFixed(1)).join(' / ');
        const ratios = run.rps.map((rps, round) => rps / ourRounds[round]);
        const spread = contender.name === 'OBTS' || rounds < 2 ? '' : ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
        console.log(`| ${scenario.name} | ${connections} | ${contender.name} | ${Math.round(median(run.rps))} | ${median(run.p50)} | ${median(run.p99)} | ${cpu} | ${median(ratios).toFixed(2)}${spread} |`);
      }
    }
  }

  if (scale) {
    const there = contenders[1].name;
    console.log(`\nLatency at ${offenders} offenders ÷ latency at ${scale.offenders} (p50, medians of the interleaved rounds above):\n`);
    console.log('| workload | connections | p50 ms here | p50 ms there | ratio |');
    console.log('|---|---|---|---|---|');
    for (const { workload, connections, byContender } of p50s) {
      const [here, away] = [byContender.get('OBTS')!, byContender.get(there)!];
      console.log(`| ${workload} | ${connections} | ${here} | ${away} | ${(here / away).toFixed(2)} |`);
    }
  }

  // 3. Each contender's own time, one request at a time, interleaved request by request.
  if (scale && overheadRequests > 0) say('--scale: the overhead measure is left out (it compares routers over the same subgraphs)');
  if (overheadRequests > 0 && !scale) {
    const tap = await startTap(system.subgraphUrls);
    const tapped: Contender[] = [];
    try {
      const urlEnv = Object.fromEntries(SUBGRAPHS.map((entry) => [entry.urlSetting, tap.urls[entry.name]]));
      await system.restartGateway({ ...gatewayEnv, ...urlEnv });
      tapped.push(ours);
      const ports = await freePorts(5);
      if (baselineCommit || values.compare || values.apollo) for (const contender of contenders.slice(1)) await contender.stop();
      if (baselineCommit) tapped.push(await startBaseline(system, baselineCommit, { port: ports[2], metricsPort: ports[3] }, urlEnv));
      if (values.compare) {
        tapped.push(await startHive('js', { port: ports[0], subgraphUrls: tap.urls, gatewayKeyFile: system.gatewayKeyFile }));
        tapped.push(await startHive('rust', { port: ports[1], subgraphUrls: tap.urls, gatewayKeyFile: system.gatewayKeyFile }));
      }
      if (values.apollo) tapped.push(await startApolloBare({ port: ports[4], subgraphUrls: tap.urls, gatewayKeyFile: system.gatewayKeyFile }));
      contenders.splice(1, contenders.length - 1, ...tapped.slice(1));
      console.log(`\nGateway overhead (end-to-end minus the time a subgraph call was open; ${overheadRequests} requests per contender and workload, one at a time, interleaved; load average ${load()}):\n`);
      // Each contender's own measure of its time outside subgraph calls (gateway/own-time.ts), summed on its /metrics.
      const clocked = tapped.filter((c) => c.ownClockUrl);
      console.log(`| workload | ${tapped.map((c) => `${c.name}: overhead p50 / end-to-end p50 ms`).join(' | ')} | ${clocked.map((c) => `${c.name} by its own clock (obts_gateway_own_seconds), mean ms`).join(' | ')} | subgraph calls per request |`);
      console.log(`|---|${tapped.map(() => '---|').join('')}${clocked.map(() => '---|').join('')}---|`);
      const ownClocks = () => Promise.all(clocked.map(async (c) => readOwnTime(await (await fetch(c.ownClockUrl!)).text())));
      for (const scenario of chosen) {
        const bodies = bodiesOf(scenario);
        const overhead = new Map<string, number[]>(tapped.map((c) => [c.name, []]));
        const total = new Map<string, number[]>(tapped.map((c) => [c.name, []]));
        let calls = 0;
        for (const body of bodies.slice(0, 5)) for (const contender of tapped) await post(contender, body); // warm plans and connections
        const clocksBefore = await ownClocks();
        for (let i = 0; i < overheadRequests; i += 1) {
          for (const contender of tapped) {
            tap.reset();
            const started = performance.now();
            const answer = await post(contender, bodies[i % bodies.length]);
            const elapsed = performance.now() - started;
            if (answer.errors) throw new Error(`${contender.name}, ${scenario.name}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
            const covered = tap.covered();
            overhead.get(contender.name)!.push(elapsed - covered.ms);
            total.get(contender.name)!.push(elapsed);
            if (contender === ours) calls = covered.calls;
          }
        }
        const clocksAfter = await ownClocks();
        // NaN (shown "–") for a baseline older than the clock.
        const ownMeans = clocksAfter.map((after, i) => ((after.sum - clocksBefore[i].sum) / Math.max(1, after.count - clocksBefore[i].count)) * 1000);
        console.log(`| ${scenario.name} | ${tapped.map((c) => `${median(overhead.get(c.name)!).toFixed(1)} / ${median(total.get(c.name)!).toFixed(1)}`).join(' | ')} | ${ownMeans.map((ms) => (Number.isFinite(ms) ? ms.toFixed(1) : '–')).join(' | ')} | ${calls} |`);
      }
    } finally {
      await tap.stop();
    }
  }

  console.log('\nSame answers (data member, byte for byte, 5 requests per workload):');
  for (const [name, verdicts] of sameness) console.log(`- ${name}: ${verdicts.length ? verdicts.join('; ') : 'no other contender'}`);
  console.log('\nSQL statements per request (public-safety / judicial / correction), this gateway:');
  for (const [name, counts] of statements) console.log(`- ${name}: ${counts}`);
  console.log(`\nload average at the end ${load()}`);
} finally {
  await stopAll();
}
process.exit(0);

// Private: how many people an answer's page holds (searchOffenders' edges; 1 for a profile).
function peopleOnPage(data: unknown): number {
  const root = data as { searchOffenders?: { edges?: unknown[] }; offender?: unknown } | undefined;
  if (root?.searchOffenders?.edges) return root.searchOffenders.edges.length;
  return root?.offender ? 1 : 0;
}
