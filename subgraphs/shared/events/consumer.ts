// A consumer of one agency's change feed, at least once: either from the agency's
// JetStream stream (NATS_URL set: a durable pull consumer, acknowledged after the effect)
// or, in the embedded default, by paging the agency's feed field through the gateway
// (cursor kept by the consumer). Either way an event may arrive twice, so `handle` must be
// idempotent by (feed, sequence); the stores record applied pairs in the same transaction
// as the effect (erasure.ts, notifications/).
import type { NatsConnection } from 'nats';
import { logger } from '../log.ts';
import type { ChangeEvent, ChangeKind } from '../outbox/kinds.ts';
import type { FeedCursor } from './cursor.ts';
import { ACK_WAIT_MS, connectNats, ensureConsumer, ensureStream, streamName, subjectOf, type NatsTarget } from './nats.ts';
import type { TokenSource } from './service-token.ts';

/** How long a pull request of a JetStream consumer stays open on the server. */
const PULL_EXPIRES_MS = 5_000;

export type FeedSource =
  | { kind: 'gateway'; url: string; token: TokenSource; cursor: FeedCursor }
  | ({ kind: 'nats' } & NatsTarget);

export interface FeedConsumerOptions {
  /** Durable name (JetStream) and cursor owner, e.g. "public-safety-erasure". */
  name: string;
  feed: string;
  /** Only these kinds; all when omitted (JetStream filters one kind or all). */
  kind?: ChangeKind;
  source: FeedSource;
  handle(event: ChangeEvent): Promise<void>;
  /**
   * Gateway source: the pause after the first page that brings nothing (default 200 ms);
   * each further empty page doubles it, up to `maxIdleMs` (default 2 000 ms), and a page
   * with events sets it back. An idle feed is then asked about once every two seconds,
   * not five or ten times a second: each read is a request through the gateway, audited
   * and counted against the consumer's rate limit.
   */
  idleMs?: number;
  maxIdleMs?: number;
}

/** Where a consumer waits before its next read of the feed through the gateway. */
export function nextPause(state: { idleRun: number }, outcome: { events: number } | { failed: true; retryAfterS?: number; backoffMs: number }, idleMs: number, maxIdleMs: number): number {
  if ('failed' in outcome) {
    state.idleRun = 0;
    // A rate limit's Retry-After is a promise that an earlier read is futile (at most a minute).
    return outcome.retryAfterS !== undefined ? Math.min(outcome.retryAfterS, 60) * 1000 : outcome.backoffMs;
  }
  if (outcome.events > 0) {
    state.idleRun = 0;
    return idleMs;
  }
  state.idleRun += 1;
  return Math.min(idleMs * 2 ** (state.idleRun - 1), Math.max(idleMs, maxIdleMs));
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/** The GraphQL field of an agency's feed: public-safety → publicSafetyChanges. */
export function feedField(feed: string): string {
  return `${feed.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())}Changes`;
}

export async function startFeedConsumer(options: FeedConsumerOptions): Promise<RunningConsumer> {
  return options.source.kind === 'nats' ? natsConsumer(options, options.source) : gatewayConsumer(options, options.source);
}

// Private: pages the feed through the gateway; the cursor moves only after the page's effects.
function gatewayConsumer(options: FeedConsumerOptions, source: Extract<FeedSource, { kind: 'gateway' }>): RunningConsumer {
  let stopped = false;
  let wake: (() => void) | undefined;
  const field = feedField(options.feed);
  const query = `query FeedPage($after: String, $kinds: [ChangeKind!]) { ${field}(after: $after, first: 500, kinds: $kinds) { events { feed sequence time system kind key sid docketNumber } endCursor hasMore } }`;
  const loop = (async () => {
    let after = await source.cursor.load();
    // While the gateway does not answer (it starts after the subgraphs, and drains first):
    // a warning once it has failed for 30 s, then one a minute, and retries backing off from 1 s to 5 s (an erasure waits no longer than that once it is back).
    let failingSince: number | undefined;
    let lastWarning = 0;
    let backoffMs = 1000;
    const idleMs = options.idleMs ?? 200;
    const maxIdleMs = options.maxIdleMs ?? 2_000;
    const pacing = { idleRun: 0 };
    let rateLimitedSince: number | undefined;
    while (!stopped) {
      let pause: number;
      try {
        const response = await fetch(source.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await source.token()}`, 'x-obts-purpose': 'C' },
          body: JSON.stringify({ query, operationName: 'FeedPage', variables: { after: String(after), kinds: options.kind ? [options.kind] : null } }),
          signal: AbortSignal.timeout(30_000),
        }).catch((error: Error) => { throw Object.assign(error, { gatewayDown: true }); });
        if (response.status === 502 || response.status === 503) throw Object.assign(new Error(`the gateway answered ${response.status} (not up, or draining)`), { gatewayDown: true });
        const retryAfter = response.status === 429 ? Number(response.headers.get('retry-after')) : NaN;
        if (Number.isFinite(retryAfter) && retryAfter >= 0) {
          // The gateway's limits (GATEWAY_RATE_LIMIT per user and minute, above all): a
          // catching-up consumer reads pages back to back and meets them; it waits as told,
          // and says so once, not as a failure, unless it lasts.
          await response.body?.cancel();
          if (rateLimitedSince === undefined) {
            rateLimitedSince = Date.now();
            logger.info({ consumer: options.name, retryAfterS: retryAfter }, 'feed reads refused for now by the gateway\'s limits (429); waiting its Retry-After (GATEWAY_RATE_LIMIT)');
          } else if (Date.now() - rateLimitedSince >= 5 * 60_000 && Date.now() - lastWarning >= 60_000) {
            lastWarning = Date.now();
            logger.warn({ consumer: options.name, limitedMs: Date.now() - rateLimitedSince }, 'feed reads refused by the gateway\'s limits for 5 minutes or more; raise GATEWAY_RATE_LIMIT, or give this consumer its own service user');
          }
          pause = nextPause(pacing, { failed: true, retryAfterS: retryAfter, backoffMs }, idleMs, maxIdleMs);
        } else {
          rateLimitedSince = undefined;
          const body = await response.json() as { data?: Record<string, { events: ChangeEvent[]; endCursor: string; hasMore: boolean } | null>; errors?: Array<{ message: string }> };
          const page = body.data?.[field];
          if (!page) throw new Error(`feed ${options.feed} answered ${response.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
          for (const event of page.events) await options.handle(event);
          const next = Number(page.endCursor);
          if (next > after) await source.cursor.save(next);
          after = Math.max(after, next);
          pause = page.hasMore ? 0 : nextPause(pacing, { events: page.events.length }, idleMs, maxIdleMs);
          if (lastWarning) logger.info({ consumer: options.name, failingMs: Date.now() - (failingSince ?? Date.now()) }, 'feed read works again');
          failingSince = undefined;
          lastWarning = 0;
          backoffMs = 1000;
        }
      } catch (error) {
        failingSince ??= Date.now();
        // A gateway that is not up (yet, or any more) is expected for 30 s: at `npm start` the
        // subgraphs come up before it, and it drains first. Anything else (a refused token, a
        // failing effect) is said at once. Then at most once a minute.
        const down = (error as { gatewayDown?: boolean }).gatewayDown === true;
        if (!stopped && (!down || Date.now() - failingSince >= 30_000) && Date.now() - lastWarning >= 60_000) {
          lastWarning = Date.now();
          logger.warn({ err: error, consumer: options.name }, down ? 'feed read failing for 30 s or more; retrying (next warning in a minute if it still fails)' : 'feed read failed; retrying (next warning in a minute if it still fails)');
        }
        pause = nextPause(pacing, { failed: true, backoffMs }, idleMs, maxIdleMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
      if (pause > 0 && !stopped) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, pause); });
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

// Private: a durable JetStream consumer; a message is acknowledged after its effect, so a
// consumer stopped mid-stream gets the unacknowledged ones again (and applies them once).
//
// Why stopping hands messages back late, not at once: the library still yields its buffer
// after close(), and the server keeps the stopped instance's last pull request open until
// it expires. A message handed back at once would be redelivered into that dead request
// and wait out the whole ack wait. So pull requests expire after PULL_EXPIRES_MS, and what
// a stopping instance had pulled but not applied is handed back (nak) with a delay just
// longer than that: the next instance gets it within seconds.
async function natsConsumer(options: FeedConsumerOptions, target: NatsTarget): Promise<RunningConsumer> {
  const nc: NatsConnection = await connectNats(target.url, options.name);
  await ensureStream(nc, options.feed, target.prefix);
  await ensureConsumer(nc, options.feed, options.name, subjectOf(options.feed, options.kind ?? '>', target.prefix), target.prefix);
  const consumer = await nc.jetstream().consumers.get(streamName(options.feed, target.prefix), options.name);
  const messages = await consumer.consume({ max_messages: 256, expires: PULL_EXPIRES_MS });
  let stopping = false;
  const loop = (async () => {
    for await (const message of messages) {
      if (stopping) {
        message.nak(PULL_EXPIRES_MS + 1000);
        continue;
      }
      // A long effect tells the server it is still at work, so the message is not sent again meanwhile.
      const working = setInterval(() => message.working(), ACK_WAIT_MS / 3);
      try {
        await options.handle(message.json<ChangeEvent>());
        message.ack();
      } catch (error) {
        logger.warn({ err: error, consumer: options.name }, 'event not applied; it will be redelivered');
        message.nak(1000);
      } finally {
        clearInterval(working);
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await messages.close();
      await loop;
      await nc.drain();
    },
  };
}
