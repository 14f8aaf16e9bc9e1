// Settings of admission control, the per-request budget, bulkheads and the shared limit
// store (gateway/limits/README.md says what each does and how to size it).
import type { AdmissionSettings } from './admission.ts';
import type { BulkheadSettings } from './bulkhead.ts';
import type { TokenCacheSettings } from '../auth/verify.ts';

export interface OverloadSettings {
  admission: AdmissionSettings;
  /** Estimated query cost one user may have running at once (0: no share; gateway/limits/user-cost.ts). */
  userCostLimit: number;
  /** Bearer tokens whose signature was verified recently, kept so a request re-sending one skips the check (gateway/auth/verify.ts). */
  tokenCache: TokenCacheSettings;
  /** Whole-request time budget shared by all its subgraph calls (ms). */
  requestTimeoutMs: number;
  /** Per-subgraph concurrency limit and waiting line. */
  bulkhead: BulkheadSettings;
  /** Redis holding rate limits and per-user concurrency for every gateway process; unset: in memory. */
  redisUrl?: string;
  /** Prefix of every Redis key this gateway writes (several deployments can share a server). */
  redisKeyPrefix: string;
}

/** The per-user defaults (benchmarks that turn them off by default ask for these to measure production). */
export const PER_USER_DEFAULTS = { userConcurrency: 4, userQueueLimit: 4, userCostLimit: 100_000 } as const;

export function overloadSettings(env: NodeJS.ProcessEnv, integer: (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) => number): OverloadSettings {
  return {
    admission: {
      maxInFlight: integer(env, 'GATEWAY_MAX_IN_FLIGHT', 32, 1, 100_000),
      queueLimit: integer(env, 'GATEWAY_QUEUE_LIMIT', 64, 0, 1_000_000),
      queueTimeoutMs: integer(env, 'GATEWAY_QUEUE_TIMEOUT_MS', 1000, 0, 600_000),
      userConcurrency: integer(env, 'GATEWAY_USER_CONCURRENCY', PER_USER_DEFAULTS.userConcurrency, 0, 100_000),
      // A user at that limit waits at the door (a timer, no work) rather than being refused
      // at once and asking again at once.
      userQueueLimit: integer(env, 'GATEWAY_USER_QUEUE_LIMIT', PER_USER_DEFAULTS.userQueueLimit, 0, 100_000),
    },
    // One most expensive query (GATEWAY_MAX_COST's default) at a time, or many light ones.
    userCostLimit: integer(env, 'GATEWAY_USER_COST_LIMIT', PER_USER_DEFAULTS.userCostLimit, 0, 1_000_000_000),
    tokenCache: {
      size: integer(env, 'GATEWAY_TOKEN_CACHE_SIZE', 10_000, 0, 1_000_000),
      ttlMs: integer(env, 'GATEWAY_TOKEN_CACHE_MS', 60_000, 1000, 3_600_000),
    },
    requestTimeoutMs: integer(env, 'GATEWAY_REQUEST_TIMEOUT_MS', 15_000, 1, 600_000),
    bulkhead: {
      concurrency: integer(env, 'GATEWAY_SUBGRAPH_CONCURRENCY', 24, 1, 100_000),
      queue: integer(env, 'GATEWAY_SUBGRAPH_QUEUE_LIMIT', 256, 0, 1_000_000),
    },
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'obts:',
  };
}
