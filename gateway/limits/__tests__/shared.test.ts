// The shared limit store on the real Redis (127.0.0.1:6379, or TEST_REDIS_URL): two
// "gateway processes" (two stores on one server) enforce one limit between them. Every key
// carries a prefix unique to this run, removed afterwards.
import assert from 'node:assert/strict';
import net from 'node:net';
import { Redis } from 'ioredis';
import { openSharedLimits, type SharedLimits } from '../shared.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `obts-test:${process.pid.toString(36)}${Date.now().toString(36)}:`;

describe('gateway/limits shared limits in Redis', () => {
  let admin: Redis;
  const opened: SharedLimits[] = [];
  const open = async (settings: Partial<Parameters<typeof openSharedLimits>[0]> = {}) => {
    const limits = await openSharedLimits({ ratePerMinute: 3, redisUrl: REDIS_URL, keyPrefix: PREFIX, leaseMs: 60_000, ...settings });
    opened.push(limits);
    return limits;
  };
  before(async () => {
    admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`Redis is required for this test and is not reachable at ${REDIS_URL}: ${(error as Error).message}`);
    }
  });
  after(async () => {
    for (const limits of opened) await limits.close();
    const keys = await admin.keys(`${PREFIX}*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  it('counts one user\'s requests per minute across two gateway processes, with Retry-After', async () => {
    const a = await open();
    const b = await open();
    assert.equal(await a.rate('alice'), null);
    assert.equal(await b.rate('alice'), null);
    assert.equal(await a.rate('alice'), null);
    const refused = await b.rate('alice');
    assert.equal(refused?.status, 429);
    assert.equal(refused?.code, 'RATE_LIMITED');
    assert.ok(refused!.retryAfter! >= 1 && refused!.retryAfter! <= 60, String(refused?.retryAfter));
    assert.equal(await a.rate('bob'), null, 'another user has a count of their own');
    assert.equal(a.describe, 'redis 127.0.0.1:6379');
  });

  it('holds per-user concurrency across processes; a release frees a place; an abandoned lease lapses', async () => {
    const a = await open({ leaseMs: 300 });
    const b = await open({ leaseMs: 300 });
    const first = await a.users.acquire('carol', 2);
    const second = await b.users.acquire('carol', 2);
    assert.ok(first && second);
    assert.equal(await a.users.acquire('carol', 2), null, 'the third concurrent request of the user is refused, whichever process takes it');
    assert.ok(await b.users.acquire('dave', 2), 'another user is not affected');
    first!();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the release is sent without waiting for it
    const third = await b.users.acquire('carol', 2);
    assert.ok(third, 'a released place is free again');
    // `second` and `third` are never released (their gateway "died"): the leases lapse.
    assert.equal(await a.users.acquire('carol', 2), null);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(await a.users.acquire('carol', 2), 'leases of a gateway that died lapse after leaseMs');
  });

  it('falls back to counting in the process when Redis does not answer, and still limits', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await open({ redisUrl: `redis://127.0.0.1:${port}`, ratePerMinute: 2 });
    assert.equal(await down.rate('erin'), null);
    assert.equal(await down.rate('erin'), null);
    assert.equal((await down.rate('erin'))?.status, 429);
    const lease = await down.users.acquire('erin', 1);
    assert.ok(lease);
    assert.equal(await down.users.acquire('erin', 1), null);
  });

  it('without REDIS_URL counts in memory', async () => {
    const local = await openSharedLimits({ ratePerMinute: 1, keyPrefix: PREFIX, leaseMs: 1000 });
    assert.equal(local.describe, 'memory');
    assert.equal(await local.rate('frank'), null);
    assert.equal((await local.rate('frank'))?.status, 429);
  });
});
