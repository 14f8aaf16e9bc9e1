// An example webhook receiver, as an agency would run one: it checks the signature
// (HMAC-SHA256 with the subscription's secret over "<t>.<body>"), refuses a timestamp
// older than five minutes (a captured request replayed later) and an idempotency key it
// has seen (a replay within the window, or OBTS's own retry of a delivery it already
// took: acknowledged, not applied twice). Then it would fetch the details through the
// gateway. Run: tsx notifications/receiver.ts --port 5710 --secret <webhookSecret>
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export const TOLERANCE_SECONDS = 300;

export type Verdict =
  | { ok: true; duplicate: boolean; event: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: 'malformed' | 'forged' | 'stale'; message: string };

/** Verifies one delivery; `seen` holds the idempotency keys already taken. */
export function verifyDelivery(secret: string, headers: Record<string, string | string[] | undefined>, body: string, seen: Set<string>, now = Date.now()): Verdict {
  const header = String(headers['x-obts-signature'] ?? '');
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return { ok: false, status: 400, reason: 'malformed', message: 'x-obts-signature is missing or malformed; expected t=<unix seconds>,v1=<64 hex digits>' };
  const t = Number(match[1]);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(match[2], 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 401, reason: 'forged', message: 'signature does not match the body; refused as forged' };
  if (Math.abs(now / 1000 - t) > TOLERANCE_SECONDS) return { ok: false, status: 401, reason: 'stale', message: `signature is ${Math.round(now / 1000 - t)} s old; refused as a replay (more than ${TOLERANCE_SECONDS} s)` };
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, reason: 'malformed', message: 'body is not JSON' };
  }
  const key = String(headers['x-obts-delivery'] ?? '');
  if (!key || key !== event.id) return { ok: false, status: 400, reason: 'malformed', message: 'x-obts-delivery is missing or does not match the signed body id' };
  const duplicate = seen.has(key);
  seen.add(key);
  return { ok: true, duplicate, event };
}

export interface RunningReceiver {
  url: string;
  /** Events taken, once each, in arrival order. */
  events: Record<string, unknown>[];
  /** Refusals, with their reasons. */
  refused: string[];
  /** Answer this many of the next requests with 503 (to test retries). */
  failNext(count: number): void;
  stop(): Promise<void>;
}

export async function startReceiver(secret: string, port = 0): Promise<RunningReceiver> {
  const seen = new Set<string>();
  const events: Record<string, unknown>[] = [];
  const refused: string[] = [];
  let failing = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failing > 0) {
        failing -= 1;
        res.writeHead(503).end();
        return;
      }
      const verdict = verifyDelivery(secret, req.headers, Buffer.concat(chunks).toString('utf8'), seen);
      if (!verdict.ok) {
        refused.push(verdict.reason);
        res.writeHead(verdict.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: verdict.message }));
        return;
      }
      if (!verdict.duplicate) events.push(verdict.event);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, duplicate: verdict.duplicate }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/obts-events`, events, refused,
    failNext: (count) => { failing = count; },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
  if (!process.argv.includes('--secret')) throw new Error('usage: tsx notifications/receiver.ts --port 5710 --secret <webhookSecret from the subscribe mutation>');
  const running = await startReceiver(arg('--secret'), Number(arg('--port') ?? 5710));
  console.log(`example receiver at ${running.url}`);
}
