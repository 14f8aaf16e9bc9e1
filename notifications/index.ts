// The notifications service (issue 9): its own process and small store, served as the
// `notifications` subgraph (subscriptions through the gateway, like any query) plus a
// server-sent-events stream. In the background it takes in the agencies' change events
// (JetStream when NATS_URL is set, else their feeds through the gateway), turns them into
// deliveries for the subscriptions they match and the subscriber may see, and sends the
// webhooks. Run directly, it opens its store (NOTIFICATIONS_DATABASE_URL, or embedded PGlite
// in the data folder) and serves on NOTIFICATIONS_PORT (4005).
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { SubgraphModule } from '../subgraphs/shared/module.ts';
import type { StoreLocation } from '../subgraphs/shared/db.ts';
import { isEntry, serve } from '../subgraphs/shared/main.ts';
import { startFeedConsumer, type FeedSource, type RunningConsumer } from '../subgraphs/shared/events/consumer.ts';
import { storeCursor } from '../subgraphs/shared/events/cursor.ts';
import { SERVICE_ORI } from '../subgraphs/shared/events/service-token.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';
import { auditSettings } from '../gateway/config.ts';
import { openAuditStore, type AuditCursor, type AuditStore } from '../gateway/audit/store.ts';
import { openNotificationStore, type NotificationStore } from './store.ts';
import { resolvers, type NotificationsContext } from './resolvers.ts';
import { notificationSettings, type NotificationSettings } from './settings.ts';
import { takeIn, type Recipients } from './intake.ts';
import { startDispatcher } from './webhook.ts';
import { startErasureRecheck } from './erasure.ts';
import { mountStream, newDeliveries } from './sse.ts';

/** The store with the settings the resolvers and the background read. */
export type NotificationsHandle = NotificationStore & { settings: NotificationSettings };

/**
 * Who was shown records of a person: the ORIs of the audit log's who-viewed (read only), each
 * with the arrival of its first view (`receivedAt`; a record without one, from before it was
 * kept, counts from its time less the gateway's request budget, so it is never counted late).
 * An index by SID, brought up to date on every lookup with what was appended to the log since
 * the last one (readSince: a file status and the new lines, not the whole log), so a view
 * recorded a moment before the erasure's notice is looked up is in it.
 */
export function auditRecipients(audit: AuditStore, requestBudgetMs = Number(process.env.GATEWAY_REQUEST_TIMEOUT_MS) || 15_000): Recipients {
  const firstViews = new Map<string, Map<string, number>>();
  let cursor: AuditCursor | undefined;
  return async (sid, arrivedBy) => {
    const since = await audit.readSince(cursor);
    for (const record of since.records) {
      if (record.event !== 'operation' || !record.ori || record.ori === SERVICE_ORI) continue;
      const arrived = record.receivedAt ? Date.parse(record.receivedAt) : Date.parse(record.time) - requestBudgetMs;
      const at = Number.isNaN(arrived) ? -Infinity : arrived; // a record without a readable time counts as early: noticed, not missed
      for (const viewed of record.sids ?? []) {
        const views = firstViews.get(viewed) ?? new Map<string, number>();
        if (!(views.get(record.ori)! <= at)) views.set(record.ori, at);
        firstViews.set(viewed, views);
      }
    }
    cursor = since.cursor;
    const views = firstViews.get(sid);
    if (!views) return [];
    return [...views].filter(([, at]) => arrivedBy === undefined || at <= arrivedBy).map(([ori]) => ori).sort();
  };
}

export interface NotificationWork {
  stop(): Promise<void>;
}

/** Consumers of every agency feed, the erasure notices' second look and the webhook dispatcher. */
export async function startNotificationWork(store: NotificationsHandle, recipients: Recipients): Promise<NotificationWork> {
  const dispatcher = startDispatcher(store, store.settings.webhook);
  const delivered = (ids: string[]) => {
    newDeliveries.emit('new', ids);
    dispatcher.kick();
  };
  const recheck = store.settings.erasureRecheckMs > 0 ? startErasureRecheck(store, recipients, delivered) : undefined;
  const consumers: RunningConsumer[] = [];
  for (const { name: feed } of AGENCY_SUBGRAPHS) {
    const consumer = `notifications-${feed}`;
    const source: FeedSource = store.settings.natsUrl
      ? { kind: 'nats', url: store.settings.natsUrl, prefix: store.settings.natsPrefix }
      : { kind: 'gateway', url: store.settings.gatewayUrl, token: store.settings.token, cursor: storeCursor(store.db, consumer, feed) };
    consumers.push(await startFeedConsumer({
      name: consumer, feed, source, idleMs: 100,
      handle: async (event) => {
        const ids = await takeIn(store, event, recipients, { erasureClockMs: store.settings.erasureClockMs, erasureRecheckMs: store.settings.erasureRecheckMs });
        if (ids.length) delivered(ids);
      },
    }));
  }
  return {
    async stop() {
      for (const consumer of consumers) await consumer.stop();
      await recheck?.stop();
      await dispatcher.stop();
    },
  };
}

export const subgraph: SubgraphModule<NotificationsHandle, NotificationsContext> = {
  name: 'notifications',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: async (location: StoreLocation) => Object.assign(await openNotificationStore(location), { settings: notificationSettings() }),
  createContext: (store, base) => ({ ...base, store, settings: store.settings }),
  routes: (app, store) => mountStream(app, store),
  background: async (store, env = process.env) => {
    const audit = await openAuditStore(auditSettings(env));
    const work = await startNotificationWork(store, auditRecipients(audit));
    return { stop: async () => { await work.stop(); await audit.close?.(); } };
  },
};
export default subgraph;

if (isEntry(import.meta.url)) await serve(subgraph);
