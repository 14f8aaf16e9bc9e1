// One time budget per request, shared by every subgraph call its plan makes.
//
// Per-subgraph timeouts alone add up along a query plan (public-safety, then judicial and
// correction with the SIDs it returned, then tracking with what they returned): with every
// agency slow a full profile took the sum of the timeouts. The budget starts when the request
// arrives (so time spent in the gateway's own queue counts), and each subgraph call gets
// min(per-subgraph timeout, what is left). A call the budget cannot cover fails with
// DEADLINE_EXCEEDED, which says the gateway ran out of time, not that the agency failed.
import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';

/** The request's budget: when it started and how long it may take. */
export class Deadline {
  private readonly startedAt = performance.now();
  constructor(readonly budgetMs: number) {}
  /** Milliseconds left (negative when over). */
  remaining(): number {
    return this.budgetMs - (performance.now() - this.startedAt);
  }
  expired(): boolean {
    return this.remaining() <= 0;
  }
}

/** The call being made, visible to the fetcher underneath the data source. */
export interface SubgraphCall {
  subgraph: string;
  deadline?: Deadline;
}
const currentCall = new AsyncLocalStorage<SubgraphCall>();

/** Runs `work` (one subgraph call) with `call` visible to `callSignal`. */
export function withCall<T>(call: SubgraphCall, work: () => Promise<T>): Promise<T> {
  return currentCall.run(call, work);
}

/**
 * The abort signal for the fetch of the current call: the per-subgraph timeout or what is
 * left of the request's budget, whichever is shorter. Throws DEADLINE_EXCEEDED when nothing
 * is left. `byDeadline` says, after an abort, which of the two it was.
 */
export function callSignal(subgraphTimeoutMs: number): { signal: AbortSignal; byDeadline: boolean } {
  const call = currentCall.getStore();
  const left = call?.deadline ? call.deadline.remaining() : Infinity;
  if (call?.deadline && left <= 0) throw deadlineExceeded(call.subgraph, call.deadline);
  const byDeadline = left < subgraphTimeoutMs;
  return { signal: AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(left, subgraphTimeoutMs)))), byDeadline };
}

/** The error for a subgraph call the request's budget did not cover. */
export function deadlineExceeded(subgraph: string, deadline: Deadline): GraphQLError {
  return new GraphQLError(`request budget of ${deadline.budgetMs} ms ran out before ${subgraph} answered`, {
    extensions: { code: 'DEADLINE_EXCEEDED', serviceName: subgraph, budgetMs: deadline.budgetMs },
  });
}

/** True for the errors fetch raises when its signal aborts (timeout or abort). */
export function isAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
