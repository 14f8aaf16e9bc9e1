// A PostgreSQL pool for the audit (issue 11): a dropped connection never crashes the
// gateway (error listeners on the pool and on every checked-out client), and nothing waits
// for ever (connect, statement and idle-in-transaction timeouts, TCP keep-alive).
import pg from 'pg';
import { logger } from '../../subgraphs/shared/log.ts';

export function hardenedPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url, max, connectionTimeoutMillis: 5000, keepAlive: true,
    statement_timeout: 10_000, idle_in_transaction_session_timeout: 15_000, idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'audit database connection lost (idle); the next write reconnects'));
  return pool;
}

/** Runs `work` on a checked-out client whose errors reject the work instead of crashing the process. */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.off('error', onError);
    client.release(failed ?? undefined);
  }
}
