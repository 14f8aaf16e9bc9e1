// Opens the checkpoint store the settings name: a PostgreSQL table (AUDIT_CHECKPOINT_DATABASE_URL,
// or beside the PostgreSQL log), else a file (AUDIT_CHECKPOINT_FILE, or beside the file log).
import { existsSync } from 'node:fs';
import { loadCheckpointKey, publicKeyFile } from './checkpoint.ts';
import type { CheckpointPolicy } from './group-commit.ts';
import { defaultCheckpointFile, type AuditSettings } from './store.ts';

export async function openCheckpointPolicy(settings: AuditSettings, { sign = true } = {}): Promise<CheckpointPolicy | undefined> {
  if (!settings.checkpointKeyFile) return undefined;
  // A reader without the private key (an auditor's machine) still reads and checks checkpoints.
  const key = sign || existsSync(settings.checkpointKeyFile) ? loadCheckpointKey(settings.checkpointKeyFile) : null;
  const databaseUrl = settings.checkpointDatabaseUrl ?? (settings.checkpointFile ? undefined : settings.databaseUrl);
  const store = databaseUrl
    ? await (await import('./checkpoint-postgres.ts')).openPostgresCheckpointStore(databaseUrl, key)
    : await (await import('./checkpoint-file.ts')).openFileCheckpointStore(settings.checkpointFile ?? defaultCheckpointFile(settings.file), key);
  return { store, every: settings.checkpointEvery ?? 100, intervalMs: (settings.checkpointSeconds ?? 60) * 1000 };
}

/** The public key verify trusts: AUDIT_CHECKPOINT_PUBLIC_KEY, else the one written beside the key. */
export function trustedKeyFile(settings: AuditSettings): string | undefined {
  return settings.checkpointPublicKeyFile ?? (settings.checkpointKeyFile ? publicKeyFile(settings.checkpointKeyFile) : undefined);
}
