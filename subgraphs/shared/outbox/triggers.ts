// Change capture in the database itself: one AFTER trigger per (table, event) writes a row
// to obts_change_log in the same transaction as the change, so a change made by any
// application writing the agency's database (not only OBTS) is captured, and a change
// rolled back leaves no event (transactional outbox). The same declarative spec becomes
// PL/pgSQL on PostgreSQL and PGlite, and a MariaDB trigger body on MariaDB/MySQL.
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';
import type { ChangeKind } from './kinds.ts';

/** Writes SQL that names the changed row's columns and other tables in the engine's quoting. */
export interface RowSql {
  /** `NEW.col`: the row as written */
  row(column: string): string;
  /** `OLD.col` (update triggers only) */
  old(column: string): string;
  /** A table name, schema-qualified as given ('ccms.crim_case', 'CCH_ARREST'). */
  table(name: string): string;
  /** A plain column name (inside a sub-select). */
  col(column: string): string;
}

/** One captured change: which row event on which table means which kind of event. */
export interface ChangeTrigger {
  /** Unique within the store; becomes the trigger's name. */
  name: string;
  table: string;
  on: 'insert' | 'update';
  /** SQL condition on NEW/OLD; the event is written only when it holds. */
  when?: (r: RowSql) => string;
  system: string;
  kind: ChangeKind;
  key: (r: RowSql) => string;
  sid: (r: RowSql) => string;
  docket?: (r: RowSql) => string;
}

export const CHANGE_LOG = 'obts_change_log';

/** Column SQL quoted for the engine; `row` names the changed row (NEW, or a transition table's alias). */
export function rowSql(engine: Engine, row = 'NEW'): RowSql {
  const q = engine === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
  return {
    row: (column) => `${row}.${q(column)}`,
    old: (column) => `OLD.${q(column)}`,
    table: (name) => name.split('.').map(q).join('.'),
    col: q,
  };
}

/** Creates (or replaces) every trigger of the spec. */
export async function installTriggers(db: Kysely<any>, engine: Engine, triggers: ChangeTrigger[]): Promise<void> {
  const r = rowSql(engine);
  for (const trigger of triggers) {
    for (const statement of triggerDdl(engine, r, trigger)) await sql.raw(statement).execute(db);
  }
}

/** The DDL statements (one per string) that install one trigger. */
export function triggerDdl(engine: Engine, r: RowSql, t: ChangeTrigger): string[] {
  const name = `obts_chg_${t.name}`;
  const now = engine === 'mysql' ? 'UTC_TIMESTAMP(6)' : "(clock_timestamp() at time zone 'utc')";
  const insert = `INSERT INTO ${CHANGE_LOG} (chg_ts, src_sys, chg_kind, rec_key, sid_no, dkt_no) VALUES (${now}, '${t.system}', '${t.kind}', ${t.key(r)}, ${t.sid(r)}, ${t.docket ? t.docket(r) : 'NULL'})`;
  const when = t.when ? t.when(r) : 'TRUE';
  const event = t.on === 'insert' ? 'INSERT' : 'UPDATE';
  if (engine === 'mysql') {
    return [`CREATE OR REPLACE TRIGGER ${name} AFTER ${event} ON ${r.table(t.table)} FOR EACH ROW BEGIN IF ${when} THEN ${insert}; END IF; END`];
  }
  if (t.on === 'insert') {
    const rows = rowSql(engine, 'obts_row');
    // PostgreSQL: one statement-level trigger over the transition table, so a bulk insert
    // of N rows writes its N events in one INSERT … SELECT instead of N trigger calls.
    const select = `INSERT INTO ${CHANGE_LOG} (chg_ts, src_sys, chg_kind, rec_key, sid_no, dkt_no) SELECT ${now}, '${t.system}', '${t.kind}', ${t.key(rows)}, ${t.sid(rows)}, ${t.docket ? t.docket(rows) : 'NULL'} FROM obts_new AS obts_row WHERE ${t.when ? t.when(rows) : 'TRUE'}`;
    return [
      `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $obts$ BEGIN ${select}; RETURN NULL; END $obts$`,
      `DROP TRIGGER IF EXISTS ${name} ON ${r.table(t.table)}`,
      `CREATE TRIGGER ${name} AFTER INSERT ON ${r.table(t.table)} REFERENCING NEW TABLE AS obts_new FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
    ];
  }
  return [
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $obts$ BEGIN IF ${when} THEN ${insert}; END IF; RETURN NULL; END $obts$`,
    `DROP TRIGGER IF EXISTS ${name} ON ${r.table(t.table)}`,
    `CREATE TRIGGER ${name} AFTER ${event} ON ${r.table(t.table)} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ];
}

/** `a <> b`, true also when exactly one side is null (portable IS DISTINCT FROM). */
export function changed(a: string, b: string): string {
  return `((${a} IS NULL) <> (${b} IS NULL) OR ${a} <> ${b})`;
}
