// The production audit store: one PostgreSQL row per record, written by group commit
// (group-commit.ts): every record waiting when a flush starts goes into one multi-row
// INSERT and one COMMIT, and no append resolves before its COMMIT. A transaction-scoped
// advisory lock serializes writers (several gateway workers or hosts, the audit CLI) so the
// hash chain never forks; the head lives in memory and is re-read only when another writer
// got there first (the INSERT meets its seq). Rows are append-only: a trigger refuses
// UPDATE and DELETE except the retention prune (CJIS AU-9, AU-11); grant the gateway's
// database role INSERT and SELECT only.
import pg from 'pg';
import { chain, type AuditEntry, type AuditRecord } from './record.ts';
import type { AuditInspection, AuditStore, PruneRequest } from './store.ts';
import { groupCommitter, type CheckpointPolicy } from './group-commit.ts';
import { hardenedPool, withClient } from './postgres-pool.ts';

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

const INSERT = `INSERT INTO obts_audit (seq, recorded_at, record, prev_hash, hash)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::jsonb[], $4::char(64)[], $5::char(64)[])`;

export interface PostgresStoreOptions {
  checkpoints?: CheckpointPolicy;
}

export async function openPostgresAuditStore(url: string, options: PostgresStoreOptions = {}): Promise<AuditStore> {
  const pool = hardenedPool(url, 4);
  await withClient(pool, async (setup) => {
    try {
      await setup.query('SELECT pg_advisory_lock($1)', [CHAIN_LOCK]);
      await setup.query(SCHEMA);
    } finally {
      await setup.query('SELECT pg_advisory_unlock($1)', [CHAIN_LOCK]).catch(() => {});
    }
  });
  let head: { seq: number; hash: string } | null | undefined; // undefined: not read yet
  const readHead = async (client: pg.PoolClient) => {
    const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM obts_audit ORDER BY seq DESC LIMIT 1');
    return last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : null;
  };
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });

  // One flush = one transaction; the committer serializes flushes within this process.
  const committer = groupCommitter((work) => work(), async (entries) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const written = await transaction(async (client) => {
          let next = head === undefined ? await readHead(client) : head;
          const records = entries.map((entry) => (next = chain(entry, next)));
          if (records.length) {
            await client.query(INSERT, [records.map((r) => r.seq), records.map((r) => r.time), records.map((r) => JSON.stringify(r)), records.map((r) => r.prevHash), records.map((r) => r.hash)]);
          }
          return { records, head: next };
        });
        head = written.head; // committed: this is the head now
        return written;
      } catch (error) {
        head = undefined; // another writer moved the head (or the write failed): re-read it
        if ((error as { code?: string }).code !== '23505' || attempt > 3) throw error;
      }
    }
  }, options.checkpoints ?? null);
  await committer.checkpoint(options.checkpoints ? 'start' : null);

  const readAll = async () => (await pool.query<{ record: AuditRecord }>('SELECT record FROM obts_audit ORDER BY seq')).rows.map((row) => row.record);
  return {
    describe: `PostgreSQL ${new URL(url).host}${new URL(url).pathname} table obts_audit`,
    append: (entry: AuditEntry) => committer.append(entry),
    readAll,
    async readSince(cursor) {
      // The cursor's record still there with its hash, or pruned away below the oldest kept:
      // read on after it. Otherwise (the table recreated, seq started again): everything.
      let after = cursor?.seq ?? 0;
      if (cursor && after > 0) {
        const { rows: [place] } = await pool.query<{ hash: string | null; oldest: string | null }>('SELECT (SELECT hash FROM obts_audit WHERE seq = $1) AS hash, (SELECT min(seq) FROM obts_audit) AS oldest', [after]);
        const pruned = place.hash === null && place.oldest !== null && Number(place.oldest) > after;
        if (place.hash !== null ? place.hash !== cursor.hash : !pruned) after = 0;
      }
      const records = (await pool.query<{ record: AuditRecord }>('SELECT record FROM obts_audit WHERE seq > $1 ORDER BY seq', [after])).rows.map((row) => row.record);
      const last = records.at(-1);
      return { records, cursor: last ? { seq: last.seq, hash: last.hash } : after === 0 ? { seq: 0 } : { seq: cursor!.seq, hash: cursor!.hash } };
    },
    async inspect(): Promise<AuditInspection> {
      return { records: await readAll(), tornTail: null, sideFiles: [], checkpoints: options.checkpoints ? await options.checkpoints.store.readAll() : [] };
    },
    prune: ({ before, retentionDays, reason, user }: PruneRequest) => {
      const policy = options.checkpoints;
      if (!policy) throw new Error('retention prunes only with a signed record of what it removed; configure the checkpoint key and store (AUDIT_CHECKPOINT_KEY_FILE)');
      return transaction(async (client) => {
        // A prefix only: everything from the first record inside the retention period stays.
        const range = await client.query<{ from_seq: string | null; to_seq: string | null; last_hash: string | null; count: string }>(`
          WITH kept AS (SELECT coalesce(min(seq), (SELECT max(seq) + 1 FROM obts_audit)) AS first FROM obts_audit WHERE recorded_at >= $1)
          SELECT min(seq) AS from_seq, max(seq) AS to_seq, (array_agg(hash ORDER BY seq DESC))[1] AS last_hash, count(*) AS count
          FROM obts_audit WHERE seq < (SELECT first FROM kept)`, [before.toISOString()]);
        const row = range.rows[0];
        if (!row || row.to_seq === null) return 0;
        const current = await readHead(client);
        await policy.store.append({
          kind: 'prune', seq: current?.seq ?? 0, hash: current?.hash ?? '0'.repeat(64),
          prune: { before: before.toISOString(), retentionDays, fromSeq: Number(row.from_seq), toSeq: Number(row.to_seq), lastHash: row.last_hash!, count: Number(row.count), reason, user },
        });
        await client.query("SELECT set_config('obts.audit_prune', 'on', true)");
        return (await client.query('DELETE FROM obts_audit WHERE seq <= $1', [row.to_seq])).rowCount ?? 0;
      });
    },
    checkpoints: options.checkpoints?.store ?? null,
    // Readiness (gateway/health/ready.ts): the audit database answers within the pool's timeouts.
    ping: async () => { await pool.query('SELECT 1'); },
    stats: () => committer.stats(),
    close: async () => {
      if (options.checkpoints) await committer.checkpoint('close').catch(() => {});
      await committer.close();
      await options.checkpoints?.store.close();
      await pool.end();
    },
  };
}
