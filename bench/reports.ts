// npm run bench:reports -- [--offenders 10000] [--engines servers|embedded] [--page-size 250]
//
// Seeds every store, starts the subgraphs and the gateway on loopback (this process),
// then runs each report as its own process (`reports/cli.ts`, as `npm run report` does)
// and prints, per report: wall time, rows, gateway requests, requests each agency's
// subgraph received (from the gateway's /metrics) and the report process's peak memory
// (VmHWM: its own peak resident set, not the parent's that getrusage carries over). "process s" includes starting Node and compiling the TypeScript; "run s"
// is the report's own time, from its first request to its last row. Everything shares this machine's cores: compare figures from one run.
import '../gateway/telemetry-off.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineCli, parseCommandLine } from '../scripts/cli.ts';
import { startStack, type Engines, type Stack } from '../test/support/stack.ts';
import { seedStores } from '../seed/run.ts';

const parsed = (() => {
  try {
    return parseCommandLine(defineCli({
      command: 'bench:reports',
      summary: 'Times each report through the gateway on seeded stores and counts the requests each agency received.',
      options: {
      'offenders': { type: 'string', value: 'N', help: 'offenders to seed (default 10000)' },
      'engines': { type: 'string', value: 'E', help: 'servers (default) or embedded' },
      'page-size': { type: 'string', value: 'N', help: 'people per walk page (default 250)' },
      'seed': { type: 'string', value: 'S', help: 'seed of the generator (default 1)' },
      'only': { type: 'string', value: 'NAMES', help: 'comma-separated reports to run (default: all)' },
      },
      examples: ['npm run bench:reports -- --offenders 10000 --engines servers'],
    }));
  } catch (error) {
    console.error(`bench:reports: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
if (!parsed) process.exit(0);
const values: Record<string, string | undefined> = { 'offenders': '10000', 'engines': 'servers', 'page-size': '250', 'seed': '1', ...(parsed.values as Record<string, string | undefined>) };
const offenders = Number(values.offenders);
if (!Number.isInteger(offenders) || offenders < 100) throw new Error(`--offenders ${values.offenders}: expected a whole number of at least 100`);
if (!['embedded', 'servers'].includes(values.engines!)) throw new Error(`--engines ${values.engines}: expected embedded or servers`);

const RUNS: Array<[string, string[]]> = [
  ['warrants', ['--on', '2026-06-30', '--from', '2025-01-01', '--to', '2025-12-31']],
  ['protective-orders', ['--on', '2026-06-30']],
  ['case-processing', ['--from', '2021-01-01', '--to', '2023-12-31']],
  ['time-to-disposition', ['--from', '2021-01-01', '--to', '2023-12-31']],
  ['recidivism', ['--from', '2019-01-01', '--to', '2022-12-31']],
  ['discrepancies', []],
  ['population', ['--on', '2026-06-30']],
  ['clean-slate', ['--on', '2026-06-30']],
  // Reads the audit log the gateway wrote during this run (local store, no gateway request), as an auditor.
  ['audit-review', ['--from', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), '--to', new Date().toISOString().slice(0, 10)]],
];
/** Roles each report runs as (default analyst). */
const ROLES: Record<string, string> = { 'audit-review': 'auditor' };
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

async function subgraphCalls(stack: Stack): Promise<Record<string, number>> {
  const text = await (await fetch(stack.gateway.metricsUrl)).text();
  const calls: Record<string, number> = {};
  for (const match of text.matchAll(/obts_subgraph_request_duration_seconds_count\{subgraph="([^"]+)",outcome="[^"]+"\} (\d+)/g)) calls[match[1]] = (calls[match[1]] ?? 0) + Number(match[2]);
  return calls;
}

// Private: runs the CLI in its own process; resolves with its exit code and stderr.
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'reports/cli.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += String(chunk); });
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

let seedMs = 0;
const stack = await startStack([], {
  engines: values.engines as Engines, tag: 'reports_bench',
  env: { SUBGRAPH_TIMEOUT_MS: '60000' },
  populate: async (stores) => {
    const started = Date.now();
    await seedStores(stores, { offenders, seed: Number(values.seed) });
    seedMs = Date.now() - started;
  },
});
const folder = mkdtempSync(path.join(os.tmpdir(), 'obts-report-bench-'));
try {
  console.log(`\n## reports, ${offenders} offenders, ${values.engines} engines, page size ${values['page-size']} (seeded in ${(seedMs / 1000).toFixed(0)} s), ${os.cpus().length} cores, load average ${load()} (1, 5, 15 min) at the start\n`);
  console.log('| report | process s | run s | rows | gateway requests | public-safety | judicial | correction | tracking | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const tokens: Record<string, string> = {};
  const tokenFor = async (role: string) => (tokens[role] ??= await stack.token({ user: `report-bench-${role}`, roles: [role] }));
  for (const [name, args] of RUNS) {
    if (values.only && !values.only.split(',').includes(name)) continue;
    const before = await subgraphCalls(stack);
    const started = Date.now();
    const { code, stderr } = await runCli([name, ...args, '--page-size', values['page-size']!, '--out', path.join(folder, `${name}.csv`)], { OBTS_TOKEN: await tokenFor(ROLES[name] ?? 'analyst'), OBTS_GATEWAY_URL: stack.gateway.url, OBTS_DATA_DIR: stack.dataDir });
    const seconds = (Date.now() - started) / 1000;
    const after = await subgraphCalls(stack);
    const done = /done: \S+, (\d+) rows .*?, (\d+) gateway requests, ([\d.]+) s, peak memory (\d+) MB/.exec(stderr);
    if (code !== 0 || !done) {
      console.log(`| ${name} | failed (exit ${code}): ${stderr.trim().split('\n').at(-1)} |`);
      continue;
    }
    const calls = ['public-safety', 'judicial', 'correction', 'tracking'].map((agency) => (after[agency] ?? 0) - (before[agency] ?? 0));
    console.log(`| ${name} | ${seconds.toFixed(1)} | ${done[3]} | ${done[1]} | ${done[2]} | ${calls.join(' | ')} | ${done[4]} |`);
  }
  console.log(`\nload average ${load()} (1, 5, 15 min) at the end`);
} finally {
  rmSync(folder, { recursive: true, force: true });
  await stack.stop();
}
