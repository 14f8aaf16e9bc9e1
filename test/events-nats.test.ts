// Change events over NATS JetStream (issue 9), against a real nats-server: a change written
// with plain SQL in an agency store is published by the relay to the agency's stream and a
// JetStream consumer receives it (embedded PGlite, the PostgreSQL and MariaDB servers); a consumer
// stopped mid-stream, one event's effect committed but not acknowledged, loses nothing and
// repeats no effect when restarted (idempotent by feed and sequence); the notifications
// intake reading the streams makes one delivery per event across a restart; a broker stopped and
// restarted loses nothing (changes committed while it is down are published once it is
// back). The shared server (127.0.0.1:4222) must be up: no test skips itself. Every run
// uses stream prefixes of its own, so runs never meet on the shared server; the restart
// case runs a nats-server of its own.
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { sql } from 'kysely';
import { AckPolicy, nanos, type NatsConnection } from 'nats';
import { generateStories } from '../seed/generate.ts';
import { openJudicialStore } from '../subgraphs/judicial/store/index.ts';
import { openPublicSafetyStore } from '../subgraphs/public-safety/store/index.ts';
import { erasedDockets as judicialErased } from '../subgraphs/judicial/store/changes.ts';
import { erasedDockets as dpsErased, eraseDocket as dpsErase } from '../subgraphs/public-safety/store/changes.ts';
import type { AgencyStore } from '../subgraphs/shared/module.ts';
import { latestSequence, readChanges } from '../subgraphs/shared/outbox/feed.ts';
import type { ChangeEvent, ChangeKind } from '../subgraphs/shared/outbox/kinds.ts';
import { startRelay, type RunningRelay } from '../subgraphs/shared/events/relay.ts';
import { startFeedConsumer, type RunningConsumer } from '../subgraphs/shared/events/consumer.ts';
import { applyErasure } from '../subgraphs/shared/events/erasure.ts';
import { ACK_WAIT_MS, ensureConsumer, ensureStream, natsTarget, streamName, subjectOf } from '../subgraphs/shared/events/nats.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';
import { startNotificationWork } from '../notifications/index.ts';
import { notificationSettings } from '../notifications/settings.ts';
import { nowStamp, openNotificationStore } from '../notifications/store.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from './support/databases.ts';
import { eventually } from './support/events.ts';
import { requireJetStream, runPrefix, SHARED_NATS_URL, startOwnNatsServer, type OwnNatsServer } from './support/nats.ts';

const stories = generateStories({ offenders: 60, seed: 17 });
// Open dockets: new warrants are issued on the first ones; the next ones get erased.
const open = stories.flatMap((s) => s.cases.filter((c) => !c.erased && c.arrest).map((c) => ({ sid: s.person.sid, docketNumber: c.docketNumber })));
const warrants = open.slice(0, 8).map((c, i) => ({ ...c, warrantNumber: `TW${String(i).padStart(4, '0')}` }));
const erasable = open.slice(8).map((c) => c.docketNumber);

/** Every event of `kind` in a store's log after `after` (read straight from the log, gap rule off). */
async function logged(store: AgencyStore, feed: string, kind: ChangeKind, after = 0): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  for (let page = 0; page < 100; page += 1) { // bounded: a few thousand rows at 500 a page
    const next = await readChanges(store.database.db, feed, after, 500, [kind], Date.now() + 60_000);
    events.push(...next.events);
    if (next.last === after) break;
    after = next.last;
  }
  return events;
}

/** A failure-to-appear warrant issued in PRAWN by plain SQL (as the court's own application would). */
const issue = (w: (typeof warrants)[number]) => `INSERT INTO prawn.wrnt (wrnt_no, sid_no, wrnt_typ_cd, dkt_no, crt_loc, iss_dt, wrnt_stat_cd, clsd_dt, bond_amt, last_chg_ts)
  VALUES ('${w.warrantNumber}', '${w.sid}', 'FTA', '${w.docketNumber.replace(/-/g, '')}', '${w.docketNumber.slice(0, 4)}', DATE '2026-11-20', 'A', NULL, 5000, TIMESTAMP '2026-11-20 09:00:00')`;

describe('change events over NATS JetStream', function () {
  this.timeout(120_000);
  let probe: NatsConnection;
  const streams: string[] = [];
  const running: Array<RunningRelay | RunningConsumer> = [];
  const closers: Array<() => Promise<void>> = [];
  let judicial: AgencyStore;
  let dps: AgencyStore;

  before(async () => {
    probe = await requireJetStream(SHARED_NATS_URL);
    assert.ok(warrants.length >= 8 && erasable.length >= 10, `the seeded stories have ${warrants.length} open dockets with an arrest; expected at least 18; expected at least 8 and 10`);
    judicial = await openJudicialStore({ pgliteDir: 'memory' });
    dps = await openPublicSafetyStore({ pgliteDir: 'memory' });
    closers.push(() => judicial.close(), () => dps.close());
    await judicial.seed(stories);
    await dps.seed(stories);
  });
  afterEach(async () => {
    for (const part of running.splice(0).reverse()) await part.stop();
  });
  after(async () => {
    for (const part of running.splice(0).reverse()) await part.stop();
    const jsm = await probe?.jetstreamManager();
    for (const name of streams) await jsm?.streams.delete(name).catch(() => undefined);
    await probe?.close();
    for (const close of closers) await close();
  });

  /** A prefix of this run, its judicial stream remembered for removal from the shared server. */
  const prefixFor = (what: string) => {
    const prefix = runPrefix(what);
    streams.push(streamName('judicial', prefix));
    return prefix;
  };

  for (const engine of ['embedded', 'servers'] as const) {
    it(`a warrant issued with plain SQL reaches a JetStream consumer through the relay (${engine === 'embedded' ? 'PGlite' : 'PostgreSQL'})`, async () => {
      let store = judicial;
      let run = async (statement: string) => { await sql.raw(statement).execute(judicial.database.db); };
      if (engine === 'servers') {
        const url = await freshPostgresDatabase('nats_judicial');
        store = await openJudicialStore({ url });
        closers.push(() => store.close());
        await store.seed(stories);
        const client = new pg.Client({ connectionString: url }); // another application writing the court's database
        await client.connect();
        closers.push(() => client.end());
        run = async (statement) => { await client.query(statement); };
      }
      const prefix = prefixFor(`a${engine[0]}`);
      const target = { url: SHARED_NATS_URL, prefix };
      const warrant = warrants[engine === 'embedded' ? 0 : 1];
      const received: ChangeEvent[] = [];
      running.push(await startRelay({ feed: 'judicial', db: store.database.db, erasedAmong: judicialErased, nats: target }));
      running.push(await startFeedConsumer({ name: 'issued-warrants', feed: 'judicial', kind: 'WARRANT_ISSUED', source: { kind: 'nats', ...target }, handle: async (event) => { received.push(event); } }));
      const before = await latestSequence(store.database.db);
      await run(issue(warrant));
      const sequence = await latestSequence(store.database.db);
      assert.equal(sequence, before + 1, 'the trigger wrote one event in the same transaction');
      const event = await eventually(async () => received.find((e) => e.key === warrant.warrantNumber), `the consumer to receive WARRANT_ISSUED ${warrant.warrantNumber}`);
      assert.deepEqual(event, { feed: 'judicial', sequence, time: event.time, system: 'PRAWN', kind: 'WARRANT_ISSUED', key: warrant.warrantNumber, sid: warrant.sid, docketNumber: warrant.docketNumber });
      assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // The stream holds it under the kind's subject, with the message id the server deduplicates by.
      const stored = await (await probe.jetstreamManager()).streams.getMessage(streamName('judicial', prefix), { last_by_subj: subjectOf('judicial', 'WARRANT_ISSUED', prefix) });
      assert.deepEqual(stored.json<ChangeEvent>(), event);
      assert.equal(stored.header.get('Nats-Msg-Id'), `judicial:${sequence}`);
    });
  }

  it('an arrest inserted with plain SQL in the DPS store reaches a JetStream consumer through the relay (MariaDB)', async () => {
    const url = await freshMysqlDatabase('nats_dps');
    const store = await openPublicSafetyStore({ url });
    closers.push(() => store.close());
    await store.seed(stories);
    const client = await mysql.createConnection({ uri: url }); // another application writing the DPS database
    closers.push(() => client.end());
    const target = { url: SHARED_NATS_URL, prefix: runPrefix('am') };
    streams.push(streamName('public-safety', target.prefix));
    const received: ChangeEvent[] = [];
    running.push(await startRelay({ feed: 'public-safety', db: store.database.db, erasedAmong: dpsErased, nats: target }));
    running.push(await startFeedConsumer({ name: 'arrests', feed: 'public-safety', kind: 'ARREST', source: { kind: 'nats', ...target }, handle: async (event) => { received.push(event); } }));
    const sid = stories[0].person.sid;
    await client.query("INSERT INTO CCH_ARREST (OTN, SID, ARR_DT, ARR_ORI, ARR_AGCY, DKT_NO, ERASED_IND) VALUES ('CT2699999902', ?, '20261120', 'CT0064200', 'NEW HAVEN PD', NULL, 'N')", [sid]);
    const sequence = await latestSequence(store.database.db);
    const event = await eventually(async () => received.find((e) => e.key === 'CT2699999902'), 'the consumer to receive ARREST CT2699999902');
    assert.deepEqual(event, { feed: 'public-safety', sequence, time: event.time, system: 'MNI/CCH', kind: 'ARREST', key: 'CT2699999902', sid, docketNumber: null });
    assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('a consumer stopped mid-stream (one effect committed, not acknowledged) loses and repeats nothing when restarted', async () => {
    const target = { url: SHARED_NATS_URL, prefix: prefixFor('b') };
    const dockets = erasable.slice(0, 10);
    const before = await latestSequence(judicial.database.db);
    for (const docket of dockets) await sql`UPDATE ccms.crim_case SET erase_flg = 'Y' WHERE dkt_no = ${docket.replace(/-/g, '')}`.execute(judicial.database.db);
    const erasures = await logged(judicial, 'judicial', 'ERASURE');
    assert.deepEqual(erasures.filter((e) => e.sequence > before).map((e) => e.docketNumber), dockets, 'one ERASURE event per docket, in order');
    const relay = await startRelay({ feed: 'judicial', db: judicial.database.db, erasedAmong: judicialErased, nats: target });
    running.push(relay);
    const jsm = await probe.jetstreamManager();
    await eventually(async () => (await jsm.streams.info(streamName('judicial', target.prefix), { subjects_filter: subjectOf('judicial', 'ERASURE', target.prefix) })).state.subjects?.[subjectOf('judicial', 'ERASURE', target.prefix)] === erasures.length, 'every ERASURE event in the stream');

    const consumer = 'dps-erasure-test';
    let deliveries = 0;
    let repeatsRefused = 0;
    const apply = async (event: ChangeEvent) => {
      deliveries += 1;
      if (!(await applyErasure(dps.database.db, consumer, event, dpsErase))) repeatsRefused += 1;
    };
    // First instance: slow enough to be stopped mid-stream; its fifth event is applied and
    // then the process "dies" before the acknowledgement (the handler throws).
    let handled = 0;
    let reachedFifth: () => void = () => undefined;
    const fifth = new Promise<void>((resolve) => { reachedFifth = resolve; });
    const first = await startFeedConsumer({
      name: consumer, feed: 'judicial', kind: 'ERASURE', source: { kind: 'nats', ...target },
      handle: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await apply(event);
        handled += 1;
        if (handled === 5) {
          reachedFifth();
          throw new Error('crash after the effect, before the acknowledgement');
        }
      },
    });
    await fifth;
    await first.stop();
    const appliedBefore = await appliedSequences(dps, consumer);
    assert.ok(appliedBefore.length >= 5 && appliedBefore.length < erasures.length, `stopped mid-stream: ${appliedBefore.length} of ${erasures.length} applied`);

    running.push(await startFeedConsumer({ name: consumer, feed: 'judicial', kind: 'ERASURE', source: { kind: 'nats', ...target }, handle: apply }));
    await eventually(async () => (await appliedSequences(dps, consumer)).length === erasures.length, 'the restarted consumer to apply the rest');
    await eventually(async () => {
      const info = await jsm.consumers.info(streamName('judicial', target.prefix), consumer);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'every delivery to be acknowledged');
    // Each event applied exactly once, in the store, whatever the deliveries were.
    assert.deepEqual(await appliedSequences(dps, consumer), erasures.map((e) => e.sequence));
    assert.ok(deliveries > erasures.length && repeatsRefused >= 1, `the unacknowledged event came again (${deliveries} deliveries of ${erasures.length} events) and was not applied twice (${repeatsRefused} refused)`);
    const cch = await sql<{ DKT_NO: string; ERASED_IND: string }>`SELECT "DKT_NO", "ERASED_IND" FROM "CCH_ARREST" WHERE "DKT_NO" IN (${sql.join(dockets)})`.execute(dps.database.db);
    assert.deepEqual([...new Set(cch.rows.map((r) => r.DKT_NO))].sort(), [...dockets].sort(), 'every erased docket has its arrest cycle in CCH');
    assert.ok(cch.rows.every((r) => r.ERASED_IND === 'Y'), 'and CCH now holds it erased');
  });

  it('the notifications service reads the streams: stopped, and restarted after more changes, each event makes one delivery', async () => {
    const target = { url: SHARED_NATS_URL, prefix: runPrefix('n') };
    for (const { name } of AGENCY_SUBGRAPHS) streams.push(streamName(name, target.prefix));
    const store = await openNotificationStore({ pgliteDir: 'memory' });
    closers.push(() => store.close());
    const handle = Object.assign(store, { settings: notificationSettings({ NATS_URL: target.url, NATS_PREFIX: target.prefix }) });
    // An SSE subscriber to the warrant list who may see PRAWN, made when the court's log stood
    // at `start` (it is told of what comes after): deliveries wait in the store for the stream.
    const start = Math.max(0, ...(await logged(judicial, 'judicial', 'WARRANT_ISSUED')).map((e) => e.sequence));
    await store.db.insertInto('ntf_subscription').values({
      from_seq: JSON.stringify({ judicial: start }),
      id: 'sub-warrants', user_id: 'officer', ori: 'CT0064200', permissions: JSON.stringify(['prawn:read']), certified_until: new Date(Date.now() + 86_400_000).toISOString(),
      target_sid: null, target_court: null, target_warrants: 'Y', erasure_notices: 'N', kinds: JSON.stringify(['WARRANT_ISSUED']),
      channel: 'SSE', webhook_url: null, webhook_secret: null, stream_token_hash: 'x', created_ts: nowStamp(), active: 'Y',
    }).execute();
    const delivered = async () => (await store.db.selectFrom('ntf_delivery').select(['idem_key', 'rec_key']).where('subscription_id', '=', 'sub-warrants').execute());
    running.push(await startRelay({ feed: 'judicial', db: judicial.database.db, erasedAmong: judicialErased, nats: target }));
    const noRecipients = async () => [];
    const first = await startNotificationWork(handle, noRecipients);
    const renamed = warrants.map((w) => ({ ...w, warrantNumber: `N${w.warrantNumber}` })); // new warrants on the same open dockets
    const [early, late] = [renamed.slice(0, 2), renamed.slice(2, 4)];
    for (const warrant of early) await sql.raw(issue(warrant)).execute(judicial.database.db);
    await eventually(async () => (await delivered()).some((d) => d.rec_key === early[0].warrantNumber), 'the first delivery');
    await first.stop();
    for (const warrant of late) await sql.raw(issue(warrant)).execute(judicial.database.db);
    running.push(await startNotificationWork(handle, noRecipients));
    // Every WARRANT_ISSUED the relay publishes after the subscription (erased dockets'
    // withheld; the seeded history before it makes none), each one delivery.
    const all = await logged(judicial, 'judicial', 'WARRANT_ISSUED', start);
    const erased = await judicialErased(judicial.database.db, [...new Set(all.flatMap((e) => (e.docketNumber ? [e.docketNumber] : [])))]);
    const published = all.filter((e) => !e.docketNumber || !erased.has(e.docketNumber));
    for (const w of [...early, ...late]) assert.ok(published.some((e) => e.key === w.warrantNumber), `${w.warrantNumber} is in the log and published`);
    await eventually(async () => (await delivered()).length >= published.length, `${published.length} deliveries`);
    const rows = await delivered();
    assert.deepEqual(rows.map((d) => d.idem_key).sort(), published.map((e) => `judicial:${e.sequence}:sub-warrants`).sort(), 'one delivery per event, none twice');
  });

  it('a consumer left by the earlier version (ack wait 30 s) is brought to the current ack wait; a bad NATS_PREFIX is refused', async () => {
    const prefix = prefixFor('e');
    await ensureStream(probe, 'judicial', prefix);
    const jsm = await probe.jetstreamManager();
    await jsm.consumers.add(streamName('judicial', prefix), { durable_name: 'old-consumer', ack_policy: AckPolicy.Explicit, ack_wait: nanos(30_000), filter_subject: subjectOf('judicial', '>', prefix) });
    await ensureConsumer(probe, 'judicial', 'old-consumer', subjectOf('judicial', '>', prefix), prefix);
    assert.equal((await jsm.consumers.info(streamName('judicial', prefix), 'old-consumer')).config.ack_wait, nanos(ACK_WAIT_MS));
    assert.deepEqual(natsTarget({ NATS_URL: 'nats://127.0.0.1:4222' }), { url: 'nats://127.0.0.1:4222', prefix: 'obts' });
    assert.throws(() => natsTarget({ NATS_URL: 'nats://127.0.0.1:4222', NATS_PREFIX: 'OBTS.test' }), { message: 'NATS_PREFIX "OBTS.test" is not a stream prefix; expected a lower-case letter then up to 23 letters, digits or _ (e.g. obts)' });
  });

  describe('with a broker of its own', () => {
    let broker: OwnNatsServer;
    before(async () => {
      broker = await startOwnNatsServer();
    });
    after(async () => {
      await broker?.dispose();
    });

    it('the broker stopped and restarted loses nothing: changes committed while it was down are published when it is back', async () => {
      const target = { url: broker.url, prefix: runPrefix('c') };
      const received = new Map<number, ChangeEvent>();
      const start = await latestSequence(judicial.database.db);
      running.push(await startRelay({ feed: 'judicial', db: judicial.database.db, erasedAmong: judicialErased, nats: target }));
      running.push(await startFeedConsumer({ name: 'issued-warrants', feed: 'judicial', kind: 'WARRANT_ISSUED', source: { kind: 'nats', ...target }, handle: async (event) => { received.set(event.sequence, event); } }));
      const [up, ...whileDown] = warrants.slice(2, 8);
      await sql.raw(issue(up)).execute(judicial.database.db);
      await eventually(async () => [...received.values()].some((e) => e.key === up.warrantNumber), 'the first new warrant, broker up');

      await broker.stop();
      for (const warrant of whileDown) await sql.raw(issue(warrant)).execute(judicial.database.db);
      const expected = (await logged(judicial, 'judicial', 'WARRANT_ISSUED', start)).map((e) => e.sequence);
      assert.equal(expected.length, 1 + whileDown.length, 'each new warrant is one committed event');
      assert.ok(![...received.values()].some((e) => whileDown.some((w) => w.warrantNumber === e.key)), 'nothing committed while the broker is down has arrived');

      await broker.start();
      await eventually(async () => expected.every((sequence) => received.has(sequence)), 'every new warrant after the restart', 200);
      assert.deepEqual([...received.values()].filter((e) => e.sequence > start).map((e) => e.key).sort(), [up, ...whileDown].map((w) => w.warrantNumber).sort());
      // In the stream once each: the relay's retries were deduplicated by message id.
      const probeOwn = await requireJetStream(broker.url);
      try {
        const subject = subjectOf('judicial', 'WARRANT_ISSUED', target.prefix);
        const info = await (await probeOwn.jetstreamManager()).streams.info(streamName('judicial', target.prefix), { subjects_filter: subject });
        // What the relay publishes is what the feed serves: events of dockets the court holds erased are withheld.
        const all = await logged(judicial, 'judicial', 'WARRANT_ISSUED');
        const erased = await judicialErased(judicial.database.db, [...new Set(all.flatMap((e) => (e.docketNumber ? [e.docketNumber] : [])))]);
        const published = all.filter((e) => !e.docketNumber || !erased.has(e.docketNumber)).map((e) => e.sequence);
        assert.ok(published.length < all.length, 'some seeded warrants belong to erased dockets');
        assert.equal(info.state.subjects?.[subject], published.length, 'each published event once in the stream');
        assert.deepEqual([...received.keys()].sort((x, y) => x - y), published, 'and each received by the consumer');
      } finally {
        await probeOwn.close();
      }
    });
  });
});

/** The (judicial) sequences a consumer recorded as applied in a store, in order. */
async function appliedSequences(store: AgencyStore, consumer: string): Promise<number[]> {
  const rows = await sql<{ chg_seq: string | number }>`SELECT chg_seq FROM obts_applied_change WHERE consumer = ${consumer} AND feed = 'judicial' ORDER BY chg_seq`.execute(store.database.db);
  return rows.rows.map((r) => Number(r.chg_seq));
}
