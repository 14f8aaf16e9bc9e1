// Audit group commit, measured (issue 12): appends from C concurrent "requests" against
// the file store and the PostgreSQL store, beside the way it was done before (one fsyncSync
// on the event loop per record for the file; one transaction that re-reads the head per
// record for PostgreSQL). Contenders alternate round by round (the machine is shared);
// medians over rounds. Prints records/s, records per sync, append latency p50/p99 and how
// busy the event loop was (a synchronous fsync holds it: every other request waits).
//   npm run bench:audit -- [--records 1500] [--rounds 3] [--postgres postgres://…]
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defineCli, parseCommandLine } from '../scripts/cli.ts';
import pg from 'pg';
import { openFileAuditStore } from '../gateway/audit/file-store.ts';
import { openPostgresAuditStore } from '../gateway/audit/postgres-store.ts';
import { chain, type AuditEntry, type AuditRecord } from '../gateway/audit/record.ts';

const parsed = (() => {
  try {
    return parseCommandLine(defineCli({
      command: 'bench:audit',
      summary: 'Audit group commit against one sync per record, file and PostgreSQL stores, contenders interleaved.',
      options: {
      'records': { type: 'string', value: 'N', help: 'records per contender and round (default 1500)' },
      'rounds': { type: 'string', value: 'N', help: 'rounds, contenders alternating (default 3)' },
      'postgres': { type: 'string', value: 'URL', help: 'PostgreSQL admin URL (default the local server)' },
      },
      examples: ['npm run bench:audit -- --records 500 --rounds 3'],
    }));
  } catch (error) {
    console.error(`bench:audit: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
if (!parsed) process.exit(0);
const values: Record<string, string | undefined> = { 'records': '1500', 'rounds': '3', 'postgres': 'postgres://postgres@127.0.0.1:5432/postgres', ...(parsed.values as Record<string, string | undefined>) };
const RECORDS = Number(values.records);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = [1, 16, 64];

const entry = (n: number): AuditEntry => ({
  event: 'operation', time: new Date().toISOString(), requestId: `bench-${n}`, user: 'bench-user', ori: 'CT0064200', roles: ['law-enforcement'], purpose: 'C',
  operationName: 'Profile', documentHash: 'a'.repeat(64), variables: { sid: '000100007' }, subgraphs: ['public-safety', 'judicial'], sids: ['000100007'],
  outcome: 'ok', reason: null, clientAddress: '127.0.0.1',
});

interface Writer { append(entry: AuditEntry): Promise<unknown>; syncs(): number; close(): Promise<void> }

// The file store as it was: one write and one fsyncSync per record, on the event loop (lock and 64 KB re-read left out, so this flatters it).
function fsyncPerRecord(file: string): Writer {
  let head: AuditRecord | null = null;
  let syncs = 0;
  return {
    append: async (e) => {
      head = chain(e, head);
      const fd = openSync(file, 'a');
      writeSync(fd, JSON.stringify(head) + '\n');
      fsyncSync(fd);
      closeSync(fd);
      syncs += 1;
    },
    syncs: () => syncs,
    close: async () => {},
  };
}

// The PostgreSQL store as it was: one transaction per record, head re-read under the advisory lock.
function commitPerRecord(url: string): Writer {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let syncs = 0;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    append: (e) => {
      const run = queue.then(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SELECT pg_advisory_xact_lock(195404001)');
          const last = (await client.query('SELECT seq, hash FROM obts_audit ORDER BY seq DESC LIMIT 1')).rows[0];
          const record = chain(e, last ? { seq: Number(last.seq), hash: last.hash } : null);
          await client.query('INSERT INTO obts_audit (seq, recorded_at, record, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)', [record.seq, record.time, JSON.stringify(record), record.prevHash, record.hash]);
          await client.query('COMMIT');
          syncs += 1;
        } finally {
          client.release();
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    syncs: () => syncs,
    close: () => pool.end(),
  };
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

type Contender = { name: string; open(): Promise<Writer> };
const dir = mkdtempSync(path.join(os.tmpdir(), 'obts-bench-audit-'));
let counter = 0;
const contenders: Contender[] = [
  { name: 'file, fsyncSync per record (before)', open: async () => fsyncPerRecord(path.join(dir, `before-${counter++}.jsonl`)) },
  { name: 'file, group commit (now)', open: async () => { const store = await openFileAuditStore(path.join(dir, `now-${counter++}.jsonl`)); return { append: (e) => store.append(e), syncs: () => store.stats().flushes, close: () => store.close() }; } },
];
let postgres = true;
try {
  await freshDatabase(values.postgres!, 'audit_bench_probe');
} catch {
  postgres = false;
  console.log(`PostgreSQL not reachable at ${values.postgres!}: file store only`);
}
if (postgres) {
  contenders.push(
    { name: 'postgres, COMMIT per record (before)', open: async () => { const url = await freshDatabase(values.postgres!, `audit_bench_${counter++}`); await (await openPostgresAuditStore(url)).close(); return commitPerRecord(url); } },
    { name: 'postgres, group commit (now)', open: async () => { const store = await openPostgresAuditStore(await freshDatabase(values.postgres!, `audit_bench_${counter++}`)); return { append: (e) => store.append(e), syncs: () => store.stats().flushes, close: () => store.close() }; } },
  );
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const percentile = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))];
const results = new Map<string, { rate: number[]; perSync: number[]; p50: number[]; p99: number[]; loop: number[] }>();

for (let round = 0; round < ROUNDS; round += 1) {
  for (const concurrency of CONCURRENCY) {
    for (const contender of round % 2 ? [...contenders].reverse() : contenders) {
      const writer = await contender.open();
      const latencies: number[] = [];
      const loopBefore = performance.eventLoopUtilization();
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < RECORDS) {
          const n = next++;
          const began = performance.now();
          await writer.append(entry(n));
          latencies.push(performance.now() - began);
        }
      }));
      const seconds = (performance.now() - start) / 1000;
      const loop = performance.eventLoopUtilization(loopBefore);
      const key = `${contender.name} | ${concurrency}`;
      const result = results.get(key) ?? { rate: [], perSync: [], p50: [], p99: [], loop: [] };
      result.rate.push(RECORDS / seconds);
      result.perSync.push(RECORDS / writer.syncs());
      result.p50.push(percentile(latencies, 0.5));
      result.p99.push(percentile(latencies, 0.99));
      result.loop.push(loop.utilization * 100);
      results.set(key, result);
      await writer.close();
    }
  }
}

console.log(`\n${RECORDS} records per run, ${ROUNDS} rounds, medians; ${os.cpus().length} cores, load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} (shared machine)\n`);
console.log('| store | concurrent appends | records/s | records per sync | append p50 ms | append p99 ms | event loop busy % |');
console.log('|---|---|---|---|---|---|---|');
for (const [key, result] of results) {
  const [name, concurrency] = key.split(' | ');
  console.log(`| ${name} | ${concurrency} | ${median(result.rate).toFixed(0)} | ${median(result.perSync).toFixed(1)} | ${median(result.p50).toFixed(2)} | ${median(result.p99).toFixed(2)} | ${median(result.loop).toFixed(0)} |`);
}
rmSync(dir, { recursive: true, force: true });
if (postgres) {
  const admin = new pg.Client({ connectionString: values.postgres! });
  await admin.connect();
  for (let n = 0; n < counter; n += 1) await admin.query(`DROP DATABASE IF EXISTS audit_bench_${n} WITH (FORCE)`);
  await admin.query('DROP DATABASE IF EXISTS audit_bench_probe WITH (FORCE)');
  await admin.end();
}
