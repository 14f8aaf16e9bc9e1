// Connection pools that survive their database: a restart, a killed backend or a silently
// dropped connection costs the statements in flight at that moment and nothing after.
//
// What the drivers do not do by themselves:
// - pg emits `error` on a pooled client whose socket breaks; with no listener Node ends the
//   process. pg-pool listens only while the client is idle, so a client checked out when its
//   backend is terminated (pg_terminate_backend, a server restart) would crash us. We listen
//   on the pool and on every client for good; the broken client is discarded at release.
// - mysql2's pool connection listens for its first `error` only (`once`); a second one
//   (a write to the closed socket) would be unhandled. We listen on every connection.
// - Neither driver times out a connect, a statement or a dead peer unless told: a blackholed
//   server would hold a pool forever. Connect timeout, statement timeout (server side, so the
//   server also stops working), idle timeout and TCP keep-alive are set here.
// A pool reconnects by itself (each checkout of a missing connection dials anew), so a
// database that comes back is used again at the next statement.
import { wholeSetting as whole } from './settings.ts';
import pg from 'pg';
import { createPool, type Pool as MysqlPool } from 'mysql2';
import { logger } from './log.ts';

/** Timeouts and sizes for a server pool (DATABASE_* settings; see subgraphs/shared/README.md). */
export interface PoolSettings {
  /** Most connections open at once. */
  max: number;
  /** Longest wait for a TCP connection and the database's handshake (ms). */
  connectTimeoutMs: number;
  /** Longest one statement may run on the server before it is cancelled (ms). */
  statementTimeoutMs: number;
  /** An idle connection is closed after this long (ms). */
  idleTimeoutMs: number;
  /** TCP keep-alive probes start after this much silence (ms), so a dead peer is noticed. */
  keepAliveMs: number;
}

/** Defaults, each overridable by its environment variable; a bad value names the setting. */
export function poolSettings(env: NodeJS.ProcessEnv = process.env): PoolSettings {
  return {
    max: whole(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    connectTimeoutMs: whole(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    statementTimeoutMs: whole(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
    idleTimeoutMs: whole(env, 'DATABASE_IDLE_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    keepAliveMs: whole(env, 'DATABASE_KEEPALIVE_MS', 10_000, 1000, 3_600_000),
  };
}

/** A pg pool with error listeners, timeouts and keep-alive; `label` names it in logs. */
export function hardenedPgPool(config: pg.PoolConfig, label: string, settings: PoolSettings = poolSettings()): pg.Pool {
  const pool = new pg.Pool({
    max: settings.max,
    ...config,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: settings.keepAliveMs,
    statement_timeout: settings.statementTimeoutMs,
    // A session stuck inside a transaction (a client that died mid-way) is ended by the server.
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
    // Client side too: a statement whose answer never arrives (a blackholed peer) fails here.
    query_timeout: settings.statementTimeoutMs + settings.connectTimeoutMs,
  });
  pool.on('error', (error) => logger.warn({ err: brief(error), pool: label }, 'idle database connection failed; it is replaced at the next checkout'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: brief(error), pool: label }, 'database connection failed; statements on it fail, the pool reconnects'));
  });
  return pool;
}

/** A mysql2 pool (MariaDB/MySQL) with error listeners, timeouts and keep-alive. */
export function hardenedMysqlPool(uri: string, label: string, settings: PoolSettings = poolSettings()): MysqlPool {
  const pool = createPool({
    uri,
    connectionLimit: settings.max,
    maxIdle: settings.max,
    idleTimeout: settings.idleTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: settings.keepAliveMs,
    dateStrings: true, decimalNumbers: true, supportBigNumbers: true, bigNumberStrings: false,
  });
  pool.on('connection', (connection) => {
    connection.on('error', (error) => logger.warn({ err: brief(error), pool: label }, 'database connection failed; statements on it fail, the pool reconnects'));
    // The connection's collation is the database's own: with mysql2's default
    // (utf8mb4_unicode_ci) over utf8mb4_bin columns, MariaDB 10.11 could not use the name
    // index's order for `NAM_LAST = ? ORDER BY NAM_LAST, NAM_FIRST, SID LIMIT 26` and sorted
    // every match (SMITH at 1 000 000 offenders: 12 700 rows, 18.5 ms; 2.7 ms without the
    // sort). Comparisons still use the columns' collation, as before.
    connection.query('SET SESSION collation_connection = @@collation_database', (error: Error | null) => {
      if (error) logger.warn({ err: error, pool: label }, 'could not set the connection collation to the database\'s');
    });
    // MariaDB's own statement limit, in seconds (MySQL would need max_execution_time: ignored
    // there with a warning in the log, the client-side bound below still applies).
    connection.query(`SET SESSION max_statement_time = ${(settings.statementTimeoutMs / 1000).toFixed(3)}`, (error: Error | null) => {
      if (error) logger.warn({ err: error, pool: label }, 'could not set max_statement_time on a connection');
    });
  });
  return pool;
}

/** Rejects with a message naming `what` when `work` has not settled within `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// Private: what a log line needs of a driver error (pg attaches the whole client to it).
function brief(error: Error & { code?: string }): { message: string; code?: string } {
  return { message: error.message, code: error.code };
}
