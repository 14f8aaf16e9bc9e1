// Checks a request's bearer token and purpose before anything else happens (CJIS Security
// Policy IA-2 identification and authentication, AC-2 account management, AT-2/AT-3:
// only users whose security-awareness certification is current get in). Each refusal says
// what was expected; 401 when the token itself is missing or not valid, 403 when a valid
// token's user may not have access (lapsed certification, unknown role, no purpose).
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { readJwksFile } from '../../subgraphs/shared/keys.ts';
import { isPurposeCode, PURPOSE_CODES, type Identity } from '../../subgraphs/shared/identity.ts';
import type { AuthSettings, Mode } from '../config.ts';
import { loadDevKey, refuseDevelopmentKeys, withoutDevelopmentKeys } from './dev-key.ts';
import { isRole, permissionsFor, ROLES } from './policy.ts';
import { CLOCK_TOLERANCE_SECONDS, insaneClaims } from './sanity.ts';
import { checkClassToken, expiredClassToken } from './class-token.ts';

/** Header a client may use to state the request's purpose (else the token's `purpose`). */
export const PURPOSE_HEADER = 'x-obts-purpose';

/** Why a request was refused; `reason` is a stable word for tests and the audit log. */
export interface Refusal {
  status: 401 | 403 | 413 | 429 | 503;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'BAD_REQUEST' | 'SERVICE_UNAVAILABLE' | 'GATEWAY_OVERLOADED' | 'USER_CONCURRENCY_LIMIT';
  reason: string;
  message: string;
  /** Seconds until the client may retry (429 and 503). */
  retryAfter?: number;
  /** What the token said, when it was valid enough to say it (for the audit record). */
  claims?: { userId?: string; ori?: string; roles?: string[]; purpose?: string };
}

export type AuthResult = { ok: true; identity: Omit<Identity, 'requestId'> } | { ok: false; refusal: Refusal };

export type Authenticator = (authorization: string | undefined, purposeHeader: string | undefined, trainingRoleHeader?: string) => Promise<AuthResult>;

const ORI = /^[A-Z]{2}[0-9A-Z]{7}$/;
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/**
 * Tokens whose signature was verified recently (GATEWAY_TOKEN_CACHE_SIZE, _MS): a client
 * sends the same token with every request, and verifying its signature is most of what a
 * refusal costs (a 429 to a client that retries at once). Only the signature check is
 * skipped: expiry, the sanity limits, roles, certification and purpose are checked on every
 * request. An entry lives `ttlMs` at most and never past the token's `exp`, so a key
 * withdrawn from the identity provider's set stops being honoured within `ttlMs`.
 */
export interface TokenCacheSettings {
  /** Tokens kept (least recently used dropped first); 0 turns the cache off. */
  size: number;
  ttlMs: number;
  /** Told of each lookup (for /metrics). */
  looked?: (hit: boolean) => void;
}

/** Builds the token checker from the settings (loads the key set once). */
export async function createAuthenticator(settings: AuthSettings, mode: Mode, dataDir: string, cache: TokenCacheSettings = { size: 0, ttlMs: 0 }): Promise<Authenticator> {
  const keySet = await keySetFor(settings, mode, dataDir);
  const verified = new Map<string, { payload: JWTPayload; until: number }>();
  const recall = (token: string): JWTPayload | undefined => {
    if (cache.size === 0) return undefined;
    const entry = verified.get(token);
    if (entry) verified.delete(token);
    const live = entry && entry.until > Date.now() ? entry : undefined;
    if (live) verified.set(token, live); // most recently used last
    cache.looked?.(Boolean(live));
    return live?.payload;
  };
  const remember = (token: string, payload: JWTPayload) => {
    if (cache.size === 0) return;
    const expires = typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
    verified.set(token, { payload, until: Math.min(Date.now() + cache.ttlMs, expires) });
    while (verified.size > cache.size) verified.delete(verified.keys().next().value!);
  };
  return async (authorization, purposeHeader, trainingRoleHeader) => {
    // The auth scheme is case-insensitive (RFC 7235 section 2.1): "bearer" and "BEARER" are Bearer.
    const match = /^Bearer +([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization?.trim() ?? '');
    if (!authorization) return unauthenticated('no-token', 'No Authorization header; expected "Authorization: Bearer <JWT>" (for development, issue one with `npm run token`)');
    if (!match) return unauthenticated('malformed-token', 'Authorization header is not a bearer token; expected "Bearer <header>.<payload>.<signature>"');
    let payload = recall(match[1]);
    if (!payload) {
      try {
        ({ payload } = await jwtVerify(match[1], keySet, { issuer: settings.issuer, audience: settings.audience, algorithms: ALGORITHMS, requiredClaims: ['sub', 'exp'], clockTolerance: CLOCK_TOLERANCE_SECONDS }));
      } catch (error) {
        return tokenError(error, settings);
      }
      remember(match[1], payload);
    }
    const insane = insaneClaims(payload, settings);
    if (insane) return unauthenticated(insane.reason, insane.message);
    // Class tokens (training/): training mode only; a trainee may act as another class role.
    const classCheck = checkClassToken(payload, mode, trainingRoleHeader);
    if (!classCheck.ok) return classCheck;
    return checkClaims(payload, purposeHeader, classCheck.roles);
  };
}

// Private: the key set user tokens must be signed with. In production the development key
// is refused even when someone copies it into the configured set (by thumbprint: dev-key.ts).
async function keySetFor(settings: AuthSettings, mode: Mode, dataDir: string): Promise<JWTVerifyGetKey> {
  const file = settings.jwksFile ? readJwksFile(settings.jwksFile) : undefined;
  const configured = file && mode === 'production' ? await withoutDevelopmentKeys(file, dataDir) : file;
  const keySet = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
    : createLocalJWKSet(configured ?? (await loadDevKey(dataDir)).publicJwks);
  if (mode !== 'production') return keySet;
  return refuseDevelopmentKeys(keySet, dataDir, file);
}

// Private: a valid token's claims → the identity, or a 403 that names the missing grant.
function checkClaims(payload: JWTPayload, purposeHeader: string | undefined, actingRoles?: string[]): AuthResult {
  const roles = actingRoles ?? (Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : []);
  const purpose = purposeHeader ?? (payload.purpose as string | undefined);
  const claims = { userId: payload.sub, ori: typeof payload.ori === 'string' ? payload.ori : undefined, roles, purpose };
  const refuse = (reason: string, message: string): AuthResult => ({ ok: false, refusal: { status: 403, code: 'FORBIDDEN', reason, message, claims } });
  if (!claims.ori || !ORI.test(claims.ori)) return refuse('no-ori', `Token claim "ori" is ${JSON.stringify(payload.ori)}; expected the user's agency ORI, two letters and seven characters, e.g. CT0064200`);
  if (roles.length === 0) return refuse('no-role', `Token claim "roles" is ${JSON.stringify(payload.roles)}; expected a list of OBTS roles, e.g. ["law-enforcement"]`);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length) return refuse('unknown-role', `Role ${unknown.map((r) => `"${r}"`).join(', ')} is not an OBTS role; expected one of ${Object.keys(ROLES).join(', ')}`);
  if (typeof payload.cert_exp !== 'number') return refuse('no-certification', 'Token claim "cert_exp" (certification expiry, seconds since 1970) is missing; CJIS security awareness training must be current (AT-2/AT-3)');
  if (payload.cert_exp * 1000 < Date.now()) {
    return refuse('certification-lapsed', `Certification lapsed on ${new Date(payload.cert_exp * 1000).toISOString().slice(0, 10)}; renew CJIS security awareness training and certification (AT-2/AT-3) to regain access`);
  }
  if (purpose === undefined || purpose === '') return refuse('no-purpose', `No purpose code; expected header ${PURPOSE_HEADER} or token claim "purpose", one of ${Object.keys(PURPOSE_CODES).join(', ')} (C: criminal justice)`);
  if (!isPurposeCode(purpose)) return refuse('invalid-purpose', `Purpose code "${purpose}" is not valid; expected one of ${Object.keys(PURPOSE_CODES).join(', ')} (C: criminal justice)`);
  return { ok: true, identity: { userId: payload.sub!, ori: claims.ori, roles, permissions: permissionsFor(roles), purpose, certifiedUntil: new Date(payload.cert_exp * 1000).toISOString() } };
}

// Private: jose's verification failures → a 401 a user can act on.
function tokenError(error: unknown, settings: AuthSettings): AuthResult {
  // The identity provider's key set could not be fetched: not the user's fault, try again later.
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return { ok: false, refusal: { status: 503, code: 'SERVICE_UNAVAILABLE', reason: 'identity-provider-unavailable', message: 'The identity provider\'s keys could not be fetched, so the token cannot be checked; try again shortly' } };
  }
  if (error instanceof errors.JWTExpired) return expiredClassToken(error.payload) ?? unauthenticated('token-expired', `Token expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}; sign in again for a new one`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return unauthenticated('wrong-issuer', `Token issuer is not trusted; expected "${settings.issuer}"`);
    if (error.claim === 'aud') return unauthenticated('wrong-audience', `Token is not meant for OBTS; expected audience "${settings.audience}"`);
    return unauthenticated('invalid-claims', `Token claim "${error.claim}" is not valid: ${error.message}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('bad-signature', 'Token signature does not verify; expected a token signed by the configured identity provider');
  if (error instanceof errors.JWKSNoMatchingKey) return unauthenticated('unknown-key', 'Token is signed with a key OBTS does not trust; expected a key of the configured identity provider');
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthenticated('algorithm-not-allowed', `Token algorithm is not allowed; expected one of ${ALGORITHMS.join(', ')}`);
  return unauthenticated('malformed-token', 'Token could not be read; expected a signed JWT');
}

function unauthenticated(reason: string, message: string): AuthResult {
  return { ok: false, refusal: { status: 401, code: 'UNAUTHENTICATED', reason, message } };
}
