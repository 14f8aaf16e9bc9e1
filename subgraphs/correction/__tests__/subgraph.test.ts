// The correction subgraph alone, through Apollo's executeOperation with a real context
// (fresh loaders per request) over a PGlite store seeded with the test stories.
import assert from 'node:assert/strict';
import type { ApolloServer } from '@apollo/server';
import { countStatements } from '../../shared/db.ts';
import { encodeCursor } from '../../shared/cursor.ts';
import { buildSubgraphServer } from '../../shared/server.ts';
import { subgraph } from '../index.ts';
import type { CorrectionContext } from '../resolvers.ts';
import { openCorrectionStore, type CorrectionStore } from '../store/index.ts';
import {
  busiestReleaseYear, erasedStories, expectedCustody, expectedParole, expectedReleases, expectedSentences, testStories,
} from './fixtures.ts';

const stories = testStories();

const OFFENDERS = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender {
  sid
  custody { inmateNumber admissionSequence docketNumber status facility { code name } admissionDate releaseDate releaseType
    custodyLevel recordLastUpdated movements { date fromFacility { code name } toFacility { code name } reason } offender { sid } }
  sentences { docketNumber inmateNumber sentenceDate termDays jailCreditDays earnedCreditDays estimatedReleaseDate
    maximumReleaseDate paroleEligibilityDate recordLastUpdated }
  parole { caseNumber inmateNumber status district officer startDate scheduledEndDate endDate conditions recordLastUpdated
    caseNotes { date author contactType text } }
} } }`;

const COURT_CASES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on CourtCase {
  docketNumber correctionalSentence { docketNumber inmateNumber termDays estimatedReleaseDate }
} } }`;

const RELEASES = `query ($from: String!, $to: String!, $first: Int, $after: String) {
  releases(from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { inmateNumber admissionSequence releaseDate releaseType offender { sid } } }
  }
}`;

const INMATE = `query ($n: ID!) { inmate(inmateNumber: $n) { inmateNumber admissionSequence status facility { code } offender { sid } } }`;

type Result = { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('correction subgraph', () => {
  let store: CorrectionStore;
  let server: ApolloServer<CorrectionContext>;

  before(async () => {
    store = await openCorrectionStore({ pgliteDir: 'memory' });
    await store.seed(stories);
    server = buildSubgraphServer(subgraph);
  });
  after(async () => {
    await store?.close();
  });

  async function run(query: string, variables: Record<string, unknown> = {}): Promise<Result> {
    const response = await server.executeOperation({ query, variables }, { contextValue: subgraph.createContext(store, { requestId: 'test' }) });
    assert.equal(response.body.kind, 'single');
    // Through JSON, as a client sees it (graphql-js builds null-prototype objects).
    return JSON.parse(JSON.stringify((response.body as { singleResult: Result }).singleResult));
  }

  async function badInput(query: string, variables: Record<string, unknown>, message: RegExp): Promise<void> {
    const result = await run(query, variables);
    assert.equal(result.errors?.length, 1, JSON.stringify(result));
    assert.equal(result.errors![0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(result.errors![0].message, message);
  }

  const offenderReps = (list = stories) => list.map((s) => ({ __typename: 'Offender', sid: s.person.sid }));

  it('resolves Offender entities with custody, sentences and parole', async () => {
    const { data, errors } = await run(OFFENDERS, { reps: offenderReps() });
    assert.equal(errors, undefined);
    stories.forEach((story, i) => {
      const got = data._entities[i];
      assert.equal(got.sid, story.person.sid);
      assert.deepEqual(got.custody, expectedCustody(story).map(({ sid, ...stay }) => ({ ...stay, offender: { sid } })));
      assert.deepEqual(got.sentences, expectedSentences(story));
      assert.deepEqual(got.parole, expectedParole(story).map((p) => ({ ...p, caseNotes: p.caseNotes.map(({ sensitive: _s, ...note }) => note) })));
    });
    for (const story of erasedStories(stories)) assert.deepEqual(data._entities[stories.indexOf(story)].custody, []);
  });

  it('resolves CourtCase entities to their STC record, or null', async () => {
    const withCalc = stories.find((s) => expectedSentences(s).length)!;
    const calc = expectedSentences(withCalc)[0];
    const erasedDocket = erasedStories(stories)[0].custodies[0].docketNumber;
    const noCalc = stories.find((s) => !s.custodies.length && s.cases.length)!.cases[0].docketNumber;
    const reps = [calc.docketNumber.replace(/-/g, ''), erasedDocket, noCalc].map((docketNumber) => ({ __typename: 'CourtCase', docketNumber }));
    const { data, errors } = await run(COURT_CASES, { reps });
    assert.equal(errors, undefined);
    assert.deepEqual(data._entities, [
      { docketNumber: calc.docketNumber, correctionalSentence: { docketNumber: calc.docketNumber, inmateNumber: calc.inmateNumber, termDays: calc.termDays, estimatedReleaseDate: calc.estimatedReleaseDate } },
      { docketNumber: erasedDocket, correctionalSentence: null },
      { docketNumber: noCalc, correctionalSentence: null },
    ]);
  });

  it('finds the newest incarceration by inmate number; an unknown number is null', async () => {
    const story = stories.find((s) => s.custodies.length > 1)!;
    const newest = expectedCustody(story)[0];
    const { data } = await run(INMATE, { n: newest.inmateNumber });
    assert.deepEqual(data.inmate, {
      inmateNumber: newest.inmateNumber, admissionSequence: newest.admissionSequence, status: newest.status,
      facility: { code: newest.facility.code }, offender: { sid: story.person.sid },
    });
    assert.deepEqual((await run(INMATE, { n: '999999' })).data, { inmate: null });
  });

  it('pages releases with cursors and counts them all', async () => {
    const range = busiestReleaseYear(stories);
    const expected = expectedReleases(stories, range.from, range.to);
    const seen: unknown[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const { data, errors } = await run(RELEASES, { ...range, first: 2, after });
      assert.equal(errors, undefined);
      assert.equal(data.releases.totalCount, expected.length);
      seen.push(...data.releases.edges.map((e: { node: unknown }) => e.node));
      if (!data.releases.pageInfo.hasNextPage) break;
      after = data.releases.pageInfo.endCursor;
    }
    assert.deepEqual(seen, expected.map((c) => ({
      inmateNumber: c.inmateNumber, admissionSequence: c.admissionSequence, releaseDate: c.releaseDate, releaseType: c.releaseType, offender: { sid: c.sid },
    })));
  });

  it('refuses malformed arguments with BAD_USER_INPUT and the expected form', async () => {
    await badInput(INMATE, { n: '12345' }, /inmateNumber "12345" is not a DOC inmate number; expected 6 or 7 digits/);
    await badInput(RELEASES, { from: '2024-03-01', to: '2024-02-01' }, /from \(2024-03-01\) is after to \(2024-02-01\)/);
    await badInput(RELEASES, { from: '2023-01-01', to: '2024-06-30' }, /546 days apart; expected a range of at most 366 days/);
    await badInput(RELEASES, { from: '2023-02-30', to: '2023-03-01' }, /from "2023-02-30" is not a date; expected .*YYYY-MM-DD/);
    await badInput(RELEASES, { from: '2024-01-01', to: '2024-12-31', first: 0 }, /first is 0; expected a whole number from 1 to 100/);
    await badInput(RELEASES, { from: '2024-01-01', to: '2024-12-31', first: 101 }, /first is 101/);
    await badInput(RELEASES, { from: '2024-01-01', to: '2024-12-31', after: 'garbage' }, /after "garbage" is not a cursor of releases/);
    await badInput(RELEASES, { from: '2024-01-01', to: '2024-12-31', after: encodeCursor('searchPeople', ['2024-01-01', '100001', 1]) }, /is not a cursor of releases/);
    await badInput(RELEASES, { from: '2024-01-01', to: '2024-12-31', after: encodeCursor('releases', ['2024-13-45', '100001', 1]) }, /is not a cursor of releases/);
    await badInput(OFFENDERS, { reps: [{ __typename: 'Offender', sid: 'ABC' }] }, /sid "ABC" is not a state identification number/);
    await badInput(COURT_CASES, { reps: [{ __typename: 'CourtCase', docketNumber: 'H12M-CR19' }] }, /docketNumber "H12M-CR19" is not a docket number/);
  });

  it('accepts a full year, leap day included', async () => {
    const { errors } = await run(RELEASES, { from: '2024-01-01', to: '2024-12-31', first: 1 });
    assert.equal(errors, undefined);
  });

  it('runs the same number of statements for 25 offenders as for 50', async () => {
    const half = await countStatements(() => run(OFFENDERS, { reps: offenderReps(stories.slice(0, 25)) }));
    const all = await countStatements(() => run(OFFENDERS, { reps: offenderReps() }));
    assert.equal(half.result.errors, undefined);
    assert.equal(all.result.errors, undefined);
    // custodyBySid, movementsByInmate, sentencesBySid, paroleBySid, caseNotesByParoleCase.
    assert.equal(all.statements, 5);
    assert.equal(half.statements, all.statements);
  });
});
