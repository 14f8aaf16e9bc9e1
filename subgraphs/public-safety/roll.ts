// Arguments of `offenders`, the MNI roll analyst tools and reports/ walk the population
// with: a page size up to 500 (a report of 100 000 people is 200 pages) and a keyset
// cursor on the SID, the primary key, so a person added or removed between pages moves
// no one else.
import { decodeCursor } from '../shared/cursor.ts';
import { badInput } from '../shared/errors.ts';
import { wholeArgument } from '../shared/inputs.ts';

/** The field name its cursors carry (a cursor of another list is refused). */
export const ROLL_FIELD = 'offenders';

/** Largest page of the roll. */
export const MAX_ROLL_PAGE = 500;

/** Checks `first` (1 to 500, default 100) and `after` (a cursor of `offenders`). */
export function parseRollPage(args: { first?: number | null; after?: string | null }): { first: number; afterSid?: string } {
  const first = wholeArgument(args.first, 'first', MAX_ROLL_PAGE, 100);
  if (!args.after) return { first };
  const [sid] = decodeCursor(ROLL_FIELD, args.after, 1);
  if (typeof sid !== 'string' || !/^\d{9}$/.test(sid)) throw badInput(`after "${args.after}" is not a cursor of offenders; expected the endCursor of a previous page`, 'after');
  return { first, afterSid: sid };
}
