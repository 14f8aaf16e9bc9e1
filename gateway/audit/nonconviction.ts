// Which nonconviction information an answer disclosed, per person (C.G.S. 54-142g defines
// it: a pending case, or charges nolled, dismissed or found not guilty; 54-142h(c) asks
// for a record of every disclosure: what, to whom, when). Read from the answer in the same
// walk that takes the audit's hidden SIDs out of it, so each item is tied to the person it
// is about. It records what the answer showed: a pending case whose status was not asked for is in the
// record's SIDs (who) but not listed here as pending (what).
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode, type ValueNode } from 'graphql';
import { AUDIT_SID_KEY } from './subjects.ts';

const NONCONVICTION_DISPOSITIONS = new Set(['NOLLE', 'DISMISSED', 'NOT_GUILTY']);

/** What the walk needs of the request: the operation that ran (with the audit's hidden selections), its fragments, its variables. */
export interface DisclosureRequest {
  operation?: OperationDefinitionNode | null;
  document?: DocumentNode | null;
  variables?: Record<string, unknown> | null;
}

export interface Disclosures {
  /** Every offender SID the answer disclosed, sorted, each once (hidden SIDs, `sid` fields, `sid` arguments). */
  sids: string[];
  /** Nonconviction information shown, per person. */
  nonconviction: { sid: string; what: string[] }[];
}

// The fields the rules read, by field name: a client's alias renames the key in the answer,
// never what the field is (`d: docketNumber s: status` still shows a pending case).
type RuleField = 'docketNumber' | 'status' | 'dispositionCode' | 'count' | 'statute' | 'verdict' | 'sequence';
const RULE_FIELDS: ReadonlySet<string> = new Set<RuleField>(['docketNumber', 'status', 'dispositionCode', 'count', 'statute', 'verdict', 'sequence']);

/**
 * Who an answer disclosed and which nonconviction information, in one walk over the answer
 * beside the operation, so that an alias can hide neither (C.G.S. 54-142h(c)):
 * - the hidden SIDs (subjects.ts) are collected and removed, so the client sees exactly
 *   what it asked for; `sid` fields under any alias and `sid` arguments of fields that
 *   answered (`offender(sid: …) { name }` shows that person without returning the SID)
 *   count too;
 * - each nonconviction item is tied to the person it is about: the nearest hidden SID above
 *   it (every Offender has one, subjects.ts), never a field a client aliased as `sid`.
 * Without an operation (none was resolved) the answer's keys are read as field names.
 */
export function takeDisclosures(request: DisclosureRequest, data: unknown): Disclosures {
  const sids = new Set<string>();
  const found = new Map<string, Set<string>>();
  const holders: Record<string, unknown>[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of request.document?.definitions ?? []) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variables = request.variables ?? {};
  const add = (sid: string | null, item: string) => {
    if (!sid) return;
    let items = found.get(sid);
    if (!items) found.set(sid, (items = new Set()));
    items.add(item);
  };
  // Calls `visit` for each field selection that applies to `record` (through fragments), or for each key without an operation.
  const each = (selections: readonly SelectionNode[] | null, record: Record<string, unknown>, visit: (key: string, name: string, child: readonly SelectionNode[] | null, sidArgument: ValueNode | undefined) => void): void => {
    if (!selections) {
      for (const key in record) visit(key, key, null, undefined);
      return;
    }
    for (const selection of selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) each(selection.selectionSet.selections, record, visit);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) each(fragments.get(selection.name.value)?.selectionSet.selections ?? [], record, visit);
      else visit(selection.alias?.value ?? selection.name.value, selection.name.value, selection.selectionSet?.selections ?? null, selection.arguments?.find((argument) => argument.name.value === 'sid')?.value);
    }
  };
  const walk = (selections: readonly SelectionNode[] | null, value: unknown, sid: string | null, docket: string | null): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') walk(selections, item, sid, docket);
      return;
    }
    const record = value as Record<string, unknown>;
    // First the fields the rules read and the hidden SID, whatever their keys.
    const rule: Partial<Record<RuleField, unknown>> = {};
    let court = null as { value: Record<string, unknown>; selections: readonly SelectionNode[] | null } | null;
    let own = null as string | null;
    each(selections, record, (key, name, child) => {
      const field = record[key];
      if (field === undefined || field === null) return;
      if (key === AUDIT_SID_KEY) {
        collectStrings(field, sids);
        own ??= firstSid(field);
        holders.push(record);
      } else if (RULE_FIELDS.has(name)) rule[name as RuleField] ??= field;
      else if (name === 'courtDisposition' && typeof field === 'object') court ??= { value: field as Record<string, unknown>, selections: child };
    });
    const person = own ?? sid;
    const number = typeof rule.docketNumber === 'string' ? rule.docketNumber : docket;
    const where = number ? `case ${number}` : 'a case';
    if (typeof rule.docketNumber === 'string' && rule.status === 'OPEN') add(person, `${where} pending`);
    if (typeof rule.dispositionCode === 'string' && NONCONVICTION_DISPOSITIONS.has(rule.dispositionCode)) add(person, `${where} charge ${rule.count ?? rule.statute ?? ''} ${rule.dispositionCode}`.replace(/ {2,}/g, ' '));
    if (rule.verdict === 'NOT_GUILTY') add(person, `${where} charge ${rule.count ?? ''} verdict NOT_GUILTY`.replace(/ {2,}/g, ' '));
    if (court) {
      let code: unknown;
      const disposition = court.value;
      each(court.selections, disposition, (key, name) => { if (name === 'code') code ??= disposition[key]; });
      if (typeof code === 'string' && NONCONVICTION_DISPOSITIONS.has(code)) add(person, `arrest charge ${rule.sequence ?? ''} ${code}`.replace(/ {2,}/g, ' '));
    }
    // Then every field: SIDs shown, and the walk down.
    each(selections, record, (key, name, child, sidArgument) => {
      if (key === AUDIT_SID_KEY) return;
      const field = record[key];
      if (field === undefined || field === null) return;
      if (name === 'sid' && typeof field === 'string') sids.add(field);
      const argument = sidArgument && (sidArgument.kind === Kind.VARIABLE ? variables[sidArgument.name.value] : sidArgument.kind === Kind.STRING ? sidArgument.value : undefined);
      if (typeof argument === 'string') sids.add(argument);
      if (typeof field === 'object') walk(child, field, person, number);
    });
  };
  if (data && typeof data === 'object') walk(request.operation?.selectionSet.selections ?? null, data, null, null);
  // Removed only now: an object reached twice (two fragments selecting it) reads its hidden SID each time.
  for (const record of holders) delete record[AUDIT_SID_KEY];
  return {
    sids: [...sids].sort(),
    nonconviction: [...found].map(([sid, what]) => ({ sid, what: [...what].sort() })).sort((a, b) => a.sid.localeCompare(b.sid)),
  };
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value && typeof value === 'object') for (const key in value) collectStrings((value as Record<string, unknown>)[key], into);
}

function firstSid(hidden: unknown): string | null {
  if (typeof hidden === 'string') return hidden;
  if (!hidden || typeof hidden !== 'object') return null;
  for (const key in hidden) {
    const sid = firstSid((hidden as Record<string, unknown>)[key]);
    if (sid) return sid;
  }
  return null;
}
