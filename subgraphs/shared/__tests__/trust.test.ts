// Subgraph trust alone: what a subgraph accepts from the gateway, and what it refuses.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';
import { createTrustVerifier, gatewayKeyFile, loadGatewayKey, signSubgraphToken, trustFromEnv } from '../trust.ts';
import type { Identity } from '../identity.ts';
import { loadOrCreateKeyFile, signingKey, type SigningKey } from '../keys.ts';

const IDENTITY: Identity = { userId: 'jsmith', ori: 'CT0064200', roles: ['analyst'], permissions: ['omis:read'], purpose: 'C', requestId: 'req-1' };

describe('subgraphs/shared trust', () => {
  let dir: string;
  let key: SigningKey;
  let stranger: SigningKey;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obts-trust-'));
    key = await loadGatewayKey(path.join(dir, 'gateway.json'));
    stranger = await loadGatewayKey(path.join(dir, 'stranger.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the public half beside the key file, and subgraphs trust that file, never the private one', async () => {
    const published = JSON.parse(readFileSync(path.join(dir, 'gateway.jwks.json'), 'utf8'));
    assert.deepEqual(published, key.publicJwks);
    assert.ok(published.keys.every((jwk: Record<string, unknown>) => !('d' in jwk)), 'no private component in the public file');
    const env = { OBTS_DATA_DIR: dir };
    assert.deepEqual(trustFromEnv(env), { jwksFile: gatewayKeyFile(env).replace(/\.json$/, '.jwks.json') });
  });

  it('accepts a fresh gateway token once and hands over the identity it carries', async () => {
    const verify = createTrustVerifier({ jwks: key.publicJwks }, 'correction');
    const token = `Bearer ${await signSubgraphToken(key, IDENTITY, 'correction')}`;
    assert.deepEqual(await verify(token), { ok: true, identity: IDENTITY });
    assert.deepEqual(await verify(token), { ok: false, reason: 'replayed', message: 'gateway token already used; each subgraph call needs a fresh one' });
  });

  it('refuses tokens from another key, for another subgraph, expired, or without the claims it needs', async () => {
    const verify = createTrustVerifier({ jwks: key.publicJwks }, 'correction');
    const old = Math.floor(Date.now() / 1000) - 600;
    const expired = await new SignJWT({ ori: 'CT0064200', purpose: 'C', rid: 'r' }).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuer('obts-gateway')
      .setAudience('correction').setSubject('jsmith').setIssuedAt(old).setExpirationTime(old + 30).setJti('j1').sign(key.privateKey);
    const noPurpose = await new SignJWT({ ori: 'CT0064200', rid: 'r' }).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuer('obts-gateway')
      .setAudience('correction').setSubject('jsmith').setIssuedAt().setExpirationTime('30s').setJti('j2').sign(key.privateKey);
    const got = {
      'another key': await verify(`Bearer ${await signSubgraphToken(stranger, IDENTITY, 'correction')}`),
      'another subgraph': await verify(`Bearer ${await signSubgraphToken(key, IDENTITY, 'judicial')}`),
      expired: await verify(`Bearer ${expired}`),
      'no purpose': await verify(`Bearer ${noPurpose}`),
      'no token': await verify(undefined),
    };
    assert.deepEqual(Object.fromEntries(Object.entries(got).map(([name, result]) => [name, result.ok ? 'ok' : result.reason])), {
      'another key': 'invalid-token', 'another subgraph': 'wrong-audience', expired: 'token-expired', 'no purpose': 'invalid-claims', 'no token': 'no-token',
    });
  });

  it('signs Ed25519 tokens that jose verifies as the standard says: header, claims, 30 s, a fresh jti each; an ES256 key file still signs', async () => {
    const token = await signSubgraphToken(key, { ...IDENTITY, certifiedUntil: '2027-01-01' }, 'judicial');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(key.publicJwks), { issuer: 'obts-gateway', audience: 'judicial', algorithms: ['EdDSA'] });
    assert.deepEqual(protectedHeader, { alg: 'EdDSA', kid: key.kid, typ: 'JWT' });
    const { iat, exp, jti, ...claims } = payload;
    assert.deepEqual(claims, { ori: 'CT0064200', roles: ['analyst'], perms: ['omis:read'], purpose: 'C', rid: 'req-1', cert: '2027-01-01', iss: 'obts-gateway', aud: 'judicial', sub: 'jsmith' });
    assert.equal(exp! - iat!, 30);
    assert.ok(Math.abs(iat! - Date.now() / 1000) < 5);
    assert.notEqual(jti, (await jwtVerify(await signSubgraphToken(key, IDENTITY, 'judicial'), createLocalJWKSet(key.publicJwks))).payload.jti);
    const es256 = await signingKey(await loadOrCreateKeyFile(path.join(dir, 'older.json'), 'obts-gateway-', 'an ES256 key file from before', 'ES256'));
    const verify = createTrustVerifier({ jwks: es256.publicJwks }, 'correction');
    assert.deepEqual(await verify(`Bearer ${await signSubgraphToken(es256, IDENTITY, 'correction')}`), { ok: true, identity: IDENTITY });
  });

  it('waits for a key set file that does not exist yet (the gateway creates it on start)', async () => {
    const file = path.join(dir, 'later.json');
    const verify = createTrustVerifier({ jwksFile: file }, 'judicial');
    assert.equal((await verify('Bearer a.b.c') as { reason: string }).reason, 'no-gateway-key');
    const later = await loadGatewayKey(file);
    assert.equal((await verify(`Bearer ${await signSubgraphToken(later, IDENTITY, 'judicial')}`)).ok, true);
  });
});
