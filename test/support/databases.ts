// Real database servers for tests. PostgreSQL and MariaDB must be up (CI starts them;
// see .ci/run): a test that needs one fails when it is missing, it never skips.
// TEST_POSTGRES_URL / TEST_MYSQL_URL point at a server's admin database.
import pg from 'pg';
import mysql from 'mysql2/promise';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

/**
 * A tag unique to this test run, part of every database name, so two runs against one
 * server (two developers, a CI run beside a session) never drop each other's databases.
 */
// Kept on globalThis: mocha loads the root hook (test/support/network-guard.ts) through
// another module loader than the test files, so this module can be evaluated twice in one
// run; both copies must share one tag and one list, or the hook drops nothing.
const shared = globalThis as typeof globalThis & { obtsTestDatabases?: { tag: string; created: { engine: 'postgres' | 'mysql'; database: string }[] } };
shared.obtsTestDatabases ??= { tag: `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`, created: [] };

export const RUN_TAG = shared.obtsTestDatabases.tag;

/** Databases this run created, dropped by dropRunDatabases() when the run ends. */
const created = shared.obtsTestDatabases.created;

function databaseName(name: string): string {
  return `obts_test_${RUN_TAG}_${name.replace(/[^a-z0-9_]/gi, '_')}`.toLowerCase().slice(0, 63);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Drops and creates PostgreSQL database `name` (prefixed obts_test_<run>_); returns its URL. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  const database = databaseName(name);
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for this test and is not reachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}. Start it (see .ci/run).`);
  }
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
    created.push({ engine: 'postgres', database });
  } finally {
    await client.end();
  }
  return withDatabase(POSTGRES_ADMIN_URL, database);
}

/** Drops and creates MariaDB database `name` (prefixed obts_test_<run>_); returns its URL. */
export async function freshMysqlDatabase(name: string): Promise<string> {
  const database = databaseName(name);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  } catch (error) {
    throw new Error(`MariaDB is required for this test and is not reachable at ${MYSQL_ADMIN_URL}: ${(error as Error).message}. Start it (see .ci/run).`);
  }
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${database}`);
    await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    created.push({ engine: 'mysql', database });
  } finally {
    await connection.end();
  }
  return withDatabase(MYSQL_ADMIN_URL, database);
}

/**
 * Drops every database this run created (the root hook calls it after the last test).
 * PostgreSQL's FORCE ends connections a test left open; a server that went away is
 * not an error here (its test already failed).
 */
export async function dropRunDatabases(): Promise<void> {
  const postgres = created.filter((entry) => entry.engine === 'postgres');
  const mysqlDatabases = created.filter((entry) => entry.engine === 'mysql');
  created.length = 0;
  if (postgres.length) {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    try {
      await client.connect();
      for (const { database } of postgres) await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch { /* server gone: nothing to drop */ } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (mysqlDatabases.length) {
    try {
      const connection = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      try {
        for (const { database } of mysqlDatabases) await connection.query(`DROP DATABASE IF EXISTS ${database}`);
      } finally {
        await connection.end();
      }
    } catch { /* server gone: nothing to drop */ }
  }
}
