// Thin resolvers over the rules: the gateway hands each Offender representation over
// with every field the @requires selection names (fetched from the agencies on this
// request); readFacts turns it into lists, the rules derive status and timeline. No
// loader and no store: nothing here reads anything the request did not bring.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { toPage } from '../shared/cursor.ts';
import { parseSid } from '../shared/inputs.ts';
import type { BaseContext } from '../shared/module.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { representationCompleter } from './absent.ts';
import { readFacts, type OffenderRepresentation } from './facts.ts';
import { parseTimelineArgs, TIMELINE_FIELD, type TimelineArgs } from './inputs.ts';
import { trackingStatus } from './status.ts';
import { timelineOf } from './timeline.ts';

export type TrackingContext = BaseContext;

/** Absent @requires fields read as null (or the agency's field as not arrived), whatever the router: absent.ts. */
const completeRepresentation = representationCompleter(parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')));

export const resolvers: GraphQLResolverMap<TrackingContext> = {
  Offender: {
    // The representation carries the required fields: keep them all, with the SID checked.
    __resolveReference: (ref: OffenderRepresentation) => ({ ...completeRepresentation(ref), sid: parseSid(ref.sid) }),
    trackingStatus: (offender: OffenderRepresentation) => trackingStatus(readFacts(offender)),
    timeline: (offender: OffenderRepresentation, args: TimelineArgs) => {
      const query = parseTimelineArgs(args);
      const facts = readFacts(offender);
      const events = timelineOf(facts).filter((e) =>
        (query.from === null || e.date >= query.from) && (query.to === null || e.date <= query.to) && (query.kinds === null || query.kinds.has(e.kind)));
      if (query.newestFirst) events.reverse();
      const start = query.after === null ? 0 : events.findIndex((e) => (query.newestFirst ? e.position < query.after! : e.position > query.after!));
      const rows = start < 0 ? [] : events.slice(start, start + query.first + 1);
      return { ...toPage(TIMELINE_FIELD, rows, query.first, (e) => [e.position]), totalCount: events.length, unavailableSources: facts.unavailable };
    },
  },
};
