// Taking in one agency event: which subscriptions it is for, and the deliveries it makes.
// Exactly once in effect: the (feed, sequence) pair is recorded in ntf_applied in the same
// transaction as the deliveries, so an event delivered twice by the feed (at least once)
// makes its deliveries once. A subscriber whose permissions do not open the event's source
// system gets nothing for it (the same permission the field of that system needs).
// A court's ERASURE is never passed on as such: it becomes an erasure notice, naming the
// docket only, for every agency the audit log shows received the person's records
// (C.G.S. 54-142h(a), 54-142k(b)).
import type { ChangeEvent } from '../subgraphs/shared/outbox/kinds.ts';
import { nowStamp, type NotificationStore } from './store.ts';

/** The permission a subscriber needs to be told of an event of each source system. */
export const SYSTEM_PERMISSION: Record<string, string> = {
  'MNI/CCH': 'cch:read', SOR: 'sor:read', CCMS: 'ccms:read', CIB: 'cib:read', PRAWN: 'prawn:read', POR: 'por:read',
  PCMS: 'pcms:read', OMIS: 'omis:read', STC: 'stc:read', Parole: 'parole:read',
};

export const WARRANT_KINDS = ['WARRANT_ISSUED', 'WARRANT_SERVED', 'WARRANT_VACATED'];

/** The kind of the deliveries that carry an erasure notice. */
export const ERASURE_NOTICE = 'ERASURE_NOTICE';

/** ORIs of the agencies that received records of a person (from the audit log's who-viewed). */
export type Recipients = (sid: string) => Promise<string[]>;

/** Court location of a canonical docket: H12M-CR19-0123456-S → H12M. */
export const courtOf = (docket: string | null): string | null => (docket ? docket.slice(0, 4) : null);

/**
 * A subscription is told of changes committed after it was made, not of the history the
 * feed still holds (a service started for the first time reads its feeds from the start).
 */
function subscribedBefore(subscription: { created_ts: string }, event: ChangeEvent): boolean {
  return Date.parse(event.time) >= Date.parse(`${subscription.created_ts.replace(' ', 'T')}Z`);
}

// Private: when the oldest active subscription was made, per store, and when that was read.
// An event older than every subscription can make no delivery (subscribedBefore), so it is
// passed over without a transaction: a first start reads the agencies' whole history.
const oldestSubscription = new WeakMap<NotificationStore, { readAt: number; oldest: number | null }>();

async function beforeEverySubscription(store: NotificationStore, event: ChangeEvent): Promise<boolean> {
  const time = Date.parse(event.time);
  let known = oldestSubscription.get(store);
  // Trusted only when read after the event was committed; else a subscription made since
  // the last read could be missed.
  if (!known || known.readAt <= time) {
    const row = await store.db.selectFrom('ntf_subscription').select((eb) => eb.fn.min('created_ts').as('oldest')).where('active', '=', 'Y').executeTakeFirst();
    known = { readAt: Date.now(), oldest: row?.oldest ? Date.parse(`${String(row.oldest).replace(' ', 'T')}Z`) : null };
    oldestSubscription.set(store, known);
  }
  return known.oldest === null || time < known.oldest;
}

/** Records the event's deliveries; returns the subscription ids that got one. */
export async function takeIn(store: NotificationStore, event: ChangeEvent, recipients: Recipients): Promise<string[]> {
  if (event.kind !== 'ERASURE' && await beforeEverySubscription(store, event)) return [];
  const noticeOris = event.kind === 'ERASURE' && event.feed === 'judicial' && event.sid && event.docketNumber ? await recipients(event.sid) : [];
  return store.db.transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('ntf_applied').select('chg_seq').where('feed', '=', event.feed).where('chg_seq', '=', event.sequence).executeTakeFirst();
    if (seen) return [];
    await trx.insertInto('ntf_applied').values({ feed: event.feed, chg_seq: event.sequence }).execute();
    const base = { feed: event.feed, chg_seq: event.sequence, evt_ts: event.time, state: 'PENDING' as const, attempts: 0, next_attempt_ms: Date.now(), last_error: null, delivered_ts: null };
    if (event.kind === 'ERASURE') {
      if (!noticeOris.length) return [];
      for (const ori of noticeOris) {
        await trx.insertInto('ntf_erasure_notice').values({ ori, docket: event.docketNumber!, feed: event.feed, chg_seq: event.sequence, created_ts: nowStamp() }).execute();
      }
      const subscribers = (await trx.selectFrom('ntf_subscription').select(['id', 'created_ts'])
        .where('active', '=', 'Y').where('erasure_notices', '=', 'Y').where('ori', 'in', noticeOris).execute()).filter((s) => subscribedBefore(s, event));
      for (const { id } of subscribers) {
        await trx.insertInto('ntf_delivery').values({ ...base, subscription_id: id, idem_key: `${event.feed}:${event.sequence}:${id}`, kind: ERASURE_NOTICE, system: event.system, rec_key: event.docketNumber!, sid: null }).execute();
      }
      return subscribers.map((s) => s.id);
    }
    const court = courtOf(event.docketNumber);
    const candidates = await trx.selectFrom('ntf_subscription').select(['id', 'kinds', 'permissions', 'created_ts']).where('active', '=', 'Y')
      .where((eb) => eb.or([
        eb('target_sid', '=', event.sid ?? '-'),
        eb('target_court', '=', court ?? '-'),
        ...(WARRANT_KINDS.includes(event.kind) ? [eb('target_warrants', '=', 'Y')] : []),
      ]))
      .execute();
    const needed = SYSTEM_PERMISSION[event.system];
    const chosen = candidates.filter((s) => {
      if (!subscribedBefore(s, event)) return false;
      const kinds = JSON.parse(s.kinds) as string[];
      const permissions = JSON.parse(s.permissions) as string[];
      return (kinds.length === 0 || kinds.includes(event.kind)) && needed !== undefined && permissions.includes(needed);
    });
    for (const { id } of chosen) {
      await trx.insertInto('ntf_delivery').values({ ...base, subscription_id: id, idem_key: `${event.feed}:${event.sequence}:${id}`, kind: event.kind, system: event.system, rec_key: event.key, sid: event.sid }).execute();
    }
    return chosen.map((s) => s.id);
  });
}
