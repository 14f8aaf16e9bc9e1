// Each user's share of the work running at once, weighed by query cost (gateway/limits/cost.ts).
//
// The door (admission.ts) counts requests: a user holds at most GATEWAY_USER_CONCURRENCY
// places, running or queued. A count treats a 25-result tracking search (cost ~84 000) like
// a profile (~2 300), so four heavy searches of one user took most of two cores from
// everyone else. Once the operation is resolved and its cost known, a request runs only if
// the cost of that user's requests already running plus its own is within
// GATEWAY_USER_COST_LIMIT; one request of a user always runs when none of theirs does, so
// any query within GATEWAY_MAX_COST can run. Otherwise it waits, in that user's own line
// (first come, first served, nothing but a timer), for their running requests to finish:
// at most GATEWAY_QUEUE_TIMEOUT_MS and never past the request's budget; then 429
// USER_CONCURRENCY_LIMIT (reason user-cost) with Retry-After. It keeps the place it took at
// the door while it waits, so a user's waiting requests never hold more than their count.
// Counted in this process (each gateway process weighs its own requests).
import type { Deadline } from './deadline.ts';

/** Why a request could not get its user's share in time. */
export interface ShareRefusal {
  held: number;
  limit: number;
  cost: number;
  waitedMs: number;
}

export interface UserCostShare {
  /**
   * Resolves with a release once `cost` fits the user's share (at once when it fits now),
   * or with a refusal after `waitMs` (capped by the deadline), or when `gone` aborts.
   */
  acquire(userId: string, cost: number, options?: { deadline?: Deadline; waitMs?: number; gone?: AbortSignal }): Promise<{ ok: true; release: () => void } | { ok: false; refusal: ShareRefusal }>;
  /** Cost running and requests waiting now, over every user (for /metrics and tests). */
  load(): { cost: number; waiting: number };
}

/** `limit` = 0 turns the share off (every request runs at once). */
export function userCostShare(limit: number): UserCostShare {
  type Waiter = { cost: number; go: () => void };
  const users = new Map<string, { cost: number; running: number; line: Waiter[] }>();
  let waiting = 0;
  const fits = (user: { cost: number; running: number }, cost: number) => user.running === 0 || user.cost + cost <= limit;

  const start = (userId: string, cost: number): (() => void) => {
    const user = users.get(userId)!;
    user.cost += cost;
    user.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      user.cost -= cost;
      user.running -= 1;
      // First come, first served within the user's line: the head goes when it fits.
      while (user.line.length && fits(user, user.line[0].cost)) user.line.shift()!.go();
      if (user.running === 0 && user.line.length === 0) users.delete(userId);
    };
  };

  return {
    load: () => ({ cost: [...users.values()].reduce((sum, user) => sum + user.cost, 0), waiting }),
    async acquire(userId, cost, options = {}) {
      if (limit === 0) return { ok: true, release: () => {} };
      let user = users.get(userId);
      if (!user) users.set(userId, (user = { cost: 0, running: 0, line: [] }));
      if (user.line.length === 0 && fits(user, cost)) return { ok: true, release: start(userId, cost) };
      const arrived = performance.now();
      const wait = Math.max(0, Math.min(options.waitMs ?? 0, options.deadline ? options.deadline.remaining() : Infinity));
      const owner = user;
      return new Promise((resolve) => {
        const waiter: Waiter = {
          cost,
          go: () => {
            settle();
            resolve({ ok: true, release: start(userId, cost) });
          },
        };
        const settle = () => {
          clearTimeout(timer);
          options.gone?.removeEventListener('abort', leave);
          waiting -= 1;
        };
        const leave = () => {
          const at = owner.line.indexOf(waiter);
          if (at >= 0) owner.line.splice(at, 1);
          settle();
          // The next in line may fit now that this one has left the head.
          while (owner.line.length && fits(owner, owner.line[0].cost)) owner.line.shift()!.go();
          if (owner.running === 0 && owner.line.length === 0) users.delete(userId);
          resolve({ ok: false, refusal: { held: owner.cost, limit, cost, waitedMs: performance.now() - arrived } });
        };
        const timer = setTimeout(leave, wait);
        waiting += 1;
        owner.line.push(waiter);
        if (options.gone?.aborted) leave();
        else options.gone?.addEventListener('abort', leave, { once: true });
      });
    },
  };
}
