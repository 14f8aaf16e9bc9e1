// Serves one agency subgraph over HTTP: POST /graphql (only with a gateway-signed token:
// trust.ts), GET /health (the process is up), GET /ready (its database answers). Used by each subgraph's entry and, on port 0, by
// the gateway tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLFormattedError } from 'graphql';
import type { BaseContext, StoreHandle, SubgraphModule } from './module.ts';
import type { Identity } from './identity.ts';
import { logger } from './log.ts';
import { createTrustVerifier, trustFromEnv, type TrustSource } from './trust.ts';
import { enforceFieldPermissions } from './permissions.ts';
import { isStoreSlot, openSlot, type StoreSlot } from './store-slot.ts';
import { withDeadline } from './pools.ts';

/** Longest a readiness probe waits for the store's answer (ms): /ready never hangs. */
const READY_TIMEOUT_MS = Number(process.env.SUBGRAPH_READY_TIMEOUT_MS ?? 2000);
import { readSyntheticMarker } from './synthetic.ts';
import { Counter, Registry } from 'prom-client';

export interface RunningSubgraph {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4002/graphql. */
  url: string;
  port: number;
  server: ApolloServer<any>;
  stop(): Promise<void>;
}

/** Builds the Apollo server for a subgraph module (no HTTP); tests use executeOperation. */
export function buildSubgraphServer<S extends StoreHandle, C extends BaseContext>(module: SubgraphModule<S, C>): ApolloServer<C> {
  const schema = buildSubgraphSchema([{ typeDefs: module.typeDefs, resolvers: module.resolvers as any }]);
  enforceFieldPermissions(schema); // @obtsPermission fields check the gateway-signed identity (permissions.ts)
  return new ApolloServer<C>({
    schema,
    formatError: (formatted, error) => maskError(module.name, formatted, error),
    includeStacktraceInErrorResponses: false,
    // Compact JSON for the gateway to parse (Apollo Server pretty-prints by default).
    stringifyResult: (result) => JSON.stringify(result),
    // Subgraph traces would only feed Apollo's usage reporting, which OBTS never sends; cache
    // hints (a hook on every field resolved) would only set a Cache-Control the gateway ignores.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
}

/** Replaces anything not written for the client with a generic message; logs the original. */
export function maskError(source: string, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  logger.error({ err: (error as any)?.originalError ?? error, path: formatted.path, source }, 'internal error');
  return { message: `Internal error in the ${source} subgraph`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Starts a subgraph over HTTP on `port` (0 picks a free one) bound to `host`. `store` may be
 * a slot still opening (store-slot.ts): until it opens, /ready and /graphql answer 503.
 */
export async function startSubgraph<S extends StoreHandle, C extends BaseContext>(
  module: SubgraphModule<S, C>,
  storeOrSlot: S | StoreSlot<S>,
  options: { port?: number; host?: string; trust?: TrustSource } = {},
): Promise<RunningSubgraph> {
  const slot = isStoreSlot(storeOrSlot) ? storeOrSlot : openSlot(storeOrSlot);
  const verify = createTrustVerifier(options.trust ?? trustFromEnv(), module.name);
  const app = express();
  const httpServer = http.createServer(app);
  const server = buildSubgraphServer(module);
  server.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await server.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', subgraph: module.name });
  });
  app.get('/ready', async (_req, res) => {
    const store = slot.current();
    if (!store) {
      res.status(503).json({ status: 'unavailable', subgraph: module.name, reason: slot.problem() });
      return;
    }
    try {
      await withDeadline(store.ping(), READY_TIMEOUT_MS, `the ${module.name} store`);
      res.json({ status: 'ready', subgraph: module.name });
    } catch (error) {
      logger.warn({ err: error, subgraph: module.name }, 'store not ready');
      res.status(503).json({ status: 'unavailable', subgraph: module.name, reason: `the ${module.name} store did not answer a ping within ${READY_TIMEOUT_MS} ms or failed` });
    }
  });
  // Routes of the subgraph's own (e.g. the notifications stream, issue 9), once its store is open.
  if (module.routes) {
    const open = slot.current();
    if (open) module.routes(app, open);
    else void slot.opened.then((store) => module.routes!(app, store), () => undefined);
  }
  // Prometheus text: SQL statements this process sent (the driver's count), no offender data.
  // The benchmark reads it to count statements per request when the subgraphs are processes.
  const registry = new Registry();
  new Counter({
    name: 'obts_subgraph_sql_statements_total', help: 'SQL statements this subgraph sent to its store, counted at the driver', labelNames: ['subgraph'], registers: [registry],
    collect() {
      const store = slot.current();
      this.reset();
      this.inc({ subgraph: module.name }, store && 'database' in store ? (store as any).database.counter.total : 0);
    },
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  // Whether the store holds the seeder's generated people (synthetic.ts); no offender data.
  app.get('/synthetic', async (_req, res) => {
    const store = slot.current();
    if (!store) {
      res.status(503).json({ subgraph: module.name, store: true, synthetic: false, marker: null, reason: slot.problem() });
      return;
    }
    try {
      const marker = 'database' in store ? await readSyntheticMarker(store as any) : null;
      res.json({ subgraph: module.name, store: 'database' in store, synthetic: Boolean(marker), marker });
    } catch (error) {
      logger.warn({ err: error, subgraph: module.name }, 'synthetic marker not readable');
      res.status(503).json({ subgraph: module.name, store: true, synthetic: false, marker: null });
    }
  });
  app.use(
    '/graphql',
    // Only the gateway may ask (subgraphs/shared/trust.ts): refused before the body is read.
    async (req, res, next) => {
      const result = await verify(req.headers.authorization);
      if (result.ok) {
        res.locals.identity = result.identity;
        return next();
      }
      logger.warn({ subgraph: module.name, reason: result.reason, from: req.socket.remoteAddress }, 'refused a request without a valid gateway token');
      res.status(401).json({ errors: [{ message: result.message, extensions: { code: 'UNAUTHENTICATED', reason: result.reason } }] });
    },
    // A store still opening (its database unreachable at start): 503, so the gateway reports
    // this agency's fields as missing and nothing else.
    (_req, res, next) => {
      if (slot.current()) return next();
      res.status(503).setHeader('Retry-After', '5').json({ errors: [{ message: slot.problem() ?? `${module.name} store is not open`, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    },
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ res }) => {
        const identity = res.locals.identity as Identity;
        return module.createContext(slot.current()!, { requestId: identity.requestId, identity });
      },
    }),
  );

  const host = options.host ?? process.env.SUBGRAPH_HOST ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    server,
    stop: async () => {
      await server.stop();
    },
  };
}
