// Single use of gateway tokens: a subgraph remembers every token id (jti) it accepted for
// as long as that token could still verify, and refuses it a second time. The ids sit in a
// Set and, in arrival order, in a queue whose deadlines never decrease (each is the arrival
// time plus one fixed retention), so forgetting the old ones only ever looks at the front
// of the queue: a check costs the same with 100 or 100 000 recent tokens (O(1) amortised),
// where a scan of every remembered id grew with throughput.

export class ReplayGuard {
  private readonly ids = new Set<string>();
  private readonly deadlines: number[] = [];
  private readonly queued: string[] = [];
  private head = 0;
  private lastDeadline = 0;

  /** @param retentionMs how long an accepted id is remembered: at least as long as its token verifies. */
  constructor(private readonly retentionMs: number) {}

  /** True the first time `id` is offered within the retention; false for a replay. */
  firstUse(id: string, now = Date.now()): boolean {
    this.forgetBefore(now);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // Never earlier than the previous deadline (the clock may step back): the queue stays ordered.
    this.lastDeadline = Math.max(now + this.retentionMs, this.lastDeadline);
    this.deadlines.push(this.lastDeadline);
    this.queued.push(id);
    return true;
  }

  /** How many ids are remembered (for tests and metrics). */
  get size(): number {
    return this.ids.size;
  }

  private forgetBefore(now: number): void {
    while (this.head < this.deadlines.length && this.deadlines[this.head] <= now) {
      this.ids.delete(this.queued[this.head]);
      this.head += 1;
    }
    // Drop the forgotten front once it is half the arrays: each entry is moved at most once more.
    if (this.head > 1024 && this.head * 2 > this.deadlines.length) {
      this.deadlines.splice(0, this.head);
      this.queued.splice(0, this.head);
      this.head = 0;
    }
  }
}
