// Security cases for the paths reports/ added: the MNI roll (`offenders`) and the agencies'
// statistics fields. Default deny per role at the gateway and again in each subgraph; erased
// records (C.G.S. 54-142a) counted nowhere; bad arguments refused with the expected form.
import assert from 'node:assert/strict';
import { generateStories } from '../seed/generate.ts';
import { permissionsFor } from '../gateway/auth/policy.ts';
import { gatewayKeyFile, loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import { startStack, type Stack } from './support/stack.ts';
import { expectedOrders, expectedPopulation, expectedWarrants } from './support/report-expectations.ts';

const ON = '2026-06-30';
const NEW_FIELDS: Record<string, [subgraph: string, query: string, permission: string]> = {
  offenders: ['public-safety', '{ offenders(first: 5) { edges { node { sid } } } }', 'mni:read'],
  activeWarrantCounts: ['judicial', `{ activeWarrantCounts(on: "${ON}") { count } }`, 'prawn:read'],
  warrantFlowCounts: ['judicial', '{ warrantFlowCounts(from: "2025-01-01", to: "2025-12-31") { issued } }', 'prawn:read'],
  protectiveOrderCounts: ['judicial', `{ protectiveOrderCounts(on: "${ON}") { inEffect } }`, 'por:read'],
  probationCaseloadCounts: ['judicial', `{ probationCaseloadCounts(on: "${ON}") { count } }`, 'pcms:read'],
  custodyPopulationCounts: ['correction', `{ custodyPopulationCounts(on: "${ON}") { count } }`, 'omis:read'],
  paroleCaseloadCounts: ['correction', `{ paroleCaseloadCounts(on: "${ON}") { count } }`, 'parole:read'],
};

describe('security: report paths (MNI roll, statistics fields)', function () {
  this.timeout(300_000);
  const stories = generateStories({ offenders: 500, seed: 31 });
  let stack: Stack;

  before(async () => {
    stack = await startStack(stories, { engines: 'embedded' });
  });
  after(async () => {
    await stack?.stop();
  });

  it('the gateway answers each new field only to roles granting its permission (FORBIDDEN, null, no data)', async () => {
    const got: Record<string, string> = {};
    for (const role of ['auditor', 'victim-services', 'analyst']) {
      const authorization = `Bearer ${await stack.token({ roles: [role] })}`;
      for (const [field, [, query]] of Object.entries(NEW_FIELDS)) {
        const { body } = await stack.query(query, {}, { authorization });
        got[`${role} ${field}`] = body.errors?.[0]?.extensions?.code === 'FORBIDDEN' && body.data?.[field] === null ? 'FORBIDDEN' : Array.isArray(body.data?.[field] ?? body.data?.[field]?.edges) || body.data?.[field]?.edges ? 'answered' : JSON.stringify(body);
      }
    }
    const expected: Record<string, string> = {};
    for (const role of ['auditor', 'victim-services', 'analyst']) {
      for (const [field, [, , permission]] of Object.entries(NEW_FIELDS)) expected[`${role} ${field}`] = permissionsFor([role]).includes(permission as never) ? 'answered' : 'FORBIDDEN';
    }
    assert.deepEqual(got, expected);
    assert.equal(expected['auditor offenders'], 'FORBIDDEN');
    assert.equal(expected['victim-services activeWarrantCounts'], 'FORBIDDEN');
  });

  it('each subgraph refuses a new field to a signed identity without the permission, and every call without the gateway', async () => {
    const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
    for (const [field, [subgraph, query]] of Object.entries(NEW_FIELDS)) {
      const identity = { userId: 'direct', ori: 'CT0000000', roles: ['auditor'], permissions: permissionsFor(['auditor']), purpose: 'C' as const, requestId: `probe-${field}` };
      const signed = await fetch(stack.subgraphs[subgraph].url, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, subgraph)}` }, body: JSON.stringify({ query }),
      });
      const body = (await signed.json()) as any;
      assert.equal(body.data?.[field] ?? null, null, `${field} answered an auditor`);
      assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${field}: ${JSON.stringify(body)}`);
      const unsigned = await fetch(stack.subgraphs[subgraph].url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authHeaders }, body: JSON.stringify({ query }) });
      assert.equal(unsigned.status, 401, `${field} without a gateway token`);
    }
  });

  it('clean-slate\'s fields (CourtCase.arrestDate, CourtCharge.familyViolence) go only to roles granting ccms:read, at the gateway and in the subgraph; never of an erased case', async () => {
    const story = stories.find((s) => s.cases.some((c) => !c.erased && c.charges.some((ch) => ch.offense.familyViolence)) && s.cases.some((c) => c.erased))!;
    assert.ok(story, 'the seed holds a person with a family-violence count and an erased case');
    const kase = story.cases.find((c) => !c.erased && c.charges.some((ch) => ch.offense.familyViolence))!;
    const erasedCase = story.cases.find((c) => c.erased)!;
    const query = 'query($d: ID!) { courtCase(docketNumber: $d) { arrestDate charges { familyViolence } } }';
    for (const role of ['auditor', 'victim-services', 'analyst', 'law-enforcement']) {
      const { body } = await stack.query(query, { d: kase.docketNumber }, { authorization: `Bearer ${await stack.token({ roles: [role] })}` });
      if (permissionsFor([role]).includes('ccms:read')) {
        assert.equal(body.errors, undefined, `${role}: ${JSON.stringify(body.errors)}`);
        assert.deepEqual(body.data.courtCase, { arrestDate: kase.arrest.date, charges: kase.charges.map((ch) => ({ familyViolence: ch.offense.familyViolence })) }, role);
      } else {
        assert.equal(body.data?.courtCase ?? null, null, `${role} got ${JSON.stringify(body.data)}`);
        assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
      }
    }
    const erased = await stack.query(query, { d: erasedCase.docketNumber });
    assert.equal(erased.body.data.courtCase, null, 'an erased case has no arrest date or counts to show');
    const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
    const identity = { userId: 'direct', ori: 'CT0000000', roles: ['auditor'], permissions: permissionsFor(['auditor']), purpose: 'C' as const, requestId: 'probe-clean-slate' };
    const direct = await fetch(stack.subgraphs.judicial.url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, 'judicial')}` },
      body: JSON.stringify({ query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { arrestDate charges { familyViolence } } } }', variables: { r: [{ __typename: 'CourtCase', docketNumber: kase.docketNumber }] } }),
    });
    const body = (await direct.json()) as any;
    assert.ok(!JSON.stringify(body.data ?? null).includes(kase.arrest.date), `the subgraph disclosed the arrest date to an auditor: ${JSON.stringify(body)}`);
    assert.deepEqual([...new Set(body.errors.map((error: any) => error.extensions.code))], ['FORBIDDEN'], JSON.stringify(body.errors));
    assert.ok(body.errors.some((error: any) => String(error.path?.join('.')).startsWith('_entities.0.arrestDate')), JSON.stringify(body.errors));
  });

  it('erased records count nowhere: the aggregates equal the counts without them, and the seed has some to leave out', async () => {
    const kept = expectedWarrants(stories, ON, '2025-01-01', '2025-12-31');
    const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    // The same stories with nothing erased: what a leak would show.
    const unerased = stories.map((story) => ({ ...story, cases: story.cases.map((c) => ({ ...c, erased: false })) }));
    const leaked = { warrants: expectedWarrants(unerased, ON, '2025-01-01', '2025-12-31'), orders: expectedOrders(unerased, ON, 30), population: expectedPopulation(unerased, ON) };
    const { body } = await stack.query(`{ activeWarrantCounts(on: "${ON}") { count } warrantFlowCounts(from: "2025-01-01", to: "2025-12-31") { issued }
      protectiveOrderCounts(on: "${ON}") { inEffect } custodyPopulationCounts(on: "${ON}") { count } probationCaseloadCounts(on: "${ON}") { count } }`);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const sum = (rows: any[], key: string) => rows.reduce((a, r) => a + r[key], 0);
    const orders = expectedOrders(stories, ON, 30);
    const population = expectedPopulation(stories, ON);
    assert.deepEqual(
      [sum(body.data.activeWarrantCounts, 'count'), sum(body.data.warrantFlowCounts, 'issued'), sum(body.data.protectiveOrderCounts, 'inEffect'), sum(body.data.custodyPopulationCounts, 'count'), sum(body.data.probationCaseloadCounts, 'count')],
      [total(kept.active), total(kept.issued), total(orders.inEffect), total(population.custody), total(population.probation)],
    );
    const leaks = total(leaked.warrants.active) + total(leaked.warrants.issued) + total(leaked.orders.inEffect) + total(leaked.population.custody) + total(leaked.population.probation)
      - (total(kept.active) + total(kept.issued) + total(orders.inEffect) + total(population.custody) + total(population.probation));
    assert.ok(leaks > 0, 'the seed holds no erased record these counts could leak');
  });

  it('refuses bad arguments of the new fields with BAD_USER_INPUT and the expected form', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{ offenders(first: 501) { edges { cursor } } }', /first is 501; expected a whole number from 1 to 500/],
      ['{ offenders(after: "bogus") { edges { cursor } } }', /not a cursor of offenders/],
      ['{ warrantFlowCounts(from: "2025-12-31", to: "2025-01-01") { issued } }', /from \(2025-12-31\) is after to \(2025-01-01\)/],
      ['{ warrantFlowCounts(from: "2010-01-01", to: "2025-01-01") { issued } }', /spans 5479 days; expected at most 1827 days/],
      ['{ activeWarrantCounts(on: "2025-02-30") { count } }', /on "2025-02-30" is not a date; expected a real calendar date as YYYY-MM-DD/],
      ['{ protectiveOrderCounts(on: "2025-01-01", expiringWithinDays: -1) { inEffect } }', /expiringWithinDays is -1; expected a whole number of days from 0 to 366/],
      ['{ custodyPopulationCounts(on: "yesterday") { count } }', /not a date/],
    ];
    for (const [query, message] of cases) {
      const { body } = await stack.query(query);
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${query}: ${JSON.stringify(body)}`);
      assert.match(body.errors[0].message, message);
    }
    // A cursor of the name search is refused by the roll, not silently reinterpreted.
    const search = await stack.query('{ searchOffenders(lastName: "S*", first: 1) { pageInfo { endCursor } } }');
    const { body } = await stack.query('query R($after: String) { offenders(after: $after) { edges { cursor } } }', { after: search.body.data.searchOffenders.pageInfo.endCursor });
    assert.match(body.errors?.[0]?.message ?? '', /not a cursor of offenders/);
  });

  it('pages the whole roll once each, in SID order, with stable keyset cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const { body }: { body: any } = await stack.query('query R($after: String) { offenders(first: 250, after: $after) { totalCount edges { node { sid } } pageInfo { hasNextPage endCursor } } }', { after });
      seen.push(...body.data.offenders.edges.map((edge: any) => edge.node.sid));
      assert.equal(body.data.offenders.totalCount, stories.length);
      if (!body.data.offenders.pageInfo.hasNextPage) break;
      after = body.data.offenders.pageInfo.endCursor;
    }
    assert.deepEqual(seen, stories.map((story) => story.person.sid).sort());
  });
});
