// Limits shared by every gateway process: requests per user per minute and requests per
// user in flight. With REDIS_URL set they live in Redis, so N worker processes (or machines
// behind one load balancer) enforce one limit, not N; unset, each process counts in memory
// (gateway/limits/rate.ts, admission.ts).
//
// Each check is one Lua script, atomic on the Redis server, timed by the server's clock
// (TIME), so gateways with skewed clocks agree:
// - rate: a sliding one-minute log per user (sorted set of request times);
// - concurrency: a set of leases per user, each with an expiry, so the leases of a gateway
//   that died with requests in flight lapse by themselves after `leaseMs`.
// If Redis does not answer within `commandTimeoutMs`, the gateway falls back to its own
// in-memory count for that request (still limited, per process) and logs it: an outage of
// the limit store must not take the gateway down with it.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Refusal } from '../auth/verify.ts';
import { createRateLimiter } from './rate.ts';
import { localUserConcurrency, type UserConcurrency } from './admission.ts';
import { logger } from '../../subgraphs/shared/log.ts';

export interface SharedLimits {
  /** Requests per user per minute: a refusal (429), or null to go on. */
  rate(userId: string): Promise<Refusal | null>;
  /** Requests per user in flight. */
  users: UserConcurrency;
  /** "memory" or "redis <host:port>", for logs and /ready. */
  describe: string;
  close(): Promise<void>;
}

export interface SharedLimitSettings {
  ratePerMinute: number;
  redisUrl?: string;
  keyPrefix: string;
  /** How long a concurrency lease lives if its gateway never releases it (ms). */
  leaseMs: number;
  /** Longest wait for Redis before falling back to the in-memory count (ms). */
  commandTimeoutMs?: number;
}

const RATE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return -1`;

const LEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

type LimitRedis = Redis & {
  obtsRate(key: string, windowMs: number, limit: number, member: string): Promise<number>;
  obtsLease(key: string, leaseMs: number, limit: number, member: string): Promise<number>;
};

/**
 * Opens the configured limit store (Redis when `redisUrl` is set, else memory). Waits up to
 * the connect timeout for Redis; if it is not there, the gateway starts anyway, counting in
 * memory until Redis answers.
 */
export async function openSharedLimits(settings: SharedLimitSettings): Promise<SharedLimits> {
  const localRate = createRateLimiter(settings.ratePerMinute);
  const localUsers = localUserConcurrency();
  if (!settings.redisUrl) {
    return { rate: async (userId) => localRate(userId), users: localUsers, describe: 'memory', close: async () => {} };
  }
  const url = new URL(settings.redisUrl);
  const redis = new Redis(settings.redisUrl, {
    lazyConnect: false,
    enableOfflineQueue: false, // while disconnected, fail at once (and fall back) rather than queue
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: settings.commandTimeoutMs ?? 250,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 5000), // reconnect with backoff, forever
  }) as LimitRedis;
  redis.defineCommand('obtsRate', { numberOfKeys: 1, lua: RATE_SCRIPT });
  redis.defineCommand('obtsLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
  let lastWarning = 0;
  const fallback = (error: unknown) => {
    if (Date.now() - lastWarning > 10_000) {
      lastWarning = Date.now();
      logger.warn({ err: { message: (error as Error).message }, redis: url.host }, 'limit store (Redis) not answering; counting in this process until it is back');
    }
  };
  redis.on('error', fallback); // reconnects by itself; without a listener ioredis would log to stderr
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    describe: `redis ${url.host}`,
    async rate(userId) {
      if (settings.ratePerMinute === 0) return null;
      try {
        const waitMs = await redis.obtsRate(`${settings.keyPrefix}rate:${userId}`, 60_000, settings.ratePerMinute, randomUUID());
        if (waitMs < 0) return null;
        const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
        return { status: 429, code: 'RATE_LIMITED', reason: 'rate-limited', retryAfter, message: `More than ${settings.ratePerMinute} requests in one minute; retry after ${retryAfter} s` };
      } catch (error) {
        fallback(error);
        return localRate(userId);
      }
    },
    users: {
      async acquire(userId, limit) {
        const key = `${settings.keyPrefix}conc:${userId}`;
        const lease = randomUUID();
        try {
          if (!(await redis.obtsLease(key, settings.leaseMs, limit, lease))) return null;
        } catch (error) {
          fallback(error);
          return localUsers.acquire(userId, limit);
        }
        let released = false;
        return () => {
          if (released) return;
          released = true;
          redis.zrem(key, lease).catch(fallback); // if this fails, the lease lapses after leaseMs
        };
      },
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
