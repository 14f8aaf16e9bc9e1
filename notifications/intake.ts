// Taking in one agency event: which subscriptions it is for, and the deliveries it makes.
// Exactly once in effect: the (feed, sequence) pair is recorded in ntf_applied in the same
// transaction as the deliveries, so an event delivered twice by the feed (at least once)
// makes its deliveries once. A subscriber whose permissions do not open the event's source
// system gets nothing for it (the same permission the field of that system needs).
// A court's ERASURE is never passed on as such: it becomes an erasure notice, naming the
// docket only, for every agency the audit log shows received the person's records
// (C.G.S. 54-142h(a), 54-142k(b)).
import type { ChangeEvent } from '../subgraphs/shared/outbox/kinds.ts';
import type { Transaction } from 'kysely';
import { nowStamp, type NotificationsDb, type NotificationStore, type SubscriptionTable } from './store.ts';

/** The permission a subscriber needs to be told of an event of each source system. */
export const SYSTEM_PERMISSION: Record<string, string> = {
  'MNI/CCH': 'cch:read', SOR: 'sor:read', CCMS: 'ccms:read', CIB: 'cib:read', PRAWN: 'prawn:read', POR: 'por:read',
  PCMS: 'pcms:read', OMIS: 'omis:read', STC: 'stc:read', Parole: 'parole:read',
};

export const WARRANT_KINDS = ['WARRANT_ISSUED', 'WARRANT_SERVED', 'WARRANT_VACATED'];

/** The kind of the deliveries that carry an erasure notice. */
export const ERASURE_NOTICE = 'ERASURE_NOTICE';

/**
 * ORIs of the agencies shown records of a person, from the audit log's who-viewed: those with
 * a view that arrived at or before `arrivedBy` (epoch ms; every view when it is left out).
 */
export type Recipients = (sid: string, arrivedBy?: number) => Promise<string[]>;

/** Court location of a canonical docket: H12M-CR19-0123456-S → H12M. */
export const courtOf = (docket: string | null): string | null => (docket ? docket.slice(0, 4) : null);

/**
 * A subscription is told of the events its service takes in after it was made, not of the
 * history the feeds still hold (a first start reads them from the beginning): an event
 * counts when its sequence is past the one the service had taken in from that feed when
 * the subscription was made (`from_seq`). For a feed the service had not read yet (a
 * JetStream consumer keeps its position in the broker), the creation time decides, with
 * this much lookback for clocks that disagree and transactions that commit a little after
 * they wrote.
 */
export const SUBSCRIPTION_LOOKBACK_MS = 5_000;

// Private: a subscription's creation stamp (UTC, "YYYY-MM-DD HH:MM:SS.mmm") as epoch ms.
const createdMs = (stamp: string): number => Date.parse(`${stamp.replace(' ', 'T')}Z`);

type Since = Pick<SubscriptionTable, 'created_ts' | 'from_seq'>;

function fromSequence(subscription: Since, feed: string): number | undefined {
  const from = subscription.from_seq ? (JSON.parse(subscription.from_seq) as Record<string, number>) : {};
  return typeof from[feed] === 'number' ? from[feed] : undefined;
}

/** Whether `event` came after the subscription was made (by feed sequence, else by time). */
export function subscribedBefore(subscription: Since, event: Pick<ChangeEvent, 'feed' | 'sequence' | 'time'>): boolean {
  const from = fromSequence(subscription, event.feed);
  if (from !== undefined) return event.sequence > from;
  return Date.parse(event.time) >= createdMs(subscription.created_ts) - SUBSCRIPTION_LOOKBACK_MS;
}

/** What the subscribe mutation stores as `from_seq`: where this service's feed consumers are. */
export async function feedPositions(store: NotificationStore): Promise<string> {
  const rows = await store.db.selectFrom('obts_feed_cursor').select(['feed', 'last_seq']).where('consumer', 'like', 'notifications-%').execute();
  return JSON.stringify(Object.fromEntries(rows.map((row) => [row.feed, Number(row.last_seq)])));
}

// Private: per store, the active subscriptions' starting points, and when they were read.
// An event before every subscription's start can make no delivery (subscribedBefore), so it
// is passed over without a transaction: a first start reads the agencies' whole history.
interface Starts { readAt: number; subscriptions: Since[]; byFeed: Map<string, { minSeq: number | null; oldestMs: number | null }> }
const starts = new WeakMap<NotificationStore, Starts>();

/** Forgets what beforeEverySubscription read (the subscribe mutation calls it). */
export function subscriptionsChanged(store: NotificationStore): void {
  starts.delete(store);
}

async function beforeEverySubscription(store: NotificationStore, event: ChangeEvent): Promise<boolean> {
  const time = Date.parse(event.time);
  let known = starts.get(store);
  // Read again for an event near or after the last read: a subscription made meanwhile in
  // another process (or committed just after the read) must still get it.
  if (!known || time >= known.readAt - SUBSCRIPTION_LOOKBACK_MS - 5_000) {
    const readAt = Date.now();
    const subscriptions = await store.db.selectFrom('ntf_subscription').select(['created_ts', 'from_seq']).where('active', '=', 'Y').execute();
    known = { readAt, subscriptions, byFeed: new Map() };
    starts.set(store, known);
  }
  let feed = known.byFeed.get(event.feed);
  if (!feed) {
    feed = { minSeq: null, oldestMs: null };
    for (const subscription of known.subscriptions) {
      const from = fromSequence(subscription, event.feed);
      if (from !== undefined) feed.minSeq = feed.minSeq === null ? from : Math.min(feed.minSeq, from);
      else feed.oldestMs = Math.min(feed.oldestMs ?? Infinity, createdMs(subscription.created_ts));
    }
    known.byFeed.set(event.feed, feed);
  }
  const afterSome = feed.minSeq !== null && event.sequence > feed.minSeq;
  const recentEnough = feed.oldestMs !== null && time >= feed.oldestMs - SUBSCRIPTION_LOOKBACK_MS;
  return !afterSome && !recentEnough;
}

/**
 * Who an erasure's notice is for: the agencies with a view of the person that *arrived* by
 * the erasure's time (the audit's `receivedAt`), give or take NOTIFY_ERASURE_CLOCK_MS for a
 * difference between the court store's clock and the gateway's. A request that arrived later
 * was given nothing of the record: the guard withholds it from the moment of the erasure.
 */
export const ERASURE_CLOCK_MS = 5_000;

/**
 * A view that arrived by then is recorded as its answer leaves, within the gateway's request
 * budget (GATEWAY_REQUEST_TIMEOUT_MS, 15 s) and the audit's commit: so the recipients are
 * looked up again this long after that time (NOTIFY_ERASURE_RECHECK_MS, default 60 s), for
 * the views still under way at the first look (erasure.ts).
 */
export const ERASURE_RECHECK_MS = 60_000;

/** What an erasure notice is made from: a judicial erasure naming a person and a docket. */
export type ErasureEvent = Pick<ChangeEvent, 'feed' | 'sequence' | 'time' | 'system'> & { sid: string; docketNumber: string };

const isNoticeable = (event: ChangeEvent): event is ChangeEvent & ErasureEvent =>
  event.kind === 'ERASURE' && event.feed === 'judicial' && !!event.sid && !!event.docketNumber;

/**
 * Records an erasure notice for each of `oris` that has none yet for this erasure, and a
 * delivery of it to each of their agencies' erasure-notice subscriptions made before it.
 * Idempotent: notices are unique per (ori, feed, sequence) and deliveries per idempotency
 * key. Returns the ORIs noticed now and the subscription ids given a delivery now.
 */
export async function noticeErasure(trx: Transaction<NotificationsDb>, event: ErasureEvent, oris: string[]): Promise<{ oris: string[]; subscriptions: string[] }> {
  if (!oris.length) return { oris: [], subscriptions: [] };
  const added = (await trx.insertInto('ntf_erasure_notice')
    .values(oris.map((ori) => ({ ori, docket: event.docketNumber, feed: event.feed, chg_seq: event.sequence, created_ts: nowStamp() })))
    .onConflict((conflict) => conflict.columns(['ori', 'feed', 'chg_seq']).doNothing())
    .returning('ori').execute()).map((row) => row.ori);
  if (!added.length) return { oris: [], subscriptions: [] };
  const subscribers = (await trx.selectFrom('ntf_subscription').select(['id', 'created_ts', 'from_seq'])
    .where('active', '=', 'Y').where('erasure_notices', '=', 'Y').where('ori', 'in', added).execute())
    .filter((s) => subscribedBefore(s, event));
  if (!subscribers.length) return { oris: added, subscriptions: [] };
  const inserted = await trx.insertInto('ntf_delivery').values(subscribers.map(({ id }) => ({
    subscription_id: id, idem_key: `${event.feed}:${event.sequence}:${id}`, feed: event.feed, chg_seq: event.sequence, kind: ERASURE_NOTICE, system: event.system,
    rec_key: event.docketNumber, sid: null, evt_ts: event.time, state: 'PENDING' as const, attempts: 0, next_attempt_ms: Date.now(), last_error: null, delivered_ts: null,
  }))).onConflict((conflict) => conflict.column('idem_key').doNothing()).returning('subscription_id').execute();
  return { oris: added, subscriptions: inserted.map((row) => row.subscription_id) };
}

// Private: an erasure's cutoff and second-look time, as the first look sees them.
function erasureWindow(event: ChangeEvent, clockMs: number, recheckMs: number): { event: ErasureEvent; cutoffMs: number; dueMs: number; lookedUpAt: number } | null {
  if (!isNoticeable(event)) return null;
  const lookedUpAt = Date.now(); // before the lookup: a record appended during it is read by the second look
  const erasedAt = Date.parse(event.time);
  const cutoffMs = (Number.isNaN(erasedAt) ? lookedUpAt : erasedAt) + clockMs;
  return { event, cutoffMs, dueMs: recheckMs > 0 ? cutoffMs + recheckMs : 0, lookedUpAt };
}

export interface IntakeOptions {
  /** NOTIFY_ERASURE_CLOCK_MS (ERASURE_CLOCK_MS): views that arrived up to this long after the erasure's time count. */
  erasureClockMs?: number;
  /** NOTIFY_ERASURE_RECHECK_MS (ERASURE_RECHECK_MS): the second look this long after that; 0: none. */
  erasureRecheckMs?: number;
}

/** Records the event's deliveries; returns the subscription ids that got one. */
export async function takeIn(store: NotificationStore, event: ChangeEvent, recipients: Recipients, options: IntakeOptions = {}): Promise<string[]> {
  if (event.kind !== 'ERASURE' && await beforeEverySubscription(store, event)) return [];
  const window = erasureWindow(event, options.erasureClockMs ?? ERASURE_CLOCK_MS, options.erasureRecheckMs ?? ERASURE_RECHECK_MS);
  const noticeOris = window ? await recipients(window.event.sid, window.cutoffMs) : [];
  return store.db.transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('ntf_applied').select('chg_seq').where('feed', '=', event.feed).where('chg_seq', '=', event.sequence).executeTakeFirst();
    if (seen) return [];
    await trx.insertInto('ntf_applied').values({ feed: event.feed, chg_seq: event.sequence }).execute();
    if (event.kind === 'ERASURE') {
      if (!window) return [];
      // A view that arrived by the cutoff may still be under way at the first look, its
      // record not written yet. Look again once it must be (erasure.ts).
      if (window.dueMs > window.lookedUpAt) {
        const { sid, docketNumber, system, time } = window.event;
        await trx.insertInto('ntf_erasure_recheck').values({
          feed: event.feed, chg_seq: event.sequence, sid, docket: docketNumber, system, evt_ts: time, cutoff_ms: window.cutoffMs, due_ms: window.dueMs, attempts: 0, last_error: null,
        }).onConflict((conflict) => conflict.columns(['feed', 'chg_seq']).doNothing()).execute();
      }
      return (await noticeErasure(trx, window.event, noticeOris)).subscriptions;
    }
    const base = { feed: event.feed, chg_seq: event.sequence, evt_ts: event.time, state: 'PENDING' as const, attempts: 0, next_attempt_ms: Date.now(), last_error: null, delivered_ts: null };
    const court = courtOf(event.docketNumber);
    const candidates = await trx.selectFrom('ntf_subscription').select(['id', 'kinds', 'permissions', 'created_ts', 'from_seq']).where('active', '=', 'Y')
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
