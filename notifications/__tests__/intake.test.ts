// Which events a subscription is told of (notifications/intake.ts), on the embedded store:
// only those the service takes in after the subscription was made (by feed sequence, or by
// creation time for a feed it had not read yet), of the kinds asked for, and only for
// systems the subscriber's role may see.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNotificationStore, nowStamp, type NotificationStore, type SubscriptionTable } from '../store.ts';
import { SUBSCRIPTION_LOOKBACK_MS, subscriptionsChanged, takeIn } from '../intake.ts';
import type { ChangeEvent } from '../../subgraphs/shared/outbox/kinds.ts';

const SID = '000100123';
const noRecipients = async () => [];

function subscription(id: string, fields: Partial<SubscriptionTable>): SubscriptionTable {
  return {
    id, user_id: `user-${id}`, ori: 'CT0064200', permissions: JSON.stringify(['mni:read', 'prawn:read', 'cch:read']), certified_until: '2099-01-01T00:00:00.000Z',
    target_sid: SID, target_court: null, target_warrants: 'N', erasure_notices: 'N', kinds: '[]', channel: 'SSE', webhook_url: null, webhook_secret: null,
    stream_token_hash: null, created_ts: nowStamp(), active: 'Y', from_seq: null, ...fields,
  };
}

function event(feed: string, sequence: number, fields: Partial<ChangeEvent> = {}): ChangeEvent {
  return { feed, sequence, time: new Date().toISOString(), system: 'PRAWN', kind: 'WARRANT_SERVED', key: `WR-${sequence}`, sid: SID, docketNumber: null, ...fields };
}

describe('notifications intake: what a subscription is told of', () => {
  let folder: string;
  let store: NotificationStore;
  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'obts-intake-'));
    store = await openNotificationStore({ pgliteDir: folder });
  });
  after(async () => {
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('by feed sequence: each subscription gets the events past where the service stood when it was made', async () => {
    await store.db.insertInto('ntf_subscription').values([
      subscription('early', { from_seq: JSON.stringify({ judicial: 100 }) }),
      subscription('late', { from_seq: JSON.stringify({ judicial: 200 }) }),
    ]).execute();
    subscriptionsChanged(store);
    assert.deepEqual(await takeIn(store, event('judicial', 90), noRecipients), [], 'before both');
    assert.deepEqual(await takeIn(store, event('judicial', 150), noRecipients), ['early'], 'between: the early one only');
    assert.deepEqual((await takeIn(store, event('judicial', 250), noRecipients)).sort(), ['early', 'late'], 'after both');
    assert.deepEqual(await takeIn(store, event('judicial', 250), noRecipients), [], 'the same event again makes nothing (at least once in, once in effect)');
  });

  it('by creation time for a feed the service had not read: old history is not delivered, a recent change is', async () => {
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    assert.deepEqual(await takeIn(store, event('public-safety', 7, { system: 'MNI/CCH', kind: 'ARREST', time: old }), noRecipients), []);
    const recent = new Date(Date.now() - SUBSCRIPTION_LOOKBACK_MS / 2).toISOString();
    assert.deepEqual((await takeIn(store, event('public-safety', 8, { system: 'MNI/CCH', kind: 'ARREST', time: recent }), noRecipients)).sort(), ['early', 'late']);
  });

  it('kinds asked for and systems the role may see', async () => {
    await store.db.insertInto('ntf_subscription').values([
      subscription('served-only', { kinds: JSON.stringify(['WARRANT_SERVED']), from_seq: JSON.stringify({ judicial: 0 }) }),
      subscription('no-prawn', { permissions: JSON.stringify(['mni:read', 'ccms:read']), from_seq: JSON.stringify({ judicial: 0 }) }),
    ]).execute();
    subscriptionsChanged(store);
    const issued = await takeIn(store, event('judicial', 300, { kind: 'WARRANT_ISSUED' }), noRecipients);
    assert.deepEqual(issued.sort(), ['early', 'late']);
    const served = await takeIn(store, event('judicial', 301), noRecipients);
    assert.deepEqual(served.sort(), ['early', 'late', 'served-only']);
  });
});
