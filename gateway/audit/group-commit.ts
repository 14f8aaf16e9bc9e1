// Group commit, shared by both stores (issue 12: one fsyncSync per request on the event
// loop capped throughput at one over the time of one append). Records wait in memory; one
// flush at a time takes the cross-process lock, chains everything waiting after the head,
// writes it in one go and makes it durable (one O_DSYNC write, or one COMMIT), then
// resolves every waiting append. Records that arrive while a flush is in flight ride the
// next one, so under load one sync covers many records, and none is acknowledged before
// it is durable (CJIS AU-9: the record exists before the answer does).
import type { AuditEntry, AuditRecord } from './record.ts';
import type { CheckpointKind, CheckpointStore, PruneStatement } from './checkpoint.ts';
import { logger } from '../../subgraphs/shared/log.ts';

/** Figures for the bench and /metrics: how many records each sync covered. */
export interface CommitStats {
  records: number;
  flushes: number;
  checkpoints: number;
}

/** When writers sign checkpoints: every `every` records, and `intervalMs` after a record with none since. */
export interface CheckpointPolicy {
  store: CheckpointStore;
  every: number;
  intervalMs: number;
}

/** What a store does inside one flush, holding its lock: returns the records it made durable. */
export type FlushWork = (entries: AuditEntry[]) => Promise<{ records: AuditRecord[]; head: { seq: number; hash: string } | null }>;

const MAX_BATCH = 2000;

export interface GroupCommitter {
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Runs a flush now (re-reading the head, setting a torn tail aside) and, given a kind, signs a checkpoint of the head. */
  checkpoint(kind: CheckpointKind | null, prune?: PruneStatement): Promise<void>;
  stats(): CommitStats;
  close(): Promise<void>;
}

/**
 * `withLock(work)` runs `work` holding the store's cross-process lock (and, for the file
 * store, after re-reading the head when another process wrote). `flush` chains and stores.
 */
export function groupCommitter(
  withLock: <T>(work: () => Promise<T>) => Promise<T>,
  flush: FlushWork,
  policy: CheckpointPolicy | null,
): GroupCommitter {
  type Waiting = { entry: AuditEntry; resolve: (record: AuditRecord) => void; reject: (error: unknown) => void };
  type CheckpointRequest = { kind: CheckpointKind | null; prune?: PruneStatement; resolve: () => void; reject: (error: unknown) => void };
  const waiting: Waiting[] = [];
  const requests: CheckpointRequest[] = [];
  const stats: CommitStats = { records: 0, flushes: 0, checkpoints: 0 };
  let sinceCheckpoint = 0;
  let oldestUnanchored = 0;
  let running: Promise<void> | null = null;
  let closed = false;

  const kick = () => {
    running ??= drain().finally(() => {
      running = null;
      if (waiting.length || requests.length) kick();
    });
    return running;
  };

  async function drain(): Promise<void> {
    while (waiting.length || requests.length) {
      const batch = waiting.splice(0, MAX_BATCH);
      const asked = requests.splice(0);
      try {
        await withLock(async () => {
          const { records, head } = await flush(batch.map((item) => item.entry));
          if (records.length) {
            stats.flushes += 1;
            stats.records += records.length;
            if (sinceCheckpoint === 0) oldestUnanchored = Date.now();
            sinceCheckpoint += records.length;
          }
          // Durable: answer now; the checkpoint below does not delay anyone's response.
          const mine = records.slice(records.length - batch.length);
          batch.forEach((item, index) => item.resolve(mine[index]));
          asked.filter((request) => request.kind === null).forEach((request) => request.resolve());
          const signing = asked.filter((request) => request.kind !== null);
          if (!policy) return signing.forEach((request) => request.reject(new Error('this audit store has no checkpoint store configured')));
          const due = sinceCheckpoint >= policy.every || (sinceCheckpoint > 0 && Date.now() - oldestUnanchored >= policy.intervalMs);
          const kinds = signing.length ? signing : due ? [{ kind: 'periodic' as const, resolve: () => {}, reject: () => {} }] : [];
          for (const request of kinds) {
            try {
              await policy.store.append({ kind: request.kind!, seq: head?.seq ?? 0, hash: head?.hash ?? '0'.repeat(64), ...(request.prune ? { prune: request.prune } : {}) });
              stats.checkpoints += 1;
              sinceCheckpoint = 0;
              request.resolve();
            } catch (error) {
              // The records are durable; a missing checkpoint shows in verify. Say so loudly.
              logger.error({ err: error, store: policy.store.describe }, 'audit checkpoint could not be written');
              request.reject(error);
            }
          }
        });
      } catch (error) {
        batch.forEach((item) => item.reject(error));
        asked.forEach((request) => request.reject(error));
      }
    }
  }

  // Every minute's records get a checkpoint even when no more arrive (timer does not hold the process open).
  const timer = policy ? setInterval(() => {
    if (sinceCheckpoint > 0 && Date.now() - oldestUnanchored >= policy.intervalMs) void kickCheckpoint('periodic').catch(() => {});
  }, Math.max(50, Math.min(policy.intervalMs / 4, 15_000))) : null;
  timer?.unref();

  function kickCheckpoint(kind: CheckpointKind | null, prune?: PruneStatement): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      requests.push({ kind, prune, resolve, reject });
      void kick();
    });
  }

  return {
    append(entry) {
      if (closed) return Promise.reject(new Error('the audit store is closed'));
      return new Promise<AuditRecord>((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        void kick();
      });
    },
    checkpoint: kickCheckpoint,
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      while (running) await running;
    },
  };
}
