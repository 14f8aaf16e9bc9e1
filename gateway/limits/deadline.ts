// One time budget per request, shared by every subgraph call its plan makes.
//
// Per-subgraph timeouts alone add up along a query plan (public-safety, then judicial and
// correction with the SIDs it returned, then tracking with what they returned): with every
// agency slow a full profile took the sum of the timeouts. The budget starts when the request
// arrives (so time spent in the gateway's own queue counts), and each subgraph call gets
// min(per-subgraph timeout, what is left). A call the budget cannot cover fails with
// DEADLINE_EXCEEDED, which says the gateway ran out of time, not that the agency failed.
// The data source reads the budget from the request's context (gateway/subgraph-source.ts).
import { GraphQLError } from 'graphql';

/** The request's budget: when it started and how long it may take. */
export class Deadline {
  private readonly startedAt = performance.now();
  /** When the request arrived (epoch ms): the audit's `receivedAt`. */
  readonly startedEpochMs = Date.now();
  constructor(readonly budgetMs: number) {}
  /** Milliseconds left (negative when over). */
  remaining(): number {
    return this.budgetMs - (performance.now() - this.startedAt);
  }
  expired(): boolean {
    return this.remaining() <= 0;
  }
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
