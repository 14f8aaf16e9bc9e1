// A loopback HTTP proxy in front of a subgraph that holds every request for `delayMs`
// before passing it on: an agency that is slow, for tests of the gateway's budgets and
// limits. The delay can be changed while it runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  /** The proxied GraphQL URL (same path as the target). */
  url: string;
  delayMs: number;
  /** Requests received so far. */
  received: number;
  close(): Promise<void>;
}

export async function startSlowProxy(targetUrl: string, delayMs: number): Promise<SlowProxy> {
  const target = new URL(targetUrl);
  const state = { delayMs, received: 0 };
  const pending = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    state.received += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const timer = setTimeout(async () => {
        pending.delete(timer);
        try {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)).map(([name, value]) => [name, String(value)]));
          const upstream = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) });
          const body = Buffer.from(await upstream.arrayBuffer());
          if (!res.destroyed) res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
        } catch {
          if (!res.destroyed) res.writeHead(502).end();
        }
      }, state.delayMs);
      pending.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get delayMs() { return state.delayMs; },
    set delayMs(value: number) { state.delayMs = value; },
    get received() { return state.received; },
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
