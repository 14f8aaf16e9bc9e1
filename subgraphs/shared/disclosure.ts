// The disclosure guard (C.G.S. 54-142a, issue 9). A record another agency keeps about a
// court docket may leave only while the Judicial Branch does not hold that docket as
// erased: the field that lists such records @requires Offender.erasedDockets, which the
// judicial subgraph answers from CCMS (one statement per batch; @inaccessible, so no
// client can ask for it). This closes the window between the clerk's erasure and the
// moment this agency's own store has applied it (subgraphs/shared/events/erasure.ts).
// A docket CCMS does not know (another court's, or not yet entered) is the agency's own
// to disclose.
import type { BaseContext } from './module.ts';

/** What @requires(fields: "erasedDockets") hands the resolver. */
export interface DisclosureInput {
  erasedDockets?: readonly string[] | null;
}

/**
 * The records whose docket judicial does not hold as erased. Fails closed: a gateway
 * request that brings no list (judicial did not answer) gets only the records that carry
 * no docket. In-process calls (tests through executeOperation, which carry no identity
 * and skip permissions too) are not filtered when they pass no list.
 */
export function disclosed<T>(records: readonly T[], docketOf: (record: T) => string | null, parent: DisclosureInput, ctx: BaseContext): T[] {
  const list = parent.erasedDockets;
  if (!list) return ctx.identity ? records.filter((record) => docketOf(record) === null) : [...records];
  const erased = new Set(list);
  return records.filter((record) => {
    const docket = docketOf(record);
    return docket === null || !erased.has(docket);
  });
}
