// Real database servers for tests. PostgreSQL and MariaDB must be up (CI starts them;
// see .ci/run): a test that needs one fails when it is missing, it never skips.
// TEST_POSTGRES_URL / TEST_MYSQL_URL point at a server's admin database.
import pg from 'pg';
import mysql from 'mysql2/promise';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Drops and creates PostgreSQL database `name` (prefixed obts_test_); returns its URL. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  const database = `obts_test_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for this test and is not reachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}. Start it (see .ci/run).`);
  }
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  return withDatabase(POSTGRES_ADMIN_URL, database);
}

/** Drops and creates MariaDB database `name` (prefixed obts_test_); returns its URL. */
export async function freshMysqlDatabase(name: string): Promise<string> {
  const database = `obts_test_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  } catch (error) {
    throw new Error(`MariaDB is required for this test and is not reachable at ${MYSQL_ADMIN_URL}: ${(error as Error).message}. Start it (see .ci/run).`);
  }
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${database}`);
    await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
  return withDatabase(MYSQL_ADMIN_URL, database);
}
