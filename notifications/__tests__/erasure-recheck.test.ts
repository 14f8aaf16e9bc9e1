// The erasure notice's second look (notifications/erasure.ts), on real PostgreSQL with a
// real file audit log: a view still under way when the erasure was taken in (its audit
// record written after the first lookup) still gets its agency a notice, once, and a
// failed lookup keeps the erasure for the next pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFileAuditStore } from '../../gateway/audit/file-store.ts';
import type { AuditEntry } from '../../gateway/audit/record.ts';
import type { AuditStore } from '../../gateway/audit/store.ts';
import type { ChangeEvent } from '../../subgraphs/shared/outbox/kinds.ts';
import { freshPostgresDatabase } from '../../test/support/databases.ts';
import { openNotificationStore, nowStamp, type NotificationStore, type SubscriptionTable } from '../store.ts';
import { ERASURE_NOTICE, takeIn } from '../intake.ts';
import { recheckErasures, startErasureRecheck } from '../erasure.ts';
import { auditRecipients } from '../index.ts';
import { notificationSettings } from '../settings.ts';

const SID = '000100321';
const AFTER = 60_000;

const view = (ori: string, sids: string[]): AuditEntry => ({
  event: 'operation', time: new Date().toISOString(), requestId: `r-${ori}`, user: `u-${ori}`, ori, roles: ['law-enforcement'], purpose: 'C',
  operationName: 'Profile', documentHash: 'a'.repeat(64), variables: {}, subgraphs: ['judicial'], sids, outcome: 'ok', reason: null, clientAddress: '127.0.0.1',
});

const erasure = (sequence: number, docket: string, time = new Date().toISOString()): ChangeEvent =>
  ({ feed: 'judicial', sequence, time, system: 'CCMS', kind: 'ERASURE', key: docket, sid: SID, docketNumber: docket });

function subscriber(id: string, ori: string): SubscriptionTable {
  return {
    id, user_id: `user-${id}`, ori, permissions: JSON.stringify(['ccms:read']), certified_until: '2099-01-01T00:00:00.000Z',
    target_sid: null, target_court: null, target_warrants: 'N', erasure_notices: 'Y', kinds: '[]', channel: 'SSE', webhook_url: null, webhook_secret: null,
    stream_token_hash: null, created_ts: nowStamp(), active: 'Y', from_seq: JSON.stringify({ judicial: 0 }),
  };
}

describe('erasure notices: the second look after the request budget', () => {
  let folder: string;
  let audit: AuditStore;
  let store: NotificationStore;
  const notices = async (sequence: number) => (await store.db.selectFrom('ntf_erasure_notice').select('ori').where('chg_seq', '=', sequence).orderBy('ori').execute()).map((n) => n.ori);
  const deliveries = async (sequence: number) => (await store.db.selectFrom('ntf_delivery').select(['subscription_id', 'kind', 'rec_key']).where('chg_seq', '=', sequence).orderBy('subscription_id').execute());
  const pending = async () => (await store.db.selectFrom('ntf_erasure_recheck').select(['chg_seq', 'attempts', 'last_error']).orderBy('chg_seq').execute()).map((r) => ({ ...r, chg_seq: Number(r.chg_seq) }));

  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'obts-recheck-'));
    audit = await openFileAuditStore(path.join(folder, 'audit.jsonl'));
    store = await openNotificationStore({ url: await freshPostgresDatabase('ntf_recheck') });
    await store.db.insertInto('ntf_subscription').values([subscriber('court-sub', 'CT0064200'), subscriber('late-sub', 'CT0015100')]).execute();
  });
  after(async () => {
    await store?.close();
    await audit?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('adds the agency whose view was recorded after the first lookup, once, and forgets the erasure', async () => {
    const recipients = auditRecipients(audit);
    await audit.append(view('CT0064200', [SID]));
    const event = erasure(41, 'H12M-CR19-0000041-S');
    assert.deepEqual(await takeIn(store, event, recipients, { erasureRecheckMs: AFTER }), ['court-sub'], 'the first look: the agency already recorded');
    assert.deepEqual(await notices(41), ['CT0064200']);
    // A view under way at the erasure: its answer leaves, and its record is written, now.
    await audit.append(view('CT0015100', [SID, '000100999']));
    const early = await recheckErasures(store, recipients, Date.now());
    assert.deepEqual(early, { rechecked: 0, added: [], subscriptions: [], failed: 0 }, 'not due before the request budget has passed');
    assert.deepEqual((await pending()).map((r) => r.chg_seq), [41], 'the erasure waits for its second look');

    const second = await recheckErasures(store, recipients, Date.parse(event.time) + AFTER);
    assert.deepEqual(second, { rechecked: 1, added: ['CT0015100 H12M-CR19-0000041-S'], subscriptions: ['late-sub'], failed: 0 });
    assert.deepEqual(await notices(41), ['CT0015100', 'CT0064200']);
    assert.deepEqual(await deliveries(41), [
      { subscription_id: 'court-sub', kind: ERASURE_NOTICE, rec_key: 'H12M-CR19-0000041-S' },
      { subscription_id: 'late-sub', kind: ERASURE_NOTICE, rec_key: 'H12M-CR19-0000041-S' },
    ], 'one delivery per subscription, the docket only');
    assert.deepEqual(await pending(), [], 'done: the row is gone');
    assert.equal((await recheckErasures(store, recipients, Date.parse(event.time) + 10 * AFTER)).rechecked, 0, 'a later pass has nothing to do');
    assert.deepEqual(await takeIn(store, event, recipients, { erasureRecheckMs: AFTER }), [], 'the same event delivered again by the feed changes nothing');
    assert.deepEqual(await pending(), [], 'and writes no second look');
    assert.equal((await deliveries(41)).length, 2);
  });

  it('keeps an erasure whose lookup failed, with the error, and notices on a later pass', async () => {
    const event = erasure(42, 'H12M-CR19-0000042-S');
    assert.deepEqual(await takeIn(store, event, async () => [], { erasureRecheckMs: AFTER }), [], 'nobody recorded yet: no notice, but a second look');
    const due = Date.parse(event.time) + AFTER;
    const broken = async (): Promise<string[]> => { throw new Error('audit log unreadable: EIO'); };
    assert.deepEqual(await recheckErasures(store, broken, due), { rechecked: 0, added: [], subscriptions: [], failed: 1 });
    assert.deepEqual(await pending(), [{ chg_seq: 42, attempts: 1, last_error: 'audit log unreadable: EIO' }], 'kept, with what went wrong');
    assert.equal((await recheckErasures(store, broken, due)).failed, 0, 'tried again after a back-off, not at once');
    const later = await recheckErasures(store, auditRecipients(audit), due + 60_000);
    assert.deepEqual(later.added, ['CT0015100 H12M-CR19-0000042-S', 'CT0064200 H12M-CR19-0000042-S']);
    assert.deepEqual(later.subscriptions.sort(), ['court-sub', 'late-sub']);
    assert.deepEqual(await pending(), []);
  });

  it('two passes at once (two instances) make each notice and delivery once', async () => {
    const events = [43, 44, 45].map((n) => erasure(n, `H12M-CR19-00000${n}-S`));
    for (const event of events) await takeIn(store, event, async () => [], { erasureRecheckMs: AFTER });
    const at = Date.now() + AFTER;
    const [one, two] = await Promise.all([recheckErasures(store, auditRecipients(audit), at), recheckErasures(store, auditRecipients(audit), at)]);
    assert.equal(one.rechecked + two.rechecked, 3, 'each erasure looked at by one of them');
    for (const event of events) {
      assert.deepEqual(await notices(event.sequence), ['CT0015100', 'CT0064200']);
      assert.equal((await deliveries(event.sequence)).length, 2);
    }
  });

  it('writes no second look when the request budget had passed before the erasure was taken in, or when turned off', async () => {
    const old = erasure(46, 'H12M-CR19-0000046-S', new Date(Date.now() - 2 * AFTER).toISOString());
    assert.deepEqual((await takeIn(store, old, auditRecipients(audit), { erasureRecheckMs: AFTER })).sort(), ['court-sub', 'late-sub'], 'the first look already sees every record');
    await takeIn(store, erasure(47, 'H12M-CR19-0000047-S'), auditRecipients(audit), { erasureRecheckMs: 0 });
    assert.deepEqual(await pending(), []);
  });

  it('the background loop runs the pass and tells the dispatcher and stream of what it delivered', async () => {
    const event = erasure(48, 'H12M-CR19-0000048-S', new Date(Date.now() - AFTER + 200).toISOString()); // due in 200 ms
    await takeIn(store, event, async () => [], { erasureRecheckMs: AFTER });
    assert.equal((await pending()).length, 1);
    const told: string[][] = [];
    const loop = startErasureRecheck(store, auditRecipients(audit), (ids) => told.push(ids), 25);
    try {
      for (let i = 0; i < 200 && !told.length; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await loop.stop();
    }
    assert.deepEqual(told.map((ids) => [...ids].sort()), [['court-sub', 'late-sub']], 'told once, when it came due');
    assert.deepEqual(await pending(), []);
  });

  it('NOTIFY_ERASURE_RECHECK_MS: a whole number of milliseconds, or a clear error', () => {
    assert.equal(notificationSettings({}).erasureRecheckMs, 60_000);
    assert.equal(notificationSettings({ NOTIFY_ERASURE_RECHECK_MS: '30000' }).erasureRecheckMs, 30_000);
    assert.throws(() => notificationSettings({ NOTIFY_ERASURE_RECHECK_MS: '1m' }), /NOTIFY_ERASURE_RECHECK_MS "1m" is not valid; expected a whole number from 0 to 86400000/);
    assert.throws(() => notificationSettings({ NOTIFY_RETRY_BASE_MS: '-5' }), /NOTIFY_RETRY_BASE_MS "-5" is not valid; expected a whole number from 1 to 300000/);
  });
});
