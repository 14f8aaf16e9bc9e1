// The notifications service's settings (environment variables, loopback defaults).
import { serviceTokenSource, type TokenSource } from '../subgraphs/shared/events/service-token.ts';
import { natsTarget } from '../subgraphs/shared/events/nats.ts';
import { webhookSettings, type WebhookSettings } from './webhook.ts';
import { wholeSetting as integer } from '../subgraphs/shared/settings.ts';
import { ERASURE_CLOCK_MS, ERASURE_RECHECK_MS } from './intake.ts';
import { logger } from '../subgraphs/shared/log.ts';

export interface NotificationSettings {
  /** The gateway, for reading the agencies' feeds (embedded default) and checking SIDs. */
  gatewayUrl: string;
  /** The service identity's bearer token (role event-consumer). */
  token: TokenSource;
  /** NATS_URL: read the agencies' JetStream streams instead of their feeds. */
  natsUrl?: string;
  /** NATS_PREFIX: prefix of the streams and subjects (default obts). */
  natsPrefix?: string;
  webhook: WebhookSettings;
  /** The address clients reach this service's stream at (NOTIFICATIONS_PUBLIC_URL). */
  publicUrl: string;
  /** NOTIFY_ERASURE_CLOCK_MS: views that arrived up to this long after an erasure's time are its recipients (intake.ts). */
  erasureClockMs: number;
  /** NOTIFY_ERASURE_RECHECK_MS: the recipients looked up again this long after that (erasure.ts; 0: never). */
  erasureRecheckMs: number;
}

export function notificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  return {
    gatewayUrl: env.OBTS_GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 4000}/graphql`,
    token: serviceTokenSource('notifications', env),
    natsUrl: env.NATS_URL || undefined,
    natsPrefix: natsTarget(env)?.prefix,
    webhook: webhookSettings(env),
    publicUrl: env.NOTIFICATIONS_PUBLIC_URL ?? `http://127.0.0.1:${env.NOTIFICATIONS_PORT ?? 4005}`,
    erasureClockMs: integer(env, 'NOTIFY_ERASURE_CLOCK_MS', ERASURE_CLOCK_MS, 0, 3_600_000),
    erasureRecheckMs: recheckAfter(env),
  };
}

/** Asks the gateway (as the service) which SIDs MNI knows. */
export async function knownSids(settings: NotificationSettings, sids: string[]): Promise<string[]> {
  const response = await fetch(settings.gatewayUrl, {
    method: 'POST', signal: AbortSignal.timeout(30_000),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await settings.token()}`, 'x-obts-purpose': 'C' },
    body: JSON.stringify({ query: 'query KnownSids($sids: [ID!]!) { publicSafetyKnownSids(sids: $sids) }', variables: { sids } }),
  });
  const body = await response.json() as { data?: { publicSafetyKnownSids?: string[] } };
  if (!body.data?.publicSafetyKnownSids) throw new Error(`SID check answered ${response.status}`);
  return body.data.publicSafetyKnownSids;
}

// Private: the second look's delay. Shorter than the gateway's request budget plus the audit's
// commit, it comes before a view under way at the erasure is recorded, and that agency is
// never told: said at start, not refused (the gateway's budget may be set elsewhere).
function recheckAfter(env: NodeJS.ProcessEnv): number {
  const after = integer(env, 'NOTIFY_ERASURE_RECHECK_MS', ERASURE_RECHECK_MS, 0, 86_400_000);
  const budget = Number(env.GATEWAY_REQUEST_TIMEOUT_MS) || 15_000;
  if (after < budget + 10_000) {
    logger.warn({ NOTIFY_ERASURE_RECHECK_MS: after, GATEWAY_REQUEST_TIMEOUT_MS: budget }, after === 0
      ? 'erasure notices get no second look: an agency whose view was under way at an erasure is not told of it'
      : 'NOTIFY_ERASURE_RECHECK_MS is shorter than the gateway\'s request budget plus 10 s: an agency whose view was under way at an erasure may not be told of it');
  }
  return after;
}
