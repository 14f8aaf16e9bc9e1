// The cost limit, counting what will run (CJIS Security Policy SC-5 denial-of-service
// protection). graphql-armor's cost rule is a validation rule: it never sees the request's
// variables, so it multiplies a list by `first` only when `first` is a literal. With
// `first: $n` (n = 100) or no `first` at all (the schema's default of 20) it counted one
// item, and a 15-alias query of 100-item pages ran for seconds.
//
// This rule is armor's estimate (every field costs 1, every object 2, each level deeper
// weighs 1.5 times more, a paginated field times its page size) with the page size taken
// from what the subgraph will use: the literal, else the variable's value, else the
// variable's default in the operation, else the argument's default in the schema. It runs
// once the operation is resolved (didResolveOperation), before the permission cut, the
// plan or any subgraph call, and refuses with QUERY_LIMIT_EXCEEDED (400).
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { UserCostShare } from './user-cost.ts';
import {
  getNamedType, getOperationAST, isCompositeType, Kind, valueFromAST, valueFromASTUntyped,
  type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode, type ValueNode, GraphQLError,
} from 'graphql';

/** armor's weights, kept so GATEWAY_MAX_COST keeps its meaning. */
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;
/** Arguments that set how many items a list field returns. */
const PAGE_ARGUMENTS = ['first', 'last'];
/**
 * Arguments that bound the rows a field reads without returning them (matchCount's
 * `atMost`: index entries counted, up to two per unit of the bound). Each unit weighs half
 * a scalar field, once per time the field runs: a count on a connection runs once per
 * connection, not once per item of its page, so the enclosing field's page size does not
 * multiply it (armor's rule multiplies everything under a paginated field). A count to the
 * largest bound (100 000) weighs about 75 000: it fits the default limit (100 000) beside a
 * plain 25-result search page, not beside the tracking search (84 000), and two do not
 * fit; fifteen aliases of it, which armor costed at under 200, are refused. The default
 * bound (1 000) adds 760-940 to a search page, its fields included.
 */
const ROW_BOUND_ARGUMENTS = ['atMost'];
const ROW_BOUND_COST = 0.5;

/** The field with a page size or a row bound that weighs most in an operation's cost, as a refusal names it. */
export interface HeaviestPart {
  /** e.g. `Offender.courtCases(first: 100)` or `OffenderConnection.matchCount(atMost: 100000)`. */
  field: string;
  /** Its share of the cost, everything under it included. */
  cost: number;
}

/** The estimated cost of one operation with its variables; `heaviest`, when given, is set to its heaviest sized field. */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>, heaviest?: { part: HeaviestPart | null }): number {
  const variableDefaults = new Map(
    (operation.variableDefinitions ?? []).flatMap((definition) => (definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)]] : [])),
  );
  type Given = readonly { name: { value: string }; value: ValueNode }[];
  // Private: the whole number the field will use for the first of `names` it has (the
  // literal, the variable, its default, the schema's default), or `fallback`.
  const sizeArgument = (field: GraphQLField<unknown, unknown>, given: Given, names: readonly string[], fallback: number): number => {
    for (const name of names) {
      const definition = field.args.find((argument) => argument.name === name);
      if (!definition) continue;
      const node = given.find((argument) => argument.name.value === name)?.value;
      let value: unknown;
      if (node?.kind === Kind.VARIABLE) {
        const variable = node.name.value;
        value = Object.hasOwn(variables, variable) ? variables[variable] : variableDefaults.get(variable);
      } else if (node) value = valueFromAST(node, definition.type, variables);
      if (value === undefined || value === null) value = definition.defaultValue;
      return typeof value === 'number' && Number.isInteger(value) && value > fallback ? value : fallback;
    }
    return fallback;
  };
  // The page size this field will use (1 when it is not paginated), and the rows it reads beyond what it returns.
  const pageSize = (field: GraphQLField<unknown, unknown>, given: Given) => sizeArgument(field, given, PAGE_ARGUMENTS, 1);
  const bound = (field: GraphQLField<unknown, unknown>, given: Given) => sizeArgument(field, given, ROW_BOUND_ARGUMENTS, 0);
  // `enclosingPage`: the page size of the field whose selection this is (what the caller
  // multiplies the result by), so that a per-run cost can be taken out of that product.
  // `scale`: what this walk's total is multiplied by on its way to the operation's cost (for naming the heaviest part).
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, seen: ReadonlySet<string>, enclosingPage: number, scale: number): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema' || selection.name.value === '__type') continue; // introspection is exempt, as in armor
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        const type = field && getNamedType(field.type);
        if (!selection.selectionSet || !field || !type || !isCompositeType(type)) {
          total += DEPTH_FACTOR * SCALAR_COST;
          continue;
        }
        const given = selection.arguments ?? [];
        const page = pageSize(field, given);
        const rows = bound(field, given);
        const part = DEPTH_FACTOR * (OBJECT_COST + (rows * ROW_BOUND_COST) / enclosingPage + walk(selection.selectionSet, type, seen, page, scale * DEPTH_FACTOR * page)) * page;
        total += part;
        if (heaviest && (page > 1 || rows > 0) && part * scale > (heaviest.part?.cost ?? 0)) {
          const sized = [page > 1 ? `${PAGE_ARGUMENTS.find((name) => field.args.some((argument) => argument.name === name))}: ${page}` : null, rows > 0 ? `${ROW_BOUND_ARGUMENTS[0]}: ${rows}` : null].filter(Boolean).join(', ');
          heaviest.part = { field: `${parent.name}.${field.name}(${sized})`, cost: part * scale };
        }
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        const inner = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen;
        if (condition && isCompositeType(condition)) total += walk(fragment.selectionSet, condition, inner, enclosingPage, scale);
      }
    }
    return total;
  };
  const root = schema.getRootType(operation.operation);
  return root ? walk(operation.selectionSet, root, new Set(), 1, 1 / DEPTH_FACTOR) / DEPTH_FACTOR : 0;
}

/** Each user's share of the running work, weighed by this cost (gateway/limits/user-cost.ts). */
export interface CostShareOptions {
  share: UserCostShare;
  /** Longest wait for the share (GATEWAY_QUEUE_TIMEOUT_MS), capped by the request's budget. */
  waitMs: number;
}

const RETRY_AFTER_S = 1;

/**
 * The plugin: refuses an operation whose cost, variables included, is over `maxCost`; a
 * research and statistics run (purpose R, audited as one aggregate) walks the population a
 * page at a time and gets `statisticalMaxCost` instead. With `costShare`, an operation within
 * the limit then waits until it fits its user's share of the work running, or is refused
 * with 429 USER_CONCURRENCY_LIMIT; it gives the share back when its response is sent.
 */
export function costLimitPlugin(maxCost: number, statisticalMaxCost = maxCost, costShare?: CostShareOptions): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ schema, document, request, contextValue }) {
          const limit = contextValue?.identity?.purpose === 'R' ? statisticalMaxCost : maxCost;
          const operation = getOperationAST(document, request.operationName);
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          const heaviest: { part: HeaviestPart | null } = { part: null };
          const cost = Math.round(operationCost(schema, operation, fragments, request.variables ?? {}, heaviest));
          if (cost > limit) {
            // Armor's wording first (clients match it: reports/client.ts), then what to change.
            const part = heaviest.part && ` Most of it is ${heaviest.part.field}, about ${Math.round(heaviest.part.cost)}; expected an estimated cost of at most ${limit}: ask for ${heaviest.part.field.includes('atMost') ? 'a lower atMost, ' : ''}smaller pages (first), fewer lists inside lists or fewer aliases.`;
            throw new GraphQLError(`Query refused: Query Cost limit of ${limit} exceeded, found ${cost}.${part ?? ''}`, { extensions: { limitExceeded: true, http: { status: 400 } } });
          }
          const userId = contextValue?.identity?.userId;
          if (!costShare || !userId) return;
          const got = await costShare.share.acquire(userId, cost, { deadline: contextValue.deadline, waitMs: costShare.waitMs, gone: contextValue.gone });
          if (got.ok) {
            release = got.release;
            return;
          }
          const { held, limit: share, waitedMs } = got.refusal;
          throw new GraphQLError(
            `Your requests in progress already use ${held} of your share of ${share} (estimated query cost) and this one costs ${cost}; it waited ${Math.round(waitedMs)} ms for them to finish. Nothing was asked of any agency; wait for one to finish, then retry (after ${RETRY_AFTER_S} s)`,
            { extensions: { code: 'USER_CONCURRENCY_LIMIT', reason: 'user-cost', http: { status: 429, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_S)]]) } } },
          );
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
