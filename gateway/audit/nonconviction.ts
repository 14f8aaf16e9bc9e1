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
 * One selection set as the answer holds it: a field per response key, the sub-selections of
 * every field under that key merged (GraphQL merges `a { x } a { y }`, and fragments, into one
 * object), as graphql-js's collectFields does. Built once per document and selection set,
 * each child when the walk first needs it. Without an operation, an object's own keys stand
 * for its fields (`KEYS`).
 */
interface Plan {
  fields: PlanField[];
  /** Response keys of the fields the rules read, with their field names. */
  rules: Array<{ key: string; name: RuleField }>;
  /** Every `courtDisposition` under any key. */
  courts: PlanField[];
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}
const KEYS = 'keys';
interface PlanField {
  key: string;
  name: string;
  sidArgument: ValueNode | undefined;
  selections: SelectionNode[];
  child: Plan | typeof KEYS | null | undefined; // undefined: not built yet; null: a leaf
}

/** Per document (the permission cut can change a fragment and keep the operation node): its fragments and the plans of its operations. */
const plans = new WeakMap<DocumentNode, { fragments: Map<string, FragmentDefinitionNode>; roots: WeakMap<OperationDefinitionNode, Plan> }>();

function rootPlan(document: DocumentNode, operation: OperationDefinitionNode): Plan {
  let known = plans.get(document);
  if (!known) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    plans.set(document, (known = { fragments, roots: new WeakMap() }));
  }
  let root = known.roots.get(operation);
  if (!root) known.roots.set(operation, (root = planOf(operation.selectionSet.selections, known.fragments)));
  return root;
}

function planOf(selections: readonly SelectionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): Plan {
  const byKey = new Map<string, PlanField>();
  const collect = (list: readonly SelectionNode[], visited: Set<string>): void => {
    for (const selection of list) {
      if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections, visited);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        collect(fragment.selectionSet.selections, visited);
      } else {
        const key = selection.alias?.value ?? selection.name.value;
        let field = byKey.get(key);
        if (!field) byKey.set(key, (field = { key, name: selection.name.value, sidArgument: selection.arguments?.find((argument) => argument.name.value === 'sid')?.value, selections: [], child: undefined }));
        if (selection.selectionSet) field.selections.push(...selection.selectionSet.selections);
      }
    }
  };
  collect(selections, new Set());
  return planFrom([...byKey.values()], fragments);
}

// Private: an object read by its own keys (no operation), every key a field of that name.
function keysPlan(record: Record<string, unknown>): Plan {
  return planFrom(Object.keys(record).map((key) => ({ key, name: key, sidArgument: undefined, selections: [], child: KEYS })), new Map());
}

function planFrom(fields: PlanField[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): Plan {
  return {
    fields,
    rules: fields.filter((field) => RULE_FIELDS.has(field.name)).map((field) => ({ key: field.key, name: field.name as RuleField })),
    courts: fields.filter((field) => field.name === 'courtDisposition'),
    fragments,
  };
}

// Private: the plan of `field`'s value `value` (built on first use), or null for a leaf.
function childPlan(field: PlanField, plan: Plan, value: Record<string, unknown>): Plan | null {
  if (field.child === undefined) field.child = field.selections.length ? planOf(field.selections, plan.fragments) : null;
  return field.child === KEYS ? keysPlan(value) : field.child;
}

/**
 * Who an answer disclosed and which nonconviction information, in one walk over the answer
 * beside the operation, so that neither an alias nor a fragment can hide them (C.G.S.
 * 54-142h(c)):
 * - the hidden SIDs (subjects.ts) are collected and removed (null ones too), so the client
 *   sees exactly what it asked for; `sid` fields under any alias and `sid` arguments of
 *   fields that answered (`offender(sid: …) { name }` shows that person without returning
 *   the SID) count too;
 * - each nonconviction item is tied to the person it is about: the nearest hidden SID above
 *   it (every Offender has one, subjects.ts), never a field a client aliased as `sid`.
 * Without an operation (none was resolved) the answer's keys are read as field names.
 */
export function takeDisclosures(request: DisclosureRequest, data: unknown): Disclosures {
  const sids = new Set<string>();
  const found = new Map<string, Set<string>>();
  const holders: Record<string, unknown>[] = [];
  const variables = request.variables ?? {};
  const add = (sid: string | null, item: string) => {
    if (!sid) return;
    let items = found.get(sid);
    if (!items) found.set(sid, (items = new Set()));
    items.add(item);
  };
  const where = (number: string | null) => (number ? `case ${number}` : 'a case');

  const walk = (plan: Plan | typeof KEYS, value: unknown, sid: string | null, docket: string | null): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') walk(plan, item, sid, docket);
      return;
    }
    const record = value as Record<string, unknown>;
    const view = plan === KEYS ? keysPlan(record) : plan;
    let own: string | null = null;
    if (AUDIT_SID_KEY in record) {
      const hidden = record[AUDIT_SID_KEY];
      collectStrings(hidden, sids);
      own = firstSid(hidden);
      holders.push(record);
    }
    const person = own ?? sid;
    // The rules, over the values of the fields they read (whatever their keys).
    const read: Partial<Record<RuleField, unknown>> = {};
    for (const { key, name } of view.rules) if (record[key] !== undefined && record[key] !== null) read[name] ??= record[key];
    const number = typeof read.docketNumber === 'string' ? read.docketNumber : docket;
    if (typeof read.docketNumber === 'string' && read.status === 'OPEN') add(person, `${where(number)} pending`);
    if (typeof read.dispositionCode === 'string' && NONCONVICTION_DISPOSITIONS.has(read.dispositionCode)) add(person, `${where(number)} charge ${read.count ?? read.statute ?? ''} ${read.dispositionCode}`.replace(/ {2,}/g, ' '));
    if (read.verdict === 'NOT_GUILTY') add(person, `${where(number)} charge ${read.count ?? ''} verdict NOT_GUILTY`.replace(/ {2,}/g, ' '));
    for (const court of view.courts) {
      const disposition = record[court.key];
      if (!disposition || typeof disposition !== 'object') continue;
      const inner = childPlan(court, view, disposition as Record<string, unknown>);
      for (const field of inner?.fields ?? []) {
        const code = (disposition as Record<string, unknown>)[field.key];
        if (field.name === 'code' && typeof code === 'string' && NONCONVICTION_DISPOSITIONS.has(code)) add(person, `arrest charge ${read.sequence ?? ''} ${code}`.replace(/ {2,}/g, ' '));
      }
    }
    // Then every field: SIDs shown, and the walk down.
    for (const field of view.fields) {
      if (field.key === AUDIT_SID_KEY) continue;
      const child = record[field.key];
      if (child === undefined || child === null) continue;
      if (field.name === 'sid' && typeof child === 'string') sids.add(child);
      const argument = field.sidArgument && (field.sidArgument.kind === Kind.VARIABLE ? variables[field.sidArgument.name.value] : field.sidArgument.kind === Kind.STRING ? field.sidArgument.value : undefined);
      if (typeof argument === 'string') sids.add(argument);
      if (typeof child !== 'object') continue;
      if (field.child === KEYS) walk(KEYS, child, person, number);
      else {
        const inner = childPlan(field, view, child as Record<string, unknown>);
        if (inner) walk(inner, child, person, number);
      }
    }
  };

  if (data && typeof data === 'object') {
    const { operation, document } = request;
    walk(operation && document ? rootPlan(document, operation) : KEYS, data, null, null);
  }
  // Removed only now: an object reached twice reads its hidden SID each time.
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
