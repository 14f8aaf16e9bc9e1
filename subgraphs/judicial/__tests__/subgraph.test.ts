// The Judicial subgraph alone, through executeOperation with a real context over an
// embedded store: lookups, entities, pages, statuses, erasure, bad input, and the number
// of SQL statements per request (it must not grow with the offenders asked for).
import assert from 'node:assert/strict';
import type { ApolloServer } from '@apollo/server';
import type { OffenderStory } from '../../../seed/story.ts';
import { buildSubgraphServer } from '../../shared/server.ts';
import subgraph from '../index.ts';
import type { JudicialContext } from '../resolvers.ts';
import { orderStatus } from '../resolvers.ts';
import type { JudicialStore } from '../store/index.ts';
import { courtNamesOf, ERASED_SID, erasedDockets, expectedCases, expectedOrders, expectedWarrants, judicialStories } from './fixtures.ts';

describe('judicial subgraph', () => {
  const stories: OffenderStory[] = judicialStories();
  const erased = erasedDockets(stories);
  const courts = courtNamesOf(stories);
  let store: JudicialStore;
  let server: ApolloServer<JudicialContext>;

  before(async () => {
    store = await subgraph.openStore({ pgliteDir: 'memory' });
    await store.seed(stories);
    server = buildSubgraphServer(subgraph);
    await server.start();
  });
  after(async () => {
    await server?.stop();
    await store?.close();
  });

  async function run(query: string, variables: Record<string, unknown> = {}) {
    const response = await server.executeOperation({ query, variables }, { contextValue: subgraph.createContext(store, { requestId: 'test' }) });
    assert.equal(response.body.kind, 'single');
    // Plain objects (GraphQL results have null prototypes), so deepEqual compares values only.
    const result = (response.body as { kind: 'single'; singleResult: unknown }).singleResult;
    return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: any[] };
  }
  async function data(query: string, variables: Record<string, unknown> = {}) {
    const result = await run(query, variables);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data;
  }
  async function refused(query: string, variables: Record<string, unknown>, message: RegExp) {
    const result = await run(query, variables);
    assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(result.errors));
    assert.match(result.errors![0].message, message);
    assert.doesNotMatch(result.errors![0].message, /select|from "/i);
  }

  const story = stories.find((s) => s.cases.some((c) => !c.erased && c.sentence) && s.cases.some((c) => c.charges.length > 1))
    ?? stories.find((s) => s.cases.some((c) => !c.erased && c.sentence))!;
  const kase = story.cases.find((c) => !c.erased && c.sentence)!;
  const erasedDocket = [...erased][0];

  it('looks a case up by docket with or without hyphens; an erased or unknown docket is null', async () => {
    const query = 'query($d: ID!) { courtCase(docketNumber: $d) { docketNumber court { code name } status trackingNumber sentence { type termDays } offender { sid } charges { count statute plea dispositionCode } } }';
    const got = (await data(query, { d: kase.docketNumber.replace(/-/g, '').toLowerCase() })).courtCase;
    const want = expectedCases(story).find((c) => c.docketNumber === kase.docketNumber)!;
    assert.equal(got.docketNumber, kase.docketNumber);
    assert.deepEqual(got.court, want.court);
    assert.equal(got.status, want.status);
    assert.equal(got.trackingNumber, kase.arrest.trackingNumber);
    assert.deepEqual(got.sentence, { type: want.sentence!.type, termDays: kase.sentence!.termDays });
    assert.deepEqual(got.offender, { sid: story.person.sid });
    assert.deepEqual(got.charges.map((c: { count: number }) => c.count), kase.charges.map((c) => c.count));
    assert.equal((await data(query, { d: erasedDocket })).courtCase, null);
    assert.equal((await data(query, { d: 'H12M-CR99-9999999-S' })).courtCase, null);
  });

  it('gives the arrest date of a case and the family-violence designation of each count (C.G.S. 46b-38a)', async () => {
    const fvCase = stories.flatMap((s) => s.cases).find((c) => !c.erased && c.charges.some((ch) => ch.offense.familyViolence) && c.charges.some((ch) => !ch.offense.familyViolence))
      ?? stories.flatMap((s) => s.cases).find((c) => !c.erased && c.charges.some((ch) => ch.offense.familyViolence));
    assert.ok(fvCase, 'the fixture holds a family-violence count on a case that is not erased');
    const got = (await data('query($d: ID!) { courtCase(docketNumber: $d) { arrestDate charges { count familyViolence } } }', { d: fvCase.docketNumber })).courtCase;
    assert.equal(got.arrestDate, fvCase.arrest.date);
    assert.deepEqual(got.charges, fvCase.charges.map((ch) => ({ count: ch.count, familyViolence: ch.offense.familyViolence })));
  });

  it('resolves Offender and CourtCase entities; erased cases resolve to null', async () => {
    const result = await data(`query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Offender { sid courtCases(first: 100) { totalCount edges { node { docketNumber } } } warrants { warrantNumber } probation { caseNumber } }
      ... on CourtCase { docketNumber status } } }`, {
      reps: [
        { __typename: 'Offender', sid: story.person.sid },
        { __typename: 'Offender', sid: ERASED_SID },
        { __typename: 'CourtCase', docketNumber: kase.docketNumber },
        { __typename: 'CourtCase', docketNumber: erasedDocket },
      ],
    });
    const [person, erasedPerson, found, gone] = result._entities;
    assert.deepEqual(person.courtCases.edges.map((e: any) => e.node.docketNumber), expectedCases(story).map((c) => c.docketNumber));
    assert.equal(person.courtCases.totalCount, expectedCases(story).length);
    assert.deepEqual(person.warrants.map((w: any) => w.warrantNumber), expectedWarrants(story, erased, courts).map((w) => w.warrantNumber));
    assert.deepEqual(erasedPerson, { sid: ERASED_SID, courtCases: { totalCount: 0, edges: [] }, warrants: [], probation: [] });
    assert.deepEqual(found, { docketNumber: kase.docketNumber, status: expectedCases(story).find((c) => c.docketNumber === kase.docketNumber)!.status });
    assert.equal(gone, null);
  });

  it('pages an offender\'s cases and filters them by status', async () => {
    const busy = stories.find((s) => expectedCases(s).length >= 3)!;
    const all = expectedCases(busy).map((c) => c.docketNumber);
    const query = `query($reps: [_Any!]!, $after: String, $status: CaseStatus) { _entities(representations: $reps) { ... on Offender {
      courtCases(first: 2, after: $after, status: $status) { totalCount pageInfo { hasNextPage endCursor } edges { node { docketNumber } } } } } }`;
    const reps = [{ __typename: 'Offender', sid: busy.person.sid }];
    const pageOf = async (variables: Record<string, unknown>) => (await data(query, { reps, ...variables }))._entities[0].courtCases;
    const first = await pageOf({});
    assert.deepEqual(first.edges.map((e: any) => e.node.docketNumber), all.slice(0, 2));
    assert.equal(first.pageInfo.hasNextPage, true);
    assert.equal(first.totalCount, all.length);
    const next = await pageOf({ after: first.pageInfo.endCursor });
    assert.deepEqual(next.edges.map((e: any) => e.node.docketNumber), all.slice(2, 4));
    const disposed = await pageOf({ status: 'DISPOSED' });
    assert.equal(disposed.totalCount, expectedCases(busy).filter((c) => c.status === 'DISPOSED').length);
  });

  it('searches warrants page by page and counts them all; erased dockets never appear', async () => {
    const expected = stories.flatMap((s) => expectedWarrants(s, erased, courts))
      .sort((a, b) => b.issuedDate.localeCompare(a.issuedDate) || b.warrantNumber.localeCompare(a.warrantNumber));
    const query = 'query($after: String) { warrants(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { warrantNumber docketNumber offender { sid } court { code } } } } }';
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await data(query, { after })).warrants;
      assert.equal(page.totalCount, expected.length);
      seen.push(...page.edges.map((e: any) => e.node.warrantNumber));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    assert.deepEqual(seen, expected.map((w) => w.warrantNumber));
    const one = expected[0];
    const got = (await data('query($n: ID!) { warrant(warrantNumber: $n) { warrantNumber type status court { code name } offender { sid } } }', { n: one.warrantNumber.toLowerCase() })).warrant;
    assert.deepEqual(got, { warrantNumber: one.warrantNumber, type: one.type, status: one.status, court: one.court, offender: { sid: one.sid } });
    const hidden = stories.flatMap((s) => s.warrants).find((w) => erased.has(w.docketNumber))!;
    assert.equal((await data('query($n: ID!) { warrant(warrantNumber: $n) { warrantNumber } }', { n: hidden.warrantNumber })).warrant, null);
  });

  it('gives protective order statuses as of today or activeOn, with protected persons', async () => {
    const holder = stories.find((s) => expectedOrders(s, erased, courts).length > 0)!;
    const orders = expectedOrders(holder, erased, courts);
    const query = 'query($reps: [_Any!]!, $on: String) { _entities(representations: $reps) { ... on Offender { protectiveOrders(activeOn: $on) { orderNumber status protectedPersons { name relationship } offender { sid } } } } }';
    const reps = [{ __typename: 'Offender', sid: holder.person.sid }];
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    const all = (await data(query, { reps }))._entities[0].protectiveOrders;
    assert.deepEqual(all.map((o: any) => [o.orderNumber, o.status]), orders.map((o) => [o.orderNumber, orderStatus(o, today)]));
    const on = orders[0].issuedDate;
    const active = (await data(query, { reps, on }))._entities[0].protectiveOrders;
    const want = orders.filter((o) => o.issuedDate <= on && o.expirationDate >= on && !(o.vacatedDate && o.vacatedDate <= on));
    assert.ok(want.length > 0);
    assert.deepEqual(active.map((o: any) => o.orderNumber), want.map((o) => o.orderNumber));
    assert.ok(active.every((o: any) => o.status === 'ACTIVE' && o.protectedPersons.length > 0));
    const single = (await data('query($n: ID!) { protectiveOrder(orderNumber: $n) { orderNumber conditions docketNumber } }', { n: orders[0].orderNumber })).protectiveOrder;
    assert.deepEqual(single, { orderNumber: orders[0].orderNumber, conditions: orders[0].conditions, docketNumber: orders[0].docketNumber });
  });

  it('refuses malformed arguments with BAD_USER_INPUT and the expected form', async () => {
    await refused('{ courtCase(docketNumber: "H12M-CR19") { docketNumber } }', {}, /expected e\.g\. H12M-CR19-0123456-S/);
    await refused('{ warrant(warrantNumber: "12345") { warrantNumber } }', {}, /expected WR, the year and 7 digits, e\.g\. WR-2024-0001234/);
    await refused('{ protectiveOrder(orderNumber: "WR-2024-0000001") { orderNumber } }', {}, /expected PO, the year and 7 digits/);
    await refused('{ warrants(court: "Hartford") { totalCount } }', {}, /expected a letter, two digits and a letter, e\.g\. H12M/);
    await refused('{ warrants(issuedAfter: "2023-02-30") { totalCount } }', {}, /expected a real calendar date as YYYY-MM-DD/);
    await refused('{ warrants(first: 0) { totalCount } }', {}, /expected a whole number from 1 to 100/);
    await refused('{ warrants(first: 101) { totalCount } }', {}, /expected a whole number from 1 to 100/);
    await refused('{ warrants(after: "bogus") { totalCount } }', {}, /expected the endCursor of a previous page of warrants/);
    const forged = Buffer.from(JSON.stringify(['warrants', 'not-a-date', 'WR-2024-0000001'])).toString('base64url');
    await refused('query($a: String) { warrants(after: $a) { totalCount } }', { a: forged }, /not a cursor of warrants/);
    const reps = [{ __typename: 'Offender', sid: story.person.sid }];
    await refused('query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender { protectiveOrders(activeOn: "yesterday") { orderNumber } } } }', { reps }, /activeOn "yesterday" is not a date/);
    await refused('query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender { courtCases(first: 500) { totalCount } } } }', { reps }, /first is 500/);
    await refused('query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender { courtCases(after: "x") { totalCount } } } }', { reps }, /not a cursor of courtCases/);
    assert.equal((await data('{ warrant(warrantNumber: "WR-1999-0000000") { warrantNumber } }')).warrant, null);
  });

  it('runs the same number of SQL statements for 25 offenders as for 50', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender {
      courtCases(first: 100) { totalCount edges { node { docketNumber court { name } charges { count plea } sentence { type } bond { type } nextHearing { date } offender { sid } } } }
      warrants { warrantNumber court { name } } protectiveOrders { orderNumber status conditions protectedPersons { name } }
      infractions { ticketNumber } probation { caseNumber conditions violations { date } } } } }`;
    const statementsFor = async (people: OffenderStory[]) => {
      const before = store.database.counter.total;
      await data(query, { reps: people.map((s) => ({ __typename: 'Offender', sid: s.person.sid })) });
      return store.database.counter.total - before;
    };
    const few = await statementsFor(stories.slice(0, 25));
    const many = await statementsFor(stories.slice(0, 50));
    assert.equal(few, many);
    // One statement per loader touched: cases, charges, warrants, orders, persons, tickets, probation.
    assert.equal(many, 7);
  });
});
