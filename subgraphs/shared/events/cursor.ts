// Where a consumer of another agency's feed has got to, kept in the consuming store's
// obts_feed_cursor table (portable upsert: update, insert when nothing was there).
import type { Kysely } from 'kysely';
import type { OutboxTables } from '../outbox/table.ts';

export interface FeedCursor {
  load(): Promise<number>;
  save(sequence: number): Promise<void>;
}

/** The cursor of `consumer` over `feed` in `db`. */
export function storeCursor(db: Kysely<any>, consumer: string, feed: string): FeedCursor {
  const typed = db as Kysely<OutboxTables>;
  return {
    async load() {
      const row = await typed.selectFrom('obts_feed_cursor').select('last_seq').where('consumer', '=', consumer).where('feed', '=', feed).executeTakeFirst();
      return Number(row?.last_seq ?? 0);
    },
    async save(sequence) {
      const result = await typed.updateTable('obts_feed_cursor').set({ last_seq: sequence })
        .where('consumer', '=', consumer).where('feed', '=', feed).where('last_seq', '<', sequence).executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return;
      const existing = await typed.selectFrom('obts_feed_cursor').select('last_seq').where('consumer', '=', consumer).where('feed', '=', feed).executeTakeFirst();
      if (!existing) await typed.insertInto('obts_feed_cursor').values({ consumer, feed, last_seq: sequence }).execute();
    },
  };
}

/** Creates obts_feed_cursor in a consuming store (an agency's outbox migration, the notifications store). */
export async function createFeedCursorTable(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('obts_feed_cursor').ifNotExists()
    .addColumn('consumer', 'varchar(40)', (c) => c.notNull())
    .addColumn('feed', 'varchar(40)', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('obts_feed_cursor_pk', ['consumer', 'feed'])
    .execute();
}
