// The arguments of `Offender.timeline`, checked: real dates in order, at least one kind
// when kinds are given, a page size of 1 to 100, and a cursor this field made. Bad input
// is BAD_USER_INPUT with the expected form (shared/inputs.ts); unknown kinds never get
// here, because `kinds` is an enum list and GraphQL refuses them first.
import { badInput } from '../shared/errors.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { checkRange, parseDate, parseFirst } from '../shared/inputs.ts';
import { EVENT_KINDS, type EventKind } from './timeline.ts';

export interface TimelineArgs {
  from?: string | null;
  to?: string | null;
  kinds?: EventKind[] | null;
  order?: 'OLDEST_FIRST' | 'NEWEST_FIRST' | null;
  first?: number | null;
  after?: string | null;
}

export interface TimelineQuery {
  from: string | null;
  to: string | null;
  kinds: Set<EventKind> | null;
  newestFirst: boolean;
  first: number;
  /** Position of the event the page starts after. */
  after: string | null;
}

export const TIMELINE_FIELD = 'timeline';

// A position as timeline.ts writes it: date | kind order | system | key | detail.
const POSITION = /^\d{4}-\d{2}-\d{2}\|\d{2}\|[A-Z]+\|[^|]*\|[^|]*$/;

/** Checks the timeline arguments. */
export function parseTimelineArgs(args: TimelineArgs): TimelineQuery {
  const from = args.from == null ? null : parseDate(args.from, 'from');
  const to = args.to == null ? null : parseDate(args.to, 'to');
  checkRange(from ?? undefined, to ?? undefined);
  if (args.kinds != null && args.kinds.length === 0) {
    throw badInput(`kinds is empty; expected at least one of ${EVENT_KINDS.join(', ')}, or no kinds argument for every kind`, 'kinds');
  }
  let after: string | null = null;
  if (args.after != null) {
    const [position] = decodeCursor(TIMELINE_FIELD, args.after, 1);
    if (typeof position !== 'string' || !POSITION.test(position)) {
      throw badInput(`after "${args.after}" is not a cursor of ${TIMELINE_FIELD}; expected the endCursor of a previous page of ${TIMELINE_FIELD}`, 'after');
    }
    after = position;
  }
  return {
    from, to, after,
    kinds: args.kinds == null ? null : new Set(args.kinds),
    newestFirst: args.order === 'NEWEST_FIRST',
    first: parseFirst(args.first),
  };
}
