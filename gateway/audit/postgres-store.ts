// The production audit store: one PostgreSQL row per record, committed before append()
// resolves. A transaction-scoped advisory lock serializes writers (several gateways, the
// audit CLI) so the hash chain never forks. Rows are append-only: a trigger refuses UPDATE
// and DELETE except the retention prune (CJIS AU-9, AU-11); grant the gateway's database
// role INSERT and SELECT only.
import pg from 'pg';
import { hardenedPgPool } from '../../subgraphs/shared/pools.ts';
import { chain, type AuditEntry, type AuditRecord } from './record.ts';
import type { AuditStore } from './store.ts';

const CHAIN_LOCK = 0x0b75a0d1; // any fixed number: the advisory lock the writers share

const SCHEMA = `
CREATE TABLE IF NOT EXISTS obts_audit (
  seq bigint PRIMARY KEY,
  recorded_at timestamptz NOT NULL,
  record jsonb NOT NULL,
  prev_hash char(64) NOT NULL,
  hash char(64) NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS obts_audit_sids ON obts_audit USING gin ((record -> 'sids'));
CREATE OR REPLACE FUNCTION obts_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Pruning removes only records past the one-year minimum retention (CJIS AU-11): no
  -- session, whatever it sets, can delete a record younger than that.
  IF TG_OP = 'DELETE' AND current_setting('obts.audit_prune', true) = 'on' AND OLD.recorded_at < now() - interval '365 days' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'obts_audit is append-only (CJIS AU-9); only records older than 365 days may be pruned';
END $$;
DROP TRIGGER IF EXISTS obts_audit_append_only ON obts_audit;
CREATE TRIGGER obts_audit_append_only BEFORE UPDATE OR DELETE ON obts_audit FOR EACH ROW EXECUTE FUNCTION obts_audit_append_only();
`;

export async function openPostgresAuditStore(url: string): Promise<AuditStore> {
  // Error listeners on the pool and every client, connect/statement timeouts, keep-alive
  // (subgraphs/shared/pools.ts): a dropped connection fails the appends on it, never the gateway.
  const pool = hardenedPgPool({ connectionString: url, max: 4 }, 'audit');
  const setup = await pool.connect();
  try {
    await setup.query('SELECT pg_advisory_lock($1)', [CHAIN_LOCK]);
    await setup.query(SCHEMA);
  } finally {
    await setup.query('SELECT pg_advisory_unlock($1)', [CHAIN_LOCK]).catch(() => {});
    setup.release();
  }
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    describe: `PostgreSQL ${new URL(url).host}${new URL(url).pathname} table obts_audit`,
    append: (entry: AuditEntry) => transaction(async (client) => {
      const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM obts_audit ORDER BY seq DESC LIMIT 1');
      const previous = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : null;
      const record = chain(entry, previous);
      await client.query('INSERT INTO obts_audit (seq, recorded_at, record, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)', [record.seq, record.time, JSON.stringify(record), record.prevHash, record.hash]);
      return record;
    }),
    readAll: async () => (await pool.query<{ record: AuditRecord }>('SELECT record FROM obts_audit ORDER BY seq')).rows.map((row) => row.record),
    prune: (before: Date) => transaction(async (client) => {
      await client.query("SELECT set_config('obts.audit_prune', 'on', true)");
      return (await client.query('DELETE FROM obts_audit WHERE recorded_at < $1', [before.toISOString()])).rowCount ?? 0;
    }),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
