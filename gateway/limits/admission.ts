// Admission control: overload is refused fast, not queued forever (DESIGN.md, Reliability).
//
// Each authenticated /graphql request passes two gates before its body is read:
// 1. Per-user concurrency: a user with `userConcurrency` requests already admitted (queued
//    or running) waits at the door, in that user's own line of at most `userQueueLimit`,
//    for one of them to finish (at most `queueTimeoutMs`); beyond the line, or after the
//    wait, 429 USER_CONCURRENCY_LIMIT. One user's burst of heavy queries then holds a few
//    slots, never all of them, so other users are not starved; and a client that ignores
//    Retry-After and asks again at once costs a timer, not a refusal per retry. The count
//    lives in memory, or in Redis when several gateway processes share it
//    (gateway/limits/shared.ts).
// 2. Global in-flight limit: at most `maxInFlight` requests run at once; the next
//    `queueLimit` wait in line, each at most `queueTimeoutMs` (and never past its budget).
//    Beyond that: 503 GATEWAY_OVERLOADED with Retry-After, at once. A request admitted
//    after waiting runs with what is left of its budget (gateway/limits/deadline.ts).
// The line is first come, first served; with per-user limits no user holds more than
// `userConcurrency` places in it.
import type { Refusal } from '../auth/verify.ts';
import type { Deadline } from './deadline.ts';

/** Admission settings (GATEWAY_MAX_IN_FLIGHT, GATEWAY_QUEUE_LIMIT, GATEWAY_QUEUE_TIMEOUT_MS, GATEWAY_USER_CONCURRENCY, GATEWAY_USER_QUEUE_LIMIT). */
export interface AdmissionSettings {
  maxInFlight: number;
  queueLimit: number;
  queueTimeoutMs: number;
  /** Requests one user may have admitted at once (0: no per-user limit). */
  userConcurrency: number;
  /**
   * Requests of a user at that limit that wait at the door for one of theirs to finish
   * (at most `queueTimeoutMs`, never past the budget) instead of a 429 at once; 0: refuse at once.
   */
  userQueueLimit?: number;
}

/** Counts one user's admitted requests; `acquire` resolves with a release, or null when the user is at the limit. */
export interface UserConcurrency {
  acquire(userId: string, limit: number): Promise<(() => void) | null>;
}

/** The in-process counter (one gateway process). */
export function localUserConcurrency(): UserConcurrency {
  const counts = new Map<string, number>();
  return {
    async acquire(userId, limit) {
      const held = counts.get(userId) ?? 0;
      if (held >= limit) return null;
      counts.set(userId, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(userId) ?? 1) - 1;
        if (left > 0) counts.set(userId, left);
        else counts.delete(userId); // the map holds only users with requests in flight
      };
    },
  };
}

export type Admitted = { ok: true; release: () => void; queuedMs: number } | { ok: false; refusal: Refusal };

export interface Admission {
  /** `gone` aborts when the client goes away: a queued request then leaves the queue. */
  admit(userId: string, deadline?: Deadline, gone?: AbortSignal): Promise<Admitted>;
  /** Requests running and waiting now, and waiting at their user's door (for /metrics and tests). */
  load(): { inFlight: number; queued: number; userWaiting: number };
}

const RETRY_AFTER_S = 1;
/** How often a request waiting at its user's door looks for a place freed elsewhere (Redis). */
const DOOR_POLL_MS = 100;

export function createAdmission(settings: AdmissionSettings, users: UserConcurrency = localUserConcurrency()): Admission {
  let inFlight = 0;
  const line: Array<{ admit: () => void; timer: NodeJS.Timeout }> = [];

  const next = () => {
    const waiting = line.shift();
    if (!waiting) {
      inFlight -= 1;
      return;
    }
    clearTimeout(waiting.timer);
    waiting.admit(); // the slot passes on; inFlight stays the same
  };

  // Each user's own line at the door: requests waiting for one of that user's places. A
  // waiter is woken when one of the user's requests ends here, and looks again every
  // DOOR_POLL_MS (a place freed by another gateway process sharing the count in Redis).
  const doors = new Map<string, Array<() => void>>();
  const wake = (userId: string) => {
    const waiting = doors.get(userId);
    waiting?.[0]?.();
  };
  const userLimited = (waitedMs?: number): Admitted => ({
    ok: false,
    refusal: {
      status: 429, code: 'USER_CONCURRENCY_LIMIT', reason: 'user-concurrency', retryAfter: RETRY_AFTER_S,
      message: waitedMs === undefined
        ? `You already have ${settings.userConcurrency} requests in progress; wait for one to finish, then retry (after ${RETRY_AFTER_S} s)`
        : `You already have ${settings.userConcurrency} requests in progress; this one waited ${Math.round(waitedMs)} ms for one of them to finish. Wait for one to finish, then retry (after ${RETRY_AFTER_S} s)`,
    },
  });
  // Private: a place among the user's `userConcurrency`, waiting at the door if need be.
  const placeFor = async (userId: string, arrived: number, deadline?: Deadline, gone?: AbortSignal): Promise<{ release: () => void } | Admitted> => {
    const waiting = doors.get(userId);
    if (!waiting?.length) {
      const release = await users.acquire(userId, settings.userConcurrency);
      if (release) return { release };
    }
    const queueLimit = settings.userQueueLimit ?? 0;
    if ((doors.get(userId)?.length ?? 0) >= queueLimit) return userLimited();
    const until = arrived + Math.max(0, Math.min(settings.queueTimeoutMs, deadline ? deadline.remaining() : Infinity));
    let line = doors.get(userId);
    if (!line) doors.set(userId, (line = []));
    let wakeMe: () => void = () => {};
    const turn = () => wakeMe();
    line.push(turn);
    try {
      for (;;) {
        const left = until - performance.now();
        if (left <= 0 || gone?.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(left, DOOR_POLL_MS));
          function done() {
            clearTimeout(timer);
            gone?.removeEventListener('abort', done);
            resolve();
          }
          wakeMe = done;
          gone?.addEventListener('abort', done, { once: true });
        });
        if (gone?.aborted) break;
        if (line[0] !== turn) continue; // first come, first served within the user's line
        const release = await users.acquire(userId, settings.userConcurrency);
        if (release) return { release };
      }
    } finally {
      line.splice(line.indexOf(turn), 1);
      if (!line.length) doors.delete(userId);
      else line[0]();
    }
    if (gone?.aborted) return { ok: false, refusal: { status: 429, code: 'USER_CONCURRENCY_LIMIT', reason: 'client-gone', retryAfter: RETRY_AFTER_S, message: 'The client closed the connection while the request waited for one of its user\'s places; nothing was asked of any agency' } };
    return userLimited(performance.now() - arrived);
  };

  return {
    load: () => ({ inFlight, queued: line.length, userWaiting: [...doors.values()].reduce((sum, waiting) => sum + waiting.length, 0) }),
    async admit(userId, deadline, gone) {
      const arrived = performance.now();
      let releaseUser: (() => void) | null = () => {};
      if (settings.userConcurrency > 0) {
        const place = await placeFor(userId, arrived, deadline, gone);
        if ('ok' in place) return place;
        releaseUser = once(() => {
          place.release();
          wake(userId);
        });
      }
      const release = once(() => {
        releaseUser!();
        next();
      });
      if (inFlight < settings.maxInFlight) {
        inFlight += 1;
        return { ok: true, release, queuedMs: 0 };
      }
      if (line.length >= settings.queueLimit) {
        releaseUser();
        return { ok: false, refusal: overloaded(settings, 'queue-full') };
      }
      const wait = Math.max(0, Math.min(settings.queueTimeoutMs, deadline ? deadline.remaining() : Infinity));
      return new Promise<Admitted>((resolve) => {
        const leave = (refusal: Refusal) => {
          clearTimeout(entry.timer);
          gone?.removeEventListener('abort', onGone);
          const at = line.indexOf(entry);
          if (at >= 0) line.splice(at, 1);
          releaseUser!();
          resolve({ ok: false, refusal });
        };
        // A client that went away gives its place in the queue back at once.
        const onGone = () => leave({ ...overloaded(settings, 'queue-timeout'), reason: 'client-gone', message: 'The client closed the connection while the request waited for a slot; nothing was asked of any agency' });
        const entry = {
          admit: () => {
            gone?.removeEventListener('abort', onGone);
            resolve({ ok: true, release, queuedMs: performance.now() - arrived });
          },
          timer: setTimeout(() => leave(overloaded(settings, 'queue-timeout')), wait),
        };
        line.push(entry);
        if (gone?.aborted) onGone();
        else gone?.addEventListener('abort', onGone, { once: true });
      });
    },
  };
}

// Private: the gateway's own overload, said as such (the agencies are not at fault).
function overloaded(settings: AdmissionSettings, reason: 'queue-full' | 'queue-timeout'): Refusal {
  const why = reason === 'queue-full'
    ? `${settings.maxInFlight} requests are running and ${settings.queueLimit} waiting`
    : `this request waited ${settings.queueTimeoutMs} ms without a free slot`;
  return { status: 503, code: 'GATEWAY_OVERLOADED', reason, retryAfter: RETRY_AFTER_S, message: `The OBTS gateway is overloaded (${why}); no agency was asked. Retry after ${RETRY_AFTER_S} s` };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
