// Thin resolvers: check arguments, then read through the per-request loaders (or, for the
// two root look-ups that are not by SID, the store, priming the SID loader with what it
// found so the offender's other fields reuse the row).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { toPage } from '../shared/cursor.ts';
import { parseRollPage, ROLL_FIELD } from './roll.ts';
import { parseSid, wholeArgument } from '../shared/inputs.ts';
import type { BaseContext } from '../shared/module.ts';
import type { Dissemination } from '../shared/dissemination.ts';
import type { PublicSafetyLoaders } from './loaders.ts';
import { parseFbiNumber, parseSearch, SEARCH_FIELD, type SearchArgs } from './search.ts';
import { searchKeyOf, type OffenderCriteria, type OffenderRecord, type PublicSafetyStore } from './store/index.ts';
import { disclosed, type DisclosureInput } from '../shared/disclosure.ts';
import { badInput } from '../shared/errors.ts';
import { feedResolver } from '../shared/outbox/resolvers.ts';
import { erasedDockets } from './store/changes.ts';

/** OffenderConnection.matchCount's bound: the default, and the most a caller may ask for. */
const DEFAULT_MATCH_COUNT = 1000;
const MAX_MATCH_COUNT = 100_000;

export interface PublicSafetyContext extends BaseContext {
  store: PublicSafetyStore;
  loaders: PublicSafetyLoaders;
  /** What this request may receive (C.G.S. 54-142k; the loaders already apply it). */
  dissemination: Dissemination;
}

export const resolvers: GraphQLResolverMap<PublicSafetyContext> = {
  Query: {
    publicSafetyChanges: feedResolver('public-safety', erasedDockets), // change feed, service identities only (issue 9)
    publicSafetyKnownSids: async (_root, args: { sids: string[] }, ctx) => {
      if (args.sids.length > 100) throw badInput(`sids has ${args.sids.length} entries; expected at most 100`, 'sids');
      const wanted = args.sids.map((sid) => parseSid(sid, 'sids'));
      return (await ctx.loaders.offenderBySid.loadMany(wanted)).flatMap((found, i) => (found && !(found instanceof Error) ? [wanted[i]] : []));
    },
    offender: (_root, args: { sid: string }, ctx) => ctx.loaders.offenderBySid.load(parseSid(args.sid)),
    offenderByFbiNumber: async (_root, args: { fbiNumber: string }, ctx) => {
      const offender = await ctx.store.offenderByFbiNumber(parseFbiNumber(args.fbiNumber));
      if (offender) ctx.loaders.offenderBySid.prime(offender.sid, offender);
      return offender;
    },
    searchOffenders: async (_root, args: SearchArgs, ctx) => {
      const { criteria, first, after } = parseSearch(args);
      const hits = await ctx.store.searchOffenders(criteria, first + 1, after);
      for (const { offender } of hits) ctx.loaders.offenderBySid.prime(offender.sid, offender);
      const page = toPage(SEARCH_FIELD, hits, first, (hit) => searchKeyOf(hit.offender));
      // One edge per person: the offender, and which of its names the search matched.
      const edges = page.edges.map((edge) => ({ get cursor() { return edge.cursor; }, node: edge.node.offender, matchedName: edge.node.matchedName, matchedOn: edge.node.matchedOn }));
      return { edges, pageInfo: page.pageInfo, criteria };
    },
    offenders: async (_root, args: { first?: number | null; after?: string | null }, ctx) => {
      const { first, afterSid } = parseRollPage(args);
      const rows = await ctx.store.offendersAfter(first + 1, afterSid);
      for (const offender of rows) ctx.loaders.offenderBySid.prime(offender.sid, offender);
      return toPage(ROLL_FIELD, rows, first, (offender) => [offender.sid]);
    },
  },
  OffenderPage: {
    // Counted only when asked for: one more statement.
    totalCount: (_page: unknown, _args, ctx) => ctx.store.countPeople(),
  },
  OffenderConnection: {
    // Counted only when asked for: a second statement over the same criteria.
    totalCount: (connection: { criteria: OffenderCriteria }, _args, ctx) => ctx.store.countOffenders(connection.criteria),
    // A second statement too, reading at most atMost + 1 index entries per name source.
    matchCount: (connection: { criteria: OffenderCriteria }, args: { atMost?: number | null }, ctx) => {
      return ctx.store.countOffendersUpTo(connection.criteria, wholeArgument(args.atMost, 'atMost', MAX_MATCH_COUNT, DEFAULT_MATCH_COUNT));
    },
  },
  Offender: {
    // A reference keeps erasedDockets, which arrests @requires (shared/disclosure.ts).
    __resolveReference: async (ref: { sid: string } & DisclosureInput, ctx: PublicSafetyContext) => {
      const offender = await ctx.loaders.offenderBySid.load(ref.sid);
      return offender && { ...offender, erasedDockets: ref.erasedDockets };
    },
    aliases: (offender: OffenderRecord, _args, ctx) => ctx.loaders.aliasesBySid.load(offender.sid),
    scarsMarksTattoos: (offender: OffenderRecord, _args, ctx) => ctx.loaders.scarsMarksTattoosBySid.load(offender.sid),
    arrests: async (offender: OffenderRecord & DisclosureInput, _args, ctx) =>
      disclosed(await ctx.loaders.arrestsBySid.load(offender.sid), (arrest) => arrest.docketNumber, offender, ctx),
    sexOffenderRegistration: (offender: OffenderRecord, _args, ctx) => ctx.loaders.registrationBySid.load(offender.sid),
  },
};
