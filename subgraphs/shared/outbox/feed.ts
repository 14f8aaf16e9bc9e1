// Reading an agency's change log in sequence order, one statement per page.
//
// Why the gap rule: sequence numbers are handed out when a row is inserted, not when its
// transaction commits, so a reader can see 7 and 9 while 8 is still uncommitted. Reading
// past 8 would lose it forever once the cursor moved on. So a page stops before the first
// gap whose next row is younger than GAP_WAIT_MS: a gap that old is a rolled-back
// transaction (sequences are never reused) and is passed over.
import type { Kysely } from 'kysely';
import { isChangeKind, type ChangeEvent, type ChangeKind } from './kinds.ts';
import type { OutboxTables } from './table.ts';

/** How long a hole in the sequence is waited for before it is taken as a rollback. */
export const GAP_WAIT_MS = 5_000;

/** One page of a feed: `last` is the sequence to resume after (rows filtered out count too). */
export interface ChangePage {
  events: ChangeEvent[];
  last: number;
  hasMore: boolean;
}

/** A page of events after `after`, at most `first`, optionally only some kinds. */
export async function readChanges(
  db: Kysely<any>, feed: string, after: number, first: number, kinds?: readonly ChangeKind[], now = Date.now(),
): Promise<ChangePage> {
  // Kinds are filtered after the gap check: a gap must be judged on every row.
  const rows = await (db as Kysely<OutboxTables>).selectFrom('obts_change_log').selectAll()
    .where('chg_seq', '>', after).orderBy('chg_seq').limit(first + 1).execute();
  const events: ChangeEvent[] = [];
  let expected = after + 1;
  let stoppedAtGap = false;
  for (const row of rows.slice(0, first)) {
    const seq = Number(row.chg_seq);
    const time = isoUtc(row.chg_ts);
    if (seq !== expected && now - Date.parse(time) < GAP_WAIT_MS) {
      stoppedAtGap = true;
      break;
    }
    expected = seq + 1;
    if (!isChangeKind(row.chg_kind)) continue; // a kind this version does not know: skipped, cursor moves on
    events.push({ feed, sequence: seq, time, system: row.src_sys, kind: row.chg_kind, key: row.rec_key, sid: row.sid_no?.trim() ?? null, docketNumber: row.dkt_no?.trim() ?? null });
  }
  const last = expected - 1;
  const filtered = kinds?.length ? events.filter((event) => kinds.includes(event.kind)) : events;
  // The cursor to resume from is the last row looked at, even if filtered out.
  return { events: filtered, last, hasMore: stoppedAtGap || rows.length > first };
}

/** The newest sequence in the log (0 when empty). */
export async function latestSequence(db: Kysely<any>): Promise<number> {
  const row = await (db as Kysely<OutboxTables>).selectFrom('obts_change_log')
    .select((eb) => eb.fn.max('chg_seq').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A stored timestamp ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC) as ISO 8601 with Z. */
export function isoUtc(stored: string): string {
  return new Date(`${String(stored).replace(' ', 'T')}Z`).toISOString();
}
