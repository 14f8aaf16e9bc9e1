// The gateway with the three agency subgraphs over real HTTP, on the embedded engine and
// on the real PostgreSQL and MariaDB servers. The full profile is checked against what
// this test reads from the stores itself with plain SQL, not against the resolvers.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { generateStories } from '../seed/generate.ts';
import type { OffenderStory } from '../seed/story.ts';
import { parseDocket } from '../subgraphs/shared/inputs.ts';
import { PROFILE_QUERY } from '../bench/scenarios.ts';
import { startStack, type Engines, type Stack } from './support/stack.ts';
import { observeSubgraphCalls } from '../gateway/subgraph-fetch.ts';
import { readOwnTime } from '../gateway/own-time.ts';

const SEED = 11;

/** Source systems a story touches (the ten of DESIGN.md). */
function systemsOf(story: OffenderStory): string[] {
  const has: Array<[string, boolean]> = [
    ['MNI/CCH', true], ['CCMS', story.cases.some((c) => !c.erased)], ['CIB', story.infractions.length > 0],
    ['PRAWN', story.warrants.length > 0], ['POR', story.protectiveOrders.length > 0], ['PCMS', story.probations.length > 0],
    ['SOR', story.registration !== null], ['OMIS', story.custodies.length > 0], ['STC', story.timeCalculations.length > 0],
    ['Parole', story.paroles.length > 0],
  ];
  return has.filter(([, present]) => present).map(([name]) => name);
}

/** The population: 1 500 offenders plus the first one, further on, whose story touches all ten systems. */
function population(): { stories: OffenderStory[]; full: OffenderStory } {
  const stories = generateStories({ offenders: 1500, seed: SEED });
  for (let start = 1500; start < 200_000; start += 2000) {
    const full = generateStories({ offenders: 2000, seed: SEED, start }).find((story) => systemsOf(story).length === 10 && !story.warrants.every((w) => story.cases.find((c) => c.docketNumber === w.docketNumber)?.erased));
    if (full) return { stories: [...stories, full], full };
  }
  throw new Error('no story touches all ten systems');
}

const sorted = (values: string[]) => [...values].sort();
const dockets = (values: string[]) => sorted(values.map((value) => parseDocket(value)));

/** What the stores hold for one SID, read with plain SQL against the legacy tables. */
async function readStores(stack: Stack, sid: string) {
  const ps = stack.stores['public-safety'].database.db;
  const jd = stack.stores.judicial.database.db;
  const doc = stack.stores.correction.database.db;
  const keys = async (query: ReturnType<typeof sql<{ k: string }>>, db: typeof ps) => (await query.execute(db)).rows.map((row) => String(row.k).trim());
  const liveCase = sql`(select dkt_no from ccms.crim_case where erase_flg = 'N')`;
  return {
    name: (await sql<{ last: string; first: string }>`select ${sql.ref('NAM_LAST')} as last, ${sql.ref('NAM_FIRST')} as first from ${sql.table('MNI_PERSON')} where ${sql.ref('SID')} = ${sid}`.execute(ps)).rows[0],
    arrests: await keys(sql`select ${sql.ref('OTN')} as k from ${sql.table('CCH_ARREST')} where ${sql.ref('SID')} = ${sid} and ${sql.ref('ERASED_IND')} = 'N'`, ps),
    registration: await keys(sql`select ${sql.ref('REG_STAT_CD')} as k from ${sql.table('SOR_REGISTRANT')} where ${sql.ref('SID')} = ${sid}`, ps),
    cases: await keys(sql`select dkt_no as k from ccms.crim_case where sid_no = ${sid} and erase_flg = 'N'`, jd),
    warrants: await keys(sql`select wrnt_no as k from prawn.wrnt where sid_no = ${sid} and dkt_no in ${liveCase}`, jd),
    orders: await keys(sql`select ord_no as k from por.prot_ord where sid_no = ${sid} and (dkt_no is null or dkt_no in ${liveCase})`, jd),
    tickets: await keys(sql`select tkt_no as k from cib.tkt where sid_no = ${sid}`, jd),
    probation: await keys(sql`select prob_case_no as k from pcms.prob_case where sid_no = ${sid} and dkt_no in ${liveCase}`, jd),
    custody: await keys(sql`select a.inmt_no as k from omis_adm a join omis_inmt_mstr m on m.inmt_no = a.inmt_no where m.sid_no = ${sid} and a.erase_ind = 'N'`, doc),
    sentences: await keys(sql`select s.dkt_no as k from stc_sent_calc s join omis_inmt_mstr m on m.inmt_no = s.inmt_no where m.sid_no = ${sid} and s.erase_ind = 'N'`, doc),
    parole: await keys(sql`select p.prl_case_no as k from prl_case p join omis_inmt_mstr m on m.inmt_no = p.inmt_no where m.sid_no = ${sid} and p.erase_ind = 'N'`, doc),
  };
}

/** Statements each store ran while `work` ran. */
async function statementsDuring(stack: Stack, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, store.database?.counter.total ?? 0]));
  await work();
  return Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, (store.database?.counter.total ?? 0) - before[name]]));
}

for (const engines of ['embedded', 'servers'] as Engines[]) {
  describe(`gateway over three subgraphs (${engines === 'embedded' ? 'embedded PGlite' : 'PostgreSQL + MariaDB servers'})`, function () {
    this.timeout(120_000);
    const { stories, full } = population();
    let stack: Stack;

    before(async () => {
      stack = await startStack(stories, { engines, tag: 'gateway' });
    });
    after(async () => {
      await stack?.stop();
    });

    it('answers a full profile joining all ten source systems, as the stores hold it', async () => {
      const calls: string[] = [];
      const stopObserving = observeSubgraphCalls((call) => calls.push(Object.entries(stack.subgraphs).find(([, running]) => running.url === call.url)?.[0] ?? call.url));
      const { status, body } = await stack.query(PROFILE_QUERY, { sid: full.person.sid }).finally(stopObserving);
      // The planner asks correction three times (parole beside judicial; then a case's
      // correctional sentence, and sentences and custody); parole waits for the last round
      // (gateway/plan-coalesce.ts) and the round goes out as one call (gateway/subgraph-batch.ts).
      assert.deepEqual(calls.sort(), ['correction', 'judicial', 'public-safety', 'public-safety']);
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      const profile = body.data.offender;
      const stored = await readStores(stack, full.person.sid);
      for (const [key, rows] of Object.entries(stored)) if (Array.isArray(rows)) assert.ok(rows.length > 0, `the stores hold no ${key} for the chosen offender`);

      assert.deepEqual({ last: profile.name.last, first: profile.name.first }, { last: stored.name.last.trim(), first: stored.name.first.trim() });
      assert.deepEqual(sorted(profile.arrests.map((a: any) => a.trackingNumber)), sorted(stored.arrests));
      assert.ok(profile.sexOffenderRegistration, 'SOR registration');
      assert.deepEqual(dockets(profile.courtCases.edges.map((e: any) => e.node.docketNumber)), dockets(stored.cases));
      assert.equal(profile.courtCases.totalCount, stored.cases.length);
      assert.deepEqual(sorted(profile.warrants.map((w: any) => w.warrantNumber)), sorted(stored.warrants));
      assert.deepEqual(sorted(profile.protectiveOrders.map((o: any) => o.orderNumber)), sorted(stored.orders));
      assert.deepEqual(sorted(profile.infractions.map((t: any) => t.ticketNumber)), sorted(stored.tickets));
      assert.deepEqual(sorted(profile.probation.map((p: any) => p.caseNumber)), sorted(stored.probation));
      assert.deepEqual(sorted(profile.custody.map((c: any) => c.inmateNumber)), sorted(stored.custody));
      assert.deepEqual(dockets(profile.sentences.map((s: any) => s.docketNumber)), dockets(stored.sentences));
      assert.deepEqual(sorted(profile.parole.map((p: any) => p.caseNumber)), sorted(stored.parole));
      // The same facts the generator wrote: the stores did not lose or invent records.
      assert.equal(profile.courtCases.totalCount, full.cases.filter((c) => !c.erased).length);
      assert.equal(profile.dateOfBirth, full.person.dateOfBirth);
      // correctionalSentence on a case comes from DOC (an entity join across subgraphs).
      const withTime = profile.courtCases.edges.map((e: any) => e.node).filter((n: any) => n.correctionalSentence);
      assert.deepEqual(dockets(withTime.map((n: any) => n.docketNumber)), dockets(stored.sentences));
    });

    it('runs a number of SQL statements per request that does not grow with the rows', async () => {
      const query = `query Many($first: Int!) { searchOffenders(lastName: "S*", first: $first) {
        edges { node { sid name { last } courtCases(first: 10) { edges { node { docketNumber status } } } warrants { warrantNumber } custody { inmateNumber status } } } } }`;
      let small: any;
      let large: any;
      const few = await statementsDuring(stack, async () => {
        small = await stack.query(query, { first: 10 });
      });
      const many = await statementsDuring(stack, async () => {
        large = await stack.query(query, { first: 100 });
      });
      assert.equal(small.body.errors, undefined, JSON.stringify(small.body.errors));
      assert.equal(large.body.errors, undefined, JSON.stringify(large.body.errors));
      assert.equal(small.body.data.searchOffenders.edges.length, 10);
      assert.equal(large.body.data.searchOffenders.edges.length, 100);
      assert.deepEqual(many, few, `10 offenders: ${JSON.stringify(few)}; 100 offenders: ${JSON.stringify(many)}`);
      for (const name of ['public-safety', 'judicial', 'correction']) assert.ok(few[name] >= 1 && few[name] <= 4, `${name} ran ${few[name]} statements`);
    });

    it('refuses bad input with BAD_USER_INPUT and the expected form, and returns null for unknown keys', async () => {
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['query($sid: ID!) { offender(sid: $sid) { sid } }', { sid: '12-34' }, /expected 9 digits/],
        ['query($d: ID!) { courtCase(docketNumber: $d) { docketNumber } }', { d: 'H12M-CR19' }, /expected e\.g\. H12M-CR19-0123456-S/],
        ['query($n: ID!) { inmate(inmateNumber: $n) { inmateNumber } }', { n: 'A1' }, /expected 6 or 7 digits/],
        ['query { searchOffenders(lastName: "SMITH", first: 0) { totalCount } }', {}, /from 1 to 100/],
        ['query { searchOffenders(lastName: "SMITH", after: "bogus") { totalCount } }', {}, /not a cursor/],
        ['query { releases(from: "2024-02-30", to: "2024-03-01") { totalCount } }', {}, /YYYY-MM-DD/],
      ];
      for (const [query, variables, message] of cases) {
        const { body } = await stack.query(query, variables);
        assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${query}: ${JSON.stringify(body)}`);
        assert.match(body.errors[0].message, message);
      }
      const unknown = await stack.query('{ offender(sid: "999999999") { sid } courtCase(docketNumber: "H12MCR990000000S") { docketNumber } }');
      assert.deepEqual(unknown.body, { data: { offender: null, courtCase: null } });
    });

    it('answers malformed JSON and malformed GraphQL with 400 and nothing internal', async () => {
      const badJson = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authHeaders }, body: '{"query": ' });
      assert.equal(badJson.status, 400);
      const jsonText = await badJson.text();
      assert.match(jsonText, /not valid JSON/);
      const badQuery = await stack.query('{ offender(sid: "000100001") { sid ');
      assert.equal(badQuery.status, 400);
      assert.equal(badQuery.body.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
      const unknownOperation = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...stack.authHeaders },
        body: JSON.stringify({ query: 'query A { offender(sid: "000100001") { sid } }', operationName: 'B' }),
      });
      const unknownBody = (await unknownOperation.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      assert.equal(unknownOperation.status, 400);
      assert.equal(unknownBody.errors[0].extensions.code, 'OPERATION_RESOLUTION_FAILURE');
      assert.match(unknownBody.errors[0].message, /Unknown operation named "B"/);
      for (const text of [jsonText, JSON.stringify(badQuery.body)]) assert.doesNotMatch(text, /at \w+ \(|node_modules|127\.0\.0\.1|SELECT/i);
    });

    it('is healthy, and ready while every subgraph is', async () => {
      const base = stack.gateway.url.replace(/\/graphql$/, '');
      assert.equal((await fetch(`${base}/health`)).status, 200);
      const ready = await fetch(`${base}/ready`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { status: string }).status, 'ready');
    });

    it('exposes Prometheus metrics by operation and by subgraph, without offender data', async () => {
      const before = readOwnTime(await (await fetch(stack.gateway.metricsUrl)).text());
      const started = performance.now();
      await stack.query(PROFILE_QUERY, { sid: full.person.sid });
      const elapsedSeconds = (performance.now() - started) / 1000;
      const text = await (await fetch(stack.gateway.metricsUrl)).text();
      // The gateway's own time for that request: counted once, more than nothing, less than the whole request as the client saw it.
      const after = readOwnTime(text);
      assert.equal(after.count - before.count, 1);
      assert.ok(after.sum - before.sum > 0 && after.sum - before.sum < elapsedSeconds, `own ${after.sum - before.sum} s of ${elapsedSeconds} s`);
      assert.match(text, /obts_graphql_requests_total\{operation="Profile",outcome="ok"\} [1-9]/);
      for (const subgraph of ['public-safety', 'judicial', 'correction']) {
        assert.match(text, new RegExp(`obts_subgraph_request_duration_seconds_count\\{subgraph="${subgraph}",outcome="ok"\\} [1-9]`), subgraph);
      }
      assert.doesNotMatch(text, new RegExp(full.person.sid));
      // A field the permission cut refused makes the answer partial, on /metrics as in the audit.
      const advocate = { authorization: `Bearer ${await stack.token({ user: 'metrics-advocate', roles: ['victim-services'] })}` };
      const cut = await stack.query('query CutProbe($sid: ID!) { offender(sid: $sid) { sid warrants { warrantNumber } } }', { sid: full.person.sid }, advocate);
      assert.deepEqual(cut.body.errors.map((e: any) => e.extensions.code), ['FORBIDDEN']);
      assert.match(await (await fetch(stack.gateway.metricsUrl)).text(), /obts_graphql_requests_total\{operation="CutProbe",outcome="partial"\} 1/);
    });

    it('has each subgraph count its SQL statements on its own /metrics, without a token and without offender data', async () => {
      const statementsOf = async (subgraph: string) => {
        const text = await (await fetch(stack.subgraphs[subgraph].url.replace(/\/graphql$/, '/metrics'))).text();
        assert.doesNotMatch(text, new RegExp(full.person.sid));
        const match = new RegExp(`^obts_subgraph_sql_statements_total\\{subgraph="${subgraph}"\\} (\\d+)$`, 'm').exec(text);
        assert.ok(match, `${subgraph}: ${text}`);
        return Number(match[1]);
      };
      const before = { ps: await statementsOf('public-safety'), judicial: await statementsOf('judicial'), driver: stack.stores['public-safety'].database.counter.total };
      await stack.query(PROFILE_QUERY, { sid: full.person.sid });
      const sent = (await statementsOf('public-safety')) - before.ps;
      assert.ok(sent > 0);
      assert.equal(sent, stack.stores['public-safety'].database.counter.total - before.driver);
      assert.ok((await statementsOf('judicial')) > before.judicial);
    });

    it('keeps the other agencies\' data when one agency fails, naming its source systems', async () => {
      await stack.subgraphs.correction.stop();
      const { body } = await stack.query('query($sid: ID!) { offender(sid: $sid) { sid name { last } custody { inmateNumber } } }', { sid: full.person.sid });
      assert.equal(body.data.offender.name.last, full.person.name.last);
      const error = body.errors?.find((e: any) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
      assert.ok(error, JSON.stringify(body.errors));
      assert.match(error.message, /Department of Correction \(OMIS, STC, Parole\)/);
      assert.doesNotMatch(JSON.stringify(body), /127\.0\.0\.1|ECONNREFUSED|http:/);
      // Degraded, not down: still in rotation (200), naming what is missing (gateway/health/ready.ts).
      const ready = await fetch(stack.gateway.url.replace(/\/graphql$/, '/ready'));
      assert.equal(ready.status, 200);
      const report = (await ready.json()) as { status: string; subgraphs: Record<string, string> };
      assert.equal(report.status, 'degraded');
      assert.equal(report.subgraphs.correction, 'unavailable');
    });
  });
}
