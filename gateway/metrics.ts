// Prometheus metrics for operators (prom-client): requests by operation and outcome,
// their duration, and each subgraph call's duration — so a slow agency shows up as its
// own line. Labels never carry offender data; operation names are the client's own words,
// so only well-formed names are kept and their number is capped.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';

export interface GatewayMetrics {
  registry: Registry;
  plugin: ApolloServerPlugin<any>;
  /** The gateway's own time for one request, in milliseconds (gateway/own-time.ts). */
  observeOwn(ms: number): void;
  /** Times one subgraph call: `const done = metrics.subgraphCall('judicial'); … done('ok')`. */
  subgraphCall(subgraph: string): (outcome: 'ok' | 'error') => void;
}

const MAX_OPERATION_LABELS = 200;

/** A fresh registry with the gateway's metrics (one per gateway, so tests do not share). */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'obts_gateway_' });
  // The runtime version tells an attacker which advisories apply: not published.
  registry.removeSingleMetric('obts_gateway_nodejs_version_info');
  const requests = new Counter({ name: 'obts_graphql_requests_total', help: 'GraphQL operations by operation name and outcome', labelNames: ['operation', 'outcome'], registers: [registry] });
  const duration = new Histogram({ name: 'obts_graphql_request_duration_seconds', help: 'Time from request to response, by operation name', labelNames: ['operation'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const subgraphDuration = new Histogram({ name: 'obts_subgraph_request_duration_seconds', help: 'One call from the gateway to a subgraph, by subgraph and outcome', labelNames: ['subgraph', 'outcome'], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] });

  const own = new Histogram({ name: 'obts_gateway_own_seconds', help: 'Time the gateway spent on a GraphQL request outside its subgraph calls: from its first middleware to the answer handed to the socket, minus the time at least one subgraph call was open', buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.5], registers: [registry] });

  const seen = new Set<string>();
  const label = (name: string | null | undefined): string => {
    if (!name || !/^[A-Za-z_]\w{0,63}$/.test(name)) return name ? 'invalid' : 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_LABELS) return 'other';
    seen.add(name);
    return name;
  };

  const plugin: ApolloServerPlugin<any> = {
    async requestDidStart() {
      const began = performance.now();
      return {
        async willSendResponse({ operationName, response, errors }) {
          const operation = label(operationName);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const outcome = errors?.length && !body?.data ? 'error' : body?.errors?.length ? 'partial' : 'ok';
          requests.inc({ operation, outcome });
          duration.observe({ operation }, (performance.now() - began) / 1000);
        },
      };
    },
  };

  return {
    registry,
    plugin,
    observeOwn: (ms) => own.observe(ms / 1000),
    subgraphCall(subgraph) {
      const began = performance.now();
      return (outcome) => subgraphDuration.observe({ subgraph, outcome }, (performance.now() - began) / 1000);
    },
  };
}
