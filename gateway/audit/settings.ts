// The checkpoint settings (gateway/SECURITY.md, "Audit"): the Ed25519 key is kept in the
// keys folder, apart from the log, and its public half is what verify trusts.
import { wholeSetting as bounded } from '../../subgraphs/shared/settings.ts';
import path from 'node:path';
import { dataDir } from '../../schema/subgraphs.ts';
import type { AuditSettings } from './store.ts';

export function auditCheckpointSettings(env: NodeJS.ProcessEnv): Omit<AuditSettings, 'file' | 'databaseUrl' | 'retentionDays'> {
  return {
    checkpointKeyFile: env.AUDIT_CHECKPOINT_KEY_FILE || path.join(dataDir(env), 'keys', 'audit-checkpoint.pem'),
    checkpointPublicKeyFile: env.AUDIT_CHECKPOINT_PUBLIC_KEY || undefined,
    checkpointFile: env.AUDIT_CHECKPOINT_FILE || undefined,
    checkpointDatabaseUrl: env.AUDIT_CHECKPOINT_DATABASE_URL || undefined,
    checkpointEvery: bounded(env, 'AUDIT_CHECKPOINT_EVERY', 100, 1, 1_000_000),
    checkpointSeconds: bounded(env, 'AUDIT_CHECKPOINT_SECONDS', 60, 1, 60),
    refusalsPerMinute: bounded(env, 'AUDIT_REFUSALS_PER_MINUTE', 20, 0, 1_000_000),
  };
}
