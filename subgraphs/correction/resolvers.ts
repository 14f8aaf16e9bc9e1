// Thin resolvers: check arguments, then ask a per-request loader (or, for the releases
// list, the store directly: one statement per page, one more for totalCount if asked).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { badInput } from '../shared/errors.ts';
import { checkRange, parseDate, parseDocket, parseFirst, parseInmateNumber, parseSid } from '../shared/inputs.ts';
import { decodeCursor, toPage } from '../shared/cursor.ts';
import type { BaseContext } from '../shared/module.ts';
import type { Dissemination } from '../shared/dissemination.ts';
import type { CorrectionLoaders } from './loaders.ts';
import { isSentencedStay } from './dissemination.ts';
import { GraphQLError } from 'graphql';
import type { CaseNoteRecord, CorrectionStore, IncarcerationRecord, ParoleCaseRecord, ReleaseKey } from './store/index.ts';
import { disclosed, type DisclosureInput } from '../shared/disclosure.ts';
import { feedResolver } from '../shared/outbox/resolvers.ts';
import { erasedDockets } from './store/changes.ts';

/** What the text of a sensitive parole case note needs on top of "parole:case-notes". */
export const SENSITIVE_NOTE_PERMISSION = 'por:protected-person';

export interface CorrectionContext extends BaseContext {
  store: CorrectionStore;
  loaders: CorrectionLoaders;
  /** What this request may receive (C.G.S. 54-142k; the loaders already apply it). */
  dissemination: Dissemination;
}

/** Longest release-date range one `releases` query may span, in days (a year, leap year included). */
export const MAX_RELEASE_RANGE_DAYS = 366;

type Range = { from: string; to: string };

export const resolvers: GraphQLResolverMap<CorrectionContext> = {
  Query: {
    correctionChanges: feedResolver('correction', erasedDockets), // change feed, service identities only (issue 9)
    inmate: (_: unknown, args: { inmateNumber: string }, ctx: CorrectionContext) =>
      ctx.loaders.incarcerationByInmate.load(parseInmateNumber(args.inmateNumber)),
    releases: async (_: unknown, args: { from: string; to: string; first?: number | null; after?: string | null }, ctx: CorrectionContext) => {
      const range = parseReleaseRange(args.from, args.to);
      const first = parseFirst(args.first);
      const after = args.after ? parseReleaseCursor(args.after) : undefined;
      const rows = await ctx.store.releases(range, first + 1, after);
      const page = toPage('releases', rows, first, releaseKey);
      // Conviction-only purposes (54-142k) see sentenced stays only; the cursor still moves past the rest.
      const edges = ctx.dissemination === 'conviction-only' ? page.edges.filter((edge) => isSentencedStay(edge.node)) : page.edges;
      return { ...page, edges, range };
    },
    // Statistics (store/statistics.ts): one grouped statement each.
    custodyPopulationCounts: (_: unknown, args: { on: string }, ctx: CorrectionContext) => ctx.store.custodyPopulationCounts(parseDate(args.on, 'on')),
    paroleCaseloadCounts: (_: unknown, args: { on: string }, ctx: CorrectionContext) => ctx.store.paroleCaseloadCounts(parseDate(args.on, 'on')),
  },
  IncarcerationConnection: {
    totalCount: (connection: { range: Range }, _: unknown, ctx: CorrectionContext) => ctx.store.countReleases(connection.range),
  },
  // DOC does not own Offender or CourtCase: a reference stands for itself (no lookup), and
  // each field below is loader-backed. Answering null for a SID DOC never held would null
  // the whole entity in the gateway's merge; the lists are simply empty instead.
  Offender: {
    // The reference keeps erasedDockets, which custody and sentences @require (disclosure.ts).
    __resolveReference: (ref: { sid: string } & DisclosureInput) => ({ ...ref, sid: parseSid(ref.sid) }),
    custody: async (offender: { sid: string } & DisclosureInput, _: unknown, ctx: CorrectionContext) =>
      disclosed(await ctx.loaders.custodyBySid.load(offender.sid), (stay) => stay.docketNumber, offender, ctx),
    sentences: async (offender: { sid: string } & DisclosureInput, _: unknown, ctx: CorrectionContext) =>
      disclosed(await ctx.loaders.sentencesBySid.load(offender.sid), (calc) => calc.docketNumber, offender, ctx),
    parole: (offender: { sid: string }, _: unknown, ctx: CorrectionContext) => ctx.loaders.paroleBySid.load(offender.sid),
  },
  CourtCase: {
    __resolveReference: (ref: { docketNumber: string }) => ({ docketNumber: parseDocket(ref.docketNumber) }),
    correctionalSentence: (kase: { docketNumber: string }, _: unknown, ctx: CorrectionContext) =>
      ctx.loaders.sentenceByDocket.load(kase.docketNumber),
  },
  Incarceration: {
    movements: async (stay: IncarcerationRecord, _: unknown, ctx: CorrectionContext) => {
      const movements = await ctx.loaders.movementsByInmate.load(stay.inmateNumber);
      return movements.filter((move) => move.admissionSequence === stay.admissionSequence);
    },
    offender: (stay: IncarcerationRecord) => ({ sid: stay.sid }),
  },
  ParoleCase: {
    caseNotes: (parole: ParoleCaseRecord, _: unknown, ctx: CorrectionContext) => ctx.loaders.caseNotesByParoleCase.load(parole.caseNumber),
  },
  ParoleCaseNote: {
    // A note the store flags sensitive names a victim: its text needs the protected-person
    // permission too (row-level, so it cannot be an SDL directive; in-process calls carry no identity).
    text: (note: CaseNoteRecord, _: unknown, ctx: CorrectionContext) => {
      if (note.sensitive && ctx.identity && !ctx.identity.permissions.includes(SENSITIVE_NOTE_PERMISSION)) {
        throw new GraphQLError(`Not permitted: this case note names a victim; its text needs permission "${SENSITIVE_NOTE_PERMISSION}" as well as "parole:case-notes"`, { extensions: { code: 'FORBIDDEN', requires: [SENSITIVE_NOTE_PERMISSION] } });
      }
      return note.text;
    },
  },
};

// Private: the sort key of a release, which its cursor encodes.
function releaseKey(row: IncarcerationRecord): ReleaseKey {
  return [row.releaseDate!, row.inmateNumber, row.admissionSequence];
}

/** Checks `from`/`to`: real dates, forwards, at most MAX_RELEASE_RANGE_DAYS apart. */
export function parseReleaseRange(fromValue: string, toValue: string): Range {
  const from = parseDate(fromValue, 'from');
  const to = parseDate(toValue, 'to');
  checkRange(from, to);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days > MAX_RELEASE_RANGE_DAYS) {
    throw badInput(`from (${from}) and to (${to}) are ${days} days apart; expected a range of at most ${MAX_RELEASE_RANGE_DAYS} days`, 'to');
  }
  return { from, to };
}

// Private: a cursor must hold a real date, an inmate number and an admission sequence,
// so a tampered cursor is refused as bad input instead of failing in SQL.
function parseReleaseCursor(cursor: string): ReleaseKey {
  const [date, inmate, sequence] = decodeCursor('releases', cursor, 3);
  const valid = typeof date === 'string' && isDate(date)
    && typeof inmate === 'string' && /^\d{6,7}$/.test(inmate) && Number.isInteger(sequence) && (sequence as number) > 0 && (sequence as number) < 32_768;
  if (!valid) throw badInput(`after "${cursor}" is not a cursor of releases; expected the endCursor of a previous page of releases`, 'after');
  return [date as string, inmate as string, sequence as number];
}

function isDate(value: string): boolean {
  try {
    parseDate(value, 'after');
    return true;
  } catch {
    return false;
  }
}
