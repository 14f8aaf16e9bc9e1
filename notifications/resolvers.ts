// Thin resolvers of the notifications subgraph: check the input, then the store. The
// subscriber is the gateway-signed identity; each call renews the permissions and
// certification stored with that user's subscriptions (deliveries are checked against them).
import { randomBytes, randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { badInput } from '../subgraphs/shared/errors.ts';
import { parseSid } from '../subgraphs/shared/inputs.ts';
import type { BaseContext } from '../subgraphs/shared/module.ts';
import type { Identity } from '../subgraphs/shared/identity.ts';
import { logger } from '../subgraphs/shared/log.ts';
import { nowStamp, type NotificationStore, type SubscriptionTable } from './store.ts';
import { checkWebhookUrl } from './webhook.ts';
import { feedPositions, subscriptionsChanged } from './intake.ts';
import { STREAM_PATH, tokenHash } from './sse.ts';
import { knownSids, type NotificationSettings } from './settings.ts';

export interface NotificationsContext extends BaseContext {
  store: NotificationStore;
  settings: NotificationSettings;
}

interface SubscribeInput {
  sid?: string | null; court?: string | null; warrants?: boolean | null; erasureNotices?: boolean | null;
  kinds?: string[] | null; channel: 'WEBHOOK' | 'SSE'; webhookUrl?: string | null;
}

export const resolvers: GraphQLResolverMap<NotificationsContext> = {
  Query: {
    mySubscriptions: async (_: unknown, __: unknown, ctx: NotificationsContext) => {
      const who = await subscriber(ctx);
      return ctx.store.db.selectFrom('ntf_subscription').selectAll().where('user_id', '=', who.userId).orderBy('created_ts', 'desc').execute();
    },
    myDeliveries: async (_: unknown, args: { subscriptionId: string; state?: string | null; first?: number | null }, ctx: NotificationsContext) => {
      const who = await subscriber(ctx);
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput(`first is ${first}; expected a whole number from 1 to 100`, 'first');
      let query = ctx.store.db.selectFrom('ntf_delivery').innerJoin('ntf_subscription as s', 's.id', 'ntf_delivery.subscription_id').selectAll('ntf_delivery')
        .where('s.user_id', '=', who.userId).where('s.id', '=', args.subscriptionId).orderBy('ntf_delivery.id', 'desc').limit(first);
      if (args.state) query = query.where('ntf_delivery.state', '=', args.state as 'PENDING');
      return query.execute();
    },
    erasureNotices: async (_: unknown, __: unknown, ctx: NotificationsContext) => {
      const who = await subscriber(ctx);
      return ctx.store.db.selectFrom('ntf_erasure_notice').selectAll().where('ori', '=', who.ori).orderBy('id', 'desc').limit(500).execute();
    },
  },
  Mutation: {
    subscribe: async (_: unknown, args: { input: SubscribeInput }, ctx: NotificationsContext) => {
      const who = await subscriber(ctx);
      const row = await checkedSubscription(args.input, who, ctx);
      const secret = randomBytes(32).toString('base64url');
      const stored: SubscriptionTable = { ...row, webhook_secret: row.channel === 'WEBHOOK' ? secret : null, stream_token_hash: row.channel === 'SSE' ? tokenHash(secret) : null };
      await ctx.store.db.insertInto('ntf_subscription').values(stored).execute();
      subscriptionsChanged(ctx.store);
      return { subscription: stored, secret, streamUrl: row.channel === 'SSE' ? `${ctx.settings.publicUrl}${STREAM_PATH}` : null };
    },
    unsubscribe: async (_: unknown, args: { id: string }, ctx: NotificationsContext) => {
      const who = await subscriber(ctx);
      const result = await ctx.store.db.updateTable('ntf_subscription').set({ active: 'N' })
        .where('id', '=', args.id).where('user_id', '=', who.userId).where('active', '=', 'Y').executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  },
  NotificationSubscription: {
    sid: (s: SubscriptionTable) => s.target_sid,
    court: (s: SubscriptionTable) => s.target_court,
    warrants: (s: SubscriptionTable) => s.target_warrants === 'Y',
    erasureNotices: (s: SubscriptionTable) => s.erasure_notices === 'Y',
    kinds: (s: SubscriptionTable) => JSON.parse(s.kinds),
    webhookUrl: (s: SubscriptionTable) => s.webhook_url,
    createdAt: (s: SubscriptionTable) => `${s.created_ts.replace(' ', 'T')}Z`,
    active: (s: SubscriptionTable) => s.active === 'Y',
  },
  NotificationDelivery: {
    idempotencyKey: (d: { idem_key: string }) => d.idem_key,
    key: (d: { rec_key: string }) => d.rec_key,
    time: (d: { evt_ts: string }) => d.evt_ts,
    lastError: (d: { last_error: string | null }) => d.last_error,
  },
  ErasureNotice: {
    docketNumber: (n: { docket: string }) => n.docket,
    noticedAt: (n: { created_ts: string }) => `${n.created_ts.replace(' ', 'T')}Z`,
  },
};

// Private: the signed-in user, whose current permissions and certification are written to
// every subscription they hold (a renewed certification resumes deliveries; a lost role stops them).
async function subscriber(ctx: NotificationsContext): Promise<Identity> {
  const who = ctx.identity;
  if (!who) throw new GraphQLError('notifications need a signed-in user (through the gateway)', { extensions: { code: 'UNAUTHENTICATED' } });
  await ctx.store.db.updateTable('ntf_subscription')
    .set({ permissions: JSON.stringify(who.permissions), certified_until: who.certifiedUntil ?? new Date(0).toISOString() })
    .where('user_id', '=', who.userId).execute();
  return who;
}

// Private: one target, known kinds, a deliverable channel; the SID known to MNI.
async function checkedSubscription(input: SubscribeInput, who: Identity, ctx: NotificationsContext): Promise<SubscriptionTable> {
  const targets = [input.sid != null, input.court != null, input.warrants === true, input.erasureNotices === true].filter(Boolean).length;
  if (targets !== 1) throw badInput(`a subscription needs exactly one target; got ${targets}. Expected one of sid, court, warrants: true, erasureNotices: true`, 'input');
  const kinds = input.kinds ?? [];
  if (kinds.includes('ERASURE')) throw badInput('kind ERASURE is not subscribable; agencies that received an erased record get erasure notices (erasureNotices: true)', 'kinds');
  let sid: string | null = null;
  if (input.sid != null) {
    sid = parseSid(input.sid, 'sid');
    let known: string[];
    try {
      known = await knownSids(ctx.settings, [sid]);
    } catch (error) {
      logger.warn({ err: error }, 'SID check failed');
      throw new GraphQLError('the SID could not be checked with MNI now; try again shortly', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
    }
    if (!known.includes(sid)) throw badInput(`sid "${sid}" is not known to MNI; expected the SID of a person OBTS holds, e.g. 000123456`, 'sid');
  }
  const court = input.court == null ? null : input.court.trim().toUpperCase();
  if (court !== null && !/^[A-Z]\d{2}[A-Z]$/.test(court)) throw badInput(`court "${input.court}" is not a court location code; expected e.g. H12M`, 'court');
  let webhookUrl: string | null = null;
  if (input.channel === 'WEBHOOK') {
    if (!input.webhookUrl) throw badInput('channel WEBHOOK needs webhookUrl; expected e.g. https://receiver.example.gov/obts-events', 'webhookUrl');
    webhookUrl = checkWebhookUrl(input.webhookUrl, ctx.settings.webhook);
  } else if (input.webhookUrl) {
    throw badInput('webhookUrl is for channel WEBHOOK; an SSE subscription is followed at its streamUrl', 'webhookUrl');
  }
  return {
    id: randomUUID(), user_id: who.userId, ori: who.ori, permissions: JSON.stringify(who.permissions),
    certified_until: who.certifiedUntil ?? new Date(0).toISOString(), target_sid: sid, target_court: court,
    target_warrants: input.warrants ? 'Y' : 'N', erasure_notices: input.erasureNotices ? 'Y' : 'N', kinds: JSON.stringify(kinds),
    channel: input.channel, webhook_url: webhookUrl, webhook_secret: null, stream_token_hash: null, created_ts: nowStamp(), active: 'Y',
    from_seq: await feedPositions(ctx.store),
  };
}
