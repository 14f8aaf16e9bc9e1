// The development identity provider: a local ES256 key that `npm run token` signs user
// tokens with, for developers, trainers and tests. It is created on first use under the
// data folder (git-ignored), its key id starts with "obts-dev-", and the gateway refuses
// it in production mode (a token signed with it is 401 there; see verify.ts).
import path from 'node:path';
import { SignJWT } from 'jose';
import { loadOrCreateKeyFile, signingKey, SIGNING_ALG, type KeyFile } from '../../subgraphs/shared/keys.ts';
import type { PurposeCode } from '../../subgraphs/shared/identity.ts';
import type { ClassClaim } from './class-token.ts';

export const DEV_KID_PREFIX = 'obts-dev-';
export const DEV_ISSUER = 'obts-development-idp';
export const DEFAULT_AUDIENCE = 'obts';

/** Where the development key lives under a data folder. */
export function devKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'dev-identity-provider.json');
}

export function loadDevKey(dataDir: string): Promise<KeyFile> {
  return loadOrCreateKeyFile(devKeyFile(dataDir), DEV_KID_PREFIX, 'DEVELOPMENT ONLY: signs OBTS test and training tokens; refused in production mode');
}

/** What a development token says about its user. */
export interface DevTokenClaims {
  user: string;
  ori: string;
  roles: string[];
  /** Certification (CJIS security awareness training) valid until this time. */
  certifiedUntil: Date;
  purpose?: PurposeCode;
  /** Lifetime in seconds (default 8 hours: one shift). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Issue time; tests back-date it to make expired tokens. */
  issuedAt?: Date;
  /** Set on class tokens (training/): the class, its trainer and roles. */
  training?: ClassClaim;
}

/** Signs a user token with the development key (or another key file of the same shape: tests). */
export async function issueDevToken(keys: KeyFile, claims: DevTokenClaims): Promise<string> {
  const key = await signingKey(keys);
  const issuedAt = Math.floor((claims.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({
    ori: claims.ori,
    roles: claims.roles,
    cert_exp: Math.floor(claims.certifiedUntil.getTime() / 1000),
    ...(claims.purpose ? { purpose: claims.purpose } : {}),
    ...(claims.training ? { training: claims.training } : {}),
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.user)
    .setIssuer(claims.issuer ?? DEV_ISSUER)
    .setAudience(claims.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (claims.ttlSeconds ?? 8 * 3600))
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}
