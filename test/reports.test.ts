// reports/ through the real gateway and subgraphs (test/support/stack.ts), on embedded
// PGlite and on the real PostgreSQL and MariaDB servers: every report's figures against
// what this test computes itself from the seeded stories (support/report-expectations.ts),
// a role that sees only part of the systems, requests per agency per walked page, audit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { generateStories } from '../seed/generate.ts';
import { GatewayClient } from '../reports/client.ts';
import { findReport } from '../reports/definitions/index.ts';
import { today } from '../reports/definitions/common.ts';
import { resolveOptions, type RawOptions } from '../reports/options.ts';
import { collectReport } from '../reports/run.ts';
import type { Row } from '../reports/types.ts';
// These tests run reports as purpose C, so that each page is audited as one operation they
// can check; purpose R (the CLI's default) gets GATEWAY_MAX_COST_STATISTICAL instead.
const REPORT_LIMITS = { GATEWAY_MAX_COST: '5000000' };
import { startStack, type Engines, type Stack } from './support/stack.ts';
import {
  expectedCaseProcessing, expectedCleanSlate, expectedDiscrepancies, expectedOrders, expectedPopulation, expectedRecidivism, expectedTimeToDisposition, expectedWarrants,
} from './support/report-expectations.ts';

const ON = '2026-06-30';
const PERIOD = { from: '2021-01-01', to: '2023-12-31' };
const stories = generateStories({ offenders: 400, seed: 23 });

/** Subgraph requests so far, by subgraph, from the gateway's /metrics. */
async function subgraphCalls(stack: Stack): Promise<Record<string, number>> {
  const text = await (await fetch(stack.gateway.metricsUrl)).text();
  const calls: Record<string, number> = {};
  for (const match of text.matchAll(/obts_subgraph_request_duration_seconds_count\{subgraph="([^"]+)",outcome="[^"]+"\} (\d+)/g)) calls[match[1]] = (calls[match[1]] ?? 0) + Number(match[2]);
  return calls;
}

const section = (rows: Row[], name: string) => rows.filter((row) => row.section === name);
const toMap = (rows: Row[], key: (row: Row) => string, value: string) => new Map(rows.filter((row) => row[value] !== null && Number(row[value]) > 0).map((row) => [key(row), Number(row[value])]));
const sortedMap = (map: Map<string, number>) => new Map([...map].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));

for (const engines of ['embedded', 'servers'] as Engines[]) {
  describe(`reports through the gateway (${engines === 'embedded' ? 'embedded PGlite' : 'PostgreSQL + MariaDB servers'})`, function () {
    this.timeout(300_000);
    let stack: Stack;
    let analyst: GatewayClient;
    let victimServices: GatewayClient;
    const run = async (client: GatewayClient, name: string, raw: RawOptions) => collectReport(findReport(name)!, resolveOptions(findReport(name)!, { pageSize: 120, ...raw }), client);

    before(async () => {
      stack = await startStack(stories, { engines, tag: 'reports', env: REPORT_LIMITS });
      const url = stack.gateway.url;
      analyst = new GatewayClient({ url, token: await stack.token({ user: 'report-analyst', roles: ['analyst'] }), purpose: 'C' });
      // Victim services see MNI, CCMS, POR, OMIS and STC, but not CCH, PRAWN, PCMS or parole.
      victimServices = new GatewayClient({ url, token: await stack.token({ user: 'report-victim-services', roles: ['victim-services'] }), purpose: 'C' });
    });
    after(async () => {
      await stack?.stop();
    });

    it('warrants: active on a date by court and age band, issued and served in a period, as the stories say', async () => {
      const { rows, notes, requests } = await run(analyst, 'warrants', { on: ON, ...PERIOD });
      const expected = expectedWarrants(stories, ON, PERIOD.from, PERIOD.to);
      assert.ok(expected.active.size > 0 && expected.issued.size > 0, 'the seed holds warrants to count');
      assert.deepEqual(sortedMap(toMap(section(rows, 'active warrants'), (r) => `${r.court}|${r.age_band}`, 'active')), sortedMap(expected.active));
      assert.deepEqual(sortedMap(toMap(section(rows, 'issued and served'), (r) => `${r.court}|${r.warrant_type}`, 'issued')), sortedMap(expected.issued));
      assert.deepEqual(sortedMap(toMap(section(rows, 'issued and served'), (r) => `${r.court}|${r.warrant_type}`, 'served')), sortedMap(expected.served));
      assert.deepEqual(notes, []);
      assert.equal(requests, 1, 'one query');
      const withheld = await run(victimServices, 'warrants', { on: ON, ...PERIOD });
      assert.deepEqual(withheld.rows, []);
      assert.match(withheld.notes.join(' '), /PRAWN \(Judicial Branch\) withheld: your roles do not grant prawn:read/);
    });

    it('protective-orders: in effect on a date by type, and expiring within the look-ahead', async () => {
      const { rows } = await run(victimServices, 'protective-orders', { on: ON, days: 90 });
      const expected = expectedOrders(stories, ON, 90);
      assert.ok([...expected.inEffect.values()].reduce((a, b) => a + b, 0) > 0);
      assert.deepEqual(sortedMap(toMap(rows, (r) => String(r.order_type), 'in_effect')), sortedMap(expected.inEffect));
      assert.deepEqual(sortedMap(toMap(rows, (r) => String(r.order_type), 'expiring')), sortedMap(expected.expiring));
    });

    it('population: DOC custody by facility and level, probation by office, every person once by tracking stage', async () => {
      const before = await subgraphCalls(stack);
      const { rows, notes, requests } = await run(analyst, 'population', { on: ON });
      const after = await subgraphCalls(stack);
      const expected = expectedPopulation(stories, ON);
      assert.ok(expected.custody.size > 0 && expected.probation.size > 0);
      assert.deepEqual(sortedMap(toMap(section(rows, 'DOC custody'), (r) => `${r.facility}|${r.custody_level}`, 'count')), sortedMap(expected.custody));
      assert.deepEqual(sortedMap(toMap(section(rows, 'probation caseload'), (r) => `${r.office}|${r.status}`, 'count')), sortedMap(expected.probation));
      const parole = await stack.stores.correction.database.db.selectFrom('prl_case').select(['dist_nm', 'prl_stat_cd']).where('erase_ind', '=', 'N')
        .where('strt_dt', '<=', ON).where((eb) => eb.or([eb('end_dt', 'is', null), eb('end_dt', '>', ON)])).execute();
      assert.equal(section(rows, 'parole caseload').reduce((sum, r) => sum + Number(r.count), 0), parole.length);
      const stages = section(rows, 'tracking stage');
      assert.equal(stages.reduce((sum, r) => sum + Number(r.count), 0), stories.length, 'every person counted once');
      assert.ok(stages.every((r) => r.stage !== 'UNAVAILABLE'));
      assert.match(notes.join(' '), new RegExp(`tracking stages are as of today \\(${today()}\\)`));
      // 400 people, 120 per page: 4 pages, one request each. Judicial, correction and tracking
      // are asked once per page (the plan asks correction for parole beside judicial and for
      // custody after judicial has answered the erased dockets the disclosure guard needs,
      // issue 9; parole waits for the second, gateway/plan-coalesce.ts, and both go in one
      // call); judicial and correction once more for the aggregate query.
      assert.equal(requests, 1 + 4);
      const perPage: Record<string, number> = { judicial: 1, correction: 1, tracking: 1 };
      for (const [agency, calls] of Object.entries(perPage)) {
        assert.equal(after[agency] - (before[agency] ?? 0), 4 * calls + (agency === 'tracking' ? 0 : 1), `${agency}: ${after[agency] - (before[agency] ?? 0)} requests`);
      }
    });

    it('case-processing: the arrests of a period by court, the same for a role without DOC figures withheld', async () => {
      const before = await subgraphCalls(stack);
      const { rows, notes, requests } = await run(analyst, 'case-processing', PERIOD);
      const after = await subgraphCalls(stack);
      const expected = expectedCaseProcessing(stories, PERIOD.from, PERIOD.to);
      assert.ok(expected.size > 3);
      const byCourt = new Map(section(rows, 'by court').map((r) => [String(r.group), { arrests: r.arrests, arraigned: r.arraigned, disposed: r.disposed, convicted: r.convicted, sentenced: r.sentenced, admitted: r.admitted }]));
      assert.deepEqual(new Map([...byCourt].sort()), new Map([...expected].sort()));
      assert.deepEqual(notes, []);
      assert.equal(requests, 4);
      // Judicial and correction once per page; public-safety twice (the cohort, then its
      // arrests once judicial has answered the erased dockets the disclosure guard needs).
      const perPage: Record<string, number> = { 'public-safety': 2, judicial: 1, correction: 1 };
      for (const [agency, calls] of Object.entries(perPage)) assert.equal(after[agency] - (before[agency] ?? 0), 4 * calls, `${agency} asked ${calls} time(s) per page`);
      const partial = await run(victimServices, 'case-processing', PERIOD);
      assert.deepEqual(partial.rows, []);
      assert.match(partial.notes.join(' '), /CCH \(Department of Public Safety\) withheld.*without CCH there is no cohort/);
    });

    it('time-to-disposition: medians and the 12-month share by charge class; without CCH the arrest figures are withheld', async () => {
      const { rows } = await run(analyst, 'time-to-disposition', { ...PERIOD, by: 'charge-class' });
      const expected = expectedTimeToDisposition(stories, PERIOD.from, PERIOD.to);
      assert.ok(expected.size > 2);
      const got = new Map(rows.map((r) => [String(r.group), { disposed: r.disposed, medianArrest: r.median_days_from_arrest, medianArraignment: r.median_days_from_arraignment, within12: r.within_12_months }]));
      assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
      assert.ok(rows.every((r) => r.section === 'by charge class'));
      const partial = await run(victimServices, 'time-to-disposition', { ...PERIOD, by: 'charge-class' });
      assert.match(partial.notes.join(' '), /CCH \(Department of Public Safety\) withheld/);
      for (const row of partial.rows) {
        assert.equal(row.median_days_from_arrest, null);
        assert.equal(row.median_days_from_arraignment, expected.get(String(row.group))!.medianArraignment);
      }
    });

    it('recidivism: re-arrest within 1, 2 and 3 years of a DOC release; without CCH only the cohort', async () => {
      const period = { from: '2019-01-01', to: '2022-12-31' };
      const { rows, notes } = await run(analyst, 'recidivism', { ...period, by: 'statewide' });
      const expected = expectedRecidivism(stories, period.from, period.to);
      assert.ok(expected.released > 5);
      assert.deepEqual(rows.map((r) => [r.window_years, r.released, r.rearrested]), [1, 2, 3].map((years, i) => [years, expected.released, expected.rearrested[i]]));
      assert.deepEqual(notes, []);
      const partial = await run(victimServices, 'recidivism', { ...period, by: 'statewide' });
      assert.deepEqual(partial.rows.map((r) => [r.released, r.rearrested]), [1, 2, 3].map(() => [expected.released, null]));
      assert.match(partial.notes.join(' '), /CCH \(Department of Public Safety\) withheld/);
    });

    it('clean-slate: every erasable conviction and every outcome the stories imply; without PCMS, parole and SOR those rules are checked without them', async () => {
      // A date three years on, so that felonies (10 years) come due as well as misdemeanours.
      const on = '2029-06-30';
      const keyOf = (row: Row) => `${row.sid}|${String(row.docket_number).replace(/-/g, '')}|${row.count_number}|${row.erasable_on}|${row.conviction_date}`;
      const before = await subgraphCalls(stack);
      const { rows, notes, requests } = await run(analyst, 'clean-slate', { on });
      const after = await subgraphCalls(stack);
      const expected = expectedCleanSlate(stories, on);
      for (const outcome of ['erasable-misdemeanor', 'erasable-felony', 'family-violence', 'sexual-offense', 'class-a-b-felony', 'sentence-not-completed', 'waiting-period']) {
        assert.ok((expected.outcomes.get(outcome) ?? 0) > 0, `the seed holds convictions with outcome ${outcome}`);
      }
      assert.deepEqual(section(rows, 'erasable').map(keyOf).sort(), expected.erasable);
      assert.ok(section(rows, 'erasable').every((row) => row.erasable_on! <= on && row.latest_conviction_date! >= row.conviction_date!));
      assert.deepEqual(sortedMap(toMap(section(rows, 'summary'), (r) => String(r.outcome), 'convictions')), sortedMap(expected.outcomes));
      assert.deepEqual(notes, [`records are read as they stand today (${today()}); --on ${on} moves only the waiting periods and the sentences running on that day`]);
      // 4 pages; judicial once per page; correction once (parole, planned beside judicial,
      // waits for custody, which needs judicial's erased dockets, and goes in the same call:
      // gateway/plan-coalesce.ts); public-safety only for the roll itself (the registry is
      // read in the same call).
      assert.equal(requests, 4);
      const perPage: Record<string, number> = { 'public-safety': 1, judicial: 1, correction: 1 };
      for (const [agency, calls] of Object.entries(perPage)) assert.equal(after[agency] - (before[agency] ?? 0), 4 * calls, `${agency} asked ${after[agency] - (before[agency] ?? 0)} times in 4 pages`);
      // Purpose R (research/statistics, the CLI's default) gets conviction information only
      // (C.G.S. 54-142k): the same convictions, so the same list.
      const statistical = new GatewayClient({ url: stack.gateway.url, token: await stack.token({ user: 'report-statistician', roles: ['analyst'] }), purpose: 'R' });
      assert.deepEqual(section((await run(statistical, 'clean-slate', { on })).rows, 'erasable').map(keyOf).sort(), expected.erasable);
      // Pages of 500 cost more than the limit this stack sets (5 M): the walk asks again with smaller pages.
      const partial = await run(victimServices, 'clean-slate', { on, pageSize: 500 });
      assert.match(partial.notes.join(' '), /a page of 500 people costs \d+, over the gateway's cost limit of 5000000: the walk reads pages of \d+/);
      const partialExpected = expectedCleanSlate(stories, on, ['PCMS', 'Parole', 'SOR']);
      assert.notDeepEqual(partialExpected.erasable, expected.erasable, 'the withheld systems change the figures');
      assert.deepEqual(section(partial.rows, 'erasable').map(keyOf).sort(), partialExpected.erasable);
      assert.deepEqual(sortedMap(toMap(section(partial.rows, 'summary'), (r) => String(r.outcome), 'convictions')), sortedMap(partialExpected.outcomes));
      const text = partial.notes.join(' ');
      for (const system of ['PCMS \\(Judicial Branch\\)', 'Parole \\(Department of Correction\\)', 'SOR \\(Department of Public Safety\\)']) assert.match(text, new RegExp(`${system} withheld`));
      assert.match(text, /rule sentence-not-completed is checked without PCMS \(Judicial Branch\), Parole \(Department of Correction\)/);
      assert.match(text, /rule sex-offender-registrant is checked without SOR/);
    });

    // Changes rows in two stores to make two agencies disagree (no later test reads them).
    it('discrepancies: every finding the stories imply, plus two disagreements made in the stores; rules needing a withheld system skipped', async () => {
      const bare = (docket: string) => docket.replace(/-/g, '');
      const keyOf = (row: Row) => `${row.rule}|${row.sid}|${row.rule === 'custody-without-court-case' ? bare(String(row.record_b)) : row.rule === 'sentence-without-admission' ? bare(String(row.record_a)) : row.record_a}`;
      // An admission moved to a docket CCMS does not know, and a conviction CCH never received.
      const story = stories.find((s) => s.custodies.length && s.cases.some((c) => !c.erased && c.charges[0].disposition === 'CONVICTED'))!;
      const moved = story.custodies[0];
      const convicted = story.cases.find((c) => !c.erased && c.charges[0].disposition === 'CONVICTED')!;
      await sql`update omis_adm set dkt_no = 'X99XCR990000001X' where dkt_no in (${moved.docketNumber}, ${bare(moved.docketNumber)}) and inmt_no = ${moved.inmateNumber}`.execute(stack.stores.correction.database.db);
      await sql`update ${sql.table('CCH_CHARGE')} set ${sql.ref('CRT_DISP_CD')} = null, ${sql.ref('CRT_DISP_DT')} = null where ${sql.ref('OTN')} = ${convicted.arrest.trackingNumber} and ${sql.ref('CHG_SEQ')} = 1`.execute(stack.stores['public-safety'].database.db);
      const changed = stories.map((s) => (s !== story ? s : { ...s, custodies: s.custodies.map((k) => (k === moved ? { ...k, docketNumber: 'X99X-CR99-0000001-X' } : k)) }));
      const expected = [...expectedDiscrepancies(changed, today()), `disposition-not-in-cch|${story.person.sid}|${convicted.docketNumber} count 1`].sort();
      assert.ok(expected.includes(`custody-without-court-case|${story.person.sid}|X99XCR990000001X`));
      const { rows, notes } = await run(analyst, 'discrepancies', {});
      assert.deepEqual(section(rows, 'discrepancies').map(keyOf).sort(), expected);
      for (const summary of section(rows, 'summary')) assert.equal(summary.count, expected.filter((key) => key.startsWith(`${summary.rule}|`)).length);
      assert.deepEqual(notes, []);
      const partial = await run(victimServices, 'discrepancies', {});
      assert.ok(section(partial.rows, 'discrepancies').every((row) => row.rule === 'sentence-without-admission' || row.rule === 'custody-without-court-case'));
      assert.match(partial.notes.join(' '), /rule arrest-without-court-case .* skipped/);
      assert.match(partial.notes.join(' '), /rule probation-without-probation-sentence .* skipped/);
    });

    it('audits every page as the user who ran the report', async () => {
      const file = `${stack.dataDir}/audit/audit.jsonl`;
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      const mine = lines.filter((record) => record.user === 'report-analyst' && record.operationName === 'ReportWalk');
      assert.ok(mine.length >= 4 * 4, `${mine.length} audited walk pages`);
      assert.ok(mine.every((record) => record.purpose === 'C' && record.outcome === 'ok'));
    });
  });
}
