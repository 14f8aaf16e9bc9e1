// The gateway takes a newly composed supergraph without a restart, and refuses a bad one
// while the old one keeps serving (gateway/supergraph.ts). Real HTTP, embedded stores.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { generateStories } from '../seed/generate.ts';
import { ROOT, SUBGRAPHS } from '../schema/subgraphs.ts';
import { sha256 } from '../gateway/supergraph.ts';
import { startStack, type Stack } from './support/stack.ts';

const stories = generateStories({ offenders: 20, seed: 5 });
const sid = stories[0].person.sid;
const TRACKING = `query Track($sid: ID!) { offender(sid: $sid) { sid trackingStatus { stage } } }`;
const NAME = `query Name($sid: ID!) { offender(sid: $sid) { sid name { last } } }`;

/** The supergraph composed from every subgraph but `left`. */
function composedWithout(left: string): string {
  const result = composeServices(SUBGRAPHS.filter((entry) => entry.name !== left).map((entry) => ({
    name: entry.name, url: `http://127.0.0.1:${entry.defaultPort}/graphql`, typeDefs: parse(readFileSync(path.join(ROOT, entry.sdl), 'utf8')),
  })));
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.supergraphSdl;
}

describe('supergraph hot reload', () => {
  let stack: Stack;
  let folder: string;
  let file: string;
  const original = readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');

  before(async function () {
    this.timeout(180_000);
    folder = mkdtempSync(path.join(os.tmpdir(), 'obts-reload-'));
    file = path.join(folder, 'supergraph.graphql');
    copyFileSync(path.join(ROOT, 'schema/supergraph.graphql'), file);
    stack = await startStack(stories, { env: { GATEWAY_SUPERGRAPH_FILE: file, GATEWAY_SUPERGRAPH_POLL_MS: '50' } });
  });
  after(async () => {
    await stack?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const ready = async () => (await fetch(stack.gateway.url.replace(/\/graphql$/, '/ready'))).json() as Promise<any>;
  /** Polls /ready (bounded: 100 tries) until `check` holds; returns the last answer. */
  async function until(check: (body: any) => boolean): Promise<any> {
    let body: any;
    for (let tries = 0; tries < 100; tries += 1) {
      body = await ready();
      if (check(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return body;
  }
  const metric = async (name: string) => {
    const text = await (await fetch(stack.gateway.metricsUrl)).text();
    return text.split('\n').filter((line) => line.startsWith(name));
  };

  it('serves the file it was given and says which one on /ready and /metrics', async () => {
    const body = await ready();
    assert.equal(body.supergraph.hash, sha256(original));
    assert.equal(body.supergraph.rejected, undefined);
    assert.deepEqual(await metric('obts_supergraph_info'), [`obts_supergraph_info{hash="${sha256(original)}"} 1`]);
    const answer = await stack.query(TRACKING, { sid });
    assert.equal(answer.status, 200);
    assert.equal(typeof answer.body.data.offender.trackingStatus.stage, 'string');
  });

  it('takes a newly composed supergraph without a restart', async () => {
    const smaller = composedWithout('tracking');
    writeFileSync(file, smaller);
    const body = await until((b) => b.supergraph.hash === sha256(smaller));
    assert.equal(body.supergraph.hash, sha256(smaller));
    const refused = await stack.query(TRACKING, { sid });
    assert.equal(refused.status, 400);
    assert.match(refused.body.errors[0].message, /Cannot query field "trackingStatus" on type "Offender"/);
    const kept = await stack.query(NAME, { sid });
    assert.equal(kept.body.data.offender.name.last, stories[0].person.name.last);
    assert.deepEqual(await metric('obts_supergraph_reloads_total{outcome="applied"}'), ['obts_supergraph_reloads_total{outcome="applied"} 1']);
  });

  it('keeps serving the previous supergraph when the new file does not load, and says why', async () => {
    const before = (await ready()).supergraph.hash;
    writeFileSync(file, 'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query } type Query {');
    const body = await until((b) => Boolean(b.supergraph.rejected));
    assert.equal(body.supergraph.hash, before, 'still the previous supergraph');
    assert.equal(body.supergraph.rejected.hash, sha256(readFileSync(file, 'utf8')));
    assert.ok(body.supergraph.rejected.reason.length > 0);
    const kept = await stack.query(NAME, { sid });
    assert.equal(kept.status, 200);
    assert.equal(kept.body.data.offender.sid, sid);
    assert.deepEqual(await metric('obts_supergraph_rejected '), ['obts_supergraph_rejected 1']);
  });

  it('takes the full supergraph back, permissions included', async () => {
    writeFileSync(file, original);
    const body = await until((b) => b.supergraph.hash === sha256(original) && !b.supergraph.rejected);
    assert.equal(body.supergraph.hash, sha256(original));
    const answer = await stack.query(TRACKING, { sid });
    assert.equal(typeof answer.body.data.offender.trackingStatus.stage, 'string');
    // The permission index follows the swap: a victim advocate still may not see CCH arrests.
    const denied = await stack.query(`query { offender(sid: "${sid}") { sid arrests { date } } }`, undefined, {
      authorization: `Bearer ${await stack.token({ roles: ['victim-services'] })}`,
    });
    assert.equal(denied.body.data.offender.arrests, null);
    assert.equal(denied.body.errors[0].extensions.code, 'FORBIDDEN');
  });
});
