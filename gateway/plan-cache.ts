// The query-plan cache, sized by a setting and counted on /metrics. Planning a federated
// query costs milliseconds of CPU; a cached plan costs a lookup. Apollo's gateway keeps
// plans in an LRU of ~30 MiB by default, out of sight; this is the same LRU
// (@apollo/utils.keyvaluecache, what @apollo/gateway uses) handed in through
// queryPlannerConfig.cache, with hits, misses and its size exported, so an operator can
// see whether the workload's distinct operations fit (a hit rate well under 1 at steady
// load means GATEWAY_PLAN_CACHE_MIB is too small, or clients send ever-new query texts).
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { Counter, Gauge, type Registry } from 'prom-client';
import { coalescePlan } from './plan-coalesce.ts';

/** GATEWAY_PLAN_CACHE_MIB: approximate MiB of query plans kept (default 30, as Apollo's). */
export function planCacheMiB(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.GATEWAY_PLAN_CACHE_MIB?.trim();
  if (!value) return 30;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 4096) throw new Error(`GATEWAY_PLAN_CACHE_MIB "${value}" is not valid; expected a number of MiB from 1 to 4096, e.g. 30`);
  return n;
}

/** A plan cache of about `mib` MiB whose lookups are counted in `registry`; plans coalesced on the way in. */
export function createPlanCache(registry: Registry, mib: number): KeyValueCache<any> & { clear(): void } {
  const lru = new InMemoryLRUCache<any>({ maxSize: mib * 2 ** 20, sizeCalculation: (value) => approximateSize(value) });
  const lookups = new Counter({ name: 'obts_query_plan_cache_lookups_total', help: 'Query-plan cache lookups by result (hit: planned before; miss: planned now)', labelNames: ['result'], registers: [registry] });
  new Gauge({
    name: 'obts_query_plan_cache_entries', help: 'Query plans held in the cache', registers: [registry],
    collect() { this.set(lru.keys().length); },
  });
  new Gauge({ name: 'obts_query_plan_cache_max_bytes', help: 'Approximate size the plan cache may grow to (GATEWAY_PLAN_CACHE_MIB)', registers: [registry] }).set(mib * 2 ** 20);
  return {
    async get(key) {
      const plan = await lru.get(key);
      lookups.inc({ result: plan === undefined ? 'miss' : 'hit' });
      return plan;
    },
    // A plan is rewritten as it comes in (gateway/plan-coalesce.ts), in place: the gateway
    // runs the object it has just stored, so the first request gets the rewritten plan too.
    set: (key, value, options) => lru.set(key, coalescePlan(value), options),
    delete: (key) => lru.delete(key),
    // The gateway empties it when the supergraph changes (plans of the old schema).
    clear: () => lru.clear(),
  };
}

// Private: bytes a plan takes, roughly (its JSON length, as Apollo's own estimate does).
function approximateSize(value: unknown): number {
  return Math.max(1, JSON.stringify(value)?.length ?? 1);
}
