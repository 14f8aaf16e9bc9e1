// Checkpoints in PostgreSQL (AUDIT_CHECKPOINT_DATABASE_URL: put it on another server, or
// at least another database whose owner is not the log's, so no one account can rewrite
// both). Append-only like the log: a trigger refuses UPDATE and DELETE outright.
import { isCheckpoint, signCheckpoint, type Checkpoint, type CheckpointKey, type CheckpointStore } from './checkpoint.ts';
import { hardenedPool, withClient } from './postgres-pool.ts';

const CHECKPOINT_LOCK = 0x0b75a0d2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS obts_audit_checkpoint (
  n bigint PRIMARY KEY,
  checkpoint jsonb NOT NULL
);
CREATE OR REPLACE FUNCTION obts_audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'obts_audit_checkpoint is append-only (CJIS AU-9)';
END $$;
DROP TRIGGER IF EXISTS obts_audit_checkpoint_append_only ON obts_audit_checkpoint;
CREATE TRIGGER obts_audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON obts_audit_checkpoint FOR EACH ROW EXECUTE FUNCTION obts_audit_checkpoint_append_only();
`;

export async function openPostgresCheckpointStore(url: string, key: CheckpointKey | null): Promise<CheckpointStore> {
  const pool = hardenedPool(url, 2);
  await withClient(pool, async (setup) => {
    try {
      await setup.query('SELECT pg_advisory_lock($1)', [CHECKPOINT_LOCK]);
      await setup.query(SCHEMA);
    } finally {
      await setup.query('SELECT pg_advisory_unlock($1)', [CHECKPOINT_LOCK]).catch(() => {});
    }
  });
  return {
    describe: `PostgreSQL ${new URL(url).host}${new URL(url).pathname} table obts_audit_checkpoint`,
    append: (fields) => withClient(pool, async (client) => {
      if (!key) throw new Error('no checkpoint key: this process can read checkpoints but not sign them');
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
        const last = (await client.query<{ checkpoint: Checkpoint }>('SELECT checkpoint FROM obts_audit_checkpoint ORDER BY n DESC LIMIT 1')).rows[0]?.checkpoint;
        const checkpoint = signCheckpoint(key, fields, isCheckpoint(last) ? last : null);
        await client.query('INSERT INTO obts_audit_checkpoint (n, checkpoint) VALUES ($1, $2)', [checkpoint.n, JSON.stringify(checkpoint)]);
        await client.query('COMMIT');
        return checkpoint;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }),
    readAll: async () => (await pool.query<{ checkpoint: Checkpoint }>('SELECT checkpoint FROM obts_audit_checkpoint ORDER BY n')).rows.map((row) => row.checkpoint),
    close: () => pool.end(),
  };
}
