// Server-sent events: GET /notifications/stream with the stream token the subscription
// returned (header `Authorization: Bearer <token>`, or `?token=` for a browser's
// EventSource, which cannot set headers). Each delivery is one SSE event (`id` = delivery
// id, `event` = kind, `data` = the same JSON a webhook gets); a client that reconnects with
// Last-Event-ID gets what it missed. Every write is a delivery, audited like a webhook's.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Express, Request, Response } from 'express';
import { deliveryBody } from './webhook.ts';
import { deliveryBlocked } from './policy.ts';
import { nowStamp, type NotificationStore } from './store.ts';

export const STREAM_PATH = '/notifications/stream';

/** Told the subscription ids that have new deliveries. */
export const newDeliveries = new EventEmitter().setMaxListeners(0);

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function mountStream(app: Express, store: NotificationStore): void {
  app.get(STREAM_PATH, (req, res) => void stream(store, req, res));
}

async function stream(store: NotificationStore, req: Request, res: Response): Promise<void> {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof req.query.token === 'string' ? req.query.token : undefined);
  if (!token) {
    res.status(401).json({ error: 'no stream token; expected "Authorization: Bearer <streamToken>" or ?token=<streamToken> from the subscribe mutation' });
    return;
  }
  const subscription = await store.db.selectFrom('ntf_subscription').selectAll().where('stream_token_hash', '=', tokenHash(token)).where('channel', '=', 'SSE').executeTakeFirst();
  if (!subscription || subscription.active !== 'Y') {
    res.status(401).json({ error: 'stream token is not valid or its subscription ended; subscribe again for a new one' });
    return;
  }
  const blocked = deliveryBlocked(subscription, { kind: 'ERASURE_NOTICE', system: '' });
  if (blocked) {
    res.status(403).json({ error: `no deliveries: ${blocked}` });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  const lastEventId = Number(req.headers['last-event-id'] ?? 0);
  let after = Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : -1;
  let closed = false;
  let pumping: Promise<void> = Promise.resolve();
  const pump = async () => {
    // Without Last-Event-ID: what is not yet delivered; with it: everything after it.
    let query = store.db.selectFrom('ntf_delivery').selectAll().where('subscription_id', '=', subscription.id).orderBy('id').limit(500);
    query = after >= 0 ? query.where('id', '>', after) : query.where('state', '=', 'PENDING');
    const rows = await query.execute();
    const current = await store.db.selectFrom('ntf_subscription').select(['permissions', 'certified_until', 'active']).where('id', '=', subscription.id).executeTakeFirstOrThrow();
    for (const row of rows) {
      if (closed) return;
      const reason = deliveryBlocked(current, row);
      if (!reason) res.write(`id: ${row.id}\nevent: ${row.kind}\ndata: ${deliveryBody(row)}\n\n`);
      await store.db.transaction().execute(async (trx) => {
        await trx.updateTable('ntf_delivery').set({ state: reason ? 'DEAD' : 'DELIVERED', attempts: row.attempts + 1, delivered_ts: reason ? null : nowStamp(), last_error: reason }).where('id', '=', row.id).execute();
        await trx.insertInto('ntf_delivery_audit').values({ delivery_id: row.id, user_id: subscription.user_id, ori: subscription.ori, channel: 'SSE', outcome: reason ? 'withheld' : 'delivered', detail: reason, at_ts: nowStamp() }).execute();
      });
      after = Math.max(after, Number(row.id));
    }
  };
  const onNew = (ids: string[]) => {
    if (ids.includes(subscription.id)) pumping = pumping.then(pump).catch(() => undefined);
  };
  newDeliveries.on('new', onNew);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    newDeliveries.off('new', onNew);
  });
  pumping = pumping.then(pump).catch(() => undefined);
}
