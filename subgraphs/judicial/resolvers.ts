// Thin resolvers: check the arguments, ask a per-request loader (or, for the warrant
// search, the store), shape pages. Every list and every reference goes through a loader
// batch, so the statements per request do not grow with the rows returned.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { decodeCursor, pageOf, toPage } from '../shared/cursor.ts';
import { badInput } from '../shared/errors.ts';
import { parseDate, parseDocket, parseFirst } from '../shared/inputs.ts';
import type { BaseContext } from '../shared/module.ts';
import type { Dissemination } from '../shared/dissemination.ts';
import type { JudicialLoaders } from './loaders.ts';
import type { CourtCaseRecord, JudicialStore, ProtectiveOrderRecord, WarrantFilter, WarrantKey } from './store/index.ts';
import { statisticsQueries } from './statistics.ts';
import { docketOrNull, parseCourtCode, parseOrderNumber, parseWarrantNumber, todayInConnecticut } from './inputs.ts';
import { feedResolver } from '../shared/outbox/resolvers.ts';
import { erasedDockets } from './store/changes.ts';

/** What every Judicial resolver receives. */
export interface JudicialContext extends BaseContext {
  store: JudicialStore;
  loaders: JudicialLoaders;
  /** What this request may receive (C.G.S. 54-142k; the loaders already apply it). */
  dissemination: Dissemination;
}

/** An order with the date its status is judged on (today, or the `activeOn` asked for). */
type DatedOrder = ProtectiveOrderRecord & { statusDate: string };

/** Whether an order is in effect on `date`: vacated or expired by then, or active. */
export function orderStatus(order: ProtectiveOrderRecord, date: string): 'ACTIVE' | 'EXPIRED' | 'VACATED' {
  if (order.vacatedDate !== null && order.vacatedDate <= date) return 'VACATED';
  if (order.expirationDate < date) return 'EXPIRED';
  return 'ACTIVE';
}

/** Issued on or before `date` and neither expired nor vacated by then. */
function inEffectOn(order: ProtectiveOrderRecord, date: string): boolean {
  return order.issuedDate <= date && orderStatus(order, date) === 'ACTIVE';
}

const reference = (record: { sid: string }) => ({ sid: record.sid });

export const resolvers: GraphQLResolverMap<JudicialContext> = {
  Query: {
    ...statisticsQueries,
    judicialChanges: feedResolver('judicial', erasedDockets), // change feed, service identities only (issue 9)
    courtCase: (_: unknown, args: { docketNumber: string }, ctx: JudicialContext) =>
      ctx.loaders.caseByDocket.load(parseDocket(args.docketNumber)),
    warrant: (_: unknown, args: { warrantNumber: string }, ctx: JudicialContext) =>
      ctx.loaders.warrantByNumber.load(parseWarrantNumber(args.warrantNumber)),
    protectiveOrder: async (_: unknown, args: { orderNumber: string }, ctx: JudicialContext): Promise<DatedOrder | null> => {
      const order = await ctx.loaders.orderByNumber.load(parseOrderNumber(args.orderNumber));
      return order && { ...order, statusDate: todayInConnecticut() };
    },
    warrants: async (_: unknown, args: { status?: string | null; court?: string | null; issuedAfter?: string | null; first?: number | null; after?: string | null }, ctx: JudicialContext) => {
      const filter: WarrantFilter = {
        status: args.status ?? undefined,
        court: args.court == null ? undefined : parseCourtCode(args.court),
        issuedAfter: args.issuedAfter == null ? undefined : parseDate(args.issuedAfter, 'issuedAfter'),
      };
      const first = parseFirst(args.first);
      const after = args.after == null ? undefined : warrantKey(args.after);
      // Warrants are nonconviction information: none for a conviction-only purpose.
      if (ctx.dissemination === 'conviction-only') return { ...toPage('warrants', [], first, () => []), totalCount: 0 };
      const rows = await ctx.store.searchWarrants(filter, first + 1, after);
      const page = toPage('warrants', rows, first, (w) => [w.issuedDate, w.warrantNumber]);
      return { ...page, totalCount: () => ctx.store.countWarrants(filter) };
    },
  },

  Offender: {
    __resolveReference: (ref: { sid: string }) => ({ sid: ref.sid }),
    erasedDockets: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => ctx.loaders.erasedDocketsBySid.load(offender.sid),
    courtCases: courtCasesOf,
    warrants: warrantsOf,
    protectiveOrders: protectiveOrdersOf,
    // What tracking reads (@requires), never narrowed by the client's arguments (schema.graphql).
    casesForTracking: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => courtCasesOf(offender, { first: 100 }, ctx),
    warrantsForTracking: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => warrantsOf(offender, {}, ctx),
    protectiveOrdersForTracking: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => protectiveOrdersOf(offender, {}, ctx),
    infractions: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => ctx.loaders.infractionsBySid.load(offender.sid),
    probation: (offender: { sid: string }, _: unknown, ctx: JudicialContext) => ctx.loaders.probationBySid.load(offender.sid),
  },

  CourtCase: {
    __resolveReference: (ref: { docketNumber: string }, ctx: JudicialContext) => {
      const docket = docketOrNull(ref.docketNumber);
      return docket === null ? null : ctx.loaders.caseByDocket.load(docket);
    },
    charges: (kase: CourtCaseRecord, _: unknown, ctx: JudicialContext) => ctx.loaders.chargesByDocket.load(kase.docketNumber),
    offender: reference,
  },

  Warrant: {
    offender: reference,
  },

  ProtectiveOrder: {
    status: (order: DatedOrder) => orderStatus(order, order.statusDate),
    protectedPersons: (order: DatedOrder, _: unknown, ctx: JudicialContext) => ctx.loaders.protectedPersonsByOrder.load(order.orderNumber),
    offender: reference,
  },
};

// Private: the `after` cursor of the warrant search, as [issuedDate, warrantNumber].
function warrantKey(cursor: string): WarrantKey {
  const [issuedDate, warrantNumber] = decodeCursor('warrants', cursor, 2);
  if (typeof issuedDate !== 'string' || !isDate(issuedDate) || typeof warrantNumber !== 'string') {
    throw badInput(`after "${cursor}" is not a cursor of warrants; expected the endCursor of a previous page of warrants`, 'after');
  }
  return [issuedDate, warrantNumber];
}

// Private: whether a cursor part is a real calendar date (a forged cursor must not reach SQL).
function isDate(text: string): boolean {
  try {
    parseDate(text, 'after');
    return true;
  } catch {
    return false;
  }
}

// Private: a person's cases, warrants and orders, as the API's fields and tracking's read them.
async function courtCasesOf(offender: { sid: string }, args: { status?: string | null; first?: number | null; after?: string | null }, ctx: JudicialContext) {
  const first = parseFirst(args.first);
  const cases = await ctx.loaders.casesBySid.load(offender.sid);
  const matching = args.status ? cases.filter((c) => c.status === args.status) : cases;
  return { ...pageOf('courtCases', matching, first, args.after, (c) => [c.arraignmentDate, c.docketNumber], ['desc', 'desc']), totalCount: matching.length };
}

async function warrantsOf(offender: { sid: string }, args: { status?: string | null }, ctx: JudicialContext) {
  const warrants = await ctx.loaders.warrantsBySid.load(offender.sid);
  return args.status ? warrants.filter((w) => w.status === args.status) : warrants;
}

async function protectiveOrdersOf(offender: { sid: string }, args: { activeOn?: string | null }, ctx: JudicialContext): Promise<DatedOrder[]> {
  const date = args.activeOn == null ? todayInConnecticut() : parseDate(args.activeOn, 'activeOn');
  const orders = await ctx.loaders.ordersBySid.load(offender.sid);
  const chosen = args.activeOn == null ? orders : orders.filter((o) => inEffectOn(o, date));
  return chosen.map((o) => ({ ...o, statusDate: date }));
}
