// Serves one agency subgraph over HTTP: POST /graphql (only with a gateway-signed token:
// trust.ts), GET /health (the process is up), GET /ready (its database answers). Used by each subgraph's entry and, on port 0, by
// the gateway tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLFormattedError } from 'graphql';
import type { BaseContext, StoreHandle, SubgraphModule } from './module.ts';
import type { Identity } from './identity.ts';
import { logger } from './log.ts';
import { createTrustVerifier, trustFromEnv, type TrustSource } from './trust.ts';
import { enforceFieldPermissions } from './permissions.ts';

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
    // Subgraph traces would only feed Apollo's usage reporting, which OBTS never sends.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
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

/** Starts a subgraph over HTTP on `port` (0 picks a free one) bound to `host`. */
export async function startSubgraph<S extends StoreHandle, C extends BaseContext>(
  module: SubgraphModule<S, C>,
  store: S,
  options: { port?: number; host?: string; trust?: TrustSource } = {},
): Promise<RunningSubgraph> {
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
    try {
      await store.ping();
      res.json({ status: 'ready', subgraph: module.name });
    } catch (error) {
      logger.warn({ err: error, subgraph: module.name }, 'store not ready');
      res.status(503).json({ status: 'unavailable', subgraph: module.name });
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
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ res }) => {
        const identity = res.locals.identity as Identity;
        return module.createContext(store, { requestId: identity.requestId, identity });
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
