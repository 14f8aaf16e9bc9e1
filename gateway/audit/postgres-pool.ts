// A PostgreSQL pool for the audit (issue 11): a dropped connection never crashes the
// gateway (error listeners on the pool and on every checked-out client), and nothing waits
// for ever (connect, statement and idle-in-transaction timeouts, TCP keep-alive).
import pg from 'pg';
import { hardenedPgPool, poolSettings } from '../../subgraphs/shared/pools.ts';

/**
 * The agencies' hardened pool (subgraphs/shared/pools.ts: error listeners on the pool and
 * every client, connect/statement/idle timeouts from the DATABASE_* settings, keep-alive),
 * with the audit's own size.
 */
export function hardenedPool(url: string, max: number): pg.Pool {
  return hardenedPgPool({ connectionString: url }, 'audit', { ...poolSettings(), max });
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
