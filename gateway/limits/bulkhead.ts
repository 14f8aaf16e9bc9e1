// Bulkheads: at most N calls in flight to each subgraph at once. A slow agency then holds
// only its own N slots; calls to the other agencies (and the gateway's event loop and
// sockets) stay free. A call waits for a slot in a bounded line, at most until its request's
// budget runs out; beyond that it fails at once with GATEWAY_OVERLOADED naming the subgraph,
// which says the gateway held the call back, not that the agency failed.
import { GraphQLError } from 'graphql';
import type { Deadline } from './deadline.ts';
import { deadlineExceeded } from './deadline.ts';

/** Per-subgraph limits: calls in flight, and calls waiting for a slot. */
export interface BulkheadSettings {
  concurrency: number;
  queue: number;
}

/** A counting semaphore with a bounded, deadline-limited waiting line. */
export class Bulkhead {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void; timer?: NodeJS.Timeout }> = [];
  constructor(private readonly subgraph: string, private readonly settings: BulkheadSettings) {}

  /** Calls in flight and waiting (for metrics and tests). */
  load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** Waits for a slot; resolves with its release. Rejects when the line is full or the budget runs out. */
  acquire(deadline?: Deadline): Promise<() => void> {
    if (this.active < this.settings.concurrency) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.settings.queue) return Promise.reject(this.overloaded());
    return new Promise((resolve, reject) => {
      const entry: { grant: () => void; timer?: NodeJS.Timeout } = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve(this.releaser());
        },
      };
      if (deadline) {
        entry.timer = setTimeout(() => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(deadlineExceeded(this.subgraph, deadline));
        }, Math.max(0, deadline.remaining()));
      }
      this.waiting.push(entry);
    });
  }

  // Private: hands the slot to the next in line, or frees it. Idempotent.
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(); // the slot passes on; `active` stays the same
      else this.active -= 1;
    };
  }

  private overloaded(): GraphQLError {
    return new GraphQLError(`gateway limit of ${this.settings.concurrency} concurrent calls to ${this.subgraph} reached`, {
      extensions: { code: 'GATEWAY_OVERLOADED', serviceName: this.subgraph, limit: this.settings.concurrency },
    });
  }
}

/** One bulkhead per subgraph name, made on first use. */
export function bulkheads(settings: BulkheadSettings): (subgraph: string) => Bulkhead {
  const byName = new Map<string, Bulkhead>();
  return (subgraph) => {
    let bulkhead = byName.get(subgraph);
    if (!bulkhead) byName.set(subgraph, (bulkhead = new Bulkhead(subgraph, settings)));
    return bulkhead;
  };
}
