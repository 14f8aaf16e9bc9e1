// Gateway settings, all from the environment, each with a loopback-only default.
import { wholeSetting as integer } from '../subgraphs/shared/settings.ts';
import { dataDir, ROOT, SUBGRAPHS, subgraphUrl } from '../schema/subgraphs.ts';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from './auth/dev-key.ts';
import { gatewayKeyFile } from '../subgraphs/shared/trust.ts';
import type { AuditSettings } from './audit/store.ts';
import { auditCheckpointSettings } from './audit/settings.ts';
import type { QueryLimits } from './limits/armor.ts';
import type { MetricsSettings } from './metrics-listener.ts';
import { overloadSettings, type OverloadSettings } from './limits/settings.ts';
import path from 'node:path';

/**
 * development: GraphiQL (with a development token) and introspection on; training: GraphiQL
 * for a class, only on synthetic stores, sign-in by class code (gateway/graphiql/,
 * training/); production: neither, and class tokens refused in both other modes.
 */
export type Mode = 'development' | 'training' | 'production';

export interface GatewayConfig {
  port: number;
  host: string;
  mode: Mode;
  /** Subgraph name → GraphQL URL. */
  subgraphUrls: Record<string, string>;
  /** Longest wait for one subgraph call before its fields fail (ms). */
  subgraphTimeoutMs: number;
  /** Largest request body accepted. */
  bodyLimit: string;
  /** The supergraph file the gateway serves, and how often it looks for a new one (0: never). */
  supergraph: { file: string; pollMs: number };
  /** Where the development keys (and the embedded audit log) live. */
  dataDir: string;
  auth: AuthSettings;
  /** The key the gateway signs subgraph calls with (OBTS_GATEWAY_KEY_FILE; created on first use). */
  gatewayKeyFile: string;
  audit: AuditSettings;
  limits: QueryLimits;
  /** Requests one user may make per minute (0: no limit). */
  ratePerMinute: number;
  /** The metrics listener (METRICS_PORT, METRICS_HOST; gateway/metrics-listener.ts). */
  metrics: MetricsSettings;
  /** Admission control, request budget, bulkheads, shared limit store (gateway/limits/settings.ts). */
  overload: OverloadSettings;
}

/** How user tokens are checked (gateway/auth/verify.ts). */
export interface AuthSettings {
  /** The identity provider's JWKS URL (OBTS_AUTH_JWKS_URL). */
  jwksUrl?: string;
  /** A local JSON Web Key Set file (OBTS_AUTH_JWKS_FILE). */
  jwksFile?: string;
  /** Neither set: the development key under the data folder (refused in production). */
  issuer: string;
  audience: string;
  /** Longest token lifetime, exp - iat, seconds (OBTS_AUTH_MAX_TOKEN_LIFETIME; auth/sanity.ts). */
  maxLifetimeSeconds?: number;
  /** Longest string claim, characters (OBTS_AUTH_MAX_CLAIM_LENGTH; auth/sanity.ts). */
  maxClaimLength?: number;
}

/** Reads the settings; a bad value is an error that names the setting and what it expects. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const mode = (env.OBTS_MODE ?? 'development') as Mode;
  if (!['development', 'training', 'production'].includes(mode)) {
    throw new Error(`OBTS_MODE "${mode}" is not a mode; expected development, training or production`);
  }
  const auth: AuthSettings = {
    jwksUrl: env.OBTS_AUTH_JWKS_URL || undefined,
    jwksFile: env.OBTS_AUTH_JWKS_FILE || undefined,
    issuer: env.OBTS_AUTH_ISSUER || DEV_ISSUER,
    audience: env.OBTS_AUTH_AUDIENCE || DEFAULT_AUDIENCE,
    maxLifetimeSeconds: integer(env, 'OBTS_AUTH_MAX_TOKEN_LIFETIME', 12 * 3600, 60, 7 * 86_400),
    maxClaimLength: integer(env, 'OBTS_AUTH_MAX_CLAIM_LENGTH', 256, 16, 4096),
  };
  if (mode === 'production' && !auth.jwksUrl && !auth.jwksFile) {
    throw new Error('OBTS_MODE=production needs OBTS_AUTH_JWKS_URL or OBTS_AUTH_JWKS_FILE: the development key is refused in production');
  }
  return {
    port: integer(env, 'GATEWAY_PORT', 4000, 0, 65535),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    mode,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, subgraphUrl(entry, env)])),
    subgraphTimeoutMs: integer(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, 1, 600_000),
    bodyLimit: env.GATEWAY_BODY_LIMIT ?? '100kb',
    dataDir: dataDir(env),
    supergraph: {
      file: path.resolve(ROOT, env.GATEWAY_SUPERGRAPH_FILE || 'schema/supergraph.graphql'),
      pollMs: integer(env, 'GATEWAY_SUPERGRAPH_POLL_MS', 2000, 0, 3_600_000),
    },
    auth,
    gatewayKeyFile: gatewayKeyFile(env),
    audit: auditSettings(env),
    limits: {
      maxDepth: integer(env, 'GATEWAY_MAX_DEPTH', 10, 1, 100),
      maxAliases: integer(env, 'GATEWAY_MAX_ALIASES', 15, 0, 1000),
      maxTokens: integer(env, 'GATEWAY_MAX_TOKENS', 2000, 10, 100_000),
      maxDirectives: integer(env, 'GATEWAY_MAX_DIRECTIVES', 20, 0, 1000),
      maxCostStatistical: integer(env, 'GATEWAY_MAX_COST_STATISTICAL', 5_000_000, 1, 100_000_000), // a report page of ~190 people with their court cases (250 cost ~6.4 M; reports/walk.ts shrinks a refused first page)
      maxCost: integer(env, 'GATEWAY_MAX_COST', 100_000, 1, 10_000_000), // fits the 25-result tracking search (~84 000 by graphql-armor's estimate); bombs still meet depth, alias and token limits
    },
    ratePerMinute: integer(env, 'GATEWAY_RATE_LIMIT', 300, 0, 1_000_000),
    metrics: { port: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 0, 65535) : undefined, host: env.METRICS_HOST || '127.0.0.1' },
    overload: overloadSettings(env, integer),
  };
}

/** Audit log settings (gateway/audit/); also read by `npm run audit`. */
export function auditSettings(env: NodeJS.ProcessEnv = process.env): AuditSettings {
  return {
    databaseUrl: env.AUDIT_DATABASE_URL || undefined,
    file: env.AUDIT_LOG_FILE || path.join(dataDir(env), 'audit', 'audit.jsonl'),
    // CJIS AU-11: audit records are kept at least one year.
    retentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 365, 365, 36_500),
    ...auditCheckpointSettings(env),
  };
}
