// The development identity provider: a local ES256 key that `npm run token` signs user
// tokens with, for developers, trainers and tests. It is created on first use under the
// data folder (git-ignored), its key id starts with "obts-dev-", and the gateway refuses
// it in production mode (a token signed with it is 401 there; see verify.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, errors, exportJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { loadOrCreateKeyFile, readKeyFile, signingKey, SIGNING_ALG, type KeyFile } from '../../subgraphs/shared/keys.ts';
import type { PurposeCode } from '../../subgraphs/shared/identity.ts';

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
}

/** Signs a user token with the development key. */
export async function issueDevToken(keys: KeyFile, claims: DevTokenClaims): Promise<string> {
  const key = await signingKey(keys);
  const issuedAt = Math.floor((claims.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({
    ori: claims.ori,
    roles: claims.roles,
    cert_exp: Math.floor(claims.certifiedUntil.getTime() / 1000),
    ...(claims.purpose ? { purpose: claims.purpose } : {}),
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

/**
 * Production: wraps the configured key set so that a token verified by a development key
 * is refused however it is presented: with an `obts-dev-` key id, with another key id, or
 * with none (jose then tries every key of the set). The key that would verify the token is
 * compared by its RFC 7638 thumbprint with the development keys this data folder holds,
 * and any key whose own `kid` says development is refused as well.
 */
export async function refuseDevelopmentKeys(keySet: JWTVerifyGetKey, dataDir: string, configured?: JSONWebKeySet): Promise<JWTVerifyGetKey> {
  const file = devKeyFile(dataDir);
  const devKeys = [
    ...(existsSync(file) ? readKeyFile(file).publicJwks.keys : []),
    ...(configured?.keys ?? []).filter((key) => key.kid?.startsWith(DEV_KID_PREFIX)),
  ];
  const refused = new Set(await Promise.all(devKeys.map((key) => calculateJwkThumbprint(key))));
  const refuse = () => new errors.JWKSNoMatchingKey('the development key is refused in production mode');
  return async (header, token) => {
    if (header.kid?.startsWith(DEV_KID_PREFIX)) throw refuse();
    const key = await keySet(header, token);
    const jwk: JWK | undefined = key instanceof Uint8Array ? undefined : 'kty' in key ? (key as JWK) : await exportJWK(key as CryptoKey);
    if (jwk && refused.has(await calculateJwkThumbprint(jwk))) throw refuse();
    return key;
  };
}
