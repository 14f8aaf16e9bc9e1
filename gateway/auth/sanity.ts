// Token sanity at the door: a token whose signature verifies can still be one OBTS must not
// take (CJIS Security Policy IA-5, SI-10 input validation). Refused with 401 and a reason:
//   issued-in-future   `iat` later than now plus the clock tolerance (a clock or signer fault,
//                      or a token minted to outlive its real expiry)
//   no-issued-at       no numeric `iat`: the lifetime cannot be judged
//   lifetime-too-long  `exp - iat` over OBTS_AUTH_MAX_TOKEN_LIFETIME
//   claim-too-long     a string claim (or role) longer than OBTS_AUTH_MAX_CLAIM_LENGTH: it
//                      would be copied into every audit record and subgraph token
//   malformed-claims   `roles` not a list of strings, more than MAX_ROLES roles, or `sub`,
//                      `ori`, `purpose` not strings
import type { JWTPayload } from 'jose';

/** Clock tolerance for `exp` and `iat`, seconds (also given to jose's jwtVerify). */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Defaults of the settings (gateway/config.ts reads OBTS_AUTH_MAX_TOKEN_LIFETIME, OBTS_AUTH_MAX_CLAIM_LENGTH). */
export const DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600;
export const DEFAULT_MAX_CLAIM_LENGTH = 256;
/** More roles than OBTS has is never a real CUAR. */
export const MAX_ROLES = 32;

export interface SanityLimits {
  maxLifetimeSeconds?: number;
  maxClaimLength?: number;
}

/** Null when the claims are sane, else the reason and a message saying what was expected. */
export function insaneClaims(payload: JWTPayload, limits: SanityLimits, now = Date.now()): { reason: string; message: string } | null {
  const maxLifetime = limits.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const maxLength = limits.maxClaimLength ?? DEFAULT_MAX_CLAIM_LENGTH;
  if (typeof payload.iat !== 'number') return { reason: 'no-issued-at', message: 'Token has no "iat" (issued-at time, seconds since 1970); expected a token from the configured identity provider' };
  if (payload.iat * 1000 > now + CLOCK_TOLERANCE_SECONDS * 1000) {
    return { reason: 'issued-in-future', message: `Token claims to be issued at ${new Date(payload.iat * 1000).toISOString()}, in the future; expected an issue time no later than now (${CLOCK_TOLERANCE_SECONDS} s clock tolerance)` };
  }
  if (typeof payload.exp === 'number' && payload.exp - payload.iat > maxLifetime) {
    return { reason: 'lifetime-too-long', message: `Token lives ${payload.exp - payload.iat} s from issue to expiry; expected at most ${maxLifetime} s (OBTS_AUTH_MAX_TOKEN_LIFETIME)` };
  }
  for (const claim of ['sub', 'ori', 'purpose'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') return { reason: 'malformed-claims', message: `Token claim "${claim}" is a ${typeof payload[claim]}; expected a string` };
  }
  if (payload.roles !== undefined && (!Array.isArray(payload.roles) || payload.roles.some((role) => typeof role !== 'string'))) {
    return { reason: 'malformed-claims', message: `Token claim "roles" is ${JSON.stringify(payload.roles).slice(0, 80)}; expected a list of role names (strings), e.g. ["law-enforcement"]` };
  }
  if (Array.isArray(payload.roles) && payload.roles.length > MAX_ROLES) return { reason: 'malformed-claims', message: `Token claim "roles" lists ${payload.roles.length} roles; expected at most ${MAX_ROLES}` };
  const strings: Array<[string, unknown]> = [...Object.entries(payload), ...(Array.isArray(payload.roles) ? payload.roles.map((role): [string, unknown] => ['roles[]', role]) : [])];
  for (const [claim, value] of strings) {
    if (typeof value === 'string' && value.length > maxLength) return { reason: 'claim-too-long', message: `Token claim "${claim}" is ${value.length} characters long; expected at most ${maxLength} (OBTS_AUTH_MAX_CLAIM_LENGTH)` };
  }
  return null;
}
