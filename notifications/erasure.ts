// The erasure notice's second look (C.G.S. 54-142h(a), 54-142k(b)). An erasure's notice
// goes to every agency the audit log shows was given the person's records: a view that
// arrived by the erasure's time (the audit's `receivedAt`, give or take
// NOTIFY_ERASURE_CLOCK_MS); one that arrived later was given nothing of the record, which the
// guard withholds from the moment of the erasure. takeIn (intake.ts) looks them up as it
// takes the erasure in; a view still under way then has no audit record yet (the record is
// written as the answer leaves, within the gateway's request budget). So takeIn also writes
// a row, in the same transaction as the first notices, due NOTIFY_ERASURE_RECHECK_MS after
// the cutoff; this pass looks the recipients up again then and adds a notice, and its
// deliveries, for each agency the first look missed. The row is durable: a restart, a failed
// lookup or a second instance (rows taken with SKIP LOCKED) neither loses nor doubles a notice.
import { logger } from '../subgraphs/shared/log.ts';
import type { NotificationStore } from './store.ts';
import { ERASURE_CLOCK_MS, noticeErasure, type Recipients } from './intake.ts';

export interface RecheckOutcome {
  /** Erasures looked at again and done with. */
  rechecked: number;
  /** Notices added for agencies the first look missed, as `ori docket`. */
  added: string[];
  /** Subscription ids given a delivery. */
  subscriptions: string[];
  /** Erasures whose second look failed (kept, and tried again after a back-off). */
  failed: number;
}

/** After the n-th failure of an erasure's second look, wait this long: 1 s doubling, at most 5 min. */
export const recheckBackoffMs = (failures: number): number => Math.min(300_000, 1000 * 2 ** Math.min(failures - 1, 9));

/** One pass over the erasures due at `now`: at most `limit` of them, oldest first. */
export async function recheckErasures(store: NotificationStore, recipients: Recipients, now = Date.now(), limit = 100): Promise<RecheckOutcome> {
  const outcome: RecheckOutcome = { rechecked: 0, added: [], subscriptions: [], failed: 0 };
  const due = await store.db.selectFrom('ntf_erasure_recheck').selectAll().where('due_ms', '<=', now).orderBy('due_ms').orderBy('feed').orderBy('chg_seq').limit(limit).execute();
  for (const row of due) {
    const { feed, chg_seq } = row;
    const event = { feed, sequence: Number(chg_seq), time: row.evt_ts, system: row.system, sid: row.sid.trim(), docketNumber: row.docket };
    try {
      // The audit read first, outside any transaction: the embedded store has one
      // connection, and nothing else should wait for the log. Two instances reading the
      // same erasure at once is harmless (the inserts are idempotent).
      const cutoff = Number(row.cutoff_ms);
      const oris = await recipients(event.sid, Number.isFinite(cutoff) && row.cutoff_ms !== null ? cutoff : Date.parse(event.time) + ERASURE_CLOCK_MS);
      const done = await store.db.transaction().execute(async (trx) => {
        const mine = await trx.selectFrom('ntf_erasure_recheck').select('chg_seq').where('feed', '=', feed).where('chg_seq', '=', chg_seq).forUpdate().skipLocked().executeTakeFirst();
        if (!mine) return null; // another instance has it, or finished it meanwhile
        const noticed = await noticeErasure(trx, event, oris);
        await trx.deleteFrom('ntf_erasure_recheck').where('feed', '=', feed).where('chg_seq', '=', chg_seq).execute();
        return noticed;
      });
      if (!done) continue;
      outcome.rechecked += 1;
      outcome.subscriptions.push(...done.subscriptions);
      outcome.added.push(...done.oris.map((ori) => `${ori} ${event.docketNumber}`));
      if (done.oris.length) logger.info({ feed, sequence: event.sequence, docket: event.docketNumber, added: done.oris }, 'erasure notice second look found agencies the first look missed');
    } catch (error) {
      // One erasure that fails (the audit log unreadable, the store refusing) waits alone; the others go on.
      outcome.failed += 1;
      const failures = row.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ err: error, feed, sequence: event.sequence, failures }, 'erasure notice second look failed; trying again later');
      try {
        await store.db.updateTable('ntf_erasure_recheck').set({ attempts: failures, last_error: message.slice(0, 200), due_ms: now + recheckBackoffMs(failures) })
          .where('feed', '=', feed).where('chg_seq', '=', chg_seq).execute();
      } catch (recordError) {
        logger.warn({ err: recordError, feed, sequence: event.sequence }, 'could not record the failed second look; it is tried again on the next pass');
      }
    }
  }
  return outcome;
}

export interface RecheckLoop {
  stop(): Promise<void>;
}

/** Runs recheckErasures every `everyMs` (at once again after a full pass) until stopped; `delivered` hears of new deliveries. */
export function startErasureRecheck(store: NotificationStore, recipients: Recipients, delivered: (subscriptionIds: string[]) => void, everyMs = 1000, limit = 100): RecheckLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const outcome = await recheckErasures(store, recipients, Date.now(), limit);
        full = outcome.rechecked > 0 && outcome.rechecked + outcome.failed >= limit; // more may be due: go on at once
        if (outcome.subscriptions.length) delivered(outcome.subscriptions);
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'erasure notice second-look pass failed');
      }
      if (!full && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, everyMs).unref(); });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
