// /metrics on its own listener, loopback by default (CJIS Security Policy CM-7 least
// functionality, SC-7): the GraphQL port faces users, the metrics port faces the operator's
// Prometheus only, so a user (or anyone who reaches the GraphQL port) cannot read request
// counts by operation name or fingerprint the runtime. The gateway's GraphQL port answers
// /metrics with 404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The port Prometheus scrapes when METRICS_PORT is unset (the gateway's own port is not 0). */
export const DEFAULT_METRICS_PORT = 9464;

export interface MetricsSettings {
  /** METRICS_PORT; undefined: DEFAULT_METRICS_PORT, or a free port when the gateway itself listens on port 0 (tests). */
  port?: number;
  /** METRICS_HOST, default 127.0.0.1 (loopback). */
  host: string;
}

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  stop(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text format) and nothing else. */
export async function startMetricsListener(registry: Registry, settings: MetricsSettings, gatewayPort: number): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; expected GET /metrics');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  });
  const port = settings.port ?? (gatewayPort === 0 ? 0 : DEFAULT_METRICS_PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, settings.host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${bound}/metrics`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
