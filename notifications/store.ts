// The notifications service's own small store (PostgreSQL via NOTIFICATIONS_DATABASE_URL,
// embedded PGlite by default): subscriptions, deliveries and their audit, erasure notices,
// and which agency events were already taken in. Never offender data: identifiers (SID,
// docket, record key) and kinds only, as the agencies' feeds carry them.
import { sql, type Generated, type Kysely } from 'kysely';
import { openDatabase, type Database, type StoreLocation } from '../subgraphs/shared/db.ts';
import type { StoreHandle } from '../subgraphs/shared/module.ts';
import { createFeedCursorTable } from '../subgraphs/shared/events/cursor.ts';

export interface SubscriptionTable {
  id: string;
  user_id: string;
  ori: string;
  /** JSON list: the subscriber's permissions as the gateway vouched for them (renewed on each call). */
  permissions: string;
  certified_until: string;
  target_sid: string | null;
  target_court: string | null;
  target_warrants: string;
  erasure_notices: string;
  /** JSON list of kinds; [] means every kind. */
  kinds: string;
  channel: 'WEBHOOK' | 'SSE';
  webhook_url: string | null;
  /** HMAC-SHA256 key of the webhook signature (shown to the subscriber once). */
  webhook_secret: string | null;
  /** SHA-256 of the stream token (the token itself is shown once). */
  stream_token_hash: string | null;
  created_ts: string;
  active: string;
  /**
   * JSON object feed → the sequence this service had taken in from that feed when the
   * subscription was made: it is told of later events only. Null for subscriptions made
   * before the column existed (then its creation time decides).
   */
  from_seq: string | null;
}

export type DeliveryState = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface DeliveryTable {
  id: Generated<number>;
  subscription_id: string;
  /** `<feed>:<sequence>:<subscription>`: the receiver's idempotency key. */
  idem_key: string;
  feed: string;
  chg_seq: number;
  kind: string;
  system: string;
  rec_key: string;
  sid: string | null;
  evt_ts: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  delivered_ts: string | null;
}

export interface DeliveryAuditTable {
  id: Generated<number>;
  delivery_id: number;
  user_id: string;
  ori: string;
  channel: string;
  outcome: string;
  detail: string | null;
  at_ts: string;
}

export interface ErasureNoticeTable {
  id: Generated<number>;
  ori: string;
  docket: string;
  feed: string;
  chg_seq: number;
  created_ts: string;
}

/**
 * An erasure whose recipients are looked up again once every view that could have read the
 * record before it was erased has its audit record (erasure.ts): an answer's record is
 * written as it leaves, so a view under way at the erasure is recorded up to a request's
 * budget later, after the notice was first looked up.
 */
export interface ErasureRecheckTable {
  feed: string;
  chg_seq: number;
  sid: string;
  docket: string;
  system: string;
  evt_ts: string;
  /** Epoch ms: views that arrived up to this time are the erasure's recipients (its time plus NOTIFY_ERASURE_CLOCK_MS). */
  cutoff_ms: number;
  /** Epoch ms: look again at or after this. */
  due_ms: number;
  /** Failed lookups so far (the row stays until one succeeds). */
  attempts: number;
  last_error: string | null;
}

export interface NotificationsDb {
  ntf_subscription: SubscriptionTable;
  ntf_delivery: DeliveryTable;
  ntf_delivery_audit: DeliveryAuditTable;
  ntf_erasure_notice: ErasureNoticeTable;
  ntf_erasure_recheck: ErasureRecheckTable;
  ntf_applied: { feed: string; chg_seq: number };
  obts_feed_cursor: { consumer: string; feed: string; last_seq: number };
}

export interface NotificationStore extends StoreHandle {
  database: Database<NotificationsDb>;
  db: Kysely<NotificationsDb>;
}

export async function openNotificationStore(location: StoreLocation): Promise<NotificationStore> {
  const database = await openDatabase<NotificationsDb>(location);
  if (database.engine === 'mysql') {
    await database.close();
    throw new Error('the notifications store runs on PostgreSQL or PGlite; NOTIFICATIONS_DATABASE_URL must be postgres://…');
  }
  const { db } = database;
  await migrate(db);
  return { database, db, ping: async () => { await sql`select 1`.execute(db); }, close: () => database.close() };
}

/** Now as the stores keep time: 'YYYY-MM-DD HH:MM:SS.mmm' UTC. */
export const nowStamp = (): string => new Date().toISOString().replace('T', ' ').replace('Z', '');

async function migrate(db: Kysely<NotificationsDb>): Promise<void> {
  const s = db.schema;
  await s.createTable('ntf_subscription').ifNotExists()
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('ori', 'varchar(9)', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('certified_until', 'varchar(30)', (c) => c.notNull())
    .addColumn('target_sid', 'char(9)')
    .addColumn('target_court', 'varchar(4)')
    .addColumn('target_warrants', 'char(1)', (c) => c.notNull())
    .addColumn('erasure_notices', 'char(1)', (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('channel', 'varchar(8)', (c) => c.notNull())
    .addColumn('webhook_url', 'varchar(500)')
    .addColumn('webhook_secret', 'varchar(100)')
    .addColumn('stream_token_hash', 'varchar(64)')
    .addColumn('created_ts', 'varchar(30)', (c) => c.notNull())
    .addColumn('active', 'char(1)', (c) => c.notNull())
    .execute();
  // Added after the first release; PostgreSQL and PGlite both know IF NOT EXISTS.
  await sql`ALTER TABLE ntf_subscription ADD COLUMN IF NOT EXISTS from_seq text`.execute(db);
  await s.createTable('ntf_delivery').ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscription_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('idem_key', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('chg_seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('system', 'varchar(12)', (c) => c.notNull())
    .addColumn('rec_key', 'varchar(48)', (c) => c.notNull())
    .addColumn('sid', 'char(9)')
    .addColumn('evt_ts', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(10)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'varchar(200)')
    .addColumn('delivered_ts', 'varchar(30)')
    .execute();
  await s.createIndex('ntf_delivery_due_ix').ifNotExists().on('ntf_delivery').columns(['state', 'next_attempt_ms']).execute();
  await s.createIndex('ntf_delivery_sub_ix').ifNotExists().on('ntf_delivery').columns(['subscription_id', 'id']).execute();
  await s.createTable('ntf_delivery_audit').ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('delivery_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('ori', 'varchar(9)', (c) => c.notNull())
    .addColumn('channel', 'varchar(8)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    .addColumn('detail', 'varchar(200)')
    .addColumn('at_ts', 'varchar(30)', (c) => c.notNull())
    .execute();
  await s.createTable('ntf_erasure_notice').ifNotExists()
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ori', 'varchar(9)', (c) => c.notNull())
    .addColumn('docket', 'varchar(20)', (c) => c.notNull())
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('chg_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_ts', 'varchar(30)', (c) => c.notNull())
    .addUniqueConstraint('ntf_erasure_notice_uq', ['ori', 'feed', 'chg_seq'])
    .execute();
  await s.createTable('ntf_erasure_recheck').ifNotExists()
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('chg_seq', 'bigint', (c) => c.notNull())
    .addColumn('sid', 'char(9)', (c) => c.notNull())
    .addColumn('docket', 'varchar(20)', (c) => c.notNull())
    .addColumn('system', 'varchar(12)', (c) => c.notNull())
    .addColumn('evt_ts', 'varchar(30)', (c) => c.notNull())
    .addColumn('cutoff_ms', 'bigint', (c) => c.notNull())
    .addColumn('due_ms', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'varchar(200)')
    .addPrimaryKeyConstraint('ntf_erasure_recheck_pk', ['feed', 'chg_seq'])
    .execute();
  // Added the same day as the table; a store made in between gets it (rows then fall back to the erasure's time).
  await sql`ALTER TABLE ntf_erasure_recheck ADD COLUMN IF NOT EXISTS cutoff_ms bigint`.execute(db);
  await s.createIndex('ntf_erasure_recheck_due_ix').ifNotExists().on('ntf_erasure_recheck').column('due_ms').execute();
  await s.createTable('ntf_applied').ifNotExists()
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('chg_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ntf_applied_pk', ['feed', 'chg_seq'])
    .execute();
  await createFeedCursorTable(db);
}
