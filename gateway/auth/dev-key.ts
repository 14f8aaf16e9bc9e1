// The development identity provider: a local ES256 key that `npm run token` signs user
// tokens with, for developers, trainers and tests. It is created on first use under the
// data folder (git-ignored), its key id starts with "obts-dev-", and the gateway refuses
// it in production mode (a token signed with it is 401 there; see verify.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, errors, exportJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { loadOrCreateKeyFile, readKeyFile, signingKey, SIGNING_ALG, type KeyFile } from '../../subgraphs/shared/keys.ts';
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

// Private: RFC 7638 thumbprints of the development keys this data folder holds, plus any
// key in `configured` whose own kid says development.
async function developmentThumbprints(dataDir: string, configured?: JSONWebKeySet): Promise<Set<string>> {
  const file = devKeyFile(dataDir);
  const devKeys = [
    ...(existsSync(file) ? readKeyFile(file).publicJwks.keys : []),
    ...(configured?.keys ?? []).filter((key) => key.kid?.startsWith(DEV_KID_PREFIX)),
  ];
  return new Set(await Promise.all(devKeys.map((key) => calculateJwkThumbprint(key))));
}

/** Production, a local key set: the configured keys without any development key (by thumbprint). */
export async function withoutDevelopmentKeys(configured: JSONWebKeySet, dataDir: string): Promise<JSONWebKeySet> {
  const refused = await developmentThumbprints(dataDir, configured);
  const keep = await Promise.all(configured.keys.map(async (key) => !refused.has(await calculateJwkThumbprint(key))));
  return { keys: configured.keys.filter((_, index) => keep[index]) };
}

/**
 * Production: wraps the key set so that a token verified by a development key is refused
 * however it is presented: with an `obts-dev-` key id, with another key id, or with none
 * (the set then offers every key that fits the algorithm; development keys are dropped
 * from those candidates). The key that would verify the token is compared by its RFC 7638
 * thumbprint with the development keys this data folder holds, and any key of the set
 * whose own kid says development. Works for a remote key set too, whose keys are not
 * known in advance.
 */
export async function refuseDevelopmentKeys(keySet: JWTVerifyGetKey, dataDir: string, configured?: JSONWebKeySet): Promise<JWTVerifyGetKey> {
  const refused = await developmentThumbprints(dataDir, configured);
  const refuse = () => new errors.JWKSNoMatchingKey('the development key is refused in production mode');
  type Key = Awaited<ReturnType<JWTVerifyGetKey>>;
  const isDevelopment = async (key: Key) => {
    const jwk: JWK | undefined = key instanceof Uint8Array ? undefined : 'kty' in key ? (key as JWK) : await exportJWK(key as CryptoKey);
    return jwk !== undefined && refused.has(await calculateJwkThumbprint(jwk));
  };
  return async (header, token) => {
    if (header.kid?.startsWith(DEV_KID_PREFIX)) throw refuse();
    let key: Key;
    try {
      key = await keySet(header, token);
    } catch (error) {
      // No kid and several keys fit: keep the candidates that are not development keys.
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      const usable: Key[] = [];
      for await (const candidate of error as unknown as AsyncIterable<Key>) if (!(await isDevelopment(candidate))) usable.push(candidate);
      if (usable.length === 1) return usable[0];
      if (usable.length === 0) throw refuse();
      throw error;
    }
    if (await isDevelopment(key)) throw refuse();
    return key;
  };
}
