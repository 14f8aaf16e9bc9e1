// npm run bench:events -- [--changes 1000] [--rate 20] [--modes feed,nats] [--erasures 50] [--relay-events 20000]
//
// Change events on loopback, all in this process: the stores (embedded PGlite, or the
// PostgreSQL and MariaDB servers with --engines servers), the
// subgraphs and the gateway (test/support/stack.ts), the notifications service's intake,
// webhook dispatcher and SSE stream, a webhook receiver that checks every signature, and
// an SSE client. Per mode (feed: consumers page the agencies' feeds through the gateway;
// nats: each agency's relay publishes to JetStream and the consumers read the streams):
//   1. commit → webhook and commit → SSE: warrants issued one by one with plain SQL in the
//      court's store (each its own transaction, paced at --rate), timed from the INSERT's
//      return to the receiver getting the signed POST and to the SSE client reading the event;
//   2. erasure propagation: dockets erased one by one in CCMS, timed from the court's
//      change-log stamp to the applied stamp DPS and DOC write in the same transaction as
//      their own erasure (obts_applied_change).
// Then (with nats) relay throughput: a bulk insert of --relay-events warrants, and a relay
// to a fresh stream publishing the whole log from the start. Every wait is bounded.
import '../gateway/telemetry-off.ts';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { connect } from 'nats';
import { defineCli, runCli, UsageError, wholeNumber } from '../scripts/cli.ts';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from '../test/support/stack.ts';
import { dropRunDatabases } from '../test/support/databases.ts';
import { notificationsOf } from '../test/support/events.ts';
import { auditRecipients, startNotificationWork } from '../notifications/index.ts';
import { verifyDelivery } from '../notifications/receiver.ts';
import { latestSequence } from '../subgraphs/shared/outbox/feed.ts';
import { startRelay, relayCursorName, type RunningRelay } from '../subgraphs/shared/events/relay.ts';
import { startErasurePropagation } from '../subgraphs/shared/events/erasure.ts';
import { storeCursor } from '../subgraphs/shared/events/cursor.ts';
import { streamName, type NatsTarget } from '../subgraphs/shared/events/nats.ts';
import { erasedDockets as dpsErased, eraseDocket as dpsErase } from '../subgraphs/public-safety/store/changes.ts';
import { erasedDockets as docErased, eraseDocket as docErase } from '../subgraphs/correction/store/changes.ts';
import { erasedDockets as judicialErased } from '../subgraphs/judicial/store/changes.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';

const spec = defineCli({
  command: 'bench:events',
  summary: 'Times change events on loopback: commit → webhook and → SSE (median, p99), erasure propagation to DPS and DOC, with and without NATS JetStream, and the events per second a relay publishes.',
  options: {
    'changes': { type: 'string', value: 'N', help: 'warrants issued per mode for the delivery latencies (default 1000, at least 10)' },
    'rate': { type: 'string', value: 'N', help: 'changes committed per second (default 20)' },
    'modes': { type: 'string', value: 'LIST', help: 'feed, nats or feed,nats (default feed,nats)' },
    'erasures': { type: 'string', value: 'N', help: 'dockets erased per mode (default 50)' },
    'relay-events': { type: 'string', value: 'N', help: 'events bulk-inserted for the relay throughput (default 20000; 0 skips it)' },
    'offenders': { type: 'string', value: 'N', help: 'offenders seeded (default 300)' },
    'engines': { type: 'string', value: 'E', help: 'embedded (PGlite, default) or servers (MariaDB for public-safety, PostgreSQL for the rest; fresh databases, dropped at the end)' },
    'nats': { type: 'string', value: 'URL', help: 'the JetStream server, loopback only (default nats://127.0.0.1:4222)' },
  },
  notes: ['Every figure depends on the machine: the load average is printed before and after. Streams get a prefix of their own (removed at the end).'],
  examples: ['npm run bench:events', 'npm run bench:events -- --changes 200 --modes feed'],
});

type Mode = 'feed' | 'nats';
const PREFIX = `bench${process.pid.toString(36)}`;

/** Median and 99th percentile (nearest rank) of milliseconds. */
function percentiles(values: number[]): { median: number; p99: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { median: rank(0.5), p99: rank(0.99), n: sorted.length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds, at most `limitMs`; throws naming what did not happen. */
async function until(done: () => boolean | Promise<boolean>, limitMs: number, what: string): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

/** The webhook receiver: verifies each delivery's signature, stamps the first arrival of each record key. */
async function startTimingReceiver(secret: () => string, arrived: Map<string, number>): Promise<{ url: string; host: string; refused: string[]; stop(): Promise<void> }> {
  const seen = new Set<string>();
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const verdict = verifyDelivery(secret(), req.headers, Buffer.concat(chunks).toString('utf8'), seen);
      if (!verdict.ok) refused.push(verdict.reason);
      else if (!arrived.has(String(verdict.event.key))) arrived.set(String(verdict.event.key), at);
      res.writeHead(verdict.ok ? 200 : verdict.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/obts-events`, host: `127.0.0.1:${port}`, refused,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Follows an SSE stream, stamping the first arrival of each record key; stop() aborts it. */
async function followStream(url: string, token: string, arrived: Map<string, number>): Promise<{ stop(): void }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`the SSE stream answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) {
            const key = String(JSON.parse(data).key);
            if (!arrived.has(key)) arrived.set(key, performance.now());
          }
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  return { stop: () => abort.abort() };
}

async function main(values: Record<string, string | undefined>): Promise<void> {
  const changes = wholeNumber(values.changes, 'changes', 1000, 10, 100_000);
  const rate = wholeNumber(values.rate, 'rate', 20, 1, 1000);
  const erasures = wholeNumber(values.erasures, 'erasures', 50, 1, 1000);
  const relayEvents = wholeNumber(values['relay-events'], 'relay-events', 20_000, 0, 1_000_000);
  const offenders = wholeNumber(values.offenders, 'offenders', 300, 50, 100_000);
  const engines = values.engines ?? 'embedded';
  if (engines !== 'embedded' && engines !== 'servers') throw new UsageError(`--engines "${engines}" is not valid; expected embedded or servers`);
  const modes = (values.modes ?? 'feed,nats').split(',').map((m) => m.trim());
  for (const mode of modes) if (mode !== 'feed' && mode !== 'nats') throw new UsageError(`--modes "${values.modes}" is not valid; expected feed, nats or feed,nats`);
  const natsUrl = values.nats ?? 'nats://127.0.0.1:4222';
  let natsHost: string;
  try {
    natsHost = new URL(natsUrl).hostname;
  } catch {
    throw new UsageError(`--nats "${natsUrl}" is not a URL; expected e.g. nats://127.0.0.1:4222`);
  }
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(natsHost)) throw new UsageError(`--nats "${natsUrl}" is not on loopback; the benchmark talks to loopback only (e.g. nats://127.0.0.1:4222)`);
  if (modes.includes('nats')) {
    const probe = await connect({ servers: natsUrl, reconnect: false, timeout: 3000 }).catch((error: Error) => {
      throw new UsageError(`NATS is not reachable at ${natsUrl} (${error.message}); start nats-server -js, or run --modes feed`);
    });
    await probe.close();
  }

  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
  console.log(`bench:events ${new Date().toISOString()} · ${os.cpus().length} cores · load average ${load()} · ${changes} changes at ${rate}/s per mode, ${erasures} erasures, ${offenders} offenders, ${engines} engines`);
  const stories = generateStories({ offenders, seed: 1 });
  const open = stories.flatMap((s) => s.cases.filter((c) => !c.erased).map((c) => ({ sid: s.person.sid, docket: c.docketNumber })));
  const erasable = stories.flatMap((s) => s.cases.filter((c) => !c.erased && c.arrest && s.custodies.some((k) => k.docketNumber === c.docketNumber)).map((c) => c.docketNumber));
  if (erasable.length < erasures * modes.length + 1) throw new UsageError(`--erasures ${erasures}: ${offenders} offenders give ${erasable.length} dockets held by DPS and DOC; expected at least ${erasures * modes.length + 1} (raise --offenders)`);
  const warrantDocket = open.find((o) => !erasable.includes(o.docket))!;

  const stack: Stack = await startStack(stories, { engines, tag: 'events_bench', env: { SUBGRAPH_TIMEOUT_MS: '60000' } }).catch(async (error) => {
    await dropRunDatabases();
    throw error;
  });
  const webhookArrived = new Map<string, number>();
  const sseArrived = new Map<string, number>();
  let webhookSecret = '';
  const receiver = await startTimingReceiver(() => webhookSecret, webhookArrived);
  const handle = notificationsOf(stack, [receiver.host]);
  const subscribe = 'mutation($input: SubscribeInput!) { subscribe(input: $input) { secret streamUrl } }';
  const hook = await stack.query(subscribe, { input: { warrants: true, kinds: ['WARRANT_ISSUED'], channel: 'WEBHOOK', webhookUrl: receiver.url } });
  const sse = await stack.query(subscribe, { input: { warrants: true, kinds: ['WARRANT_ISSUED'], channel: 'SSE' } });
  if (!hook.body.data?.subscribe || !sse.body.data?.subscribe) throw new Error(`subscribing failed: ${JSON.stringify([hook.body.errors, sse.body.errors])}`);
  webhookSecret = hook.body.data.subscribe.secret;
  const stream = await followStream(sse.body.data.subscribe.streamUrl, sse.body.data.subscribe.secret, sseArrived);
  const judicialDb = stack.stores.judicial.database.db;
  const streams: string[] = [];
  let warrantNo = 0;
  const issueWarrant = async () => {
    const number = `BW${String(warrantNo += 1).padStart(8, '0')}`;
    await sql`INSERT INTO prawn.wrnt (wrnt_no, sid_no, wrnt_typ_cd, dkt_no, crt_loc, iss_dt, wrnt_stat_cd, clsd_dt, bond_amt, last_chg_ts)
      VALUES (${number}, ${warrantDocket.sid}, 'FTA', ${warrantDocket.docket.replace(/-/g, '')}, ${warrantDocket.docket.slice(0, 4)}, DATE '2026-11-20', 'A', NULL, 5000, TIMESTAMP '2026-11-20 09:00:00')`.execute(judicialDb);
    return number;
  };
  const rows: string[] = [];
  try {
    for (const mode of modes as Mode[]) {
      const nats: NatsTarget | undefined = mode === 'nats' ? { url: natsUrl, prefix: `${PREFIX}${mode}` } : undefined;
      handle.settings.natsUrl = nats?.url;
      handle.settings.natsPrefix = nats?.prefix;
      const relays: RunningRelay[] = [];
      if (nats) {
        for (const { name } of AGENCY_SUBGRAPHS) {
          streams.push(streamName(name, nats.prefix));
          const erasedAmong = name === 'judicial' ? judicialErased : name === 'public-safety' ? dpsErased : docErased;
          relays.push(await startRelay({ feed: name, db: stack.stores[name].database.db, erasedAmong, nats }));
        }
      }
      const work = await startNotificationWork(handle, auditRecipients(stack.gateway.audit));
      const env = nats ? { NATS_URL: nats.url, NATS_PREFIX: nats.prefix, OBTS_DATA_DIR: stack.dataDir } : { OBTS_GATEWAY_URL: stack.gateway.url, OBTS_DATA_DIR: stack.dataDir };
      const propagation = [
        await startErasurePropagation('public-safety', stack.stores['public-safety'].database.db, dpsErase, env),
        await startErasurePropagation('correction', stack.stores.correction.database.db, docErase, env),
      ];
      try {
        // Warm-up: the consumers take in the seeded logs first; one warrant through both channels means they are live.
        const marker = await issueWarrant();
        await until(() => webhookArrived.has(marker) && sseArrived.has(marker), 300_000, `the warm-up warrant ${marker} on the webhook and the stream (${mode})`);
        const committed = new Map<string, number>();
        const started = performance.now();
        for (let i = 0; i < changes; i += 1) {
          const number = await issueWarrant();
          committed.set(number, performance.now());
          const next = started + ((i + 1) * 1000) / rate;
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
        }
        const keys = [...committed.keys()];
        await until(() => keys.every((k) => webhookArrived.has(k) && sseArrived.has(k)), 300_000, `${changes} deliveries on both channels (${mode}; webhook ${keys.filter((k) => webhookArrived.has(k)).length}, SSE ${keys.filter((k) => sseArrived.has(k)).length})`);
        const webhook = percentiles(keys.map((k) => webhookArrived.get(k)! - committed.get(k)!));
        const sseTimes = percentiles(keys.map((k) => sseArrived.get(k)! - committed.get(k)!));
        rows.push(`| ${mode} | commit → webhook | ${webhook.n} | ${webhook.median.toFixed(0)} | ${webhook.p99.toFixed(0)} |`);
        rows.push(`| ${mode} | commit → SSE | ${sseTimes.n} | ${sseTimes.median.toFixed(0)} | ${sseTimes.p99.toFixed(0)} |`);

        // Erasure propagation: court stamp → applied stamp in each agency (both in their stores).
        const dockets = erasable.splice(0, erasures);
        const sequences: number[] = [];
        for (const docket of dockets) {
          await sql`UPDATE ccms.crim_case SET erase_flg = 'Y' WHERE dkt_no = ${docket.replace(/-/g, '')}`.execute(judicialDb);
          sequences.push(await latestSequence(judicialDb));
          await sleep(100);
        }
        const courtStamp = await sql<{ chg_seq: string; chg_ts: string }>`SELECT chg_seq, chg_ts FROM obts_change_log WHERE chg_kind = 'ERASURE' AND chg_seq IN (${sql.join(sequences)})`.execute(judicialDb);
        const courtAt = new Map(courtStamp.rows.map((r) => [Number(r.chg_seq), Date.parse(`${String(r.chg_ts).replace(' ', 'T')}Z`)]));
        for (const [agency, consumer] of [['public-safety', 'public-safety-erasure'], ['correction', 'correction-erasure']] as const) {
          const db = stack.stores[agency].database.db;
          const applied = async () => (await sql<{ chg_seq: string; applied_ts: string }>`SELECT chg_seq, applied_ts FROM obts_applied_change WHERE consumer = ${consumer} AND feed = 'judicial' AND chg_seq IN (${sql.join(sequences)})`.execute(db)).rows;
          await until(async () => (await applied()).length === sequences.length, 120_000, `${agency} to apply ${sequences.length} erasures (${mode})`);
          const times = percentiles((await applied()).map((r) => Date.parse(`${String(r.applied_ts).replace(' ', 'T')}Z`) - courtAt.get(Number(r.chg_seq))!));
          rows.push(`| ${mode} | erasure → ${agency} applied | ${times.n} | ${times.median.toFixed(0)} | ${times.p99.toFixed(0)} |`);
        }
      } finally {
        for (const part of propagation) await part.stop();
        await work.stop();
        for (const relay of relays) await relay.stop();
      }
    }
    console.log('\n| mode | from → to | n | median ms | p99 ms |\n|---|---|---|---|---|');
    console.log(rows.join('\n'));
    if (receiver.refused.length) console.log(`\nthe receiver refused ${receiver.refused.length} deliveries: ${[...new Set(receiver.refused)].join(', ')}`);

    if (modes.includes('nats') && relayEvents > 0) {
      // Relay throughput: a bulk insert (one transaction, one trigger statement), then a relay to a fresh stream from the start of the log.
      await sql`INSERT INTO prawn.wrnt (wrnt_no, sid_no, wrnt_typ_cd, dkt_no, crt_loc, iss_dt, wrnt_stat_cd, clsd_dt, bond_amt, last_chg_ts)
        SELECT 'RW' || lpad(g::text, 9, '0'), ${warrantDocket.sid}, 'FTA', ${warrantDocket.docket.replace(/-/g, '')}, ${warrantDocket.docket.slice(0, 4)}, DATE '2026-11-20', 'A', NULL, 0, TIMESTAMP '2026-11-20 09:00:00'
        FROM generate_series(1, ${relayEvents}) AS g`.execute(judicialDb);
      const target = { url: natsUrl, prefix: `${PREFIX}relay` };
      streams.push(streamName('judicial', target.prefix));
      const latest = await latestSequence(judicialDb);
      const cursor = storeCursor(judicialDb, relayCursorName(target), 'judicial');
      const started = performance.now();
      const relay = await startRelay({ feed: 'judicial', db: judicialDb, erasedAmong: judicialErased, nats: target });
      try {
        await until(async () => (await cursor.load()) >= latest, 600_000, `the relay to publish ${latest} events`);
        const seconds = (performance.now() - started) / 1000;
        console.log(`\nrelay: ${relay.published()} events of the court's log (${latest} rows, erased records' events withheld) published to JetStream and acknowledged in ${seconds.toFixed(1)} s: ${(relay.published() / seconds).toFixed(0)} events/s (pages of 500)`);
      } finally {
        await relay.stop();
      }
    }
  } finally {
    stream.stop();
    await receiver.stop();
    if (streams.length) {
      const nc = await connect({ servers: natsUrl, reconnect: false, timeout: 3000 });
      const jsm = await nc.jetstreamManager();
      for (const name of streams) await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
    }
    await stack.stop();
    await dropRunDatabases();
    console.log(`\nload average at the end: ${load()}`);
  }
}

await runCli(spec, (values) => main(values as Record<string, string | undefined>));
