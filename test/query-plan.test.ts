// Every query plan hands a guarded field its @requires (issue 9, the disclosure guard).
// The JavaScript query planner of @apollo/gateway 2.13 drops a field's own @requires when
// that field is part of another field's @requires (tracking's) and the entity came from
// the same subgraph; patches/ carries our fix (gateway/planner-patch.ts). This walks the
// plans of every way into an offender's tracking status and checks that each fetch of a
// field with @requires is an entity fetch whose representations carry the required fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TypeInfo, visit, visitWithTypeInfo, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type FetchNode, type SubscriptionNode } from '@apollo/query-planner';
import { ROOT, SUBGRAPHS } from '../schema/subgraphs.ts';
import { TRACKING_QUERY } from '../bench/scenarios.ts';
import { assertPlannerPatched } from '../gateway/planner-patch.ts';

const STATUS = 'trackingStatus { stage since cases { docketNumber stage } } timeline(first: 5) { totalCount }';
const ENTRIES: Record<string, string> = {
  'by SID': `query($v: ID!) { offender(sid: $v) { sid ${STATUS} } }`,
  'by FBI number': `query($v: String!) { offenderByFbiNumber(fbiNumber: $v) { sid ${STATUS} } }`,
  'by docket': `query($v: ID!) { courtCase(docketNumber: $v) { offender { sid ${STATUS} } } }`,
  'by inmate number': `query($v: ID!) { inmate(inmateNumber: $v) { offender { sid ${STATUS} } } }`,
  'by warrant': `query($v: ID!) { warrant(warrantNumber: $v) { offender { sid ${STATUS} } } }`,
  'by protective order': `query($v: ID!) { protectiveOrder(orderNumber: $v) { offender { sid ${STATUS} } } }`,
  'name search (the benchmark)': TRACKING_QUERY,
  'tracking beside filtered lists of its own sources': `query($v: ID!) { offender(sid: $v) { courtCases(status: OPEN, first: 1) { totalCount } warrants(status: ACTIVE) { warrantNumber } ${STATUS} } }`,
  'guarded fields and tracking together': `query($v: ID!) { offender(sid: $v) { arrests { date } custody { status } sentences { inmateNumber } ${STATUS} } }`,
};

interface Guarded { subgraph: string; requires: string[] }

/** Type.field → the subgraph that resolves it with a @requires, and the top-level fields it requires. */
function guardedFields(): Map<string, Guarded[]> {
  const map = new Map<string, Guarded[]>();
  for (const entry of SUBGRAPHS) {
    const sdl = parse(readFileSync(path.join(ROOT, entry.sdl), 'utf8'));
    for (const definition of sdl.definitions) {
      if ((definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) || !definition.fields) continue;
      for (const field of definition.fields) {
        const directive = field.directives?.find((d) => d.name.value === 'requires');
        const fields = directive?.arguments?.find((a) => a.name.value === 'fields')?.value;
        if (!fields || fields.kind !== Kind.STRING) continue;
        const top = (parse(`{ ${fields.value} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet.selections
          .map((s) => (s.kind === Kind.FIELD ? s.name.value : '')).filter(Boolean);
        const key = `${definition.name.value}.${field.name.value}`;
        map.set(key, [...(map.get(key) ?? []), { subgraph: entry.name, requires: top }]);
      }
    }
  }
  return map;
}

function fetches(node: PlanNode | SubscriptionNode | undefined, into: FetchNode[] = []): FetchNode[] {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch': into.push(node); break;
    case 'Flatten': fetches(node.node, into); break;
    case 'Sequence': case 'Parallel': for (const child of node.nodes) fetches(child, into); break;
    case 'Condition': fetches(node.ifClause, into); fetches(node.elseClause, into); break;
    case 'Defer': fetches(node.primary.node, into); for (const d of node.deferred) fetches(d.node, into); break;
    case 'Subscription': fetches(node.primary, into); fetches(node.rest, into); break;
    default: break;
  }
  return into;
}

/** The top-level field names the representations of an entity fetch carry. */
function representationFields(fetch: FetchNode): Set<string> {
  const names = new Set<string>();
  for (const selection of fetch.requires ?? []) {
    if (selection.kind === 'InlineFragment') for (const inner of selection.selections) if (inner.kind === 'Field') names.add(inner.name);
  }
  return names;
}

describe('query plans hand every guarded field its @requires (the disclosure guard)', () => {
  const supergraph = Supergraph.build(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
  const planner = new QueryPlanner(supergraph);
  const guarded = guardedFields();
  const schemas = new Map(SUBGRAPHS.map((entry) => [entry.name, buildSubgraphSchema({ typeDefs: parse(readFileSync(path.join(ROOT, entry.sdl), 'utf8')) })]));

  it('the installed planner carries the patch (the gateway refuses to start without it)', () => {
    assert.doesNotThrow(() => assertPlannerPatched());
    assert.ok([...guarded.keys()].includes('Offender.arrests') && [...guarded.keys()].includes('Offender.custody'), 'the guarded fields are found in the subgraph SDL');
  });

  for (const [name, query] of Object.entries(ENTRIES)) {
    it(`tracking status ${name}: each guarded field is fetched with what it requires`, () => {
      const plan = planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
      let checked = 0;
      for (const fetch of fetches(plan.node)) {
        const schema = schemas.get(fetch.serviceName)!;
        const typeInfo = new TypeInfo(schema);
        const document: DocumentNode = parse(fetch.operation);
        visit(document, visitWithTypeInfo(typeInfo, {
          Field(field) {
            const parent = typeInfo.getParentType();
            const entries = parent && guarded.get(`${parent.name}.${field.name.value}`)?.filter((g) => g.subgraph === fetch.serviceName);
            if (!entries?.length) return;
            checked += 1;
            const carried = representationFields(fetch);
            for (const { requires } of entries) {
              const missing = requires.filter((r) => !carried.has(r));
              assert.deepEqual(missing, [], `${fetch.serviceName} fetches ${parent!.name}.${field.name.value} without ${missing.join(', ')} in its representations:\n${fetch.operation}`);
            }
          },
        }));
      }
      assert.ok(checked > 0, 'the plan fetches at least one guarded field');
    });
  }
});
