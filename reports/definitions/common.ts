// Helpers the report definitions share: calendar arithmetic on ISO dates, the seriousness
// order of offense classes, docket comparison across agencies, and asking aggregate
// fields with the fields a role may not see turned into notes.
import type { GatewayError } from '../client.ts';
import type { RunContext } from '../types.ts';

/** ISO date plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO date plus whole years (29 February lands on 1 March in a common year). */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today in Connecticut (America/New_York), YYYY-MM-DD. */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Offense classes from most to least serious (C.G.S. 53a-25, 53a-26; unclassified last of its kind). */
export const CLASS_ORDER = ['FA', 'FB', 'FC', 'FD', 'FE', 'FU', 'MA', 'MB', 'MC', 'MD', 'MU'];

/** The most serious of these offense classes ("" when none). */
export function mostSerious(classes: string[]): string {
  let best = '';
  for (const value of classes) {
    const rank = CLASS_ORDER.indexOf(value);
    if (rank >= 0 && (best === '' || rank < CLASS_ORDER.indexOf(best))) best = value;
  }
  return best;
}

/** A docket as both agencies can compare it (no hyphens, upper case). */
export const docketKey = (docket: string) => docket.replace(/-/g, '').toUpperCase();

/** Field names of the FORBIDDEN errors at the top of an answer (the aggregate fields withheld). */
export function withheldFields(forbidden: GatewayError[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const error of forbidden) if (typeof error.path?.[0] === 'string') fields.set(error.path[0], (error.extensions?.requires ?? []).join(', '));
  return fields;
}

/**
 * Asks aggregate fields in one request; each field the caller may not see becomes a note
 * naming its system, and comes back null.
 */
export async function askAggregates<T extends Record<string, unknown>>(context: RunContext, query: string, variables: Record<string, unknown>, systems: Record<string, string>): Promise<Partial<T>> {
  const answer = await context.client.request<T>(query, variables);
  for (const [field, requires] of withheldFields(answer.forbidden)) {
    context.note(`${systems[field] ?? field} withheld: your roles do not grant ${requires}; its section is left out of this report`);
  }
  return answer.data ?? {};
}

/** Per-key counters kept in insertion order (a report's groups). */
export class Tally<K extends string = string> {
  readonly groups = new Map<string, Record<K, number>>();
  constructor(private readonly measures: readonly K[]) {}
  add(group: string, measure: K, by = 1): void {
    let counts = this.groups.get(group);
    if (!counts) {
      counts = Object.fromEntries(this.measures.map((m) => [m, 0])) as Record<K, number>;
      this.groups.set(group, counts);
    }
    counts[measure] += by;
  }
  /** Groups sorted by key. */
  sorted(): Array<[string, Record<K, number>]> {
    return [...this.groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
