// The notifications service's settings (environment variables, loopback defaults).
import { serviceTokenSource, type TokenSource } from '../subgraphs/shared/events/service-token.ts';
import { natsTarget } from '../subgraphs/shared/events/nats.ts';
import { webhookSettings, type WebhookSettings } from './webhook.ts';
import { wholeSetting as integer } from '../subgraphs/shared/settings.ts';
import { ERASURE_RECHECK_MS } from './intake.ts';

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
  /** NOTIFY_ERASURE_RECHECK_MS: when after an erasure its recipients are looked up again (erasure.ts; 0: never). */
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
    // At least the gateway's request budget: a view under way at the erasure is recorded by then.
    erasureRecheckMs: integer(env, 'NOTIFY_ERASURE_RECHECK_MS', ERASURE_RECHECK_MS, 0, 86_400_000),
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
