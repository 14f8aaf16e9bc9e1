// Seeding writes thousands of rows per table. One multi-row INSERT per chunk keeps the
// statement count small; the chunk size keeps each statement's bind parameters under what
// every engine accepts (65 535 for PostgreSQL and PGlite, the MariaDB protocol likewise).
import type { InsertQueryBuilder, InsertResult, Kysely } from 'kysely';
import { chunk } from './batch.ts';

/** Bind parameters per statement: well under every engine's limit. */
export const MAX_PARAMETERS = 30_000;

type AnyInsert = InsertQueryBuilder<any, any, InsertResult>;

/**
 * Inserts `rows` into `table` in as few statements as the parameter limit allows.
 * `finish` may adjust each statement (e.g. `onConflict` to keep rows already present).
 */
export async function bulkInsert(db: Kysely<any>, table: string, rows: readonly object[], finish: (insert: AnyInsert) => AnyInsert = (insert) => insert): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]).length;
  for (const part of chunk(rows, Math.max(1, Math.floor(MAX_PARAMETERS / perRow)))) {
    await finish(db.insertInto(table).values(part as never)).execute();
  }
}
