// The query-plan cache (gateway/plan-cache.ts): sized by GATEWAY_PLAN_CACHE_MIB, its
// lookups counted by result, its entries and limit shown on the metrics registry.
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createPlanCache, planCacheMiB } from '../gateway/plan-cache.ts';

describe('gateway query-plan cache', () => {
  it('counts misses and hits, shows its entries and limit, and forgets what does not fit', async () => {
    const registry = new Registry();
    const cache = createPlanCache(registry, 1);
    assert.equal(await cache.get('q1'), undefined);
    await cache.set('q1', { kind: 'QueryPlan', node: { serviceName: 'judicial' } });
    assert.deepEqual(await cache.get('q1'), { kind: 'QueryPlan', node: { serviceName: 'judicial' } });
    await cache.get('q1');
    const text = await registry.metrics();
    assert.match(text, /obts_query_plan_cache_lookups_total\{result="miss"\} 1\n/);
    assert.match(text, /obts_query_plan_cache_lookups_total\{result="hit"\} 2\n/);
    assert.match(text, /obts_query_plan_cache_entries 1\n/);
    assert.match(text, /obts_query_plan_cache_max_bytes 1048576\n/);
    // Plans of ~0.4 MiB each: a 1 MiB cache keeps the newest two.
    const big = (n: number) => ({ n, pad: 'x'.repeat(400_000) });
    for (const n of [1, 2, 3, 4]) await cache.set(`big${n}`, big(n));
    assert.deepEqual([await cache.get('big1'), (await cache.get('big4'))?.n], [undefined, 4]);
    cache.clear();
    assert.equal(await cache.get('big4'), undefined);
  });

  it('reads GATEWAY_PLAN_CACHE_MIB, 30 when unset, and says what is expected otherwise', () => {
    assert.equal(planCacheMiB({}), 30);
    assert.equal(planCacheMiB({ GATEWAY_PLAN_CACHE_MIB: '64' }), 64);
    assert.throws(() => planCacheMiB({ GATEWAY_PLAN_CACHE_MIB: 'lots' }), /GATEWAY_PLAN_CACHE_MIB "lots" is not valid; expected a number of MiB from 1 to 4096/);
  });
});
