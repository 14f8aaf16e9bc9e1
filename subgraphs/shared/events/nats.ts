// NATS JetStream, the production path for change events (issue 9): one durable stream per
// agency (OBTS_PUBLIC_SAFETY, OBTS_JUDICIAL, OBTS_CORRECTION), subjects
// `obts.<feed>.<KIND>`, file storage. Each message is one ChangeEvent (identifiers only)
// with message id `<feed>:<sequence>`, so a relay that publishes a page twice after a
// crash is deduplicated by the server within the duplicate window.
import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';

/** The stream that holds one agency's events. */
export function streamName(feed: string): string {
  return `OBTS_${feed.toUpperCase().replace(/-/g, '_')}`;
}

/** Subject of one event. */
export function subjectOf(feed: string, kind: string): string {
  return `obts.${feed}.${kind}`;
}

/** Connects (loopback in development: NATS_URL, e.g. nats://127.0.0.1:4222), retrying for ever. */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true });
}

/** Creates the agency's stream if missing (idempotent). */
export async function ensureStream(nc: NatsConnection, feed: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const name = streamName(feed);
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({
      name, subjects: [`obts.${feed}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits,
      duplicate_window: nanos(10 * 60_000), max_age: nanos(30 * 86_400_000),
    });
  }
}

/** Creates a durable pull consumer on a feed's stream if missing; a new one starts at the first message. */
export async function ensureConsumer(nc: NatsConnection, feed: string, durable: string, filterSubject: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.consumers.info(streamName(feed), durable);
  } catch {
    await jsm.consumers.add(streamName(feed), {
      durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
      filter_subject: filterSubject, ack_wait: nanos(30_000), max_deliver: -1,
    });
  }
}
