// The GraphQL operations the gateway is running, so a stop waits for them before it closes
// the audit store. Apollo's HTTP drain waits only for open connections: an operation whose
// client hung up keeps running (its subgraph calls are out), and once the store was closed
// its record could not be written (logged as "audit write failed"). Each record that
// reached an agency is written before the store closes, or the wait ends at the request
// budget and the log says how many were still running.
import type express from 'express';

export interface OperationTracker {
  /** `handler` (Apollo's express middleware), with each call counted until its promise settles. */
  handler: express.RequestHandler;
  /** Resolves when nothing runs, or after `maxMs`; with the number still running then. */
  settle(maxMs: number): Promise<number>;
}

export function trackOperations(handler: express.RequestHandler): OperationTracker {
  const running = new Set<Promise<unknown>>();
  return {
    handler: (req, res, next) => {
      const work: Promise<unknown> = Promise.resolve()
        .then(() => handler(req, res, next))
        .catch((error) => next(error))
        .finally(() => running.delete(work));
      running.add(work);
    },
    async settle(maxMs) {
      if (!running.size) return 0;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...running]), new Promise<void>((resolve) => { timer = setTimeout(resolve, maxMs); timer.unref(); })]);
      clearTimeout(timer);
      return running.size;
    },
  };
}
