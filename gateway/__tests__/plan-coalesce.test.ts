import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { ROOT } from '../../schema/subgraphs.ts';
import { PROFILE_QUERY, SEARCH_QUERY, TRACKING_QUERY } from '../../bench/scenarios.ts';
import { coalesce, coalescePlan } from '../plan-coalesce.ts';

// Runs a plan on a clock where every fetch takes one tick: which fetch starts when, and how
// many calls go out (fetches to one subgraph starting on the same tick are one call, as the
// batcher sends them, if each is an entity fetch).
interface Timed { fetch: FetchNode; start: number; end: number }
function run(node: PlanNode, at = 0, into: Timed[] = []): { end: number; fetches: Timed[] } {
  switch (node.kind) {
    case 'Fetch': into.push({ fetch: node, start: at, end: at + 1 }); return { end: at + 1, fetches: into };
    case 'Flatten': return run(node.node, at, into);
    case 'Sequence': { let t = at; for (const child of node.nodes) t = run(child, t, into).end; return { end: t, fetches: into }; }
    case 'Parallel': { let end = at; for (const child of node.nodes) end = Math.max(end, run(child, at, into).end); return { end, fetches: into }; }
    // Either branch may run: both are timed from the same start, as if side by side.
    case 'Condition': { let end = at; for (const child of [node.ifClause, node.elseClause]) if (child) end = Math.max(end, run(child, at, into).end); return { end, fetches: into }; }
    default: throw new Error(`no simulation for ${node.kind}`);
  }
}
function calls(fetches: Timed[]): number {
  const merged = new Set<string>();
  let alone = 0;
  for (const { fetch, start } of fetches) {
    if (fetch.requires) merged.add(`${fetch.serviceName}@${start}`);
    else alone++;
  }
  return merged.size + alone;
}

// Every pair (a, b) where the plan's structure makes b wait for a: a comes in an earlier child
// of a Sequence that holds both (what a fetch may need from another is only ever so ordered).
function precedence(root: PlanNode): Array<[FetchNode, FetchNode]> {
  const placed: Array<{ fetch: FetchNode; trail: Array<{ kind: string; index: number }> }> = [];
  const walk = (node: PlanNode, trail: Array<{ kind: string; index: number }>) => {
    if (node.kind === 'Fetch') placed.push({ fetch: node, trail });
    else if (node.kind === 'Flatten') walk(node.node, trail);
    else if (node.kind === 'Sequence' || node.kind === 'Parallel') node.nodes.forEach((child, index) => walk(child, [...trail, { kind: node.kind, index }]));
    else if (node.kind === 'Condition') [node.ifClause, node.elseClause].forEach((child, index) => child && walk(child, [...trail, { kind: node.kind, index }]));
    else throw new Error(`no walk for ${node.kind}`);
  };
  walk(root, []);
  const pairs: Array<[FetchNode, FetchNode]> = [];
  for (const a of placed) {
    for (const b of placed) {
      const split = a.trail.findIndex((step, i) => step.index !== b.trail[i]?.index);
      if (split >= 0 && a.trail[split].kind === 'Sequence' && a.trail[split].index < b.trail[split].index) pairs.push([a.fetch, b.fetch]);
    }
  }
  return pairs;
}

const supergraph = Supergraph.build(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
const planner = new QueryPlanner(supergraph);
const planOf = (query: string): QueryPlan => planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
const rootOf = (plan: QueryPlan) => plan.node as PlanNode;

const QUERIES: Record<string, string> = {
  profile: PROFILE_QUERY,
  search: SEARCH_QUERY,
  tracking: TRACKING_QUERY,
  'inmate with offender and tracking': 'query($v: ID!) { inmate(inmateNumber: $v) { offender { sid parole { status } custody { status } trackingStatus { stage } } } }',
  'profile parts under @include': 'query($v: ID!, $more: Boolean!) { offender(sid: $v) { sid parole { status } arrests @include(if: $more) { date } custody { status } courtCases(first: 2) { edges { node { correctionalSentence { estimatedReleaseDate } } } } } }',
  'warrant with profile parts': 'query($v: ID!) { warrant(warrantNumber: $v) { offender { sid arrests { date } parole { status } sentences { inmateNumber } courtCases(first: 2) { edges { node { correctionalSentence { estimatedReleaseDate } } } } } } }',
};

describe('query plans coalesced (plan-coalesce.ts)', () => {
  it('makes fewer calls on the profile and tracking plans and the same on the search', () => {
    const counted = Object.fromEntries(['profile', 'search', 'tracking'].map((name) => {
      const original = rootOf(planOf(QUERIES[name]));
      return [name, [calls(run(original).fetches), calls(run(coalesce(original)).fetches)]];
    }));
    // profile: parole joins the round that asks correction for sentences and custody.
    assert.deepEqual(counted, { profile: [5, 4], search: [3, 3], tracking: [6, 5] });
  });

  for (const [name, query] of Object.entries(QUERIES)) {
    it(`keeps every fetch, everything it waited for, and the plan's length: ${name}`, () => {
      const original = rootOf(planOf(query));
      const rewritten = coalesce(rootOf(planOf(query)));
      // Each tree names its fetches by subgraph, Flatten path and operation, read from itself.
      const namer = (root: PlanNode) => {
        const paths = new Map<FetchNode, string>();
        const note = (node: PlanNode, path = '') => {
          if (node.kind === 'Fetch') paths.set(node, path);
          else if (node.kind === 'Flatten') note(node.node, node.path.join('.'));
          else if (node.kind === 'Sequence' || node.kind === 'Parallel') node.nodes.forEach((child) => note(child));
          else if (node.kind === 'Condition') [node.ifClause, node.elseClause].forEach((child) => child && note(child));
        };
        note(root);
        return (fetch: FetchNode) => `${fetch.serviceName} at ${paths.get(fetch)}: ${fetch.operation}`;
      };
      const names = (root: PlanNode) => { const name = namer(root); return run(root).fetches.map((timed) => name(timed.fetch)).sort(); };
      assert.deepEqual(names(rewritten), names(original), 'the same fetches at the same paths, each once');
      assert.equal(run(rewritten).end, run(original).end, 'no more rounds than the planner made');
      const waitedFor = (root: PlanNode) => { const name = namer(root); return new Set(precedence(root).map(([a, b]) => `${name(a)} -> ${name(b)}`)); };
      const kept = waitedFor(rewritten);
      for (const pair of waitedFor(original)) assert.ok(kept.has(pair), `still in order: ${pair}`);
    });
  }

  it('rewrites the plan object it is given, so the request that planned it runs the rewritten one', () => {
    const plan = planOf(PROFILE_QUERY);
    const node = plan.node;
    assert.equal(coalescePlan(plan), plan);
    assert.notEqual(plan.node, node);
    assert.equal(calls(run(plan.node as PlanNode).fetches), 4);
  });

  const fetch = (serviceName: string, entity = true): PlanNode => {
    const node: FetchNode = {
      kind: 'Fetch', serviceName, variableUsages: [], operationName: undefined,
      operation: entity ? `query Q__${serviceName.replace('-', '_')}($representations:[_Any!]!){_entities(representations:$representations){...on Offender{sid}}}` : '{offender(sid:"1"){sid}}',
      operationKind: 'query' as FetchNode['operationKind'],
      ...(entity ? { requires: [{ kind: 'InlineFragment', typeCondition: 'Offender', selections: [{ kind: 'Field', name: 'sid' }] }] } : {}),
    } as FetchNode;
    return entity ? { kind: 'Flatten', path: ['offender'], node } : node;
  };

  it('moves nothing where the later rounds call other subgraphs, where the same subgraph is in the first round, or into a condition', () => {
    const cases: Record<string, PlanNode> = {
      'later rounds call others': { kind: 'Parallel', nodes: [fetch('correction'), { kind: 'Sequence', nodes: [fetch('judicial'), fetch('public-safety')] }] },
      'same subgraph in the first round': { kind: 'Parallel', nodes: [fetch('correction'), { kind: 'Sequence', nodes: [fetch('correction'), fetch('judicial'), fetch('correction')] }] },
      'under a condition': { kind: 'Parallel', nodes: [fetch('correction'), { kind: 'Sequence', nodes: [fetch('judicial'), { kind: 'Condition', condition: 'withCustody', ifClause: fetch('correction') }] }] },
      'a root query beside': { kind: 'Parallel', nodes: [fetch('correction', false), { kind: 'Sequence', nodes: [fetch('judicial'), fetch('correction')] }] },
    };
    for (const [name, node] of Object.entries(cases)) assert.deepEqual(coalesce(node), node, name);
  });

  it('moves a lone entity fetch into the later round that calls its subgraph, a Parallel made if the round is one fetch', () => {
    const lone = fetch('correction');
    const later = fetch('correction');
    const rewritten = coalesce({ kind: 'Parallel', nodes: [lone, { kind: 'Sequence', nodes: [fetch('judicial'), later, fetch('public-safety')] }] });
    assert.equal(rewritten.kind, 'Sequence');
    const rounds = (rewritten as any).nodes;
    assert.equal(rounds.length, 3);
    assert.deepEqual(rounds[1], { kind: 'Parallel', nodes: [later, lone] });
  });
});
