// Where audit records go. Both stores write durably before `append` resolves (CJIS AU-9:
// the record exists before the answer does), by group commit (group-commit.ts), and keep
// one hash chain across processes (gateway workers and `npm run audit` append to the same
// log). Signed checkpoints (checkpoint.ts) anchor the chain in a second store.
import path from 'node:path';
import type { AuditEntry, AuditRecord } from './record.ts';
import type { Checkpoint, CheckpointStore } from './checkpoint.ts';
import type { CommitStats } from './group-commit.ts';

/** What retention removes, and on whose word (signed into the checkpoint store). */
export interface PruneRequest {
  before: Date;
  retentionDays: number;
  reason: string;
  user: string;
}

/** Everything verify reads: records, a torn tail not yet set aside, side files, checkpoints. */
export interface AuditInspection {
  records: AuditRecord[];
  tornTail: { bytes: number } | null;
  sideFiles: string[];
  checkpoints: Checkpoint[];
}

/** Where a reader of the log left off (readSince); callers keep it and hand it back as it is. */
export interface AuditCursor {
  /** The last record read (0: none), and its hash: the next record read must chain to it. */
  seq: number;
  hash?: string;
  /** The file store's place: the log's inode and the byte after the last record read. */
  file?: { ino: number; offset: number };
}

export interface AuditStore {
  /** Chains, writes and durably commits one record; rejects when it could not. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Every record in stored order. */
  readAll(): Promise<AuditRecord[]>;
  /**
   * The records stored after `cursor` (every record without one), in stored order, and the
   * cursor to read on from: a reader that keeps an index (the notifications' recipients)
   * reads only what was appended since. What follows the cursor must chain to its record;
   * when it does not (a log rewritten by retention, recreated, or a torn tail) the log is read
   * from its start, and only what follows the cursor's record is returned, or everything
   * when that record is gone: a reader may see a record twice, never miss one.
   */
  readSince(cursor?: AuditCursor): Promise<{ records: AuditRecord[]; cursor: AuditCursor }>;
  inspect(): Promise<AuditInspection>;
  /** Removes the records older than `before` (a prefix of the chain), after signing what and why (AU-11). */
  prune(request: PruneRequest): Promise<number>;
  /** The checkpoint store, when this store signs checkpoints. */
  checkpoints: CheckpointStore | null;
  /** Records written and syncs done by this process. */
  stats(): CommitStats;
  /** Answers when the store can be written to (readiness: gateway/health/ready.ts); optional. */
  ping?(): Promise<void>;
  /** Where it writes, for messages (no credentials). */
  describe: string;
  close(): Promise<void>;
}

/**
 * Audit settings: AUDIT_DATABASE_URL (PostgreSQL) or AUDIT_LOG_FILE, AUDIT_RETENTION_DAYS,
 * and the checkpoints: AUDIT_CHECKPOINT_KEY_FILE (Ed25519, kept apart from the log),
 * AUDIT_CHECKPOINT_PUBLIC_KEY (what verify trusts), AUDIT_CHECKPOINT_FILE or
 * AUDIT_CHECKPOINT_DATABASE_URL (where they go), AUDIT_CHECKPOINT_EVERY / _SECONDS.
 */
export interface AuditSettings {
  databaseUrl?: string;
  file: string;
  /** At least 365 (CJIS AU-11: keep audit records at least one year). */
  retentionDays: number;
  checkpointKeyFile?: string;
  checkpointPublicKeyFile?: string;
  checkpointFile?: string;
  checkpointDatabaseUrl?: string;
  checkpointEvery?: number;
  checkpointSeconds?: number;
  /** Token-less refusals per address and minute recorded one by one before they are summarised (refusal.ts). */
  refusalsPerMinute?: number;
}

/** The checkpoint file used when none is configured: beside the log, a file of its own. */
export function defaultCheckpointFile(logFile: string): string {
  return path.join(path.dirname(logFile), `${path.basename(logFile).replace(/\.jsonl$/, '')}.checkpoints.jsonl`);
}

/** Opens the configured store, with its checkpoints when a key file is set. */
export async function openAuditStore(settings: AuditSettings): Promise<AuditStore> {
  const { openCheckpointPolicy } = await import('./checkpoint-open.ts');
  const checkpoints = await openCheckpointPolicy(settings);
  if (settings.databaseUrl) {
    const { openPostgresAuditStore } = await import('./postgres-store.ts');
    return openPostgresAuditStore(settings.databaseUrl, { checkpoints });
  }
  const { openFileAuditStore } = await import('./file-store.ts');
  return openFileAuditStore(settings.file, { checkpoints });
}
