// Gateway settings, all from the environment, each with a loopback-only default.
import { SUBGRAPHS, subgraphUrl } from '../schema/subgraphs.ts';

/** development: GraphiQL and introspection on; training: the same, for trainers; production: off. */
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
}

/** Reads the settings; a bad value is an error that names the setting and what it expects. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const mode = (env.OBTS_MODE ?? 'development') as Mode;
  if (!['development', 'training', 'production'].includes(mode)) {
    throw new Error(`OBTS_MODE "${mode}" is not a mode; expected development, training or production`);
  }
  return {
    port: integer(env, 'GATEWAY_PORT', 4000, 0, 65535),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    mode,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, subgraphUrl(entry, env)])),
    subgraphTimeoutMs: integer(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, 1, 600_000),
    bodyLimit: env.GATEWAY_BODY_LIMIT ?? '100kb',
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} "${raw}" is not valid; expected a whole number from ${min} to ${max}`);
  }
  return value;
}
