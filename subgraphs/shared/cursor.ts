// Opaque cursors for connections. A cursor encodes the sort key of the last row a page
// returned, so the next page starts after it (keyset pagination: stable under inserts,
// no OFFSET scans). The field name is inside the cursor, so a cursor from one field is
// refused by another instead of silently returning the wrong page.
import { badInput } from './errors.ts';

export type CursorKey = Array<string | number>;

/** Encodes a sort key as a cursor for `field`. */
export function encodeCursor(field: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([field, ...key]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor(field, …)` with `arity` key parts. */
export function decodeCursor(field: string, cursor: string, arity: number, argument = 'after'): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== field ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((part) => typeof part === 'string' || typeof part === 'number')
  ) {
    throw badInput(`${argument} "${cursor}" is not a cursor of ${field}; expected the endCursor of a previous page of ${field}`, argument);
  }
  return parsed.slice(1) as CursorKey;
}

/** A page of a connection, in the shape every connection type in the SDL shares. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Builds a page from rows fetched with `LIMIT first + 1`: the extra row only says that
 * another page exists.
 */
export function toPage<T>(field: string, rows: T[], first: number, keyOf: (row: T) => CursorKey): Page<T> {
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  // An edge's cursor is encoded when a client selects it (most pages are read by their
  // nodes alone, the timeline's twenty events on each of 25 people, say); endCursor likewise.
  const edges = nodes.map((node) => lazyEdge(field, node, keyOf));
  const last = nodes.length ? nodes[nodes.length - 1] : undefined;
  return {
    edges,
    pageInfo: { hasNextPage, get endCursor() { return last === undefined ? null : encodeCursor(field, keyOf(last)); } },
  };
}

// Private: an edge whose cursor is made on first read.
function lazyEdge<T>(field: string, node: T, keyOf: (row: T) => CursorKey): { readonly cursor: string; node: T } {
  let cursor: string | undefined;
  return { node, get cursor() { return (cursor ??= encodeCursor(field, keyOf(node))); } };
}

/**
 * Pages an in-memory list already sorted by `keyOf` in `directions` (one per key part; a
 * per-offender list fetched by a batch). The page starts at the first row that sorts
 * after the cursor's key, so a row that disappeared since the last page (erased, or no
 * longer matching a filter) skips nothing that follows it.
 */
export function pageOf<T>(
  field: string,
  rows: T[],
  first: number,
  after: string | null | undefined,
  keyOf: (row: T) => CursorKey,
  directions: Array<'asc' | 'desc'>,
): Page<T> {
  let start = 0;
  if (after) {
    const key = decodeCursor(field, after, directions.length);
    const index = rows.findIndex((row) => compareKeys(keyOf(row), key, directions) > 0);
    start = index < 0 ? rows.length : index;
  }
  return toPage(field, rows.slice(start, start + first + 1), first, keyOf);
}

// Private: compares keys part by part, each part in its own direction.
function compareKeys(a: CursorKey, b: CursorKey, directions: Array<'asc' | 'desc'>): number {
  for (let i = 0; i < directions.length; i += 1) {
    const order = a[i] < b[i] ? -1 : a[i] > b[i] ? 1 : 0;
    if (order !== 0) return directions[i] === 'desc' ? -order : order;
  }
  return 0;
}
