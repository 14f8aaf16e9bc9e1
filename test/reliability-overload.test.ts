// Admission control, bulkheads and the per-request budget, through a real gateway over real
// HTTP with slow agencies (a delaying proxy on loopback in front of each subgraph). What is
// asserted is the status, the headers, the error codes and the audit record, never a time:
// how fast refusals are is measured by bench/overload.ts.
import assert from 'node:assert/strict';
import { generateStories } from '../seed/generate.ts';
import { PROFILE_QUERY, TRACKING_QUERY } from '../bench/scenarios.ts';
import { startStack, type Stack } from './support/stack.ts';
import { startSlowProxy, type SlowProxy } from './support/slow-proxy.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';

const stories = generateStories({ offenders: 30, seed: 7 });
const sid = stories[0].person.sid;

describe('reliability: overload is refused fast, and the gateway never blames an agency for its own limits', function () {
  this.timeout(120_000);
  let stack: Stack;
  let proxies: Record<string, SlowProxy>;
  const gateways: RunningGateway[] = [];

  before(async () => {
    stack = await startStack(stories);
    proxies = {};
    for (const [name, running] of Object.entries(stack.subgraphs)) proxies[name] = await startSlowProxy(running.url, 0);
  });
  afterEach(async () => {
    while (gateways.length) await gateways.pop()!.stop();
    for (const proxy of Object.values(proxies)) proxy.delayMs = 0;
  });
  after(async () => {
    for (const proxy of Object.values(proxies ?? {})) await proxy.close();
    await stack?.stop();
  });

  /** A second gateway on the stack's keys, reaching every subgraph through its slow proxy. */
  async function gatewayWith(env: Record<string, string>): Promise<RunningGateway> {
    const config = {
      ...loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir, GATEWAY_RATE_LIMIT: '0', AUDIT_LOG_FILE: `${stack.dataDir}/audit-${gateways.length}-${Date.now()}.jsonl`, ...env }),
      port: 0,
      subgraphUrls: Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, proxy.url])),
    };
    const gateway = await startGateway(config);
    gateways.push(gateway);
    return gateway;
  }

  async function ask(gateway: RunningGateway, user: string, query = PROFILE_QUERY, options: { token?: string; purpose?: string } = {}) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? await stack.token({ user })}`, 'x-obts-purpose': options.purpose ?? 'C' },
      body: JSON.stringify({ query, variables: { sid, lastName: stories[0].person.name.last } }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
  }

  const metric = async (gateway: RunningGateway, line: RegExp) => Number(line.exec(await (await fetch(gateway.metricsUrl)).text())?.[1] ?? NaN);
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i += 1) { if (await check()) return; await new Promise((resolve) => setTimeout(resolve, 20)); }
    assert.fail(`gave up waiting for ${what}`);
  };

  it('beyond the in-flight limit and the queue: 503 GATEWAY_OVERLOADED with Retry-After, audited, no agency asked', async () => {
    const gateway = await gatewayWith({ GATEWAY_MAX_IN_FLIGHT: '1', GATEWAY_QUEUE_LIMIT: '1', GATEWAY_QUEUE_TIMEOUT_MS: '100', GATEWAY_USER_CONCURRENCY: '0' });
    // How many calls one admitted profile makes to public-safety (the disclosure guard of
    // issue 9 asks it twice: persons, then arrests after judicial's erased dockets).
    const warm = proxies['public-safety'].received;
    assert.equal((await ask(gateway, 'u0')).status, 200);
    const perRequest = proxies['public-safety'].received - warm;
    assert.ok(perRequest >= 1, 'a profile reaches public-safety');
    for (const proxy of Object.values(proxies)) proxy.delayMs = 400;
    const before = proxies['public-safety'].received;
    const answers = await Promise.all(['u1', 'u2', 'u3', 'u4', 'u5'].map((user) => ask(gateway, user)));
    const refused = answers.filter((answer) => answer.status === 503);
    const served = answers.filter((answer) => answer.status === 200);
    assert.ok(served.length >= 1, 'the request holding the slot is served');
    assert.ok(refused.length >= 3, `one runs, one may wait; the rest are refused (got ${answers.map((a) => a.status)})`);
    for (const answer of refused) {
      assert.equal(answer.retryAfter, '1');
      assert.equal(answer.body.errors[0].extensions.code, 'GATEWAY_OVERLOADED');
      assert.match(answer.body.errors[0].extensions.reason, /^queue-(full|timeout)$/);
      assert.match(answer.body.errors[0].message, /The OBTS gateway is overloaded .*; no agency was asked\. Retry after 1 s/);
    }
    assert.ok(answers.some((answer) => answer.body.errors?.[0]?.extensions?.reason === 'queue-full'), 'a full queue refuses at once');
    assert.equal(proxies['public-safety'].received - before, served.length * perRequest, 'only admitted requests reached an agency');
    const records = await gateway.audit.readAll();
    assert.equal(records.filter((record) => record.outcome === 'refused' && /^503 queue-(full|timeout)$/.test(record.reason ?? '')).length, refused.length, 'every refusal is audited (CJIS AU-2)');
  });

  it('a client that gives up while queued leaves the queue at once and never keeps a slot', async () => {
    const gateway = await gatewayWith({ GATEWAY_MAX_IN_FLIGHT: '1', GATEWAY_QUEUE_LIMIT: '4', GATEWAY_QUEUE_TIMEOUT_MS: '5000', GATEWAY_USER_CONCURRENCY: '0' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const holder = ask(gateway, 'holder');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(gateway.metricsUrl)).text())?.[1]);
    const until = async (what: string, check: () => Promise<boolean>) => {
      for (let i = 0; i < 100; i += 1) { if (await check()) return; await new Promise((resolve) => setTimeout(resolve, 20)); }
      assert.fail(`gave up waiting for ${what}`);
    };
    // Two clients queue behind it and hang up before a slot is free.
    const controllers = [new AbortController(), new AbortController()];
    const quitters = ['q1', 'q2'].map(async (user, i) => fetch(gateway.url, {
      method: 'POST', signal: controllers[i].signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token({ user })}`, 'x-obts-purpose': 'C' },
      body: JSON.stringify({ query: PROFILE_QUERY, variables: { sid } }),
    }).then((r) => String(r.status), (error: Error) => error.name));
    await until('both to wait in the queue', async () => (await gauge('obts_gateway_queued')) === 2);
    for (const controller of controllers) controller.abort();
    assert.deepEqual(await Promise.all(quitters), ['AbortError', 'AbortError']);
    // They give their places back at once, while the first still runs.
    await until('the queue to empty', async () => (await gauge('obts_gateway_queued')) === 0);
    assert.equal(await gauge('obts_gateway_in_flight'), 1);
    assert.equal((await holder).status, 200);
    for (const proxy of Object.values(proxies)) proxy.delayMs = 0;
    // Were the slot kept by a client that left, every request from here on would wait in the
    // queue and be refused: three in a row are served, and the gateway holds nothing after.
    for (const user of ['a1', 'a2', 'a3']) assert.equal((await ask(gateway, user)).status, 200, user);
    const metrics = await (await fetch(gateway.metricsUrl)).text();
    assert.match(metrics, /^obts_gateway_in_flight(\{[^}]*\})? 0$/m, metrics.split('\n').filter((l) => /in_flight|queued/.test(l)).join('\n'));
  });

  it('one user over their concurrency limit gets 429 USER_CONCURRENCY_LIMIT; another user is served meanwhile', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '0', GATEWAY_MAX_IN_FLIGHT: '8' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const [first, second, bystander] = await Promise.all([ask(gateway, 'heavy-user'), ask(gateway, 'heavy-user'), ask(gateway, 'bystander')]);
    const heavy = [first, second].sort((a, b) => a.status - b.status);
    assert.deepEqual(heavy.map((answer) => answer.status), [200, 429]);
    assert.equal(heavy[1].retryAfter, '1');
    assert.equal(heavy[1].body.errors[0].extensions.code, 'USER_CONCURRENCY_LIMIT');
    assert.match(heavy[1].body.errors[0].message, /^You already have 1 requests in progress; wait for one to finish/);
    assert.equal(bystander.status, 200);
    assert.equal(bystander.body.data.offender.sid, sid);
    // Released when the answer left: the same user is admitted again.
    assert.equal((await ask(gateway, 'heavy-user')).status, 200);
  });

  it('a user at their concurrency limit waits at the door in a line of their own: served when a place frees, refused at once beyond the line, refused after the queue time', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '1', GATEWAY_QUEUE_TIMEOUT_MS: '10000' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const first = ask(gateway, 'eager');
    await until('the first request to run', async () => (await metric(gateway, /^obts_gateway_in_flight (\d+)$/m)) === 1);
    const second = ask(gateway, 'eager');
    await until('the second to wait at the user\'s door', async () => (await metric(gateway, /^obts_gateway_user_waiting (\d+)$/m)) === 1);
    const third = await ask(gateway, 'eager');
    assert.equal(third.status, 429, 'beyond the user\'s line: refused at once');
    assert.match(third.body.errors[0].message, /^You already have 1 requests in progress; wait for one to finish/);
    assert.equal(third.retryAfter, '1');
    const bystander = await ask(gateway, 'patient-bystander');
    assert.equal(bystander.status, 200, 'another user does not wait in that line');
    assert.deepEqual([(await first).status, (await second).status], [200, 200], 'the waiting request is served once a place frees');
    // A wait longer than the queue time is refused, saying it waited.
    const short = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '1', GATEWAY_QUEUE_TIMEOUT_MS: '100' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 600;
    const holder = ask(short, 'eager');
    await until('the holder to run', async () => (await metric(short, /^obts_gateway_in_flight (\d+)$/m)) === 1);
    const waited = await ask(short, 'eager');
    assert.equal(waited.status, 429);
    assert.equal(waited.body.errors[0].extensions.code, 'USER_CONCURRENCY_LIMIT');
    assert.match(waited.body.errors[0].message, /^You already have 1 requests in progress; this one waited \d+ ms for one of them to finish/);
    assert.equal((await holder).status, 200);
    const records = await short.audit.readAll();
    assert.ok(records.some((record) => record.user === 'eager' && record.reason === '429 user-concurrency'), 'the refusal after waiting is audited');
  });

  it('a client that hangs up while waiting at its user\'s door leaves the line at once, and the user\'s places come back', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '2', GATEWAY_QUEUE_TIMEOUT_MS: '5000' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const holder = ask(gateway, 'door-user');
    await until('the holder to run', async () => (await metric(gateway, /^obts_gateway_in_flight (\d+)$/m)) === 1);
    const token = await stack.token({ user: 'door-user' });
    const controllers = [new AbortController(), new AbortController()];
    const quitters = controllers.map((controller) => fetch(gateway.url, {
      method: 'POST', signal: controller.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-obts-purpose': 'C' },
      body: JSON.stringify({ query: PROFILE_QUERY, variables: { sid } }),
    }).then((r) => String(r.status), (error: Error) => error.name));
    await until('both to wait at the door', async () => (await metric(gateway, /^obts_gateway_user_waiting (\d+)$/m)) === 2);
    for (const controller of controllers) controller.abort();
    assert.deepEqual(await Promise.all(quitters), ['AbortError', 'AbortError']);
    await until('the line to empty', async () => (await metric(gateway, /^obts_gateway_user_waiting (\d+)$/m)) === 0);
    assert.equal((await holder).status, 200);
    for (const proxy of Object.values(proxies)) proxy.delayMs = 0;
    for (let i = 0; i < 3; i += 1) assert.equal((await ask(gateway, 'door-user')).status, 200, `request ${i + 1} after the hang-ups`);
    assert.equal(await metric(gateway, /^obts_gateway_in_flight (\d+)$/m), 0);
  });

  it('a stop while a request waits at its user\'s door: both requests get an answer and an audit record before the store closes', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '1', GATEWAY_QUEUE_TIMEOUT_MS: '10000' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 400;
    const holder = ask(gateway, 'closing-time');
    await until('the holder to run', async () => (await metric(gateway, /^obts_gateway_in_flight (\d+)$/m)) === 1);
    const waiter = ask(gateway, 'closing-time').catch((error: Error) => ({ status: error.name, retryAfter: null, body: null }));
    await until('the second to wait at the door', async () => (await metric(gateway, /^obts_gateway_user_waiting (\d+)$/m)) === 1);
    const stopped = gateway.stop();
    gateways.splice(gateways.indexOf(gateway), 1);
    const answers = [await holder, await waiter];
    await stopped;
    // The line is drained, not dropped: the waiter is served once the holder's place frees.
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
    for (const answer of answers) assert.equal(answer.body.data.offender.sid, sid);
    const records = (await gateway.audit.readAll()).filter((record) => record.user === 'closing-time');
    assert.deepEqual(records.map((record) => [record.event, record.outcome]), [['operation', 'ok'], ['operation', 'ok']], 'both recorded before the store closed');
  });

  it('a user\'s share is weighed by query cost: a light query runs beside a heavy search, a second heavy one waits for the first, another user is not held', async () => {
    // A tracking search costs ~84 000, a profile ~2 300: a share of 90 000 holds one search and a profile.
    const gateway = await gatewayWith({ GATEWAY_USER_COST_LIMIT: '90000', GATEWAY_USER_CONCURRENCY: '0', GATEWAY_QUEUE_TIMEOUT_MS: '10000' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const first = ask(gateway, 'heavy', TRACKING_QUERY);
    await until('the first search to hold its share', async () => (await metric(gateway, /^obts_gateway_user_cost_running (\d+)$/m)) > 80_000);
    // The same user's light query fits beside it and runs.
    const light = await ask(gateway, 'heavy');
    assert.equal(light.status, 200);
    assert.equal(light.body.data.offender.sid, sid);
    const second = ask(gateway, 'heavy', TRACKING_QUERY);
    await until('the second search to wait for the user\'s share', async () => (await metric(gateway, /^obts_gateway_user_cost_waiting (\d+)$/m)) === 1);
    // While it waits, another user's heavy search runs.
    const other = await ask(gateway, 'someone-else', TRACKING_QUERY);
    assert.equal(other.status, 200);
    const answers = await Promise.all([first, second]);
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
    for (const answer of answers) assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
    assert.equal(await metric(gateway, /^obts_gateway_user_cost_running (\d+)$/m), 0, 'every share is given back');
  });

  it('a request that cannot get its user\'s share within the queue time: 429 USER_CONCURRENCY_LIMIT (user-cost) with Retry-After, audited as refused, no agency asked', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_COST_LIMIT: '90000', GATEWAY_USER_CONCURRENCY: '0', GATEWAY_QUEUE_TIMEOUT_MS: '100' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 500;
    const first = ask(gateway, 'impatient', TRACKING_QUERY);
    await until('the first search to hold its share', async () => (await metric(gateway, /^obts_gateway_user_cost_running (\d+)$/m)) > 80_000);
    const refused = await ask(gateway, 'impatient', TRACKING_QUERY);
    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, '1');
    assert.deepEqual(refused.body.errors.map((error: any) => [error.extensions.code, error.extensions.reason]), [['USER_CONCURRENCY_LIMIT', 'user-cost']]);
    assert.match(refused.body.errors[0].message, /^Your requests in progress already use \d+ of your share of 90000 \(estimated query cost\) and this one costs \d+; .*Nothing was asked of any agency/);
    assert.equal(refused.body.data, undefined);
    assert.equal((await first).status, 200);
    const records = await gateway.audit.readAll();
    const record = records.find((entry) => entry.user === 'impatient' && entry.outcome === 'refused');
    assert.ok(record, 'the refusal is audited (CJIS AU-2)');
    assert.equal(record.reason, 'USER_CONCURRENCY_LIMIT');
    assert.deepEqual(record.subgraphs, [], 'no agency was asked for the refused search');
  });

  it('a verified token is remembered, yet its claims and the purpose are checked on every request, and a forged signature on the same claims is refused', async () => {
    const gateway = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '0' });
    const token = await stack.token({ user: 'cached' });
    // A counter has no line until it is first counted.
    const lookups = async (target: RunningGateway, outcome: 'hit' | 'miss') => (await metric(target, new RegExp(`^obts_gateway_token_cache_lookups_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm'))) || 0;
    const hits = () => lookups(gateway, 'hit');
    assert.equal((await ask(gateway, 'cached', PROFILE_QUERY, { token })).status, 200);
    const before = await hits();
    assert.equal((await ask(gateway, 'cached', PROFILE_QUERY, { token })).status, 200);
    assert.equal(await hits(), before + 1, 'the second request found the token verified');
    const badPurpose = await ask(gateway, 'cached', PROFILE_QUERY, { token, purpose: 'Z' });
    assert.equal(badPurpose.status, 403);
    assert.equal(badPurpose.body.errors[0].extensions.reason, 'invalid-purpose');
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const refused = await ask(gateway, 'cached', PROFILE_QUERY, { token: forged });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.errors[0].extensions.reason, 'bad-signature');
    // With the cache off nothing is remembered.
    const off = await gatewayWith({ GATEWAY_USER_CONCURRENCY: '0', GATEWAY_TOKEN_CACHE_SIZE: '0' });
    for (let i = 0; i < 2; i += 1) assert.equal((await ask(off, 'cached', PROFILE_QUERY, { token })).status, 200);
    assert.deepEqual([await lookups(off, 'hit'), await lookups(off, 'miss')], [0, 0], 'no token was looked up');
  });

  it('a bad per-user line, cost share or token cache setting is refused at start, saying what was expected', () => {
    const settings = (env: Record<string, string>) => () => loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir, ...env });
    assert.throws(settings({ GATEWAY_USER_COST_LIMIT: '-1' }), /^Error: GATEWAY_USER_COST_LIMIT "-1" is not valid; expected a whole number from 0 to 1000000000$/);
    assert.throws(settings({ GATEWAY_USER_COST_LIMIT: 'lots' }), /GATEWAY_USER_COST_LIMIT "lots" is not valid; expected a whole number/);
    assert.throws(settings({ GATEWAY_TOKEN_CACHE_SIZE: '1.5' }), /GATEWAY_TOKEN_CACHE_SIZE "1.5" is not valid; expected a whole number from 0 to 1000000/);
    assert.throws(settings({ GATEWAY_TOKEN_CACHE_MS: '10' }), /GATEWAY_TOKEN_CACHE_MS "10" is not valid; expected a whole number from 1000 to 3600000/);
    assert.throws(settings({ GATEWAY_USER_QUEUE_LIMIT: '-2' }), /GATEWAY_USER_QUEUE_LIMIT "-2" is not valid; expected a whole number from 0 to 100000/);
    assert.equal(loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir }).overload.userCostLimit, 100_000);
  });

  it('a subgraph bulkhead that is full fails only that agency\'s fields, as GATEWAY_OVERLOADED, not as the agency\'s failure', async () => {
    const gateway = await gatewayWith({ GATEWAY_SUBGRAPH_CONCURRENCY: '1', GATEWAY_SUBGRAPH_QUEUE_LIMIT: '0', GATEWAY_USER_CONCURRENCY: '0' });
    proxies.judicial.delayMs = 400;
    const query = 'query($sid: ID!) { offender(sid: $sid) { sid name { last } warrants { warrantNumber } } }';
    // The first request holds the one judicial slot (its call waits in the slow proxy)...
    const before = proxies.judicial.received;
    const first = ask(gateway, 'b1', query);
    for (let i = 0; i < 200 && proxies.judicial.received === before; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(proxies.judicial.received, before + 1, 'the first judicial call is under way');
    // ...so the second one's judicial call is held back; its public-safety call is not.
    const second = await ask(gateway, 'b2', query);
    assert.equal((await first).body.errors, undefined);
    assert.equal(proxies.judicial.received, before + 1, 'the held call never reached the agency');
    for (const answer of [second]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data.offender.name.last, stories[0].person.name.last, 'public-safety\'s fields stand');
      assert.deepEqual(answer.body.errors.map((error: any) => [error.extensions.code, error.extensions.source]), [['GATEWAY_OVERLOADED', 'judicial']]);
      assert.match(answer.body.errors[0].message, /^The gateway is at its limit of concurrent calls to Judicial Branch \(CCMS, CIB, PRAWN, POR, PCMS\); .*did not report a failure/);
    }
  });

  it('two gateway processes sharing Redis (REDIS_URL) hold one per-user concurrency limit between them', async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `obts-test:${process.pid}:${Date.now()}:`, GATEWAY_USER_CONCURRENCY: '1', GATEWAY_USER_QUEUE_LIMIT: '0' };
    const [a, b] = [await gatewayWith(env), await gatewayWith(env)];
    for (const proxy of Object.values(proxies)) proxy.delayMs = 300;
    const answers = await Promise.all([ask(a, 'two-windows'), ask(b, 'two-windows')]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 429]);
    assert.equal(answers.find((answer) => answer.status === 429)!.body.errors[0].extensions.code, 'USER_CONCURRENCY_LIMIT');
  });

  it('one budget per request: with every agency slow, a full profile returns within the budget with DEADLINE_EXCEEDED for the calls it could not cover', async () => {
    // Each call (900 ms) is within the per-subgraph timeout (5 s); the plan's second step is not within what is left of 1.5 s.
    const gateway = await gatewayWith({ GATEWAY_REQUEST_TIMEOUT_MS: '1500', SUBGRAPH_TIMEOUT_MS: '5000', GATEWAY_USER_CONCURRENCY: '0' });
    for (const proxy of Object.values(proxies)) proxy.delayMs = 900;
    const began = performance.now();
    const answer = await ask(gateway, 'slow-day');
    const tookMs = performance.now() - began;
    assert.ok(tookMs < 20_000, 'it returned (generous sanity bound, not a timing check)');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.data.offender.name.last, stories[0].person.name.last, 'what arrived within the budget stands');
    const codes = new Set(answer.body.errors.map((error: any) => error.extensions.code));
    assert.deepEqual([...codes], ['DEADLINE_EXCEEDED'], JSON.stringify(answer.body.errors));
    const sources = new Set(answer.body.errors.map((error: any) => error.extensions.source));
    assert.ok(sources.has('judicial') && sources.has('correction'), [...sources].join(','));
    assert.match(answer.body.errors[0].message, /^The request's time budget of 1500 ms ran out before .* answered; .*The agency did not report a failure/);
  });
});
