// The erasure notice's second look (C.G.S. 54-142h(a), 54-142k(b)). An erasure's notice
// goes to every agency the audit log shows was given the person's records; takeIn
// (intake.ts) looks them up as it takes the erasure in. A view that was still under way
// then, its data read before the court erased but its answer not yet sent, has no audit
// record yet (the record is written as the answer leaves), so it is not in that lookup.
// takeIn therefore also writes a row, in the same transaction, due when every such view
// must have its record (the erasure's time plus NOTIFY_ERASURE_RECHECK_MS, past the
// gateway's request budget); this pass looks the recipients up again then and adds a
// notice, and its deliveries, for each agency the first look missed. The row is durable:
// a restart, a failed lookup or a second instance (rows taken with SKIP LOCKED) neither
// loses nor doubles a notice.
import { logger } from '../subgraphs/shared/log.ts';
import { nowStamp, type NotificationStore } from './store.ts';
import { noticeErasure, type Recipients } from './intake.ts';

export interface RecheckOutcome {
  /** Erasures looked at again. */
  rechecked: number;
  /** Notices added for agencies the first look missed, as `ori docket`. */
  added: string[];
  /** Subscription ids given a delivery. */
  subscriptions: string[];
  /** Erasures whose lookup failed (kept, and tried again). */
  failed: number;
}

/** One pass over the erasures due at `now`: at most `limit` of them, oldest first. */
export async function recheckErasures(store: NotificationStore, recipients: Recipients, now = Date.now(), limit = 100): Promise<RecheckOutcome> {
  const outcome: RecheckOutcome = { rechecked: 0, added: [], subscriptions: [], failed: 0 };
  const due = await store.db.selectFrom('ntf_erasure_recheck').select(['feed', 'chg_seq']).where('due_ms', '<=', now).orderBy('due_ms').limit(limit).execute();
  for (const { feed, chg_seq } of due) {
    // One erasure per transaction: a lookup that fails keeps its row and costs no other.
    await store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('ntf_erasure_recheck').selectAll().where('feed', '=', feed).where('chg_seq', '=', chg_seq)
        .forUpdate().skipLocked().executeTakeFirst();
      if (!row) return; // taken by another instance, or done meanwhile
      const event = { feed: row.feed, sequence: Number(row.chg_seq), time: row.evt_ts, system: row.system, sid: row.sid.trim(), docketNumber: row.docket };
      let oris: string[];
      try {
        oris = await recipients(event.sid, Date.parse(event.time));
      } catch (error) {
        outcome.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        logger.warn({ err: error, feed, sequence: event.sequence }, 'erasure notice re-check could not read the audit log; trying again');
        await trx.updateTable('ntf_erasure_recheck').set({ attempts: row.attempts + 1, last_error: message.slice(0, 200), due_ms: now + Math.min(300_000, 1000 * 2 ** Math.min(row.attempts, 8)) })
          .where('feed', '=', feed).where('chg_seq', '=', chg_seq).execute();
        return;
      }
      const noticed = new Set((await trx.selectFrom('ntf_erasure_notice').select('ori').where('feed', '=', feed).where('chg_seq', '=', chg_seq).execute()).map((n) => n.ori));
      const missed = oris.filter((ori) => !noticed.has(ori));
      outcome.subscriptions.push(...await noticeErasure(trx, event, missed));
      outcome.added.push(...missed.map((ori) => `${ori} ${event.docketNumber}`));
      await trx.deleteFrom('ntf_erasure_recheck').where('feed', '=', feed).where('chg_seq', '=', chg_seq).execute();
      outcome.rechecked += 1;
      if (missed.length) logger.info({ feed, sequence: event.sequence, docket: event.docketNumber, added: missed, at: nowStamp() }, 'erasure notice re-check found agencies the first look missed');
    });
  }
  return outcome;
}

export interface RecheckLoop {
  stop(): Promise<void>;
}

/** Runs recheckErasures every `everyMs` until stopped; `delivered` hears of new deliveries. */
export function startErasureRecheck(store: NotificationStore, recipients: Recipients, delivered: (subscriptionIds: string[]) => void, everyMs = 1000): RecheckLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const outcome = await recheckErasures(store, recipients);
        full = outcome.rechecked + outcome.failed === 100;
        if (outcome.subscriptions.length) delivered(outcome.subscriptions);
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, 'erasure notice re-check pass failed');
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
