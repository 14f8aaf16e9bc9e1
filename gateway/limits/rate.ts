// Requests per user per minute (a sliding one-minute window per user id). Over the limit
// the request is refused with 429 and a Retry-After header, before its body is read.
// In-process: each gateway instance counts its own requests.
import type { Refusal } from '../auth/verify.ts';

export type RateLimiter = (userId: string, now?: number) => Refusal | null;

/** `perMinute` = 0 turns the limit off. */
export function createRateLimiter(perMinute: number): RateLimiter {
  const recent = new Map<string, number[]>(); // user → request times (ms) in the last minute
  let lastSweep = 0;
  return (userId, now = Date.now()) => {
    if (perMinute === 0) return null;
    if (now - lastSweep > 60_000) {
      // Forget users idle for a minute, so the map does not grow without bound.
      for (const [user, times] of recent) if (times[times.length - 1] <= now - 60_000) recent.delete(user);
      lastSweep = now;
    }
    const times = (recent.get(userId) ?? []).filter((time) => time > now - 60_000);
    if (times.length >= perMinute) {
      recent.set(userId, times);
      const retryAfter = Math.max(1, Math.ceil((times[0] + 60_000 - now) / 1000));
      return { status: 429, code: 'RATE_LIMITED', reason: 'rate-limited', retryAfter, message: `More than ${perMinute} requests in one minute; retry after ${retryAfter} s` };
    }
    times.push(now);
    recent.set(userId, times);
    return null;
  };
}
