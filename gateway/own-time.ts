// The gateway's own time per request, as the gateway itself sees it: from the request's
// first middleware to the last byte of the answer handed to the socket, minus the time
// during which at least one of its subgraph calls was open (calls in parallel count once).
// /metrics shows it as a histogram (obts_gateway_own_seconds), so "how much does the
// gateway add?" is answered without a client's or a proxy's clock (npm run bench reads it).

import type { NextFunction, Request, Response } from 'express';

/** The subgraph calls of one request: each call's start and end (performance.now()). */
export class CallIntervals {
  private readonly intervals: [number, number][] = [];
  readonly arrivedAt = performance.now();
  add(start: number, end: number): void {
    this.intervals.push([start, end]);
  }
  /** Milliseconds during which at least one call was open. */
  covered(): number {
    if (!this.intervals.length) return 0;
    const sorted = [...this.intervals].sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [from, to] = sorted[0];
    for (const [start, end] of sorted.slice(1)) {
      if (start > to) {
        total += to - from;
        [from, to] = [start, end];
      } else if (end > to) to = end;
    }
    return total + (to - from);
  }
  /** Milliseconds from arrival to `now` spent outside subgraph calls. */
  own(now = performance.now()): number {
    return Math.max(0, now - this.arrivedAt - this.covered());
  }
}

/** obts_gateway_own_seconds as a Prometheus scrape shows it: requests counted and seconds summed. */
export function readOwnTime(metricsText: string): { count: number; sum: number } {
  const value = (suffix: string) => Number(new RegExp(`^obts_gateway_own_seconds_${suffix} (\\S+)$`, 'm').exec(metricsText)?.[1] ?? NaN);
  return { count: value('count'), sum: value('sum') };
}

/** Where ownTime() leaves a request's intervals for the context that hands them to its calls. */
export type OwnTimeLocals = { calls?: CallIntervals };

/**
 * Express middleware: a request's CallIntervals in `res.locals.calls`, and its own time
 * (milliseconds) given to `observe` once the answer has been handed to the socket (a refused
 * request counts too: its time is all the gateway's).
 */
export const ownTime = (observe: (ms: number) => void) => (_req: Request, res: Response, next: NextFunction): void => {
  const calls = new CallIntervals();
  (res.locals as OwnTimeLocals).calls = calls;
  res.once('finish', () => observe(calls.own()));
  next();
};
