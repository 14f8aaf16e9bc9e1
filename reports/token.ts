// The token a report runs with: OBTS_TOKEN (the user's own, from the identity provider),
// or outside production a development token issued here with the development key the
// local gateway trusts (gateway/auth/dev-key.ts). A token past its expiry is refused
// before any request, with what to do about it.
import os from 'node:os';
import { decodeJwt } from 'jose';
import { issueDevToken, loadDevKey } from '../gateway/auth/dev-key.ts';
import { PURPOSE_CODES } from '../subgraphs/shared/identity.ts';
import { dataDir } from '../schema/subgraphs.ts';
import { ReportError } from './errors.ts';

/**
 * Purpose code of report runs: R (research and statistics) once the gateway knows it,
 * else C (criminal justice administration); OBTS_REPORT_PURPOSE overrides.
 */
export function reportPurpose(env: NodeJS.ProcessEnv = process.env): string {
  return env.OBTS_REPORT_PURPOSE || (Object.hasOwn(PURPOSE_CODES, 'R') ? 'R' : 'C');
}

export interface ReportIdentity {
  token: string;
  /** The token's subject, for the report's header. */
  user: string;
  /** The token's roles (as claimed; the gateway checks them on every request). */
  roles: string[];
}

/** The token to use, and whose it is. */
export async function reportToken(env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<ReportIdentity> {
  let token = env.OBTS_TOKEN?.trim();
  if (!token) {
    if (env.OBTS_MODE === 'production') throw new ReportError('no token: set OBTS_TOKEN to your bearer token from the identity provider (development tokens are refused in production)');
    const roles = (env.OBTS_REPORT_ROLES || 'analyst').split(',').map((role) => role.trim()).filter(Boolean);
    token = await issueDevToken(await loadDevKey(dataDir(env)), {
      user: env.OBTS_REPORT_USER || os.userInfo().username, ori: env.OBTS_REPORT_ORI || 'CT0000000', roles,
      certifiedUntil: new Date(now.getTime() + 86_400_000), ttlSeconds: 8 * 3600,
    });
  }
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new ReportError('OBTS_TOKEN is not a token; expected a JWT (three base64url parts separated by dots)');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now.getTime()) {
    throw new ReportError(`OBTS_TOKEN expired at ${new Date(claims.exp * 1000).toISOString()}; get a fresh one (npm run token, or your identity provider)`);
  }
  return { token, user: String(claims.sub ?? 'unknown user'), roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [] };
}
