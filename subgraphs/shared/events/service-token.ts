// The identity OBTS's own services use to read change feeds through the gateway: role
// `event-consumer` (permission events:read only, gateway/auth/policy.ts). In production the
// identity provider issues it (OBTS_SERVICE_TOKEN); in development and training it is
// signed with the development key, like every other local token, and refreshed hourly.
import { issueDevToken, loadDevKey } from '../../../gateway/auth/dev-key.ts';
import { dataDir } from '../../../schema/subgraphs.ts';

/** ORI the services' tokens name (OBTS itself, not a user agency). */
export const SERVICE_ORI = 'CTOBTS000';

export type TokenSource = () => Promise<string>;

/** A bearer-token source for service `name`. */
export function serviceTokenSource(name: string, env: NodeJS.ProcessEnv = process.env): TokenSource {
  if (env.OBTS_SERVICE_TOKEN) return async () => env.OBTS_SERVICE_TOKEN!;
  if ((env.OBTS_MODE ?? 'development') === 'production') {
    return async () => { throw new Error('OBTS_SERVICE_TOKEN is not set; production services need a token with role event-consumer from the identity provider'); };
  }
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.token;
    const key = await loadDevKey(dataDir(env));
    const token = await issueDevToken(key, {
      user: `svc:${name}`, ori: SERVICE_ORI, roles: ['event-consumer'], purpose: 'C',
      certifiedUntil: new Date(Date.now() + 365 * 86_400_000), ttlSeconds: 3600,
    });
    cached = { token, until: Date.now() + 55 * 60_000 };
    return token;
  };
}
