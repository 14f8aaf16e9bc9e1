// One way to open an agency's store, whatever engine it lives on.
//
// Every store speaks SQL through Kysely, so the same store module runs on the agency's
// real server (PostgreSQL or MariaDB, from a `*_DATABASE_URL`) or on PGlite, the embedded
// engine used when no URL is set. The connection is wrapped so every statement that
// reaches the driver is counted: tests and the benchmark read those counts to prove that
// the number of statements per GraphQL request does not grow with the rows returned.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import {
  Kysely,
  MysqlDialect,
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { hardenedMysqlPool, hardenedPgPool } from './pools.ts';

/** The engines a store can run on. */
export type Engine = 'postgres' | 'mysql' | 'pglite';

/** How to reach a store: a server URL, or an embedded PGlite folder (`memory` for none). */
export interface StoreLocation {
  url?: string;
  pgliteDir?: string;
}

/** Counts of statements sent to the driver, overall and for the current scope. */
export class StatementCounter {
  total = 0;
  /** The SQL of the most recent statements (kept short), for debugging a count. */
  recent: string[] = [];
  count(sql: string): void {
    this.total += 1;
    this.recent.push(sql);
    if (this.recent.length > 50) this.recent.shift();
    const scoped = requestScope.getStore();
    if (scoped) scoped.statements += 1;
  }
}

/** Per-request tally: `countStatements(() => work())` says how many statements `work` ran. */
export interface StatementScope {
  statements: number;
}
const requestScope = new AsyncLocalStorage<StatementScope>();

/** Runs `fn` and returns its result with the number of SQL statements it sent. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const scope: StatementScope = { statements: 0 };
  const result = await requestScope.run(scope, fn);
  return { result, statements: scope.statements };
}

/** An open store: the query builder, the engine it runs on and its statement counter. */
export interface Database<DB> {
  db: Kysely<DB>;
  engine: Engine;
  counter: StatementCounter;
  /** Where it lives, without credentials (for logs). */
  describe: string;
  close(): Promise<void>;
}

/** Opens a store: `url` wins; otherwise PGlite in `pgliteDir` (or in memory). */
export async function openDatabase<DB>(location: StoreLocation): Promise<Database<DB>> {
  const counter = new StatementCounter();
  const { dialect, engine, describe } = await pickDialect(location);
  const db = new Kysely<DB>({ dialect: new CountingDialect(dialect, counter) });
  return { db, engine, counter, describe, close: () => db.destroy() };
}

/** The engine a URL names, or an error that says which URLs are understood. */
export function engineOf(url: string): Engine {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`database URL "${redactUrl(url)}" is not understood; expected postgres://… or mysql://…`);
}

/** A URL with its password replaced, safe for logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

// Date and timestamp columns come back as text on every engine, so a store maps them
// the same way whether it runs on PostgreSQL, PGlite or MariaDB.
const PG_DATE = 1082;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const asText = (value: string) => value;
const asNumber = (value: string) => Number(value);

async function pickDialect(location: StoreLocation): Promise<{ dialect: Dialect; engine: Engine; describe: string }> {
  if (location.url) {
    const engine = engineOf(location.url);
    if (engine === 'postgres') {
      const parsers: Record<number, (v: string) => unknown> = {
        [PG_DATE]: asText,
        [PG_TIMESTAMP]: asText,
        [PG_TIMESTAMPTZ]: asText,
        [PG_INT8]: asNumber,
        [PG_NUMERIC]: asNumber,
      };
      // Error listeners, timeouts and keep-alive: subgraphs/shared/pools.ts.
      const pool = hardenedPgPool({
        connectionString: location.url,
        // Dates and timestamps come back as text in ISO form whatever the server's DateStyle
        // (an agency server set to SQL or German style would break every parser of them).
        options: '-c DateStyle=ISO,MDY',
        types: { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
      }, redactUrl(location.url));
      return { dialect: new PostgresDialect({ pool }), engine, describe: redactUrl(location.url) };
    }
    const pool = hardenedMysqlPool(location.url.replace(/^mariadb:/, 'mysql:'), redactUrl(location.url));
    return { dialect: new MysqlDialect({ pool }), engine, describe: redactUrl(location.url) };
  }
  const dir = location.pgliteDir && location.pgliteDir !== 'memory' ? location.pgliteDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const parsers = { [PG_DATE]: asText, [PG_TIMESTAMP]: asText, [PG_TIMESTAMPTZ]: asText, [PG_INT8]: asNumber, [PG_NUMERIC]: asNumber };
  const pglite = dir ? await PGlite.create({ dataDir: dir, parsers }) : await memoryPglite(parsers);
  return { dialect: new PGliteDialect(pglite), engine: 'pglite', describe: dir ? `pglite:${dir}` : 'pglite:memory' };
}

// Private: an in-memory PGlite. The first one in a process runs initdb (1.5–2.5 s); its
// untouched data folder is kept as a tarball, and every later in-memory store starts from a
// copy of it (0.35 s): the same empty cluster, without initdb. Only in-memory stores (tests,
// the benchmark's embedded engine) take this path; a folder on disk opens as it is.
let pristineCluster: Promise<Blob> | undefined;
async function memoryPglite(parsers: PGliteOptions['parsers']): Promise<PGlite> {
  if (pristineCluster) {
    const template = await pristineCluster.catch(() => undefined);
    if (template) return PGlite.create({ loadDataDir: template, parsers });
  }
  const pglite = await PGlite.create({ parsers });
  pristineCluster ??= pglite.dumpDataDir('none').then((dump) => dump as Blob);
  await pristineCluster.catch(() => undefined);
  return pglite;
}

// Private: a dialect that hands out counting connections and is otherwise the one it wraps.
class CountingDialect implements Dialect {
  constructor(private readonly inner: Dialect, private readonly counter: StatementCounter) {}
  createAdapter() { return this.inner.createAdapter(); }
  createQueryCompiler() { return this.inner.createQueryCompiler(); }
  createIntrospector(db: Kysely<any>) { return this.inner.createIntrospector(db); }
  createDriver(): Driver { return new CountingDriver(this.inner.createDriver(), this.counter); }
}

// Private: counts each statement as the connection executes it, i.e. at the driver.
// Kysely hands the connection we return back to the driver for transactions and release,
// so each counting connection remembers the driver's own connection underneath it.
const ORIGINAL = Symbol('original connection');
type CountingConnection = DatabaseConnection & { [ORIGINAL]: DatabaseConnection };

class CountingDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, CountingConnection>();
  constructor(private readonly inner: Driver, private readonly counter: StatementCounter) {}
  init() { return this.inner.init(); }
  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let counting = this.wrapped.get(connection);
    if (!counting) {
      const counter = this.counter;
      counting = {
        [ORIGINAL]: connection,
        executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
          counter.count(query.sql);
          return connection.executeQuery<R>(query);
        },
        streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
          counter.count(query.sql);
          return connection.streamQuery<R>(query, chunkSize);
        },
      };
      this.wrapped.set(connection, counting);
    }
    return counting;
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(unwrap(connection), settings);
  }
  commitTransaction(connection: DatabaseConnection) { return this.inner.commitTransaction(unwrap(connection)); }
  rollbackTransaction(connection: DatabaseConnection) { return this.inner.rollbackTransaction(unwrap(connection)); }
  releaseConnection(connection: DatabaseConnection) { return this.inner.releaseConnection(unwrap(connection)); }
  destroy() { return this.inner.destroy(); }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return (connection as Partial<CountingConnection>)[ORIGINAL] ?? connection;
}
