// @apollo/gateway with nothing of this project's around it, as a contender in
// `npm run bench -- --apollo`: the floor of the executor the design prescribes
// (docs/ARCHITECTURE.md), over the same subgraph processes. Apollo Server and Apollo's own
// RemoteGraphQLDataSource as shipped (the same package versions and patches as the
// gateway; the cache-control plugin off, as there), given only a hook that signs each
// subgraph call the way this gateway does (the subgraphs answer nothing else) and the
// gateway's own clock (gateway/own-time.ts: first middleware to the answer handed to the
// socket, minus the time a subgraph call was open, spanning what this gateway's spans),
// shown at GET /metrics under the same name, so the benchmark reads both the same way. No
// user authentication, permission cut, audit, bulkheads or budget; no batching of entity
// fetches or plan coalescing (the gateway's, gateway/subgraph-batch.ts, plan-coalesce.ts).
//
// Settings (environment): APOLLO_BARE_PORT, APOLLO_BARE_SUBGRAPH_URLS (JSON: subgraph name
// → URL), OBTS_GATEWAY_KEY_FILE (the gateway's key file), APOLLO_BARE_IDENTITY (JSON: the
// Identity the calls are signed for).
import '../../gateway/telemetry-off.ts';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { readSupergraph } from '../../gateway/server.ts';
import { ownTime, type CallIntervals, type OwnTimeLocals } from '../../gateway/own-time.ts';
import { loadGatewayKey, signSubgraphToken } from '../../subgraphs/shared/trust.ts';
import type { Identity } from '../../subgraphs/shared/identity.ts';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    console.error(`apollo contender: ${name} is not set; see bench/apollo/server.ts`);
    process.exit(2);
  }
  return value;
};
const port = Number(need('APOLLO_BARE_PORT'));
const urls = JSON.parse(need('APOLLO_BARE_SUBGRAPH_URLS')) as Record<string, string>;
const identity = JSON.parse(need('APOLLO_BARE_IDENTITY')) as Identity;
const key = await loadGatewayKey(need('OBTS_GATEWAY_KEY_FILE'));

type Context = { calls: CallIntervals };

// The call interval spans what this gateway's does (gateway/subgraph-source.ts): the token's
// signing, the HTTP exchange, reading the body and parsing it; the request's JSON and
// headers stay outside it, as they do there. So the fetcher signs and notes when it started,
// and parseBody ends the interval once the answer is parsed.
const startedAt = new WeakMap<object, number>();
class SignedSource extends RemoteGraphQLDataSource<Context> {
  constructor(subgraph: string, url: string) {
    super({ url });
    const shipped = this.fetcher;
    this.fetcher = async (input, init) => {
      const started = performance.now();
      const headers = { ...(init?.headers as Record<string, string>), authorization: `Bearer ${await signSubgraphToken(key, { ...identity, requestId: randomUUID() }, subgraph)}` };
      const response = await shipped(input, { ...init, headers });
      startedAt.set(response, started);
      return response;
    };
  }
  override async parseBody(response: Parameters<RemoteGraphQLDataSource<Context>['parseBody']>[0], request: Parameters<RemoteGraphQLDataSource<Context>['parseBody']>[1], context?: Context) {
    const body = await super.parseBody(response, request, context);
    const started = startedAt.get(response);
    if (started !== undefined) context?.calls?.add(started, performance.now());
    return body;
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readSupergraph(),
  buildService: ({ name }) => {
    if (!urls[name]) throw new Error(`APOLLO_BARE_SUBGRAPH_URLS has no URL for subgraph ${name}`);
    return new SignedSource(name, urls[name]);
  },
});
// Cache control off, as in this gateway (its per-field hook is a cost neither needs).
const server = new ApolloServer<Context>({ gateway, plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()] });
await server.start();

let ownCount = 0;
let ownSum = 0;
const app = express();
app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
app.get('/metrics', (_req, res) => void res.type('text/plain').send(`obts_gateway_own_seconds_sum ${ownSum}\nobts_gateway_own_seconds_count ${ownCount}\n`));
app.use('/graphql', ownTime((ms) => {
  ownCount += 1;
  ownSum += ms / 1000;
}), express.json({ limit: '1mb' }), expressMiddleware(server, { context: async ({ res }) => ({ calls: (res.locals as OwnTimeLocals).calls! }) }));
const listener = http.createServer(app).listen(port, '127.0.0.1', () => console.error(`apollo contender listening on http://127.0.0.1:${port}/graphql`));
const stop = () => listener.close(() => void server.stop().finally(() => process.exit(process.exitCode ?? 0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
