// How a feed consumer paces its reads through the gateway: an idle feed is asked less and
// less often (up to maxIdleMs), a page with events brings it back to idleMs, and a 429's
// Retry-After is waited out without losing or repeating an event. The "gateway" here is a
// loopback HTTP server answering the feed query as the gateway does.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nextPause, startFeedConsumer } from '../events/consumer.ts';
import type { ChangeEvent } from '../outbox/kinds.ts';

describe('feed consumer pacing', () => {
  it('doubles the pause over empty pages up to the ceiling, and starts again after events', () => {
    const state = { idleRun: 0 };
    const empty = Array.from({ length: 6 }, () => nextPause(state, { events: 0 }, 200, 2000));
    assert.deepEqual(empty, [200, 400, 800, 1600, 2000, 2000]);
    assert.equal(nextPause(state, { events: 3 }, 200, 2000), 200);
    assert.equal(nextPause(state, { events: 0 }, 200, 2000), 200, 'the run of empty pages starts again');
    assert.equal(nextPause(state, { events: 0 }, 200, 50), 200, 'a ceiling below idleMs is idleMs');
  });

  it('waits out a Retry-After (at most a minute) and otherwise the failure backoff', () => {
    const state = { idleRun: 4 };
    assert.equal(nextPause(state, { failed: true, retryAfterS: 7, backoffMs: 1000 }, 200, 2000), 7000);
    assert.equal(state.idleRun, 0);
    assert.equal(nextPause(state, { failed: true, retryAfterS: 3600, backoffMs: 1000 }, 200, 2000), 60_000);
    assert.equal(nextPause(state, { failed: true, backoffMs: 4000 }, 200, 2000), 4000);
  });

  it('over HTTP: a 429 is waited out as told, every event is handled once, and an idle feed is asked less often', async () => {
    const events: ChangeEvent[] = [1, 2, 3].map((sequence) => ({ feed: 'judicial', sequence, time: '2026-12-01T00:00:00Z', system: 'CCMS', kind: 'ERASURE', key: `D${sequence}`, sid: null, docketNumber: `D${sequence}` }) as unknown as ChangeEvent);
    const asked: { at: number; after: number; status: number }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const after = Number((JSON.parse(body) as { variables: { after: string } }).variables.after);
        // The second read is refused by the rate limit, as the gateway refuses it.
        const status = asked.length === 1 ? 429 : 200;
        asked.push({ at: Date.now(), after, status });
        if (status === 429) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
          res.end(JSON.stringify({ errors: [{ message: 'More than 300 requests in one minute; retry after 2 s', extensions: { code: 'RATE_LIMITED' } }] }));
          return;
        }
        const page = events.filter((e) => e.sequence > after).slice(0, 2);
        const endCursor = String(page.at(-1)?.sequence ?? after);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { judicialChanges: { events: page, endCursor, hasMore: page.length > 0 && page.at(-1)!.sequence < events.length } } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    let saved = 0;
    const handled: number[] = [];
    const consumer = await startFeedConsumer({
      name: 'pacing-test', feed: 'judicial', idleMs: 20, maxIdleMs: 160,
      source: { kind: 'gateway', url, token: async () => 'token', cursor: { load: async () => saved, save: async (n) => { saved = n; } } },
      handle: async (event) => { handled.push(event.sequence); },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !(handled.length === 3 && asked.some((a) => a.after === 3))) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(handled, [1, 2, 3], 'each event once, in order');
      assert.equal(saved, 3);
      const refused = asked.findIndex((a) => a.status === 429);
      assert.equal(refused, 1);
      assert.ok(asked[refused + 1].at - asked[refused].at >= 1900, `the read after the 429 came ${asked[refused + 1].at - asked[refused].at} ms later; expected the Retry-After's 2 s (the failure backoff alone is 1 s)`);
      assert.equal(asked[refused + 1].after, asked[refused].after, 'the refused page is asked again from the same cursor');
      // Idle now: 1.5 s of empty pages at idleMs 20 would be about 75 reads without pacing;
      // doubling to 160 ms they are 20 + 40 + 80 + 160 + 160 … ≈ 11.
      const idleFrom = asked.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const idleReads = asked.length - idleFrom;
      assert.ok(idleReads >= 1 && idleReads <= 14, `${idleReads} reads of an idle feed in 1.5 s; expected the pause to grow to 160 ms`);
      const gaps = asked.slice(idleFrom).map((a, i, all) => (i ? a.at - all[i - 1].at : 0)).slice(1);
      assert.ok(gaps.length === 0 || Math.max(...gaps) >= 120, `gaps between idle reads ${gaps.join(', ')} ms; expected them to reach about 160 ms`);
    } finally {
      await consumer.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
