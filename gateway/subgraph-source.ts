// How the gateway calls one subgraph: the data source @apollo/gateway hands each fetch of
// a query plan to. Each call takes a slot in its subgraph's bulkhead (waiting at most until
// the request's budget runs out), carries a fresh token the gateway signs for that subgraph
// (subgraphs/shared/trust.ts) and the request id, and nothing the client sent.
//
// It implements Apollo's GraphQLDataSource interface directly instead of extending
// RemoteGraphQLDataSource, which builds node-fetch Headers twice and a node-fetch Request
// it never sends for every call, parses a Cache-Control header the gateway does not use,
// and needs an AsyncLocalStorage to hand the request's budget to its fetcher (which puts
// promise hooks on every promise in the process). Measured in docs/performance.md.
import { STATUS_CODES } from 'node:http';
import { GraphQLError } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { logger } from '../subgraphs/shared/log.ts';
import type { Identity } from '../subgraphs/shared/identity.ts';
import type { SigningKey } from '../subgraphs/shared/keys.ts';
import { signSubgraphToken } from '../subgraphs/shared/trust.ts';
import type { Bulkhead } from './limits/bulkhead.ts';
import { deadlineExceeded, isAbort, type Deadline } from './limits/deadline.ts';
import { subgraphFetch } from './subgraph-fetch.ts';
import type { CallIntervals } from './own-time.ts';
import { FetchBatcher, type Fetch } from './subgraph-batch.ts';

/** What a subgraph call needs from the gateway's per-request context. */
export interface CallContext {
  requestId: string;
  identity: Identity;
  subgraphsCalled?: Set<string>;
  deadline?: Deadline;
  /** Where each call's start and end are noted (the gateway's own time, gateway/own-time.ts). */
  calls?: CallIntervals;
}

export interface SubgraphSourceOptions {
  subgraph: string;
  url: string;
  key: SigningKey;
  /** The per-subgraph timeout; a call gets this or what is left of the request's budget, whichever is shorter. */
  timeoutMs: number;
  bulkhead?: Bulkhead;
  /** Starts timing one call (the gateway's /metrics); the function it returns ends it. */
  time?: () => (outcome: 'ok' | 'error') => void;
}

export class SubgraphSource<TContext extends CallContext = CallContext> implements GraphQLDataSource<TContext> {
  /** Per request (its context), the fetches to this subgraph waiting to go out together (subgraph-batch.ts). */
  private readonly batchers = new WeakMap<object, FetchBatcher>();
  constructor(private readonly options: SubgraphSourceOptions) {}

  async process(call: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const context = call.context as Partial<CallContext>;
    if (!context?.identity || !context.requestId) throw new Error('no identity in the gateway context; the door should have refused this request');
    if (!call.request.query) throw new Error(`the query plan sent ${this.options.subgraph} a fetch without a query`);
    let batcher = this.batchers.get(context);
    if (!batcher) {
      batcher = new FetchBatcher((fetch) => this.call(fetch, context as CallContext));
      this.batchers.set(context, batcher);
    }
    // Every failure of a call, or of a merged answer that cannot be split, is told once here.
    return batcher.fetch(call.request as Fetch).catch((error: Error) => {
      throw this.failure(error, context.deadline);
    });
  }

  // One HTTP call: within the request's budget, holding a slot of the subgraph's bulkhead.
  private async call(fetch: Fetch, context: CallContext): Promise<GatewayGraphQLResponse> {
    const { subgraph, bulkhead } = this.options;
    // An expired budget is refused in send(), after the wait for a slot too.
    const release = bulkhead ? await bulkhead.acquire(context.deadline) : () => {};
    try {
      context.subgraphsCalled?.add(subgraph);
      return await this.send(fetch, context);
    } finally {
      release();
    }
  }

  private async send(request: Fetch, context: CallContext): Promise<GatewayGraphQLResponse> {
    const { subgraph, url, key, timeoutMs, time } = this.options;
    // The per-subgraph timeout or what is left of the request's budget, whichever is shorter.
    const left = context.deadline ? context.deadline.remaining() : Infinity;
    if (context.deadline && left <= 0) throw deadlineExceeded(subgraph, context.deadline);
    // A timer cleared when the call ends: AbortSignal.timeout's cannot be, so every call's
    // fired later and built a TimeoutError for a call long answered (issue 12: 0.8 % of
    // the gateway's busy time in those timers).
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const done = time?.();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('The subgraph call timed out', 'TimeoutError')), Math.max(1, Math.ceil(Math.min(left, timeoutMs))));
    timer.unref();
    const signal = timeout.signal;
    const started = performance.now();
    try {
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${await signSubgraphToken(key, context.identity, subgraph)}`,
        'x-request-id': context.requestId,
      };
      const response = await subgraphFetch(url, { method: 'POST', headers, body, signal });
      if (response.status < 200 || response.status >= 300) throw new Error(`${subgraph} answered HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`);
      const result = JSON.parse(response.body) as unknown;
      if (!result || typeof result !== 'object' || Array.isArray(result)) throw new Error(`${subgraph} answered ${typeof result === 'object' ? 'a JSON array or null' : `a JSON ${typeof result}`}, expected a GraphQL result object`);
      done?.('ok');
      return result as GatewayGraphQLResponse;
    } catch (error) {
      done?.('error');
      throw error; // process() says what it means (failure())
    } finally {
      clearTimeout(timer);
      context.calls?.add(started, performance.now());
    }
  }

  // A subgraph that cannot be reached, times out or answers with an HTTP error costs only
  // its own fields: the error is tagged with the subgraph so the client is told which
  // agency and source systems are missing (gateway/errors.ts), never the URL or the cause.
  private failure(error: Error, deadline?: Deadline): GraphQLError {
    const { subgraph } = this.options;
    // The gateway's own errors (DEADLINE_EXCEEDED, a full bulkhead's GATEWAY_OVERLOADED, one already told) say why as they are.
    if (error instanceof GraphQLError && error.extensions?.code) return error;
    if (deadline?.expired() && isAbort(error)) return deadlineExceeded(subgraph, deadline);
    logger.warn({ err: error, subgraph }, 'subgraph call failed');
    return new GraphQLError(`subgraph ${subgraph} failed`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph } });
  }
}
