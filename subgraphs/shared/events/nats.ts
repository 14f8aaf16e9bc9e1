// NATS JetStream, the production path for change events (issue 9): one durable stream per
// agency (OBTS_PUBLIC_SAFETY, OBTS_JUDICIAL, OBTS_CORRECTION), subjects
// `obts.<feed>.<KIND>`, file storage. Each message is one ChangeEvent (identifiers only)
// with message id `<feed>:<sequence>`, so a relay that publishes a page twice after a
// crash is deduplicated by the server within the duplicate window.
//
// The prefix ("obts", NATS_PREFIX) names the streams and subjects, so two OBTS systems (a
// test run beside a development system) can share one server without their streams'
// subjects overlapping (JetStream refuses overlapping subjects).
import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';

/** Where events go: the server and the prefix of the streams and subjects. */
export interface NatsTarget {
  url: string;
  /** Lower case; default "obts". */
  prefix?: string;
}

export const DEFAULT_NATS_PREFIX = 'obts';

/** The NATS target of the settings (NATS_URL, NATS_PREFIX), or undefined without NATS_URL. */
export function natsTarget(env: NodeJS.ProcessEnv = process.env): NatsTarget | undefined {
  if (!env.NATS_URL) return undefined;
  return { url: env.NATS_URL, prefix: checkPrefix(env.NATS_PREFIX ?? DEFAULT_NATS_PREFIX) };
}

/** A prefix is a lower-case word (it becomes a subject token and, upper-cased, part of a stream name). */
export function checkPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9_]{0,23}$/.test(prefix)) {
    throw new Error(`NATS_PREFIX "${prefix}" is not a stream prefix; expected a lower-case letter then up to 23 letters, digits or _ (e.g. obts)`);
  }
  return prefix;
}

/** The stream that holds one agency's events. */
export function streamName(feed: string, prefix = DEFAULT_NATS_PREFIX): string {
  return `${prefix.toUpperCase()}_${feed.toUpperCase().replace(/-/g, '_')}`;
}

/** Subject of one event (kind `>`: every kind of the feed). */
export function subjectOf(feed: string, kind: string, prefix = DEFAULT_NATS_PREFIX): string {
  return `${prefix}.${feed}.${kind}`;
}

/** Connects (loopback in development: NATS_URL, e.g. nats://127.0.0.1:4222), retrying for ever. */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true });
}

/** Creates the agency's stream if missing (idempotent). */
export async function ensureStream(nc: NatsConnection, feed: string, prefix = DEFAULT_NATS_PREFIX): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const name = streamName(feed, prefix);
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({
      name, subjects: [subjectOf(feed, '>', prefix)], storage: StorageType.File, retention: RetentionPolicy.Limits,
      duplicate_window: nanos(10 * 60_000), max_age: nanos(30 * 86_400_000),
    });
  }
}

/** How long the server waits for an acknowledgement before sending a message again. */
export const ACK_WAIT_MS = 10_000;

/**
 * Creates a durable pull consumer on a feed's stream if missing (a new one starts at the
 * first message); one made with another ack wait by an earlier version is brought to ACK_WAIT_MS.
 */
export async function ensureConsumer(nc: NatsConnection, feed: string, durable: string, filterSubject: string, prefix = DEFAULT_NATS_PREFIX): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const stream = streamName(feed, prefix);
  let existing;
  try {
    existing = await jsm.consumers.info(stream, durable);
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
      filter_subject: filterSubject, ack_wait: nanos(ACK_WAIT_MS), max_deliver: -1,
    });
    return;
  }
  if (existing.config.ack_wait !== nanos(ACK_WAIT_MS)) await jsm.consumers.update(stream, durable, { ack_wait: nanos(ACK_WAIT_MS) });
}
