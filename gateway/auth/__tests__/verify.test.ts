// The token check alone: each way a token can be wrong, and what the user is told.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createAuthenticator, type AuthResult } from '../verify.ts';
import { DEFAULT_AUDIENCE, DEV_ISSUER, issueDevToken, loadDevKey, type DevTokenClaims } from '../dev-key.ts';
import { loadOrCreateKeyFile } from '../../../subgraphs/shared/keys.ts';
import type { KeyFile } from '../../../subgraphs/shared/keys.ts';

const SETTINGS = { issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE };
const USER: DevTokenClaims = { user: 'jsmith', ori: 'CT0064200', roles: ['law-enforcement'], certifiedUntil: new Date(Date.now() + 86_400_000), purpose: 'C' };
const outcome = (result: AuthResult) => (result.ok ? 'ok' : `${result.refusal.status} ${result.refusal.reason}`);

describe('gateway/auth verify', () => {
  let dir: string;
  let devKey: KeyFile;
  let otherKey: KeyFile;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obts-auth-'));
    devKey = await loadDevKey(dir);
    otherKey = await loadOrCreateKeyFile(path.join(dir, 'other.json'), 'other-', 'a key OBTS does not trust');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a good token and computes the identity', async () => {
    const authenticate = await createAuthenticator(SETTINGS, 'development', dir);
    const result = await authenticate(`Bearer ${await issueDevToken(devKey, USER)}`, undefined);
    assert.ok(result.ok);
    assert.equal(result.identity.userId, 'jsmith');
    assert.equal(result.identity.ori, 'CT0064200');
    assert.equal(result.identity.purpose, 'C');
    assert.ok(result.identity.permissions.includes('por:protected-person'));
    assert.ok(!result.identity.permissions.includes('parole:case-notes'));
  });

  it('refuses each bad token with the status and reason a client can act on', async () => {
    const authenticate = await createAuthenticator(SETTINGS, 'development', dir);
    const good = await issueDevToken(devKey, USER);
    const [head, body] = good.split('.');
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['no header', undefined, undefined],
      ['not bearer', 'Basic dXNlcjpwYXNz', undefined],
      ['forged signature', `Bearer ${head}.${body}.${Buffer.from('x'.repeat(64)).toString('base64url')}`, undefined],
      ['untrusted key', `Bearer ${await issueDevToken(otherKey, USER)}`, undefined],
      ['wrong issuer', `Bearer ${await issueDevToken(devKey, { ...USER, issuer: 'someone-else' })}`, undefined],
      ['wrong audience', `Bearer ${await issueDevToken(devKey, { ...USER, audience: 'not-obts' })}`, undefined],
      ['expired', `Bearer ${await issueDevToken(devKey, { ...USER, issuedAt: new Date(Date.now() - 3 * 3600_000), ttlSeconds: 3600 })}`, undefined],
      ['lapsed certification', `Bearer ${await issueDevToken(devKey, { ...USER, certifiedUntil: new Date('2025-01-31T00:00:00Z') })}`, undefined],
      ['unknown role', `Bearer ${await issueDevToken(devKey, { ...USER, roles: ['janitor'] })}`, undefined],
      ['no purpose', `Bearer ${await issueDevToken(devKey, { ...USER, purpose: undefined })}`, undefined],
      ['invalid purpose header', `Bearer ${good}`, 'Z'],
      ['bad ORI', `Bearer ${await issueDevToken(devKey, { ...USER, ori: 'nope' })}`, undefined],
    ];
    const got: Record<string, string> = {};
    for (const [name, authorization, purpose] of cases) got[name] = outcome(await authenticate(authorization, purpose));
    assert.deepEqual(got, {
      'no header': '401 no-token',
      'not bearer': '401 malformed-token',
      'forged signature': '401 bad-signature',
      'untrusted key': '401 unknown-key',
      'wrong issuer': '401 wrong-issuer',
      'wrong audience': '401 wrong-audience',
      expired: '401 token-expired',
      'lapsed certification': '403 certification-lapsed',
      'unknown role': '403 unknown-role',
      'no purpose': '403 no-purpose',
      'invalid purpose header': '403 invalid-purpose',
      'bad ORI': '403 no-ori',
    });
  });

  it('takes the purpose from the header over the token, and names the lapse date', async () => {
    const authenticate = await createAuthenticator(SETTINGS, 'development', dir);
    const result = await authenticate(`Bearer ${await issueDevToken(devKey, USER)}`, 'F');
    assert.ok(result.ok && result.identity.purpose === 'F');
    const lapsed = await authenticate(`Bearer ${await issueDevToken(devKey, { ...USER, certifiedUntil: new Date('2025-01-31T12:00:00Z') })}`, 'C');
    assert.ok(!lapsed.ok && /lapsed on 2025-01-31/.test(lapsed.refusal.message));
  });

  it('refuses the development key in production mode, even inside the configured key set', async () => {
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(devKey.publicJwks));
    const authenticate = await createAuthenticator({ ...SETTINGS, jwksFile: file }, 'production', dir);
    assert.equal(outcome(await authenticate(`Bearer ${await issueDevToken(devKey, USER)}`, 'C')), '401 unknown-key');
    const development = await createAuthenticator({ ...SETTINGS, jwksFile: file }, 'development', dir);
    assert.equal(outcome(await development(`Bearer ${await issueDevToken(devKey, USER)}`, 'C')), 'ok');
  });

  it('fetches the key set from a JWKS URL, and answers 503 while the identity provider is unreachable', async () => {
    const server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(devKey.publicJwks)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const token = `Bearer ${await issueDevToken(devKey, USER)}`;
    try {
      const authenticate = await createAuthenticator({ ...SETTINGS, jwksUrl: url }, 'production', dir);
      assert.equal(outcome(await authenticate(token, 'C')), '401 unknown-key', 'the development key is refused in production, even from a JWKS URL');
      const development = await createAuthenticator({ ...SETTINGS, jwksUrl: url }, 'development', dir);
      assert.equal(outcome(await development(token, 'C')), 'ok');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const unreachable = await createAuthenticator({ ...SETTINGS, jwksUrl: url }, 'development', dir);
    assert.equal(outcome(await unreachable(token, 'C')), '503 identity-provider-unavailable');
  });
});
