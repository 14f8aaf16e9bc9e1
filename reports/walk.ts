// The population walk: pages of the MNI roll (`offenders(first, after)`) through the
// gateway, each page one request that carries every agency field the report needs, so
// each agency is asked once per page (the gateway batches the page's SIDs), never once per
// person. Only one page is held at a time. Fields the caller's roles may not see come back
// null with FORBIDDEN on the first page: the walk notes them as withheld and leaves them
// out of every later page, so the report goes on without them instead of failing.
//
// The gateway prices a page by its size (the cost limit, CJIS SC-5); a first page refused
// as over the limit is asked again, smaller in proportion (the refusal names the limit and
// the cost, and the cost grows with the page size), with a note, so the default page size
// never makes a report fail against a gateway with a tighter limit.
import { QueryCostError } from './client.ts';
import type { RunContext } from './types.ts';

/** One agency field a report asks of each offender. */
export interface WalkPart {
  /** Top-level field of Offender, e.g. `custody`. */
  field: string;
  /** Source system and agency, for the note when it is withheld, e.g. "OMIS (Department of Correction)". */
  system: string;
  /** The field with its selection, e.g. `custody { admissionDate releaseDate }`. */
  selection: string;
}

/** What a report learns while walking: which parts were withheld. */
export interface WalkState {
  withheld: Set<string>;
  /** True when the roll itself (MNI) was withheld: there is no population to walk. */
  rollWithheld: boolean;
}

type RollPage = { offenders: null | { totalCount?: number; edges: Array<{ node: Record<string, any> & { sid: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** The walk's GraphQL document for these parts. */
export function walkQuery(parts: WalkPart[]): string {
  return `query ReportWalk($first: Int!, $after: String, $count: Boolean!) {
  offenders(first: $first, after: $after) {
    totalCount @include(if: $count)
    edges { node { sid ${parts.map((part) => part.selection).join(' ')} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

/** Yields the offenders of the roll page by page (arrays of nodes); `state` says what was withheld. */
export async function* walkOffenders(context: RunContext, parts: WalkPart[], state: WalkState): AsyncGenerator<Array<Record<string, any> & { sid: string }>> {
  let active = parts;
  let after: string | null = null;
  let pages = 0;
  let rows = 0;
  let totalPages: number | null = null;
  let size = context.options.pageSize;
  for (;;) {
    let answer: { data: RollPage; forbidden: Array<{ path?: Array<string | number>; extensions?: { requires?: string[] } }> };
    try {
      answer = await context.client.request<RollPage>(walkQuery(active), { first: size, after, count: pages === 0 });
    } catch (error) {
      if (!(error instanceof QueryCostError) || pages > 0 || size === 1) throw error;
      const smaller = Math.max(1, Math.min(size - 1, Math.floor((size * error.limit) / error.cost)));
      context.note(`a page of ${size} people costs ${error.cost}, over the gateway's cost limit of ${error.limit}: the walk reads pages of ${smaller}`);
      size = smaller;
      continue;
    }
    if (pages === 0) {
      for (const error of answer.forbidden) {
        const path = error.path ?? [];
        const requires = (error.extensions?.requires ?? []).join(', ');
        if (path.length === 1 && path[0] === 'offenders') {
          state.rollWithheld = true;
          context.note(`MNI (Department of Public Safety) withheld: the population walk needs permission ${requires || 'mni:read'}, which your roles do not grant; nothing of this report could be computed`);
          continue;
        }
        const field = path[path.indexOf('node') + 1];
        const part = parts.find((candidate) => candidate.field === field);
        if (part && !state.withheld.has(part.field)) {
          state.withheld.add(part.field);
          context.note(`${part.system} withheld: your roles do not grant ${requires}; the figures that need it are left out of this report`);
        }
      }
      active = parts.filter((part) => !state.withheld.has(part.field));
      const total = answer.data.offenders?.totalCount;
      if (typeof total === 'number') totalPages = Math.max(1, Math.ceil(total / size));
    }
    const roll = answer.data.offenders;
    if (!roll) return;
    pages += 1;
    rows += roll.edges.length;
    context.progress.page(pages, totalPages, rows);
    yield roll.edges.map((edge) => edge.node);
    if (!roll.pageInfo.hasNextPage || !roll.pageInfo.endCursor) return;
    after = roll.pageInfo.endCursor;
  }
}
