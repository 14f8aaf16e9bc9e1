// The outbox relay: publishes an agency's change log to its JetStream stream, at least
// once. It reads the log page by page (the same page the feed field serves, events of
// erased records withheld), publishes every event of the page and waits for the server's
// acknowledgements, then moves its cursor (obts_feed_cursor, consumer "nats-relay", per prefix). A relay
// that dies between publishing and moving the cursor publishes the page again; the message
// id `<feed>:<sequence>` makes the server drop the duplicates.
import type { Kysely } from 'kysely';
import type { NatsConnection } from 'nats';
import { logger } from '../log.ts';
import { readFeedPage, type ErasedAmong } from '../outbox/resolvers.ts';
import { storeCursor } from './cursor.ts';
import { connectNats, DEFAULT_NATS_PREFIX, ensureStream, subjectOf, type NatsTarget } from './nats.ts';

export interface RelayOptions {
  feed: string;
  db: Kysely<any>;
  erasedAmong: ErasedAmong;
  nats: NatsTarget;
  pageSize?: number;
  idleMs?: number;
}

export interface RunningRelay {
  /** Events published since start. */
  published(): number;
  stop(): Promise<void>;
}

/** The relay's cursor owner: "nats-relay", or "nats-relay-<prefix>" for a prefix other than the default. */
export function relayCursorName(nats: NatsTarget): string {
  return !nats.prefix || nats.prefix === DEFAULT_NATS_PREFIX ? 'nats-relay' : `nats-relay-${nats.prefix}`;
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const nc: NatsConnection = await connectNats(options.nats.url, `${options.feed}-relay`);
  await ensureStream(nc, options.feed, options.nats.prefix);
  const js = nc.jetstream();
  // One cursor per target: a relay to another prefix (another system's streams) starts from the beginning.
  const cursor = storeCursor(options.db, relayCursorName(options.nats), options.feed);
  let published = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    let after = await cursor.load();
    while (!stopped) {
      let more = false;
      try {
        const page = await readFeedPage(options.db, options.feed, options.erasedAmong, after, options.pageSize ?? 500);
        await Promise.all(page.events.map((event) =>
          js.publish(subjectOf(options.feed, event.kind, options.nats.prefix), JSON.stringify(event), { msgID: `${event.feed}:${event.sequence}`, timeout: 10_000 })));
        published += page.events.length;
        if (page.last > after) await cursor.save(page.last);
        after = Math.max(after, page.last);
        more = page.hasMore;
      } catch (error) {
        if (!stopped) logger.warn({ err: error, feed: options.feed }, 'relay could not publish; retrying');
      }
      if (!more && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, options.idleMs ?? 50); });
    }
  })();
  return {
    published: () => published,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await nc.drain().catch(() => undefined);
    },
  };
}
