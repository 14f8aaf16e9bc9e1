// The OBTS gateway: Apollo Server over @apollo/gateway with a static supergraph.
// POST /graphql (bearer token required: gateway/auth/), GET /health (process up), GET
// /ready (every subgraph ready), and an offline GraphiQL at /graphiql in development and
// training modes.
import './telemetry-off.ts';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ROOT } from '../schema/subgraphs.ts';
import type { GatewayConfig } from './config.ts';
import { formatGatewayError, unknownOperationStatus } from './errors.ts';
import { reservedAuditKeys } from './audit/subjects.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import { createPlanCache, planCacheMiB } from './plan-cache.ts';
import { graphiqlAssets, graphiqlPage } from './graphiql/page.ts';
import { logger } from '../subgraphs/shared/log.ts';
import type { Identity } from '../subgraphs/shared/identity.ts';
import { createAuthenticator } from './auth/verify.ts';
import { requireIdentity, type RequestLocals } from './auth/middleware.ts';
import { issueDevToken, loadDevKey } from './auth/dev-key.ts';
import { PURPOSE_HEADER, type Refusal } from './auth/verify.ts';
import { GATEWAY_JWKS_PATH, loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import type { SigningKey } from '../subgraphs/shared/keys.ts';
import { openAuditStore, type AuditStore } from './audit/store.ts';
import { auditPlugin, type AuditedContext } from './audit/plugin.ts';
import { refusalEntry } from './audit/refusal.ts';
import { parseOptions, queryLimits } from './limits/armor.ts';
import { fieldPermissionPlugin, permissionIndex } from './auth/enforce.ts';
import { createRateLimiter } from './limits/rate.ts';
import { sendRefusal } from './auth/middleware.ts';

/** Per-request gateway context. */
export interface GatewayContext extends AuditedContext {
  requestId: string;
  /** The authenticated user (the door refuses requests without one). */
  identity: Identity;
  /** Subgraphs this request called (for the audit record). */
  subgraphsCalled: Set<string>;
  clientAddress: string | null;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** The audit log this gateway writes. */
  audit: AuditStore;
  stop(): Promise<void>;
}

/** The committed supergraph (see `npm run compose`). */
export function readSupergraph(): string {
  return readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
}

// Private: calls one subgraph with Node's fetch and a deadline. Each call carries a fresh
// token the gateway signs for that subgraph (subgraphs/shared/trust.ts) and the request id;
// nothing the client sent is forwarded.
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, private readonly key: SigningKey, options: ConstructorParameters<typeof RemoteGraphQLDataSource>[0]) {
    super(options);
  }

  override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    if (!context?.identity) throw new Error('no identity in the gateway context; the door should have refused this request');
    context.subgraphsCalled?.add(this.subgraph);
    request.http?.headers.set('authorization', `Bearer ${await signSubgraphToken(this.key, context.identity, this.subgraph)}`);
    request.http?.headers.set('x-request-id', context.requestId);
  }

  // A subgraph that cannot be reached, times out or answers with an HTTP error costs only
  // its own fields: the error is tagged with the subgraph so the client is told which
  // agency and source systems are missing (gateway/errors.ts), never the URL or the cause.
  override didEncounterError(error: Error): void {
    logger.warn({ err: error, subgraph: this.subgraph }, 'subgraph call failed');
    throw new GraphQLError(`subgraph ${this.subgraph} failed`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph } });
  }
}

function timedFetcher(timeoutMs: number, time?: () => (outcome: 'ok' | 'error') => void): RemoteGraphQLDataSource['fetcher'] {
  return (async (url: string, init: RequestInit) => {
    const done = time?.();
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      done?.(response.ok ? 'ok' : 'error');
      return response;
    } catch (error) {
      done?.('error');
      throw error;
    }
  }) as unknown as RemoteGraphQLDataSource['fetcher'];
}

/** Builds the gateway (not yet listening); `key` signs its calls to the subgraphs. */
export function createGateway(config: GatewayConfig, key: SigningKey, supergraphSdl = readSupergraph(), metrics?: GatewayMetrics): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl,
    // Query plans in a sized LRU whose hit rate /metrics shows (gateway/plan-cache.ts).
    queryPlannerConfig: metrics ? { cache: createPlanCache(metrics.registry, planCacheMiB()) } : undefined,
    logger: { debug: () => {}, info: () => {}, warn: (m: unknown) => logger.warn(m), error: (m: unknown) => logger.error(m) },
    buildService: ({ name, url }) => {
      const configured = config.subgraphUrls[name] ?? url;
      if (!configured) throw new Error(`no URL for subgraph "${name}"; set it in the gateway settings`);
      return new SubgraphDataSource(name, key, { url: configured, fetcher: timedFetcher(config.subgraphTimeoutMs, metrics && (() => metrics.subgraphCall(name))) });
    },
  });
}

/** Starts the gateway over HTTP. */
export async function startGateway(config: GatewayConfig, supergraphSdl?: string): Promise<RunningGateway> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const openUi = config.mode !== 'production';
  const audit = await openAuditStore(config.audit);
  const limits = queryLimits(config.limits);
  const sdl = supergraphSdl ?? readSupergraph();
  const gatewayKey = await loadGatewayKey(config.gatewayKeyFile);
  const metrics = createMetrics();
  const server = new ApolloServer<GatewayContext>({
    gateway: createGateway(config, gatewayKey, sdl, metrics),
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // Compact JSON (Apollo Server pretty-prints by default: bigger bodies, slower to write).
    stringifyResult: (result) => JSON.stringify(result),
    introspection: openUi,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: [...limits.validationRules, reservedAuditKeys],
    parseOptions: parseOptions(config.limits),
    // Order matters: the permission cut rewrites the query before the audit adds its hidden
    // SID selections, and marks refused fields before the audit records the answer.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), metrics.plugin, unknownOperationStatus, ...limits.plugins, fieldPermissionPlugin(permissionIndex(sdl)), auditPlugin(audit)],
  });
  await server.start();
  const authenticate = await createAuthenticator(config.auth, config.mode, config.dataDir);
  const rateLimit = createRateLimiter(config.ratePerMinute);
  const auditRefusal = (req: express.Request, res: express.Response, refusal: Refusal) => audit.append(refusalEntry(req, (res.locals as RequestLocals).requestId, refusal)).then(() => {});

  // The public half of the subgraph-signing key, for subgraphs on other hosts (OBTS_GATEWAY_JWKS_URL).
  app.get(GATEWAY_JWKS_PATH, (_req, res) => {
    res.json(gatewayKey.publicJwks);
  });
  // Operational metrics (Prometheus text format): counts and timings only, no CJI.
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(Object.entries(config.subgraphUrls).map(async ([name, url]) => [name, await subgraphReady(url)] as const));
    const ready = checks.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])) });
  });
  if (openUi) {
    app.use('/graphiql/assets', graphiqlAssets());
    app.get('/graphiql', async (_req, res, next) => {
      try {
        res.type('html').send(graphiqlPage('/graphql', config.mode, await graphiqlHeaders(config)));
      } catch (error) {
        next(error);
      }
    });
    app.get('/', (_req, res) => res.redirect('/graphiql'));
  }
  app.use(
    '/graphql',
    assignRequestId,
    requireIdentity(authenticate, auditRefusal),
    async (req, res, next) => {
      const identity = (res.locals as RequestLocals).identity!;
      const refusal = rateLimit(identity.userId);
      if (!refusal) return next();
      const withClaims = { ...refusal, claims: { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } };
      auditRefusal(req, res, withClaims).then(() => sendRefusal(res, withClaims), next);
    },
    express.json({ limit: config.bodyLimit }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const locals = res.locals as RequestLocals;
        return { requestId: locals.requestId, identity: locals.identity!, subgraphsCalled: new Set<string>(), clientAddress: req.socket.remoteAddress ?? null };
      },
    }),
  );
  // A body over the limit is a refused request too (AU-2): audited before the 413.
  app.use('/graphql', (error: { type?: string }, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const identity = (res.locals as RequestLocals).identity;
    if (error.type !== 'entity.too.large' || !identity) return next(error);
    auditRefusal(req, res, { status: 413, code: 'BAD_REQUEST', reason: 'body-too-large', message: '', claims: { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } })
      .then(() => next(error), next);
  });
  app.use(bodyErrors(config.bodyLimit));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${config.host}:${port}/graphql`, port, audit,
    stop: async () => {
      await server.stop();
      await audit.close();
    },
  };
}

// Private: the client's x-request-id when it is a plain token, else a fresh one.
function assignRequestId(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const header = req.headers['x-request-id'];
  (res.locals as RequestLocals).requestId = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
  next();
}

// Private: GraphiQL's header editor. With the development key (never in production: see
// config.ts) the page carries a fresh 8-hour trainer token, so trainers can start at once;
// with a real identity provider it shows where the user's own token goes.
async function graphiqlHeaders(config: GatewayConfig): Promise<Record<string, string>> {
  const usesDevKey = !config.auth.jwksUrl && !config.auth.jwksFile && config.mode !== 'production';
  const token = usesDevKey
    ? await issueDevToken(await loadDevKey(config.dataDir), {
      user: 'graphiql-trainer', ori: 'CT0000000', roles: ['trainer'], purpose: 'C',
      certifiedUntil: new Date(Date.now() + 24 * 3600_000), issuer: config.auth.issuer, audience: config.auth.audience,
    })
    : '<paste your token here>';
  return { Authorization: `Bearer ${token}`, [PURPOSE_HEADER]: 'C' };
}

// Private: a body that is not JSON, or too large, gets a GraphQL-shaped 4xx, never a stack trace.
const bodyErrors = (bodyLimit: string) => (error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction): void => {
  if (res.headersSent) return next(error);
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({ errors: [{ message: 'Request body is not valid JSON; expected {"query": "...", "variables": {...}}', extensions: { code: 'BAD_REQUEST' } }] });
  } else if (error.type === 'entity.too.large') {
    res.status(413).json({ errors: [{ message: `Request body is too large; expected at most ${bodyLimit}`, extensions: { code: 'BAD_REQUEST' } }] });
  } else {
    logger.error({ err: error }, 'unhandled gateway error');
    res.status(error.status && error.status < 500 ? error.status : 500).json({ errors: [{ message: 'Request failed', extensions: { code: error.status && error.status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  }
};

async function subgraphReady(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
