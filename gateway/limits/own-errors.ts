// How the gateway says that it, not an agency, is why some fields are missing: its request
// budget ran out (DEADLINE_EXCEEDED, gateway/limits/deadline.ts) or it held a call back at a
// subgraph's bulkhead (GATEWAY_OVERLOADED, gateway/limits/bulkhead.ts). The client can tell
// "retry, the gateway was busy or the request too slow overall" from "this agency is down".
import type { GraphQLFormattedError } from 'graphql';
import type { SubgraphEntry } from '../../schema/subgraphs.ts';

/** The formatted error for one of the gateway's own limit codes, or undefined for any other error. */
export function gatewayLimitError(formatted: GraphQLFormattedError, source: SubgraphEntry | undefined): GraphQLFormattedError | undefined {
  const code = formatted.extensions?.code;
  if (code !== 'DEADLINE_EXCEEDED' && code !== 'GATEWAY_OVERLOADED') return undefined;
  const base = { locations: formatted.locations, path: formatted.path };
  const who = source ? `${source.agency} (${source.systems.join(', ')})` : 'an agency';
  const extensions = { code, ...(source ? { source: source.name, systems: source.systems } : {}) };
  if (code === 'DEADLINE_EXCEEDED') {
    const budget = Number(formatted.extensions?.budgetMs);
    return { ...base, message: `The request's time budget${budget ? ` of ${budget} ms` : ''} ran out before ${who} answered; its fields in this response are null. The agency did not report a failure: retry, or ask for less`, extensions: { ...extensions, budgetMs: budget || undefined } };
  }
  return { ...base, message: `The gateway is at its limit of concurrent calls to ${who}; its fields in this response are null. The agency did not report a failure: retry after 1 s`, extensions };
}
