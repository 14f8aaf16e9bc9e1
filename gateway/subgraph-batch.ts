// Entity fetches of one request to one subgraph that the query plan runs side by side go out
// as one HTTP call: `_entities` fields under aliases, each with its variables renamed, in one
// operation; the answer is split back per fetch (data by alias, errors by the first element
// of their path). A full profile made three calls to correction (parole beside judicial,
// then sentences and custody beside a court case's correctional sentence); the two of the
// second stage are now one. Each call costs the agency a token check, a request through
// Apollo Server and a socket round trip; the plan and its stages stay as they are.
//
// Only entity fetches are merged (one `_entities` root field, no fragment definitions);
// anything else goes out alone. Merged documents are built once per combination of fetches
// and kept (the plan's fetches repeat request after request).
import { Kind, parse, print, stripIgnoredCharacters, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** One subgraph fetch as the query plan gives it. */
export interface Fetch {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

type Sent = (fetch: Fetch) => Promise<GatewayGraphQLResponse>;

interface Pending {
  fetch: Fetch;
  resolve(response: GatewayGraphQLResponse): void;
  reject(error: unknown): void;
}

// Private: `compute(key)`, remembered (the plan's fetches repeat request after request); the
// memo starts over when it holds MAX_REMEMBERED keys, so odd queries cannot grow it.
const MAX_REMEMBERED = 2000;
function remembered<T>(memo: Map<string, T>, key: string, compute: (key: string) => T): T {
  if (memo.has(key)) return memo.get(key)!;
  const value = compute(key);
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  memo.set(key, value);
  return value;
}

/** Whether a fetch can join a batch: a single `_entities` field, no fragments. */
const mergeable = new Map<string, boolean>();
export const canMerge = (query: string): boolean => remembered(mergeable, query, () => {
  try {
    const [operation, ...rest] = parse(query).definitions;
    if (rest.length || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || operation.selectionSet.selections.length !== 1) return false;
    const [field] = operation.selectionSet.selections;
    return field.kind === Kind.FIELD && field.name.value === '_entities' && !field.alias;
  } catch {
    return false;
  }
});

/** The merged operation for these queries, in this order (built once per combination). */
const merged = new Map<string, { query: string; operationName: string }>();
function mergedQuery(queries: string[]): { query: string; operationName: string } {
  return remembered(merged, queries.join('\u0000'), () => {
    const operations = queries.map((query, i) => renameVariables(parse(query).definitions[0] as OperationDefinitionNode, prefix(i)));
    const operationName = `${operations[0].name?.value ?? 'Entities'}__batch`;
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [{
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        name: { kind: Kind.NAME, value: operationName },
        variableDefinitions: operations.flatMap((operation) => operation.variableDefinitions ?? []),
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: operations.map((operation, i) => ({ ...(operation.selectionSet.selections[0] as any), alias: { kind: Kind.NAME, value: alias(i) } })),
        },
      } as OperationDefinitionNode],
    };
    return { query: stripIgnoredCharacters(print(document)), operationName };
  });
}

const alias = (i: number) => `_obtsBatch${i}`;
/** Fetch i's variables in the merged operation: `$b{i}_name` (a name cannot start with a digit, so none collide). */
const prefix = (i: number) => `b${i}_`;

function renameVariables(operation: OperationDefinitionNode, prefix: string): OperationDefinitionNode {
  return visit(operation, {
    Variable: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
  }) as OperationDefinitionNode;
}

/**
 * Collects the fetches `send` would make for one request and subgraph until the current
 * round of the plan has started all of its fetches (setImmediate), then sends those that can
 * be merged as one call and the rest alone.
 */
export class FetchBatcher {
  private waiting: Pending[] = [];
  private scheduled = false;
  constructor(private readonly send: Sent) {}

  fetch(fetch: Fetch): Promise<GatewayGraphQLResponse> {
    if (!canMerge(fetch.query)) return this.send(fetch);
    return new Promise((resolve, reject) => {
      this.waiting.push({ fetch, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    if (batch.length === 1) {
      this.send(batch[0].fetch).then(batch[0].resolve, batch[0].reject);
      return;
    }
    const variables: Record<string, unknown> = {};
    batch.forEach((entry, i) => {
      for (const [name, value] of Object.entries(entry.fetch.variables ?? {})) variables[prefix(i) + name] = value;
    });
    this.send({ ...mergedQuery(batch.map((entry) => entry.fetch.query)), variables }).then((response) => {
      if (response.errors !== undefined && (!Array.isArray(response.errors) || response.errors.some((error) => !error || typeof error !== 'object'))) {
        throw new Error('the subgraph answered "errors" that is not a list of error objects');
      }
      const data = response.data as Record<string, unknown> | null | undefined;
      // One fetch's `_entities` failing nulls the whole answer (it is non-null): then each
      // fetch goes again alone, so only the failing one fails, as it would have unmerged.
      if (!data || typeof data !== 'object' || batch.some((_, i) => !(alias(i) in data))) {
        for (const entry of batch) this.send(entry.fetch).then(entry.resolve, entry.reject);
        return;
      }
      batch.forEach((entry, i) => entry.resolve(partOf(response, i)));
    }).catch((error) => {
      for (const entry of batch) entry.reject(error);
    });
  }
}

// Private: one fetch's share of a merged answer that holds every fetch's alias. An error
// with a path belongs to the fetch its first element names; one without, to every fetch.
function partOf(response: GatewayGraphQLResponse, i: number): GatewayGraphQLResponse {
  const key = alias(i);
  const data = { _entities: (response.data as Record<string, unknown>)[key] };
  const errors = response.errors?.flatMap((error) => {
    const path = error?.path;
    if (!path?.length) return [error];
    if (path[0] !== key) return [];
    return [{ ...error, path: ['_entities', ...path.slice(1)] }];
  });
  return { data, ...(errors?.length ? { errors } : {}), ...(response.extensions ? { extensions: response.extensions } : {}) } as GatewayGraphQLResponse;
}
