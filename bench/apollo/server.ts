// @apollo/gateway with nothing of this project's around it, as a contender in
// `npm run bench -- --apollo`: the floor of the executor the design prescribes
// (docs/ARCHITECTURE.md), over the same subgraph processes. Apollo Server and Apollo's own
// RemoteGraphQLDataSource as shipped (the same package versions and patches as the
// gateway), given only a hook that signs each subgraph call the way this gateway does (the
// subgraphs answer nothing else) and the gateway's own clock (gateway/own-time.ts: first
// byte in to the answer handed to the socket, minus the time a subgraph call was open),
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
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { readSupergraph } from '../../gateway/server.ts';
import { CallIntervals } from '../../gateway/own-time.ts';
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

class SignedSource extends RemoteGraphQLDataSource<Context> {
  constructor(private readonly subgraph: string, url: string) {
    super({ url });
  }
  override async willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]): Promise<void> {
    request.http?.headers.set('authorization', `Bearer ${await signSubgraphToken(key, { ...identity, requestId: randomUUID() }, this.subgraph)}`);
  }
  override async process(options: GraphQLDataSourceProcessOptions<Context>) {
    const started = performance.now();
    try {
      return await super.process(options);
    } finally {
      (options.context as Partial<Context>).calls?.add(started, performance.now());
    }
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readSupergraph(),
  buildService: ({ name }) => {
    if (!urls[name]) throw new Error(`APOLLO_BARE_SUBGRAPH_URLS has no URL for subgraph ${name}`);
    return new SignedSource(name, urls[name]);
  },
});
const server = new ApolloServer<Context>({ gateway, plugins: [ApolloServerPluginLandingPageDisabled()] });
await server.start();

let ownCount = 0;
let ownSum = 0;
const app = express();
app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
app.get('/metrics', (_req, res) => void res.type('text/plain').send(`obts_gateway_own_seconds_sum ${ownSum}\nobts_gateway_own_seconds_count ${ownCount}\n`));
app.use('/graphql', (_req, res, next) => {
  const calls = new CallIntervals();
  res.locals.calls = calls;
  res.once('finish', () => {
    ownCount += 1;
    ownSum += calls.own() / 1000;
  });
  next();
}, express.json({ limit: '1mb' }), expressMiddleware(server, { context: async ({ res }) => ({ calls: res.locals.calls as CallIntervals }) }));
const listener = http.createServer(app).listen(port, '127.0.0.1', () => console.error(`apollo contender listening on http://127.0.0.1:${port}/graphql`));
const stop = () => listener.close(() => void server.stop().finally(() => process.exit(process.exitCode ?? 0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
