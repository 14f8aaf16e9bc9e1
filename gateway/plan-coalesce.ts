// Query plans rewritten once, as they enter the plan cache, so that an entity fetch the plan
// runs early beside a longer branch waits for that branch's later round that calls the same
// subgraph, and goes out in that round's call (gateway/subgraph-batch.ts merges the entity
// fetches of one round to one subgraph). A full profile's plan asks correction for parole
// beside judicial, then asks correction again for sentences and custody once judicial has
// answered: parole now joins the second call, and the profile makes four calls, not five.
//
// Moving a fetch later is safe when:
// - it sits in a Parallel, so nothing beside it needs its answer;
// - it moves into a later stage of a Sequence beside it, so whatever comes after the Parallel
//   still runs after it;
// - its representations read only what the plan had fetched before that Parallel, and that
//   data is still there;
// - the stage it joins always runs (Sequence and Parallel run every child; nothing is moved
//   into or out of a Flatten, Condition or Defer).
// It only moves when the later stage calls the same subgraph with an entity fetch it can
// merge with; the earlier round loses a call, and the later one carries one more entity
// selection.
//
// What it costs (Hive Gateway's Rust planner makes the same trade): the moved fetch shares
// the later call's fate and budget. If that merged call to the agency times out or fails,
// the moved fetch fails with it (an answer that one fetch nulled is still split fetch by
// fetch, subgraph-batch.ts), where alone it might have come back; it starts after the
// longer branch, so it gets what is left of the request's budget (GATEWAY_REQUEST_TIMEOUT_MS
// longer than SUBGRAPH_TIMEOUT_MS, as by default, leaves the last round time); and a moved
// fetch that is slow is now on the critical path. Its agency is named in the error either way.
import type { FetchNode, FlattenNode, ParallelNode, PlanNode, QueryPlan, SequenceNode } from '@apollo/query-planner';
import { canMerge } from './subgraph-batch.ts';

/** `plan` with its early lone entity fetches moved into later same-subgraph rounds (in place). */
export function coalescePlan(plan: QueryPlan): QueryPlan {
  if (plan.node && plan.node.kind !== 'Subscription') plan.node = coalesce(plan.node);
  return plan;
}

/** The node, its Parallels' movable entity fetches moved into later rounds of a sibling Sequence. */
export function coalesce(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'Sequence':
      return { ...node, nodes: node.nodes.map(coalesce) };
    case 'Parallel':
      return coalesceParallel({ ...node, nodes: node.nodes.map(coalesce) });
    default:
      return node;
  }
}

type EntityFetch = FlattenNode & { node: FetchNode };

function coalesceParallel(parallel: ParallelNode): PlanNode {
  const nodes = [...parallel.nodes];
  for (let i = 0; i < nodes.length; i++) {
    const candidate = nodes[i];
    if (!isEntityFetch(candidate)) continue;
    for (let j = 0; j < nodes.length; j++) {
      const branch = nodes[j];
      if (j === i || branch.kind !== 'Sequence') continue;
      const joined = joinLaterRound(branch, candidate);
      if (!joined) continue;
      nodes[j] = joined;
      nodes.splice(i, 1);
      i--;
      break;
    }
  }
  return nodes.length === 1 ? nodes[0] : { ...parallel, nodes };
}

/**
 * `sequence` with `fetch` added to its first round that calls the same subgraph with a
 * mergeable entity fetch, or undefined when there is none, or when it is the first round
 * (that one runs beside `fetch` already, and the batcher merges them as it is).
 */
function joinLaterRound(sequence: SequenceNode, fetch: EntityFetch): SequenceNode | undefined {
  const service = fetch.node.serviceName;
  const round = sequence.nodes.findIndex((stage) => callsWithEntityFetch(stage, service));
  if (round <= 0) return undefined;
  const stage = sequence.nodes[round];
  const nodes = [...sequence.nodes];
  nodes[round] = stage.kind === 'Parallel' ? { ...stage, nodes: [...stage.nodes, fetch] } : { kind: 'Parallel', nodes: [stage, fetch] };
  return { ...sequence, nodes };
}

function callsWithEntityFetch(stage: PlanNode, service: string): boolean {
  if (isEntityFetch(stage)) return stage.node.serviceName === service;
  return stage.kind === 'Parallel' && stage.nodes.some((child) => isEntityFetch(child) && child.node.serviceName === service);
}

function isEntityFetch(node: PlanNode): node is EntityFetch {
  return node.kind === 'Flatten' && node.node.kind === 'Fetch' && !!node.node.requires && canMerge(node.node.operation);
}
