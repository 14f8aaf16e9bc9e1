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
import { Counter, Gauge } from 'prom-client';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import { ROOT } from '../schema/subgraphs.ts';
import type { GatewayConfig } from './config.ts';
import { collapseRepeatedErrors, formatGatewayError, toldAsIndex, unknownOperationStatus } from './errors.ts';
import { reservedAuditKeys } from './audit/subjects.ts';
import { fieldNamesByType, noAliasOfAnotherField } from './alias-guard.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import { startMetricsListener } from './metrics-listener.ts';
import { mountGraphiql } from './graphiql/page.ts';
import { cachedSyntheticCheck, requireSyntheticStores, syntheticNoticePlugin } from './graphiql/training-mode.ts';
import { describeProvenance } from './graphiql/provenance.ts';
import { loadLessons } from '../training/lessons.ts';
import { createPlanCache, planCacheMiB } from './plan-cache.ts';
import { assertPlannerPatched } from './planner-patch.ts';
import { logger } from '../subgraphs/shared/log.ts';
import type { Identity } from '../subgraphs/shared/identity.ts';
import { createAuthenticator } from './auth/verify.ts';
import { requireIdentity, type RequestLocals } from './auth/middleware.ts';
import { type Refusal } from './auth/verify.ts';
import { SubgraphSource } from './subgraph-source.ts';
import { GATEWAY_JWKS_PATH, loadGatewayKey } from '../subgraphs/shared/trust.ts';
import type { SigningKey } from '../subgraphs/shared/keys.ts';
import { openAuditStore, type AuditStore } from './audit/store.ts';
import { auditPlugin, type AuditedContext } from './audit/plugin.ts';
import { auditClientErrors, auditEveryRefusal, refusalRecorder, refuseDeepBodies } from './audit/refusal.ts';
import { MAX_BODY_DEPTH, nestingDepth } from './audit/variables.ts';
import { parseOptions, queryLimits } from './limits/armor.ts';
import { fieldPermissionPlugin, permissionIndex } from './auth/enforce.ts';
import { fileSupergraph, fixedSupergraph, supergraphMetrics, type SupergraphSource } from './supergraph.ts';
import type { ApolloServerPlugin } from '@apollo/server';
import { sendRefusal } from './auth/middleware.ts';
import { createAdmission } from './limits/admission.ts';
import { bulkheads } from './limits/bulkhead.ts';
import type { Deadline } from './limits/deadline.ts';
import { admissionGate, deadlineOf, startDeadline } from './limits/middleware.ts';
import { openSharedLimits } from './limits/shared.ts';
import { userCostShare } from './limits/user-cost.ts';
import { checkReadiness } from './health/ready.ts';
import { trackOperations } from './in-flight.ts';
import { ownTime, type CallIntervals, type OwnTimeLocals } from './own-time.ts';

/** Per-request gateway context. */
export interface GatewayContext extends AuditedContext {
  requestId: string;
  /** The authenticated user (the door refuses requests without one). */
  identity: Identity;
  /** Subgraphs this request called (for the audit record). */
  subgraphsCalled: Set<string>;
  /** Each subgraph call's start and end, for the gateway's own time (gateway/own-time.ts). */
  calls?: CallIntervals;
  clientAddress: string | null;
  /** The request's time budget, shared by all its subgraph calls (gateway/limits/deadline.ts). */
  deadline?: Deadline;
  /** Aborts when the client goes away (a request waiting for its user's share then leaves). */
  gone?: AbortSignal;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** The audit log this gateway writes. */
  audit: AuditStore;
  /** Where Prometheus scrapes this gateway's metrics (its own listener: metrics-listener.ts). */
  metricsUrl: string;
  stop(): Promise<void>;
}

/** The committed supergraph (see `npm run compose`). */
export function readSupergraph(): string {
  return readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
}

/** Builds the gateway (not yet listening); `key` signs its calls to the subgraphs. */
export function createGateway(config: GatewayConfig, key: SigningKey, supergraph: SupergraphSource, metrics: GatewayMetrics): ApolloGateway {
  assertPlannerPatched();
  const bulkheadFor = bulkheads(config.overload.bulkhead);
  return new ApolloGateway({
    supergraphSdl: supergraph.manager,
    // Query plans in a sized LRU whose hit rate /metrics shows, each coalesced as it comes in
    // (gateway/plan-cache.ts, plan-coalesce.ts).
    queryPlannerConfig: { cache: createPlanCache(metrics.registry, planCacheMiB()) },
    logger: { debug: () => {}, info: () => {}, warn: (m: unknown) => logger.warn(m), error: (m: unknown) => logger.error(m) },
    buildService: ({ name, url }) => {
      const configured = config.subgraphUrls[name] ?? url;
      if (!configured) throw new Error(`no URL for subgraph "${name}"; set it in the gateway settings`);
      // gateway/subgraph-source.ts: budget, bulkhead, signed token, undici's pooled client.
      return new SubgraphSource<GatewayContext>({ subgraph: name, url: configured, key, timeoutMs: config.subgraphTimeoutMs, bulkhead: bulkheadFor(name), time: () => metrics.subgraphCall(name) });
    },
  });
}

/**
 * Starts the gateway over HTTP. Without `supergraphSdl` it serves the supergraph file
 * from its settings and takes a newly composed one without a restart (gateway/supergraph.ts).
 */
export async function startGateway(config: GatewayConfig, supergraphSdl?: string): Promise<RunningGateway> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const openUi = config.mode !== 'production';
  // Training mode runs only on stores the seeder marked synthetic (gateway/graphiql/training-mode.ts).
  const training = config.mode === 'training';
  if (training) await requireSyntheticStores(config.subgraphUrls);
  const audit = await openAuditStore(config.audit);
  // Each user's share of the running work, weighed by query cost (gateway/limits/user-cost.ts).
  const costShare = userCostShare(config.overload.userCostLimit);
  const limits = queryLimits(config.limits, { share: costShare, waitMs: config.overload.admission.queueTimeoutMs });
  // In training mode each loaded supergraph gets provenance in its descriptions (the docs pane).
  const prepare = training ? describeProvenance : (sdl: string) => sdl;
  const supergraph = supergraphSdl !== undefined ? fixedSupergraph(prepare(supergraphSdl)) : fileSupergraph(config.supergraph.file, config.supergraph.pollMs, prepare);
  const gatewayKey = await loadGatewayKey(config.gatewayKeyFile);
  const metrics = createMetrics();
  supergraphMetrics(metrics.registry, supergraph);
  // What is derived from the served supergraph, rebuilt before each swap (a bad one refuses it).
  const permissionCut = followSupergraph(supergraph, (sdl) => fieldPermissionPlugin(permissionIndex(sdl)));
  const permissions: ApolloServerPlugin<GatewayContext> = { requestDidStart: (requestContext) => permissionCut().requestDidStart!(requestContext) };
  const fieldNames = followSupergraph(supergraph, fieldNamesByType); // for the alias guard
  const toldAs = followSupergraph(supergraph, toldAsIndex); // where errors at non-API fields are told
  let draining = false;
  const server = new ApolloServer<GatewayContext>({
    // Whoever runs the gateway owns the signals (gateway/index.ts, gateway/cluster.ts,
    // scripts/start.ts): Apollo's own handler would stop the server and re-send the signal,
    // ending `npm start` before its subgraphs have exited.
    stopOnTerminationSignals: false,
    // In training mode the docs pane tells each field's agency, system and permission.
    gateway: createGateway(config, gatewayKey, supergraph, metrics),
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // Compact JSON (Apollo Server pretty-prints by default: bigger bodies, slower to write).
    stringifyResult: (result) => JSON.stringify(result),
    introspection: openUi,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: [...limits.validationRules, reservedAuditKeys, noAliasOfAnotherField(fieldNames)],
    parseOptions: parseOptions(config.limits),
    // Order matters: the permission cut rewrites the query before the audit adds its hidden
    // SID selections, and marks refused fields before the audit records the answer and
    // before /metrics counts its outcome.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), unknownOperationStatus, collapseRepeatedErrors(toldAs), ...limits.plugins, permissions, metrics.plugin, auditPlugin(audit), ...(training ? [syntheticNoticePlugin()] : [])],
  });
  await server.start();
  const tokenLookups = new Counter({ name: 'obts_gateway_token_cache_lookups_total', help: 'Bearer tokens looked up in the cache of verified tokens (GATEWAY_TOKEN_CACHE_SIZE), by outcome', labelNames: ['outcome'], registers: [metrics.registry] });
  const authenticate = await createAuthenticator(config.auth, config.mode, config.dataDir, { ...config.overload.tokenCache, looked: (hit) => tokenLookups.inc({ outcome: hit ? 'hit' : 'miss' }) });
  // Rate limits and per-user concurrency, in Redis when REDIS_URL is set (gateway/limits/shared.ts).
  const shared = await openSharedLimits({ ratePerMinute: config.ratePerMinute, redisUrl: config.overload.redisUrl, keyPrefix: config.overload.redisKeyPrefix, leaseMs: config.overload.requestTimeoutMs + config.overload.admission.queueTimeoutMs + 5000 });
  const rateLimit = shared.rate;
  const admission = createAdmission(config.overload.admission, shared.users);
  // What admission holds right now: a slot that never comes back shows here first.
  new Gauge({ name: 'obts_gateway_in_flight', help: 'GraphQL requests admitted and running', registers: [metrics.registry], collect() { this.set(admission.load().inFlight); } });
  new Gauge({ name: 'obts_gateway_queued', help: 'GraphQL requests waiting for a slot', registers: [metrics.registry], collect() { this.set(admission.load().queued); } });
  new Gauge({ name: 'obts_gateway_user_waiting', help: 'GraphQL requests waiting at the door for one of their user\'s places (GATEWAY_USER_QUEUE_LIMIT)', registers: [metrics.registry], collect() { this.set(admission.load().userWaiting); } });
  new Gauge({ name: 'obts_gateway_user_cost_running', help: 'Estimated query cost of the requests running, summed over users (GATEWAY_USER_COST_LIMIT weighs each user\'s)', registers: [metrics.registry], collect() { this.set(costShare.load().cost); } });
  new Gauge({ name: 'obts_gateway_user_cost_waiting', help: 'Admitted requests waiting for their user\'s cost share', registers: [metrics.registry], collect() { this.set(costShare.load().waiting); } });
  const refusals = refusalRecorder(audit, config.audit.refusalsPerMinute);
  httpServer.on('clientError', auditClientErrors(refusals));
  const auditRefusal = (req: express.Request, res: express.Response, refusal: Refusal) => refusals.record(req, res, refusal);

  // The public half of the subgraph-signing key, for subgraphs on other hosts (OBTS_GATEWAY_JWKS_URL).
  app.get(GATEWAY_JWKS_PATH, (_req, res) => {
    res.json(gatewayKey.publicJwks);
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // ready / degraded (200, naming the agencies missing) / unavailable (503): gateway/health/ready.ts.
  app.get('/ready', async (_req, res) => {
    const { httpStatus, report } = await checkReadiness(config.subgraphUrls, audit, config.audit);
    const { hash, loadedAt } = supergraph.current();
    const rejected = supergraph.rejected();
    res.status(httpStatus).json({
      ...report,
      supergraph: { hash, loadedAt: loadedAt.toISOString(), ...(rejected ? { rejected: { hash: rejected.hash, at: rejected.at.toISOString(), reason: rejected.reason } } : {}) },
    });
  });
  if (openUi) {
    // Lesson files that do not parse or validate are named (file:line) and left out.
    const lessons = loadLessons(supergraph.current().sdl);
    for (const problem of lessons.problems) logger.warn(`lesson left out: ${problem}`);
    mountGraphiql(app, config, lessons, cachedSyntheticCheck(config.subgraphUrls));
  }
  // Apollo's handler, each operation counted until it ends: a stop waits for them (gateway/in-flight.ts).
  const operations = trackOperations(expressMiddleware(server, {
    context: async ({ req, res }) => {
      const locals = res.locals as RequestLocals & { clientRequestId?: string | null; audited?: boolean };
      const left = new AbortController();
      // Only a client that went away before its answer was written aborts (an abort builds a DOMException).
      res.once('close', () => { if (!res.writableFinished) left.abort(); });
      return {
        requestId: locals.requestId, clientRequestId: locals.clientRequestId, markAudited: () => void (locals.audited = true),
        identity: locals.identity!, subgraphsCalled: new Set<string>(), calls: (locals as OwnTimeLocals).calls, clientAddress: req.socket.remoteAddress ?? null, deadline: deadlineOf(res), receivedAt: deadlineOf(res)?.startedEpochMs, gone: left.signal,
      };
    },
  }));
  app.use(
    '/graphql',
    (_req, res, next) => {
      // Nothing answered here may be kept by a browser or a proxy: an answer carries CJI, and
      // a refusal says who was refused what (CJIS 5.10; the cache-control plugin is off, so
      // no schema hint can lift it).
      res.setHeader('cache-control', 'no-store');
      // Draining for a stop: answers in flight finish; a new request is told to go elsewhere.
      if (!draining) return next();
      res.set({ 'retry-after': '1', connection: 'close' }).status(503).json({ errors: [{ message: 'The gateway is shutting down; retry (another instance will answer)', extensions: { code: 'SHUTTING_DOWN' } }] });
    },
    assignRequestId,
    ownTime((ms) => metrics.observeOwn(ms)),
    auditEveryRefusal(refusals),
    startDeadline(config.overload.requestTimeoutMs),
    requireIdentity(authenticate, auditRefusal),
    async (req, res, next) => {
      const identity = (res.locals as RequestLocals).identity!;
      const refusal = await rateLimit(identity.userId);
      if (!refusal) return next();
      const withClaims = { ...refusal, claims: { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } };
      auditRefusal(req, res, withClaims).then(() => sendRefusal(res, withClaims), next);
    },
    admissionGate(admission, auditRefusal),
    express.json({ limit: config.bodyLimit }),
    refuseDeepBodies(refusals, MAX_BODY_DEPTH, nestingDepth),
    operations.handler,
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
  // Operational metrics (Prometheus text format): counts and timings only, no CJI, on their own listener.
  const metricsListener = await startMetricsListener(metrics.registry, config.metrics, config.port);
  return {
    url: `http://${config.host}:${port}/graphql`, port, audit, metricsUrl: metricsListener.url,
    stop: async () => {
      draining = true;
      await metricsListener.stop();
      await server.stop();
      // Operations whose clients hung up are still running: their records go in before the store closes.
      const unfinished = await operations.settle(config.overload.requestTimeoutMs + 1000);
      if (unfinished) logger.error({ unfinished }, 'stopping with operations still running past the request budget; their audit records will be missing');
      await refusals.close();
      await audit.close();
      await shared.close();
    },
  };
}

// Private: `derive(sdl)` of the supergraph being served, made again from each new one before
// the swap (throwing refuses the swap, so a bad supergraph never half-applies).
function followSupergraph<T>(supergraph: SupergraphSource, derive: (sdl: string) => T): () => T {
  let current = derive(supergraph.current().sdl);
  supergraph.onSwap({ prepare: derive, commit: (prepared) => { current = prepared as T; } });
  return () => current;
}

// Private: the gateway's own request id (the key of every log and audit record), and the
// client's x-request-id beside it when it is a plain token (a client cannot choose the key).
function assignRequestId(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const header = req.headers['x-request-id'];
  const locals = res.locals as RequestLocals & { clientRequestId?: string | null };
  locals.requestId = randomUUID();
  locals.clientRequestId = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : null;
  res.setHeader('x-obts-request-id', locals.requestId);
  next();
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
