// The change log every agency store carries beside its legacy tables (OBTS's own tables,
// named obts_*, never the agency's): the outbox its triggers fill, and the bookkeeping of
// consumers that apply other agencies' events to this store (cursor and the (feed,
// sequence) pairs already applied, so a redelivered event has no second effect).
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db.ts';
import { CHANGE_LOG, installTriggers, type ChangeTrigger } from './triggers.ts';
import { createFeedCursorTable } from '../events/cursor.ts';

/** Columns of obts_change_log (identifiers only). */
export interface ChangeLogTable {
  chg_seq: number;
  chg_ts: string;
  src_sys: string;
  chg_kind: string;
  rec_key: string;
  sid_no: string | null;
  dkt_no: string | null;
}

/** An event of another agency this store has applied, recorded in the same transaction. */
export interface AppliedChangeTable {
  consumer: string;
  feed: string;
  chg_seq: number;
  applied_ts: string;
  /** What the consumer did, e.g. "erased 2 rows of docket H12M-CR19-0123456-S". */
  effect: string;
}

/** Where a consumer reading a feed over GraphQL has got to. */
export interface FeedCursorTable {
  consumer: string;
  feed: string;
  last_seq: number;
}

export interface OutboxTables {
  obts_change_log: ChangeLogTable;
  obts_applied_change: AppliedChangeTable;
  obts_feed_cursor: FeedCursorTable;
}

/** Creates the outbox tables if missing and (re)installs the store's triggers. */
export async function migrateOutbox(db: Kysely<any>, engine: Engine, triggers: ChangeTrigger[]): Promise<void> {
  const s = (db as Kysely<OutboxTables>).schema;
  const stamp = engine === 'mysql' ? sql`datetime(6)` : sql`timestamp(6)`;
  let log = s.createTable(CHANGE_LOG).ifNotExists();
  log = engine === 'mysql'
    ? log.addColumn('chg_seq', 'bigint', (c) => c.autoIncrement().primaryKey())
    : log.addColumn('chg_seq', 'bigserial', (c) => c.primaryKey());
  await log
    .addColumn('chg_ts', stamp, (c) => c.notNull())
    .addColumn('src_sys', 'varchar(12)', (c) => c.notNull())
    .addColumn('chg_kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('rec_key', 'varchar(48)', (c) => c.notNull())
    .addColumn('sid_no', 'char(9)')
    .addColumn('dkt_no', 'varchar(20)')
    .execute();
  await s.createTable('obts_applied_change').ifNotExists()
    .addColumn('consumer', 'varchar(40)', (c) => c.notNull())
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('chg_seq', 'bigint', (c) => c.notNull())
    .addColumn('applied_ts', stamp, (c) => c.notNull())
    .addColumn('effect', 'varchar(200)', (c) => c.notNull())
    .addPrimaryKeyConstraint('obts_applied_change_pk', ['consumer', 'feed', 'chg_seq'])
    .execute();
  await createFeedCursorTable(db);
  await installTriggers(db, engine, triggers);
}
