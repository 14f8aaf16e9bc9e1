// Erasure propagation (C.G.S. 54-142a, 54-142c): when the Judicial Branch erases a docket,
// the other agencies erase their own records of it. Each agency applies the court's ERASURE
// event in its own store in one transaction: it records the (feed, sequence) pair in
// obts_applied_change (a second delivery of the same event finds it and does nothing) and
// marks its rows of the docket erased. Its own triggers then write an ERASURE event of its
// own (the record that it did), which the notifications service passes on.
import type { Kysely, Transaction } from 'kysely';
import { logger } from '../log.ts';
import type { ChangeEvent } from '../outbox/kinds.ts';
import type { OutboxTables } from '../outbox/table.ts';
import { storeCursor } from './cursor.ts';
import { startFeedConsumer, type RunningConsumer } from './consumer.ts';
import { natsTarget } from './nats.ts';
import { serviceTokenSource } from './service-token.ts';

/** Marks the agency's records of `docket` erased; returns how many rows it changed. */
export type EraseDocket = (trx: Transaction<any>, docket: string) => Promise<number>;

/** Applies one ERASURE event once; false when it had been applied already. */
export async function applyErasure(db: Kysely<any>, consumer: string, event: ChangeEvent, erase: EraseDocket): Promise<boolean> {
  if (event.kind !== 'ERASURE' || !event.docketNumber) return false;
  const docket = event.docketNumber;
  return (db as Kysely<OutboxTables>).transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('obts_applied_change').select('chg_seq')
      .where('consumer', '=', consumer).where('feed', '=', event.feed).where('chg_seq', '=', event.sequence).executeTakeFirst();
    if (seen) return false;
    const rows = await erase(trx, docket);
    await trx.insertInto('obts_applied_change').values({
      consumer, feed: event.feed, chg_seq: event.sequence, applied_ts: new Date().toISOString().replace('T', ' ').replace('Z', ''),
      effect: `erased ${rows} row(s) of docket ${docket}`,
    }).execute();
    return true;
  });
}

/** Starts the agency's consumer of judicial ERASURE events (NATS when NATS_URL is set, else the gateway feed). */
export async function startErasurePropagation(agency: string, db: Kysely<any>, erase: EraseDocket, env: NodeJS.ProcessEnv = process.env): Promise<RunningConsumer> {
  const name = `${agency}-erasure`;
  const gatewayUrl = env.OBTS_GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 4000}/graphql`;
  const nats = natsTarget(env);
  const source = nats
    ? { kind: 'nats' as const, ...nats }
    : { kind: 'gateway' as const, url: gatewayUrl, token: serviceTokenSource(name, env), cursor: storeCursor(db, name, 'judicial') };
  logger.info({ agency, via: source.kind }, 'erasure propagation started');
  return startFeedConsumer({
    name, feed: 'judicial', kind: 'ERASURE', source,
    handle: async (event) => {
      if (await applyErasure(db, name, event, erase)) logger.info({ agency, docket: event.docketNumber, sequence: event.sequence }, 'applied court erasure');
    },
  });
}
