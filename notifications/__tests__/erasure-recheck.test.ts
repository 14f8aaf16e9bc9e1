// The erasure notice's second look (notifications/erasure.ts), on the embedded store and on
// real PostgreSQL, with a real file audit log: a view that arrived before the erasure but
// was recorded after the first lookup still gets its agency a notice, once; a view that
// arrived after the erasure (the guard gave it nothing) gets none by either look, however soon
// after; a failed lookup keeps the erasure, backing off; a slow audit read holds no store
// connection.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFileAuditStore } from '../../gateway/audit/file-store.ts';
import type { AuditEntry } from '../../gateway/audit/record.ts';
import type { AuditStore } from '../../gateway/audit/store.ts';
import type { ChangeEvent } from '../../subgraphs/shared/outbox/kinds.ts';
import type { StoreLocation } from '../../subgraphs/shared/db.ts';
import { freshPostgresDatabase } from '../../test/support/databases.ts';
import { openNotificationStore, nowStamp, type NotificationStore, type SubscriptionTable } from '../store.ts';
import { ERASURE_CLOCK_MS, ERASURE_NOTICE, takeIn, type Recipients } from '../intake.ts';
import { recheckBackoffMs, recheckErasures, startErasureRecheck } from '../erasure.ts';
import { auditRecipients } from '../index.ts';
import { notificationSettings } from '../settings.ts';

// Each test its own person: the audit log is shared by the tests of an engine.
let person = 100_320;
let SID = '';
const RECHECK = 60_000;
const options = { erasureRecheckMs: RECHECK };
/** When the second look of an erasure at `erasedAt` is due. */
const dueOf = (erasedAt: number) => erasedAt + ERASURE_CLOCK_MS + RECHECK;

/** A view that arrived at `arrived` and was recorded (its answer sent) at `recorded`. */
const view = (ori: string, sids: string[], arrived: number, recorded = arrived + 200): AuditEntry => ({
  event: 'operation', time: new Date(recorded).toISOString(), receivedAt: new Date(arrived).toISOString(), requestId: `r-${ori}-${arrived}`, user: `u-${ori}`, ori, roles: ['law-enforcement'], purpose: 'C',
  operationName: 'Profile', documentHash: 'a'.repeat(64), variables: {}, subgraphs: ['judicial'], sids, outcome: 'ok', reason: null, clientAddress: '127.0.0.1',
});

const erasure = (sequence: number, erasedAt: number): ChangeEvent & { docketNumber: string } =>
  ({ feed: 'judicial', sequence, time: new Date(erasedAt).toISOString(), system: 'CCMS', kind: 'ERASURE', key: `H12M-CR19-00000${sequence}-S`, sid: SID, docketNumber: `H12M-CR19-00000${sequence}-S` });

function subscriber(id: string, ori: string): SubscriptionTable {
  return {
    id, user_id: `user-${id}`, ori, permissions: JSON.stringify(['ccms:read']), certified_until: '2099-01-01T00:00:00.000Z',
    target_sid: null, target_court: null, target_warrants: 'N', erasure_notices: 'Y', kinds: '[]', channel: 'SSE', webhook_url: null, webhook_secret: null,
    stream_token_hash: null, created_ts: nowStamp(), active: 'Y', from_seq: JSON.stringify({ judicial: 0 }),
  };
}

const engines: { name: string; location: (folder: string) => Promise<StoreLocation> }[] = [
  { name: 'embedded PGlite (the default)', location: async (folder) => ({ pgliteDir: path.join(folder, 'store') }) },
  { name: 'PostgreSQL', location: async () => ({ url: await freshPostgresDatabase('ntf_recheck') }) },
];

for (const engine of engines) {
  describe(`erasure notices, the second look, on ${engine.name}`, () => {
    let folder: string;
    let audit: AuditStore;
    let store: NotificationStore;
    let recipients: Recipients;
    const notices = async (sequence: number) => (await store.db.selectFrom('ntf_erasure_notice').select('ori').where('chg_seq', '=', sequence).orderBy('ori').execute()).map((n) => n.ori);
    const deliveries = async (sequence: number) => store.db.selectFrom('ntf_delivery').select(['subscription_id', 'kind', 'rec_key', 'sid']).where('chg_seq', '=', sequence).orderBy('subscription_id').execute();
    const pending = async () => (await store.db.selectFrom('ntf_erasure_recheck').select(['chg_seq', 'attempts', 'last_error', 'due_ms']).orderBy('chg_seq').execute())
      .map((r) => ({ ...r, chg_seq: Number(r.chg_seq), due_ms: Number(r.due_ms) }));

    before(async () => {
      folder = mkdtempSync(path.join(os.tmpdir(), 'obts-recheck-'));
      audit = await openFileAuditStore(path.join(folder, 'audit.jsonl'));
      store = await openNotificationStore(await engine.location(folder));
      await store.db.insertInto('ntf_subscription').values([subscriber('court-sub', 'CT0064200'), subscriber('late-sub', 'CT0015100'), subscriber('after-sub', 'CT0099900')]).execute();
      recipients = auditRecipients(audit);
    });
    beforeEach(() => {
      person += 1;
      SID = String(person).padStart(9, '0');
    });
    after(async () => {
      await store?.close();
      await audit?.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it('adds the agency whose view arrived before the erasure but was recorded after the first look, once; never one that arrived after the erasure', async () => {
      const erasedAt = Date.now() - 1000;
      await audit.append(view('CT0064200', [SID], erasedAt - 30_000));
      const event = erasure(41, erasedAt);
      assert.deepEqual(await takeIn(store, event, recipients, options), ['court-sub'], 'the first look: the agency already recorded');
      assert.deepEqual(await notices(41), ['CT0064200']);
      // A view under way at the erasure: it arrived 2 s before, its answer leaves, and its record is written, now.
      await audit.append(view('CT0015100', [SID, '000100999'], erasedAt - 2000, erasedAt + 14_000));
      // And a view that arrived just past the clock allowance: the guard had withheld the record from it.
      await audit.append(view('CT0099900', [SID], erasedAt + ERASURE_CLOCK_MS + 1, erasedAt + ERASURE_CLOCK_MS + 400));
      const due = dueOf(erasedAt);
      assert.deepEqual((await pending()).map((r) => [r.chg_seq, r.due_ms]), [[41, due]], 'due once every view that arrived by the cutoff is recorded');
      assert.deepEqual(await recheckErasures(store, recipients, due - 1), { rechecked: 0, added: [], subscriptions: [], failed: 0 }, 'not before');

      assert.deepEqual(await recheckErasures(store, recipients, due), { rechecked: 1, added: [`CT0015100 ${event.docketNumber}`], subscriptions: ['late-sub'], failed: 0 });
      assert.deepEqual(await notices(41), ['CT0015100', 'CT0064200'], 'CT0099900 never had the record and is not told of it');
      assert.deepEqual(await deliveries(41), [
        { subscription_id: 'court-sub', kind: ERASURE_NOTICE, rec_key: event.docketNumber, sid: null },
        { subscription_id: 'late-sub', kind: ERASURE_NOTICE, rec_key: event.docketNumber, sid: null },
      ], 'one delivery per subscription, the docket only');
      assert.deepEqual(await pending(), [], 'done: the row is gone');
      assert.equal((await recheckErasures(store, recipients, due + 10 * RECHECK)).rechecked, 0, 'a later pass has nothing to do');
      assert.deepEqual(await takeIn(store, event, recipients, options), [], 'the same event delivered again by the feed changes nothing');
      assert.deepEqual(await pending(), [], 'and writes no second look');
      assert.equal((await deliveries(41)).length, 2);
    });

    it('keeps an erasure whose lookup failed, with the error, backing off 1 s, 2 s, …, and notices on a later pass', async () => {
      const erasedAt = Date.now() - 1000;
      const event = erasure(42, erasedAt);
      assert.deepEqual(await takeIn(store, event, async () => [], options), [], 'nobody recorded yet: no notice, but a second look');
      await audit.append(view('CT0064200', [SID], erasedAt - 5000));
      await audit.append(view('CT0015100', [SID], erasedAt - 1000, erasedAt + 9000));
      const due = dueOf(erasedAt);
      const broken = async (): Promise<string[]> => { throw new Error('audit log unreadable: EIO'); };
      assert.deepEqual(await recheckErasures(store, broken, due), { rechecked: 0, added: [], subscriptions: [], failed: 1 });
      assert.deepEqual(await pending(), [{ chg_seq: 42, attempts: 1, last_error: 'audit log unreadable: EIO', due_ms: due + 1000 }], 'kept, with what went wrong');
      assert.equal((await recheckErasures(store, broken, due + 999)).failed, 0, 'not tried again before the back-off');
      assert.equal((await recheckErasures(store, broken, due + 1000)).failed, 1);
      assert.deepEqual((await pending()).map((r) => [r.attempts, r.due_ms]), [[2, due + 1000 + 2000]], 'the wait doubles');
      assert.deepEqual([1, 2, 3, 9, 10, 50].map(recheckBackoffMs), [1000, 2000, 4000, 256_000, 300_000, 300_000], 'at most 5 minutes');
      const later = await recheckErasures(store, recipients, due + 3000);
      assert.deepEqual(later.added, [`CT0015100 ${event.docketNumber}`, `CT0064200 ${event.docketNumber}`], 'both views arrived before this erasure');
      assert.deepEqual(later.subscriptions.sort(), ['court-sub', 'late-sub']);
      assert.deepEqual(await pending(), []);
    });

    it('holds no store connection while it reads the audit log (the embedded store has one)', async () => {
      const erasedAt = Date.now() - 1000;
      await takeIn(store, erasure(43, erasedAt), async () => [], options);
      const slow: Recipients = async () => {
        // The store answers while the lookup is under way; a bound, so a held connection fails the test instead of hanging it.
        const query = store.db.selectFrom('ntf_subscription').select('id').execute();
        const answered = await Promise.race([query.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
        assert.ok(answered, 'the store did not answer during the audit read');
        return ['CT0064200'];
      };
      const outcome = await recheckErasures(store, slow, dueOf(erasedAt));
      assert.deepEqual(outcome, { rechecked: 1, added: ['CT0064200 H12M-CR19-0000043-S'], subscriptions: ['court-sub'], failed: 0 });
    });

    it('two passes at once (two instances) make each notice and delivery once', async () => {
      const erasedAt = Date.now() - 1000;
      const events = [44, 45, 46].map((n) => erasure(n, erasedAt));
      for (const event of events) await takeIn(store, event, async () => [], options);
      await audit.append(view('CT0064200', [SID], erasedAt - 5000));
      await audit.append(view('CT0015100', [SID], erasedAt - 1000, erasedAt + 9000));
      const at = dueOf(erasedAt);
      const [one, two] = await Promise.all([recheckErasures(store, auditRecipients(audit), at), recheckErasures(store, auditRecipients(audit), at)]);
      assert.equal(one.rechecked + two.rechecked, 3, 'each erasure done by one of them');
      assert.equal(one.added.length + two.added.length, 6, 'two agencies each, noticed by one pass only');
      for (const event of events) {
        assert.deepEqual(await notices(event.sequence), ['CT0015100', 'CT0064200']);
        assert.equal((await deliveries(event.sequence)).length, 2);
      }
    });

    it('writes no second look when its time had passed before the first look, or when it is 0; the first look keeps to the cutoff too', async () => {
      const old = erasure(47, Date.now() - 5 * RECHECK);
      await audit.append(view('CT0099900', [SID], Date.parse(old.time) + ERASURE_CLOCK_MS + 1)); // arrived just past that erasure's cutoff
      assert.deepEqual((await takeIn(store, old, auditRecipients(audit), options)).sort(), [], 'the only view arrived after the erasure');
      assert.deepEqual(await notices(47), []);
      await audit.append(view('CT0064200', [SID], Date.now() - 1000));
      await audit.append(view('CT0015100', [SID], Date.now() - 1000));
      const off = erasure(48, Date.now());
      assert.deepEqual((await takeIn(store, off, auditRecipients(audit), { erasureRecheckMs: 0 })).sort(), ['after-sub', 'court-sub', 'late-sub'], 'every view that arrived by this erasure\'s time (CT0099900\'s came before it)');
      assert.deepEqual(await pending(), [], 'no second look');
    });

    it('counts a record from before arrival times were kept by its time less the request budget', async () => {
      const erasedAt = Date.now() - 1000;
      const { receivedAt: _dropped, ...old } = view('CT0015100', [SID], 0, erasedAt + 14_000); // answered 14 s after the erasure: may have begun before it
      const { receivedAt: _late, ...late } = view('CT0099900', [SID], 0, erasedAt + ERASURE_CLOCK_MS + 15_001); // answered past the budget: began after it
      await audit.append(old);
      await audit.append(late);
      assert.deepEqual(await takeIn(store, erasure(50, erasedAt), auditRecipients(audit, 15_000), { erasureRecheckMs: 0 }), ['late-sub']);
    });

    it('the background loop runs the pass when due and tells the dispatcher and stream of what it delivered', async () => {
      const event = erasure(49, Date.now() - ERASURE_CLOCK_MS - RECHECK + 200); // due in 200 ms
      await takeIn(store, event, async () => [], options);
      await audit.append(view('CT0064200', [SID], Date.parse(event.time) - 5000));
      await audit.append(view('CT0015100', [SID], Date.parse(event.time) - 1000, Date.parse(event.time) + 9000));
      assert.equal((await pending()).length, 1);
      const told: string[][] = [];
      const loop = startErasureRecheck(store, auditRecipients(audit), (ids) => told.push(ids), 25);
      try {
        for (let i = 0; i < 400 && !told.length; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      } finally {
        await loop.stop();
      }
      assert.deepEqual(told.map((ids) => [...ids].sort()), [['court-sub', 'late-sub']], 'told once, when it came due');
      assert.deepEqual(await pending(), []);
    });
  });
}

describe('notifications settings', () => {
  it('NOTIFY_ERASURE_CLOCK_MS, NOTIFY_ERASURE_RECHECK_MS, NOTIFY_MAX_ATTEMPTS, NOTIFY_RETRY_BASE_MS: whole numbers in range, or a clear error at start', () => {
    const settings = notificationSettings({});
    assert.deepEqual([settings.erasureClockMs, settings.erasureRecheckMs, settings.webhook.maxAttempts, settings.webhook.retryBaseMs], [5000, 60_000, 8, 1000]);
    assert.throws(() => notificationSettings({ NOTIFY_ERASURE_CLOCK_MS: '-1' }), /^Error: NOTIFY_ERASURE_CLOCK_MS "-1" is not valid; expected a whole number from 0 to 3600000$/);
    assert.equal(notificationSettings({ NOTIFY_ERASURE_RECHECK_MS: '30000' }).erasureRecheckMs, 30_000);
    assert.throws(() => notificationSettings({ NOTIFY_ERASURE_RECHECK_MS: '1m' }), /^Error: NOTIFY_ERASURE_RECHECK_MS "1m" is not valid; expected a whole number from 0 to 86400000$/);
    assert.throws(() => notificationSettings({ NOTIFY_MAX_ATTEMPTS: '0' }), /^Error: NOTIFY_MAX_ATTEMPTS "0" is not valid; expected a whole number from 1 to 100$/);
    assert.throws(() => notificationSettings({ NOTIFY_RETRY_BASE_MS: '-5' }), /^Error: NOTIFY_RETRY_BASE_MS "-5" is not valid; expected a whole number from 1 to 300000$/);
  });
});
