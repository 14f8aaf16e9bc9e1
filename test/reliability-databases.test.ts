// Databases failing under the subgraphs, on the real servers: backends terminated under
// load (PostgreSQL pg_terminate_backend, MariaDB KILL), and a database unreachable when a
// subgraph starts. The process must stay up, and answer again once the database does.
// No timing assertions: how long recovery takes is measured by bench/overload.ts.
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { generateStories } from '../seed/generate.ts';
import { PROFILE_QUERY } from '../bench/scenarios.ts';
import { freePort } from './support/ports.ts';
import { startStack, type Stack } from './support/stack.ts';
import { freshPostgresDatabase, MYSQL_ADMIN_URL, POSTGRES_ADMIN_URL } from './support/databases.ts';
import { MODULES } from '../subgraphs/index.ts';
import { openWithRetry } from '../subgraphs/shared/store-slot.ts';
import { startSubgraph } from '../subgraphs/shared/server.ts';
import { loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import type { Identity } from '../subgraphs/shared/identity.ts';

const stories = generateStories({ offenders: 60, seed: 5 });

/** Sends `total` profile requests, `parallel` at a time, calling `midway` once half have been sent. */
async function load(stack: Stack, total: number, parallel: number, midway: () => Promise<void>): Promise<{ status: number; errors: number }[]> {
  const results: { status: number; errors: number }[] = [];
  let sent = 0;
  let fired = false;
  const worker = async () => {
    while (sent < total) {
      const story = stories[sent++ % stories.length];
      if (!fired && sent >= total / 2) {
        fired = true;
        await midway();
      }
      const { status, body } = await stack.query(PROFILE_QUERY, { sid: story.person.sid });
      results.push({ status, errors: body.errors?.length ?? 0, code: body.errors?.[0]?.extensions?.code } as { status: number; errors: number });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** Asks until a full profile comes back without errors (bounded); returns how many tries it took. */
async function answersAgain(stack: Stack, tries = 40): Promise<number> {
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    const { status, body } = await stack.query(PROFILE_QUERY, { sid: stories[0].person.sid });
    if (status === 200 && !body.errors && body.data?.offender?.sid === stories[0].person.sid) return attempt;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no complete answer after ${tries} tries`);
}

describe('reliability: agency databases failing under the subgraphs (real servers)', function () {
  this.timeout(180_000);
  let stack: Stack;
  before(async () => {
    stack = await startStack(stories, { engines: 'servers', tag: 'reliab' });
  });
  after(async () => {
    await stack?.stop();
  });

  it('PostgreSQL: backends of the judicial and correction databases terminated under load; the subgraphs answer again', async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    let terminated = 0;
    try {
      const databases = ['judicial', 'correction'].map((name) => new URL((stack.stores[name].database as { describe: string }).describe.replace('***', 'x')).pathname.slice(1));
      const results = await load(stack, 80, 6, async () => {
        const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [databases]);
        terminated = rows.filter((row) => row.done).length;
      });
      assert.ok(terminated > 0, 'the test terminated at least one backend');
      assert.equal(results.length, 80);
      assert.ok(results.every((result) => result.status === 200), `a terminated backend costs fields, never the request (got ${JSON.stringify(results.filter((result) => result.status !== 200).slice(0, 2))})`);
    } finally {
      await admin.end();
    }
    assert.ok(await answersAgain(stack) >= 1);
    const { body } = await stack.query(PROFILE_QUERY, { sid: stories[1].person.sid });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  });

  it('MariaDB: the public-safety connections killed under load; the subgraph answers again', async () => {
    const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    let killed = 0;
    try {
      const database = new URL(stack.stores['public-safety'].database.describe.replace('***', 'x')).pathname.slice(1);
      const results = await load(stack, 80, 6, async () => {
        const [rows] = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [database]);
        for (const row of rows as { ID: number }[]) {
          await admin.query(`KILL CONNECTION ${Number(row.ID)}`).catch(() => {}); // gone already
          killed += 1;
        }
      });
      assert.ok(killed > 0, 'the test killed at least one connection');
      assert.ok(results.every((result) => result.status === 200));
    } finally {
      await admin.end();
    }
    assert.ok(await answersAgain(stack) >= 1);
  });
});

describe('reliability: a subgraph whose database is unreachable at start', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obts-unreachable-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('comes up not ready naming the agency and the setting, refuses GraphQL with 503, and serves once the database is reachable', async () => {
    const target = new URL(await freshPostgresDatabase('reliab_unreachable'));
    const port = await freePort();
    const url = `postgres://${target.username}@127.0.0.1:${port}${target.pathname}`;
    const key = await loadGatewayKey(path.join(dir, 'gateway.json'));
    const slot = openWithRetry(MODULES.judicial, { url }, { agency: 'judicial (Judicial Branch)', setting: 'JUDICIAL_DATABASE_URL', firstDelayMs: 100, maxDelayMs: 400 });
    const subgraph = await startSubgraph(MODULES.judicial, slot, { port: 0, trust: { jwks: key.publicJwks } });
    const readyUrl = subgraph.url.replace(/\/graphql$/, '/ready');
    let proxy: net.Server | undefined;
    try {
      const notReady = await fetch(readyUrl);
      assert.equal(notReady.status, 503);
      const reason = ((await notReady.json()) as { reason: string }).reason;
      assert.match(reason, /^judicial \(Judicial Branch\) (cannot reach its database \(JUDICIAL_DATABASE_URL\): ECONNREFUSED; retrying|: store not opened yet)$/);
      assert.doesNotMatch(reason, /127\.0\.0\.1|postgres:/);

      const identity: Identity = { userId: 'u1', ori: 'CT0000000', roles: ['analyst'], permissions: [], purpose: 'C', requestId: 'r1' };
      const ask = async () => fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, 'judicial')}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const refused = await ask();
      assert.equal(refused.status, 503);
      assert.equal(((await refused.json()) as any).errors[0].extensions.code, 'SERVICE_UNAVAILABLE');

      // The database "comes back": a loopback forwarder to the real server appears on that port.
      proxy = net.createServer((socket) => {
        const upstream = net.connect(5432, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
      await slot.opened;
      assert.equal((await fetch(readyUrl)).status, 200);
      const served = await ask();
      assert.equal(served.status, 200);
      assert.deepEqual(await served.json(), { data: { __typename: 'Query' } });
    } finally {
      await subgraph.stop();
      await slot.close();
      await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    }
  });
});

describe('reliability: the PostgreSQL audit store losing its connections under load', function () {
  this.timeout(120_000);
  let stack: Stack;
  let auditDatabase: string;
  before(async () => {
    const url = await freshPostgresDatabase('reliab_audit');
    auditDatabase = new URL(url).pathname.slice(1);
    stack = await startStack(stories, { engines: 'embedded', env: { AUDIT_DATABASE_URL: url } });
  });
  after(async () => {
    await stack?.stop();
  });

  it('answers again (the gateway process alive) after every audit backend is terminated', async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    let terminated = 0;
    try {
      const results = await load(stack, 60, 4, async () => {
        const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [auditDatabase]);
        terminated = rows.filter((row) => row.done).length;
      });
      assert.ok(terminated > 0, 'the test terminated at least one audit backend');
      // A request whose audit write failed gets no data (503); every other one is answered.
      assert.ok(results.every((result) => result.status === 200 || result.status === 503), JSON.stringify(results.map((r) => r.status)));
    } finally {
      await admin.end();
    }
    assert.ok(await answersAgain(stack) >= 1);
  });
});
