// Requests per user per minute: a sliding window per user, off at 0.
import assert from 'node:assert/strict';
import { createRateLimiter } from '../rate.ts';

describe('gateway/limits rate', () => {
  it('lets each user make N requests in any minute, then says when to retry', () => {
    const limit = createRateLimiter(3);
    const t0 = 1_000_000;
    const got = [0, 10_000, 20_000, 30_000].map((offset) => limit('a', t0 + offset)?.reason ?? 'ok');
    assert.deepEqual(got, ['ok', 'ok', 'ok', 'rate-limited']);
    assert.equal(limit('a', t0 + 30_000)?.retryAfter, 30);
    assert.equal(limit('b', t0 + 30_000), null, 'another user has their own window');
    assert.equal(limit('a', t0 + 60_001), null, 'the first request left the window');
  });

  it('is off at 0', () => {
    const limit = createRateLimiter(0);
    for (let n = 0; n < 1000; n += 1) assert.equal(limit('a'), null);
  });
});
