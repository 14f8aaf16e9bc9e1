// Degraded, not down: with an agency out, the gateway stays in rotation (/ready 200
// "degraded", naming what is missing), and the other agencies' records survive (a court
// case or an inmate looked up by its own number keeps its data when the Department of
// Public Safety, which holds the person's name, is down). Not ready (503) only when no
// agency answers or the audit store is unusable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '../schema/subgraphs.ts';
import pg from 'pg';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { freshPostgresDatabase, POSTGRES_ADMIN_URL } from './support/databases.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway } from '../gateway/server.ts';
import { startSlowProxy } from './support/slow-proxy.ts';
import { logger } from '../subgraphs/shared/log.ts';

const population = generateStories({ offenders: 300, seed: 9 });
const withCase = population.find((story) => story.cases.some((c) => !c.erased) && story.custodies.length > 0)!;
const stories = [withCase, ...population.slice(0, 20).filter((story) => story !== withCase)];
const liveCase = withCase.cases.find((c) => !c.erased)!;
const custody = withCase.custodies[0];

/** Sees each line the gateway logs at error level (tests log nothing) until the returned function is called. */
function captureLogErrors(seen: (line: string) => void): () => void {
  const original = logger.error;
  logger.error = ((...args: unknown[]) => { seen(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')); }) as typeof logger.error;
  return () => { logger.error = original; };
}

describe('reliability: degraded, not down', function () {
  this.timeout(300_000);
  let stack: Stack;
  const ready = async () => {
    const response = await fetch(stack.gateway.url.replace(/\/graphql$/, '/ready'));
    return { status: response.status, body: (await response.json()) as any };
  };
  before(async () => {
    stack = await startStack(stories);
  });
  after(async () => {
    await stack?.stop();
  });

  it('is ready with everything up, and not ready (503) while the audit store is unusable', async () => {
    const { status, body } = await ready();
    const { supergraph, ...rest } = body as any;
    assert.equal(typeof supergraph.hash, 'string', 'readiness names the supergraph it serves');
    assert.deepEqual({ status, body: rest }, { status: 200, body: { status: 'ready', subgraphs: Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, 'ready'])), unavailable: [], audit: 'ready' } });
    // A second gateway over the same subgraphs, auditing to PostgreSQL; then its audit database goes away.
    const auditUrl = await freshPostgresDatabase('reliab_ready_audit');
    const gateway = await startGateway({
      ...loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir, AUDIT_DATABASE_URL: auditUrl }),
      port: 0,
      subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url])),
    });
    const readyUrl = gateway.url.replace(/\/graphql$/, '/ready');
    try {
      assert.equal((await fetch(readyUrl)).status, 200);
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${new URL(auditUrl).pathname.slice(1)} WITH (FORCE)`).finally(() => admin.end());
      const gone = await fetch(readyUrl);
      assert.equal(gone.status, 503);
      assert.deepEqual(((await gone.json()) as any).audit, 'unavailable');
      assert.equal(((await (await fetch(readyUrl)).json()) as any).status, 'unavailable');
    } finally {
      await gateway.stop();
    }
  });

  it('a stop waits for an operation whose client hung up: its audit record is written before the store closes', async () => {
    // A second gateway whose calls to public-safety take 800 ms; its client gives up after 200.
    const slow = await startSlowProxy(stack.subgraphs['public-safety'].url, 800);
    const auditFile = path.join(stack.dataDir, 'stop-wait', 'audit.jsonl');
    const errors: string[] = [];
    const gateway = await startGateway({
      ...loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir, AUDIT_LOG_FILE: auditFile }),
      port: 0,
      subgraphUrls: { ...Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url])), 'public-safety': slow.url },
    });
    const stopLogging = captureLogErrors((line) => errors.push(line));
    try {
      const sent = fetch(gateway.url, {
        method: 'POST', headers: { 'content-type': 'application/json', ...stack.authHeaders },
        body: JSON.stringify({ query: 'query StopWait($sid: ID!) { offender(sid: $sid) { sid name { last } } }', variables: { sid: withCase.person.sid } }),
        signal: AbortSignal.timeout(200),
      });
      await assert.rejects(sent, (error: Error) => error.name === 'TimeoutError', 'the client gave up before the answer');
      assert.equal(slow.received, 1, 'the call to the agency is out');
      await gateway.stop();
    } finally {
      stopLogging();
      await slow.close();
    }
    const records = readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const record = records.find((entry) => entry.operationName === 'StopWait');
    assert.ok(record, `the operation is in the audit log (records: ${records.map((entry) => entry.event).join(', ')})`);
    assert.deepEqual(record.variables, { sid: withCase.person.sid });
    assert.ok(record.subgraphs.includes('public-safety'));
    assert.deepEqual(errors.filter((line) => /audit write failed/.test(line)), [], 'no record was lost to a closed store');
  });

  it('with public-safety down: a court case and an inmate keep their own data; the person\'s name is null with an error naming DPS; /ready says degraded', async () => {
    await stack.subgraphs['public-safety'].stop();
    const { status, body } = await stack.query(`query($docket: ID!, $inmate: ID!) {
      courtCase(docketNumber: $docket) { docketNumber status offender { sid name { last first } } }
      inmate(inmateNumber: $inmate) { inmateNumber offender { sid name { last } } }
    }`, { docket: liveCase.docketNumber, inmate: custody.inmateNumber });
    assert.equal(status, 200);
    assert.equal(body.data.courtCase.docketNumber, liveCase.docketNumber);
    assert.equal(typeof body.data.courtCase.status, 'string', 'judicial fields stand');
    assert.deepEqual(body.data.courtCase.offender, { sid: withCase.person.sid, name: null });
    assert.equal(body.data.inmate.inmateNumber, custody.inmateNumber);
    assert.deepEqual(body.data.inmate.offender, { sid: withCase.person.sid, name: null });
    assert.ok(body.errors.length >= 1);
    for (const error of body.errors) {
      assert.equal(error.extensions.code, 'SUBGRAPH_UNAVAILABLE');
      assert.equal(error.extensions.source, 'public-safety');
      assert.match(error.message, /^Department of Public Safety \(MNI\/CCH, SOR\) did not answer/);
    }

    const degraded = await ready();
    assert.equal(degraded.status, 200, 'one agency down keeps the gateway in rotation');
    assert.equal(degraded.body.status, 'degraded');
    assert.deepEqual(degraded.body.unavailable, [{ subgraph: 'public-safety', agency: 'Department of Public Safety', systems: ['MNI/CCH', 'SOR'] }]);
  });

  it('with no agency answering, is not ready (503)', async () => {
    await stack.subgraphs.judicial.stop();
    await stack.subgraphs.correction.stop();
    const down = await ready();
    assert.equal(down.status, 503);
    assert.equal(down.body.status, 'unavailable');
    assert.deepEqual(down.body.unavailable.map((entry: { subgraph: string }) => entry.subgraph), ['public-safety', 'judicial', 'correction']);
    assert.equal(down.body.subgraphs.tracking, 'ready', 'tracking alone (no data of its own) does not make the gateway ready');
  });
});
