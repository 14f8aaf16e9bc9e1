// Webhook deliveries: signed, retried with exponential backoff, dead-lettered, and only to
// allowed hosts. The body is the event (kind, system, key, time; identifiers only); the
// receiver fetches details through the gateway. Signature (Stripe-style, so a receiver can
// refuse forgeries and replays): header `x-obts-signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>.<body>")>`; `x-obts-delivery` carries the idempotency key.
// No server-side request forgery: the URL's scheme must be http(s) and its host:port must
// be listed in NOTIFY_WEBHOOK_ALLOWED_HOSTS, checked when subscribing and again before
// every attempt; redirects are not followed.
import { createHmac } from 'node:crypto';
import { badInput } from '../subgraphs/shared/errors.ts';
import { wholeSetting as integer } from '../subgraphs/shared/settings.ts';
import { logger } from '../subgraphs/shared/log.ts';
import type { Selectable } from 'kysely';
import { nowStamp, type DeliveryTable, type NotificationStore, type SubscriptionTable } from './store.ts';
import { deliveryBlocked } from './policy.ts';

export interface WebhookSettings {
  /** host:port pairs deliveries may go to (NOTIFY_WEBHOOK_ALLOWED_HOSTS, comma-separated). */
  allowedHosts: string[];
  /** Attempts before a delivery goes to the dead-letter list (NOTIFY_MAX_ATTEMPTS, default 8). */
  maxAttempts: number;
  /** First retry delay; doubles each attempt, at most 5 minutes (NOTIFY_RETRY_BASE_MS, default 1000). */
  retryBaseMs: number;
  timeoutMs: number;
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    allowedHosts: (env.NOTIFY_WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    maxAttempts: integer(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseMs: integer(env, 'NOTIFY_RETRY_BASE_MS', 1000, 1, 300_000),
    timeoutMs: 10_000,
  };
}

/** Checks a webhook URL against the settings; returns it normalised, or a clear error. */
export function checkWebhookUrl(value: string, settings: WebhookSettings): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput(`webhookUrl "${value}" is not a URL; expected e.g. https://receiver.example.gov/obts-events`, 'webhookUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(`webhookUrl scheme "${url.protocol}" is not allowed; expected http: or https:`, 'webhookUrl');
  if (url.username || url.password) throw badInput('webhookUrl must not carry credentials; the body is signed instead (x-obts-signature)', 'webhookUrl');
  const host = hostOf(url);
  if (!settings.allowedHosts.includes(host)) {
    throw badInput(`webhookUrl host "${host}" is not an allowed webhook host; ask the OBTS administrators to allow it (NOTIFY_WEBHOOK_ALLOWED_HOSTS)`, 'webhookUrl');
  }
  return url.toString();
}

// Private: host:port with the scheme's default port made explicit.
function hostOf(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** The signature header of `body` at unix time `t`. */
export function signature(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** The JSON body of a delivery (identifiers only). */
export function deliveryBody(delivery: Pick<DeliveryTable, 'idem_key' | 'kind' | 'system' | 'rec_key' | 'sid' | 'evt_ts' | 'feed' | 'chg_seq' | 'subscription_id'>): string {
  return JSON.stringify({
    id: delivery.idem_key, subscription: delivery.subscription_id, kind: delivery.kind, system: delivery.system, key: delivery.rec_key,
    sid: delivery.sid, time: delivery.evt_ts, feed: delivery.feed, sequence: Number(delivery.chg_seq),
  });
}

/** Delay before attempt `attempts + 1`. */
export function backoffMs(attempts: number, settings: WebhookSettings): number {
  return Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempts - 1), 300_000);
}

export interface Dispatcher {
  /** Look for due deliveries now (called when new ones were written). */
  kick(): void;
  stop(): Promise<void>;
}

/** Sends due webhook deliveries until stopped. */
export function startDispatcher(store: NotificationStore, settings: WebhookSettings, intervalMs = 200): Dispatcher {
  let stopped = false;
  let wake: (() => void) | undefined;
  // A kick that comes while a pass runs is remembered: the pass may have read the due list
  // before the new deliveries were written, so another pass follows at once instead of
  // after the interval (bench:events measured up to 200 ms lost that way).
  let kicked = false;
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      kicked = false;
      try {
        const due = await store.db.selectFrom('ntf_delivery').innerJoin('ntf_subscription as s', 's.id', 'ntf_delivery.subscription_id')
          .selectAll('ntf_delivery').select(['s.user_id', 's.ori', 's.permissions', 's.certified_until', 's.active', 's.webhook_url', 's.webhook_secret'])
          .where('s.channel', '=', 'WEBHOOK').where('ntf_delivery.state', '=', 'PENDING').where('ntf_delivery.next_attempt_ms', '<=', Date.now())
          .orderBy('ntf_delivery.id').limit(64).execute();
        busy = due.length === 64;
        await Promise.all(due.map((row) => attempt(store, settings, row)));
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'webhook dispatcher pass failed');
      }
      if (!busy && !stopped && !kicked) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, intervalMs); });
    }
  })();
  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

type DueRow = Selectable<DeliveryTable> & Pick<SubscriptionTable, 'user_id' | 'ori' | 'permissions' | 'certified_until' | 'active' | 'webhook_url' | 'webhook_secret'>;

// Private: one attempt, its outcome written to the delivery and to the delivery audit.
async function attempt(store: NotificationStore, settings: WebhookSettings, row: DueRow): Promise<void> {
  const blocked = deliveryBlocked(row, row);
  let outcome: 'delivered' | 'failed' | 'dead' | 'withheld';
  let detail: string | null = null;
  if (blocked) {
    outcome = 'withheld';
    detail = blocked;
  } else {
    try {
      const url = checkWebhookUrl(row.webhook_url ?? '', settings);
      const body = deliveryBody(row);
      const response = await fetch(url, {
        method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs), body,
        headers: { 'content-type': 'application/json', 'x-obts-delivery': row.idem_key, 'x-obts-signature': signature(row.webhook_secret ?? '', body, Math.floor(Date.now() / 1000)) },
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) outcome = 'delivered';
      else { outcome = 'failed'; detail = `receiver answered ${response.status}`; }
    } catch (error) {
      outcome = 'failed';
      detail = (error as Error).name === 'TimeoutError' ? 'receiver timed out' : 'receiver not reachable';
    }
  }
  const attempts = row.attempts + 1;
  if (outcome === 'failed' && attempts >= settings.maxAttempts) outcome = 'dead';
  const state = outcome === 'delivered' ? 'DELIVERED' : outcome === 'failed' ? 'PENDING' : 'DEAD';
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('ntf_delivery').set({
      state, attempts, last_error: detail, next_attempt_ms: Date.now() + backoffMs(attempts, settings),
      delivered_ts: outcome === 'delivered' ? nowStamp() : null,
    }).where('id', '=', row.id).execute();
    await trx.insertInto('ntf_delivery_audit').values({ delivery_id: row.id, user_id: row.user_id, ori: row.ori, channel: 'WEBHOOK', outcome, detail, at_ts: nowStamp() }).execute();
  });
}
