// A pass-through in front of each subgraph that notes when every call was in flight, so
// the benchmark can tell a router's own time from its subgraphs' time: for one request at
// a time, the router's overhead is the end-to-end time minus the time during which at
// least one subgraph call was open (the union of the calls' intervals; calls in parallel
// count once). The tap's own forwarding (well under a millisecond a call) counts as
// subgraph time, the same for every router.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tap {
  /** The tap's URL for each subgraph (same names as given). */
  urls: Record<string, string>;
  /** Forgets the calls seen so far. */
  reset(): void;
  /** Milliseconds during which at least one call was in flight since the last reset, and how many calls. */
  covered(): { ms: number; calls: number };
  stop(): Promise<void>;
}

export async function startTap(targets: Record<string, string>): Promise<Tap> {
  let intervals: [number, number][] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const servers: http.Server[] = [];
  const urls: Record<string, string> = {};
  for (const [name, target] of Object.entries(targets)) {
    const upstream = new URL(target);
    const server = http.createServer((req, res) => {
      const start = performance.now();
      const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('end', () => intervals.push([start, performance.now()]));
      });
      forward.once('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`tap: ${name} did not answer: ${error.message}`);
      });
      req.pipe(forward);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`;
  }
  return {
    urls,
    reset: () => { intervals = []; },
    covered: () => {
      const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
      let ms = 0;
      let [from, to] = sorted[0] ?? [0, 0];
      for (const [start, end] of sorted.slice(1)) {
        if (start > to) {
          ms += to - from;
          [from, to] = [start, end];
        } else if (end > to) to = end;
      }
      ms += to - from;
      return { ms, calls: sorted.length };
    },
    stop: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      agent.destroy();
    },
  };
}
