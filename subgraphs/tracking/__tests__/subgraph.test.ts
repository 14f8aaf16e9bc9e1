// The tracking subgraph alone, through executeOperation: `_entities` with the
// representations the gateway would send, the status and timeline it answers, paging,
// and bad input refused with BAD_USER_INPUT and the expected form.
import assert from 'node:assert/strict';
import type { ApolloServer } from '@apollo/server';
import { buildSubgraphServer } from '../../shared/server.ts';
import { encodeCursor } from '../../shared/cursor.ts';
import { subgraph } from '../index.ts';
import type { TrackingContext } from '../resolvers.ts';
import { timelineOf } from '../timeline.ts';
import { courtCase, custody, fullHistory, history, representation, sentenced } from './histories.ts';

type Result = { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

const STATUS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Offender {
  sid trackingStatus { stage custodyBasis since summary basis { system key lastUpdated } overlays { kind since summary record { system key } }
    cases { docketNumber stage custodyBasis since summary basis { system key } } activeCaseCount contradictions { kind summary records { system key } }
    unavailableSources lastSourceChange } } } }`;

const TIMELINE = `query($r: [_Any!]!, $from: String, $to: String, $kinds: [TimelineEventKind!], $order: TimelineOrder, $first: Int, $after: String) {
  _entities(representations: $r) { ... on Offender { timeline(from: $from, to: $to, kinds: $kinds, order: $order, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { date kind summary docketNumber source { system key lastUpdated } } } } } } }`;

describe('tracking subgraph', () => {
  let server: ApolloServer<TrackingContext>;
  before(() => {
    server = buildSubgraphServer(subgraph);
  });

  async function run(query: string, variables: Record<string, unknown>): Promise<Result> {
    const response = await server.executeOperation({ query, variables }, { contextValue: subgraph.createContext(await subgraph.openStore({}), { requestId: 'test' }) });
    assert.equal(response.body.kind, 'single');
    return JSON.parse(JSON.stringify((response.body as { singleResult: Result }).singleResult));
  }

  async function badInput(variables: Record<string, unknown>, message: RegExp, code = 'BAD_USER_INPUT', query = TIMELINE): Promise<void> {
    const result = await run(query, { r: [representation(fullHistory())], ...variables });
    assert.equal(result.errors?.length, 1, JSON.stringify(result));
    assert.equal(result.errors![0].extensions?.code, code);
    assert.match(result.errors![0].message, message);
  }

  it('answers the status of each representation, in order', async () => {
    const held = history({ sid: '000100002', cases: [sentenced({})], custody: [custody('SENTENCED')] });
    const contradictory = history({ sid: '000100003', cases: [sentenced({})] });
    const { data, errors } = await run(STATUS, { r: [representation(held), representation(contradictory), representation(history({ sid: '000100004' }))] });
    assert.equal(errors, undefined);
    const [first, second, third] = data._entities;
    assert.equal(first.sid, '000100002');
    assert.deepEqual([first.trackingStatus.stage, first.trackingStatus.custodyBasis, first.trackingStatus.since], ['INCARCERATED', 'SENTENCED', '2023-05-10']);
    assert.deepEqual(first.trackingStatus.basis.map((b: any) => b.system), ['CCMS', 'OMIS']);
    assert.deepEqual([second.trackingStatus.stage, second.trackingStatus.contradictions[0].kind], ['CONFLICTING', 'SENTENCED_WITHOUT_ADMISSION']);
    assert.deepEqual([third.trackingStatus.stage, third.trackingStatus.activeCaseCount], ['NO_RECORD', 0]);
  });

  it('reads a representation that omits its null fields (as some routers send them) exactly as the one with nulls', async () => {
    // Every null dropped, at every depth: what Hive Gateway's Rust planner sends for @requires.
    const withoutNulls = (value: unknown): unknown => Array.isArray(value) ? value.map(withoutNulls)
      : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) : value;
    const held = history({ sid: '000100002', cases: [sentenced({})], custody: [custody('SENTENCED')] });
    const histories = [held, fullHistory(), history({ sid: '000100004' })];
    const full = histories.map(representation);
    const sparse = full.map(withoutNulls);
    assert.ok(JSON.stringify(sparse).length < JSON.stringify(full).length, 'the test representations hold nulls to drop');
    assert.equal((sparse[0] as any).custody[0].releaseDate, undefined, 'the held inmate has no release date field at all');
    for (const query of [STATUS, TIMELINE]) {
      const [expected, got] = [await run(query, { r: full }), await run(query, { r: sparse })];
      assert.equal(expected.errors, undefined);
      assert.deepEqual(got, expected);
    }
    const status = (await run(STATUS, { r: [sparse[0]] })).data._entities[0].trackingStatus;
    assert.deepEqual([status.stage, status.custodyBasis], ['INCARCERATED', 'SENTENCED'], 'an absent release date is not a release');
  });

  it('treats an agency field whose never-null part is absent as not arrived: its systems are unavailable, never guessed', async () => {
    const held = representation(history({ sid: '000100002', cases: [sentenced({})], custody: [custody('SENTENCED')] })) as any;
    const { status: _dropped, ...partial } = held.custody[0];
    const { data, errors } = await run(STATUS, { r: [{ ...held, custody: [partial] }] });
    assert.equal(errors, undefined);
    assert.ok(data._entities[0].trackingStatus.unavailableSources.includes('OMIS'), JSON.stringify(data._entities[0].trackingStatus));
    const basis = data._entities[0].trackingStatus.basis.map((b: any) => b.system);
    assert.ok(basis.length > 0 && !basis.includes('OMIS'), `no custody is read from an incomplete OMIS record: ${JSON.stringify(basis)}`);
  });

  it('refuses a representation whose SID is malformed', async () => {
    const result = await run(STATUS, { r: [{ ...representation(history({})), sid: 'ABC' }] });
    assert.equal(result.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(result.errors![0].message, /sid "ABC" is not a state identification number; expected 9 digits/);
  });

  it('pages the timeline either way, with a total, and filters by date and kind', async () => {
    const all = timelineOf(fullHistory());
    const r = [representation(fullHistory())];
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const { data, errors } = await run(TIMELINE, { r, first: 5, after });
      assert.equal(errors, undefined);
      assert.equal(data._entities[0].timeline.totalCount, all.length);
      seen.push(...data._entities[0].timeline.edges.map((e: any) => `${e.node.date} ${e.node.kind}`));
      if (!data._entities[0].timeline.pageInfo.hasNextPage) break;
      after = data._entities[0].timeline.pageInfo.endCursor;
    }
    assert.deepEqual(seen, all.map((e) => `${e.date} ${e.kind}`));

    const newest = (await run(TIMELINE, { r, order: 'NEWEST_FIRST', first: 3 })).data._entities[0].timeline;
    assert.deepEqual(newest.edges.map((e: any) => e.node.kind), ['VERIFICATION', 'PAROLE_START', 'RELEASE']);
    const next = (await run(TIMELINE, { r, order: 'NEWEST_FIRST', first: 2, after: newest.pageInfo.endCursor })).data._entities[0].timeline;
    assert.deepEqual(next.edges.map((e: any) => e.node.kind), ['REGISTRATION', 'ORDER_EXPIRED']);

    const window = (await run(TIMELINE, { r, from: '2023-05-10', to: '2023-05-10', kinds: ['SENTENCE', 'ADMISSION'] })).data._entities[0].timeline;
    assert.equal(window.totalCount, 2);
    assert.deepEqual(window.edges.map((e: any) => [e.node.kind, e.node.docketNumber, e.node.source.system]), [
      ['SENTENCE', 'H12M-CR23-0000001-S', 'CCMS'], ['ADMISSION', 'H12M-CR23-0000001-S', 'OMIS'],
    ]);
  });

  it('refuses bad timeline arguments with the expected form', async () => {
    await badInput({ from: '2024-03-01', to: '2024-02-01' }, /from \(2024-03-01\) is after to \(2024-02-01\); expected from on or before to/);
    await badInput({ from: '2023-02-30' }, /from "2023-02-30" is not a date; expected a real calendar date as YYYY-MM-DD/);
    await badInput({ to: '15/03/2024' }, /to "15\/03\/2024" is not a date/);
    await badInput({ kinds: [] }, /kinds is empty; expected at least one of ARREST, ARRAIGNMENT/);
    await badInput({ first: 0 }, /first is 0; expected a whole number from 1 to 100/);
    await badInput({ first: 101 }, /first is 101/);
    await badInput({ after: 'garbage' }, /after "garbage" is not a cursor of timeline; expected the endCursor of a previous page of timeline/);
    await badInput({ after: encodeCursor('courtCases', ['H12M-CR23-0000001-S']) }, /is not a cursor of timeline/);
    await badInput({ after: encodeCursor('timeline', ['DROP TABLE']) }, /is not a cursor of timeline/);
    // Unknown kinds never reach the resolver: the enum refuses them, naming the kinds there are.
    await badInput({ kinds: ['ARREST', 'BIRTHDAY'] }, /Value "BIRTHDAY" does not exist in "TimelineEventKind" enum/);
    await badInput({}, /Value "BIRTHDAY" does not exist in "TimelineEventKind" enum/, 'GRAPHQL_VALIDATION_FAILED',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { timeline(kinds: [BIRTHDAY]) { totalCount } } } }');
  });

  it('reads a pending case and its custody from the same representation the gateway builds', async () => {
    const { data } = await run(STATUS, { r: [representation(history({ cases: [courtCase('OPEN')], custody: [custody('UNSENTENCED')] }))] });
    assert.deepEqual(data._entities[0].trackingStatus.cases.map((c: any) => [c.stage, c.custodyBasis]), [['INCARCERATED', 'HELD_PRETRIAL']]);
  });
});
