// What `npm start` checks before it starts anything: every port, folder and database it
// was told to use. A setting that can never work (a port out of range or taken, a folder
// it cannot write, wrong database credentials, a database that does not exist) is a
// problem: one line naming the setting, and nothing is started. A database server that
// does not answer is only a warning: the system starts without that agency, whose fields
// fail (named) until it comes back (DESIGN.md, Reliability).
import { eventsEnabled } from '../subgraphs/shared/main.ts';
import { accessSync, constants, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { AGENCY_SUBGRAPHS, SUBGRAPHS } from '../schema/subgraphs.ts';
import { checkPrefix } from '../subgraphs/shared/events/nats.ts';

/** What preflight found: problems stop the start, unreachable agencies start degraded. */
export interface PreflightReport {
  problems: string[];
  /** Agency name → the one-line warning about its database. */
  unreachable: Record<string, string>;
}

/** The settings preflight reads (the gateway's own config has already been loaded). */
export interface PreflightInput {
  env: NodeJS.ProcessEnv;
  gatewayHost: string;
  gatewayPort: number;
  dataDir: string;
  /** The audit store: a PostgreSQL URL, or the log file. */
  audit: { databaseUrl?: string; file: string };
}

const CONNECT_TIMEOUT_MS = 3000;

/** Runs every check; never throws for a bad setting (it reports it). */
export async function preflight(input: PreflightInput): Promise<PreflightReport> {
  const problems: string[] = [];
  const unreachable: Record<string, string> = {};
  const { env } = input;

  // Ports: a number in range, not two things on one port, and free now.
  const subgraphHost = env.SUBGRAPH_HOST ?? '127.0.0.1';
  const ports: { setting: string; host: string; port: number }[] = [{ setting: 'GATEWAY_PORT', host: input.gatewayHost, port: input.gatewayPort }];
  for (const entry of SUBGRAPHS) {
    const raw = env[entry.portSetting];
    const port = raw === undefined ? entry.defaultPort : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`${entry.portSetting}="${raw}" is not a port; expected a whole number from 1 to 65535`);
    else ports.push({ setting: entry.portSetting, host: subgraphHost, port });
  }
  // The metrics listener (gateway/metrics-listener.ts): its own port, 9464 unless set.
  const metricsPort = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? 9464 : Number(env.METRICS_PORT);
  if (Number.isInteger(metricsPort) && metricsPort >= 1 && metricsPort <= 65535) ports.push({ setting: 'METRICS_PORT', host: env.METRICS_HOST || '127.0.0.1', port: metricsPort });
  if (!Number.isInteger(input.gatewayPort) || input.gatewayPort < 1 || input.gatewayPort > 65535) {
    problems.push(`GATEWAY_PORT="${input.gatewayPort}" is not a port; expected a whole number from 1 to 65535`);
    ports.shift();
  }
  const seen = new Map<number, string>();
  for (const { setting, port } of ports) {
    const other = seen.get(port);
    if (other) problems.push(`${setting}=${port} is also ${other}; give each listener its own port`);
    seen.set(port, setting);
  }
  for (const { setting, host, port } of ports) {
    const busy = await portInUse(host, port);
    if (busy) problems.push(`${setting}=${port}: ${busy}; stop what listens there or choose another port`);
  }

  // Folders: the data folder (embedded stores, keys, lock) and the audit log's folder.
  const writable = (dir: string, setting: string) => {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      problems.push(`${setting}: cannot write ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a folder this user can write`);
    }
  };
  writable(input.dataDir, 'OBTS_DATA_DIR');
  if (input.audit.databaseUrl) {
    const problem = await databaseProblem(input.audit.databaseUrl);
    if (problem) problems.push(`AUDIT_DATABASE_URL: ${problem.message}; the gateway returns no data without its audit store`);
  } else {
    writable(path.dirname(input.audit.file), 'AUDIT_LOG_FILE');
  }

  // Change events: a broker address and stream prefix that can never work. A broker that
  // does not answer is no problem here: the relays and consumers wait for it.
  if (env.NATS_URL) {
    let scheme = '';
    try {
      scheme = new URL(env.NATS_URL).protocol;
    } catch {
      scheme = /^[\w.-]+:\d+$/.test(env.NATS_URL) ? 'nats:' : '';
    }
    if (scheme !== 'nats:' && scheme !== 'tls:') problems.push(`NATS_URL="${env.NATS_URL}" is not a NATS server address; expected e.g. nats://127.0.0.1:4222`);
  }
  try {
    eventsEnabled(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (env.NATS_PREFIX !== undefined) {
    try {
      checkPrefix(env.NATS_PREFIX);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  // Agency databases: wrong credentials or a missing database is a mistake to fix now;
  // a server that does not answer may be down for maintenance, so start without it.
  await Promise.all(AGENCY_SUBGRAPHS.map(async (entry) => {
    const url = env[entry.databaseSetting];
    if (!url) return;
    const problem = await databaseProblem(url);
    if (!problem) return;
    if (problem.kind === 'unreachable') unreachable[entry.name] = `${entry.agency} (${entry.name}): ${entry.databaseSetting} ${problem.message}; starting without it, its fields fail until it answers`;
    else problems.push(`${entry.databaseSetting}: ${problem.message}`);
  }));
  return { problems, unreachable };
}

// Private: null when something else already listens on host:port, else why.
function portInUse(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use` : `cannot listen on ${host}:${port} (${error.code})`));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** What is wrong with a database URL, classified: `unreachable` (may come back) or `config` (fix it). */
export async function databaseProblem(url: string): Promise<{ kind: 'unreachable' | 'config'; message: string } | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'config', message: 'is not a URL; expected e.g. postgres://user:pass@host:5432/db or mysql://user:pass@host:3306/db' };
  }
  const where = `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('mysql') ? 3306 : 5432)}`;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(none)';
  try {
    if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => undefined);
      }
    } else if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
      const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: CONNECT_TIMEOUT_MS });
      await connection.end();
    } else {
      return { kind: 'config', message: `has scheme "${parsed.protocol}"; expected postgres:// or mysql://` };
    }
    return null;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') return { kind: 'config', message: `refused the credentials for user "${decodeURIComponent(parsed.username) || '(none)'}" at ${where}` };
    if (code === '3D000' || code === 'ER_BAD_DB_ERROR') return { kind: 'config', message: `names database "${database}", which does not exist at ${where}; create it (deploy/postgres-init.sql shows how)` };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'unreachable', message: `host ${parsed.hostname} is not known` };
    return { kind: 'unreachable', message: `does not answer at ${where} (${code ?? message.split('\n')[0]})` };
  }
}
