// The feed field every agency subgraph publishes (`<agency>Changes(after, first, kinds)`),
// for service identities only (@obtsPermission(requires: "events:read"), granted to the
// event-consumer role and to no human role: gateway/auth/policy.ts). One statement reads
// the page, one more asks the agency's own store which of the page's dockets are erased,
// so an event about a record erased since (C.G.S. 54-142a) never leaves, except the
// ERASURE events themselves, which name only the docket the other agencies must erase.
import type { Kysely } from 'kysely';
import { badInput } from '../errors.ts';
import type { AgencyStore } from '../module.ts';
import { readChanges, type ChangePage } from './feed.ts';
import { CHANGE_KINDS, type ChangeKind } from './kinds.ts';

export const MAX_FEED_PAGE = 500;
export const DEFAULT_FEED_PAGE = 100;

/** The store's own answer: which of these canonical dockets it holds as erased. */
export type ErasedAmong = (db: Kysely<any>, dockets: string[]) => Promise<Set<string>>;

/** The Query resolver of one agency's feed. */
export function feedResolver(feed: string, erasedAmong: ErasedAmong) {
  return async (_: unknown, args: { after?: string | null; first?: number | null; kinds?: string[] | null }, ctx: { store: AgencyStore }) => {
    const kinds = (args.kinds ?? []) as ChangeKind[]; // the enum already refused unknown kinds
    const page = await readFeedPage(ctx.store.database.db, feed, erasedAmong, parseChangeCursor(args.after), parseFeedFirst(args.first), kinds);
    return { events: page.events, endCursor: String(page.last), hasMore: page.hasMore };
  };
}

/** One page as the feed (and the NATS relay) publishes it: erased records' events withheld. */
export async function readFeedPage(db: Kysely<any>, feed: string, erasedAmong: ErasedAmong, after: number, first: number, kinds: readonly ChangeKind[] = []): Promise<ChangePage> {
  const page = await readChanges(db, feed, after, first, kinds);
  const dockets = [...new Set(page.events.flatMap((e) => (e.kind !== 'ERASURE' && e.docketNumber ? [e.docketNumber] : [])))];
  const erased = await erasedAmong(db, dockets);
  return { ...page, events: page.events.filter((e) => e.kind === 'ERASURE' || !e.docketNumber || !erased.has(e.docketNumber)) };
}

/** A feed cursor is the sequence number of the last event seen (0 or none: from the start). */
export function parseChangeCursor(value: string | null | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  if (!/^\d{1,15}$/.test(value)) throw badInput(`after "${value}" is not a feed cursor; expected the endCursor of a previous page (a sequence number, e.g. "1042")`, 'after');
  return Number(value);
}

function parseFeedFirst(value: number | null | undefined): number {
  if (value === undefined || value === null) return DEFAULT_FEED_PAGE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_FEED_PAGE) throw badInput(`first is ${value}; expected a whole number from 1 to ${MAX_FEED_PAGE}`, 'first');
  return value;
}

/** Every kind, for the SDL test that the enum and the list agree. */
export const FEED_KINDS = CHANGE_KINDS;
