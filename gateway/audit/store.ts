// Where audit records go. Both stores write durably before `append` resolves (CJIS AU-9:
// the record exists before the answer does) and keep the hash chain across processes
// (the gateway and `npm run audit` append to the same log).
import type { AuditEntry, AuditRecord } from './record.ts';

export interface AuditStore {
  /** Chains, writes and durably commits one record; rejects when it could not. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Every record in stored order. */
  readAll(): Promise<AuditRecord[]>;
  /** Removes records older than `before` (retention, AU-11); returns how many. */
  prune(before: Date): Promise<number>;
  /** Answers when the store can be written to (readiness: gateway/health/ready.ts); optional. */
  ping?(): Promise<void>;
  /** Where it writes, for messages (no credentials). */
  describe: string;
  close(): Promise<void>;
}

/** Audit settings: AUDIT_DATABASE_URL (PostgreSQL) or AUDIT_LOG_FILE, AUDIT_RETENTION_DAYS. */
export interface AuditSettings {
  databaseUrl?: string;
  file: string;
  /** At least 365 (CJIS AU-11: keep audit records at least one year). */
  retentionDays: number;
}

/** Opens the configured store. */
export async function openAuditStore(settings: AuditSettings): Promise<AuditStore> {
  if (settings.databaseUrl) {
    const { openPostgresAuditStore } = await import('./postgres-store.ts');
    return openPostgresAuditStore(settings.databaseUrl);
  }
  const { openFileAuditStore } = await import('./file-store.ts');
  return openFileAuditStore(settings.file);
}
