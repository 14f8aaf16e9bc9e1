// The public-safety subgraph alone, through executeOperation with its own context: field
// mapping, _entities, searches, errors a caller can act on, and SQL statement counts that
// do not grow with the number of offenders.
import assert from 'node:assert/strict';
import type { ApolloServer } from '@apollo/server';
import { countStatements } from '../../shared/db.ts';
import { buildSubgraphServer } from '../../shared/server.ts';
import subgraph from '../index.ts';
import type { PublicSafetyContext } from '../resolvers.ts';
import { soundex } from '../store/phonetic.ts';
import { openPublicSafetyStore, type PublicSafetyStore } from '../store/index.ts';
import {
  expectedAliases, expectedArrests, expectedHits, expectedOffender, expectedRegistration, inSearchOrder, testStories,
} from './fixtures.ts';

const stories = testStories(50);

const OFFENDER_FIELDS = `
  sid fbiNumber name { last first middle suffix } dateOfBirth sex race heightInches weightPounds eyeColor hairColor
  recordLastUpdated aliases { last first middle suffix } scarsMarksTattoos
  arrests { trackingNumber date arrestingAgencyOri arrestingAgencyName
    charges { sequence statute description ncicOffenseCode offenseClass courtDisposition { code date } } }
  sexOffenderRegistration { registrationNumber status registeredDate expirationDate compliant lastVerifiedDate
    homeAddress { street city state zip } recordLastUpdated }`;

function expectedFull(story: (typeof stories)[number]) {
  return {
    ...expectedOffender(story),
    aliases: expectedAliases(story),
    scarsMarksTattoos: story.person.scarsMarksTattoos,
    arrests: expectedArrests(story),
    sexOffenderRegistration: expectedRegistration(story),
  };
}

describe('public-safety subgraph', () => {
  let store: PublicSafetyStore;
  let server: ApolloServer<PublicSafetyContext>;

  before(async () => {
    store = await openPublicSafetyStore({ pgliteDir: 'memory' });
    await store.seed(stories);
    server = buildSubgraphServer(subgraph);
  });
  after(async () => store?.close());

  async function run(query: string, variables: Record<string, unknown> = {}) {
    const contextValue = subgraph.createContext(store, { requestId: 'test' });
    const response = await server.executeOperation({ query, variables }, { contextValue });
    assert.equal(response.body.kind, 'single');
    // Plain objects (graphql-js builds null-prototype ones) so deepEqual compares values only.
    return JSON.parse(JSON.stringify((response.body as { singleResult: unknown }).singleResult)) as { data?: any; errors?: any[] };
  }

  it('resolves an offender by SID, zero padding a short one, with every DPS field', async () => {
    const story = stories.find((s) => s.registration && s.person.aliases.length) ?? stories[0];
    const result = await run(`query($sid: ID!) { offender(sid: $sid) { ${OFFENDER_FIELDS} } }`, { sid: String(Number(story.person.sid)) });
    assert.equal(result.errors, undefined);
    assert.deepEqual(result.data.offender, expectedFull(story));
    assert.deepEqual((await run(`{ offender(sid: "999999999") { sid } }`)).data, { offender: null });
  });

  it('resolves _entities representations in order, null for an unknown SID', async () => {
    const picked = [stories[3], stories[0], stories[9]];
    const representations = [...picked.map((s) => ({ __typename: 'Offender', sid: s.person.sid })), { __typename: 'Offender', sid: '999999998' }];
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { ${OFFENDER_FIELDS} } } }`, { r: representations });
    assert.equal(result.errors, undefined);
    assert.deepEqual(result.data._entities, [...picked.map(expectedFull), null]);
  });

  it('finds an offender by FBI number in any case, with hyphens', async () => {
    const story = stories.find((s) => s.person.fbiNumber)!;
    const fbi = story.person.fbiNumber!;
    const result = await run(`query($f: String!) { offenderByFbiNumber(fbiNumber: $f) { sid name { last } } }`, { f: `${fbi.slice(0, 6)}-${fbi.slice(6).toLowerCase()}` });
    assert.deepEqual(result.data.offenderByFbiNumber, { sid: story.person.sid, name: { last: story.person.name.last } });
  });

  it('searches page by page with cursors and a total count', async () => {
    const expected = inSearchOrder(stories.filter((s) => s.person.sex === 'M')).map((s) => s.person.sid);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: any = await run(
        `query($after: String) { searchOffenders(sex: "male", first: 8, after: $after) { totalCount edges { cursor node { sid } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      assert.equal(result.errors, undefined);
      const page = result.data.searchOffenders;
      assert.equal(page.totalCount, expected.length);
      seen.push(...page.edges.map((e: any) => e.node.sid));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    assert.deepEqual(seen, expected);
  });

  it('searches names exactly, by prefix and phonetically', async () => {
    const sids = async (args: string) => (await run(`{ searchOffenders(${args}, first: 100) { edges { node { sid } } } }`)).data.searchOffenders.edges.map((e: any) => e.node.sid);
    // Any of the person's names: the MNI name or an alias.
    const where = (keep: (name: { last: string }) => boolean) => expectedHits(stories, keep).map((hit) => hit.sid);
    assert.deepEqual(await sids(`lastName: "smyth"`), where((n) => n.last === 'SMYTH'));
    assert.deepEqual(await sids(`lastName: "Jo*"`), where((n) => n.last.startsWith('JO')));
    assert.deepEqual(await sids(`lastName: "Smith", phonetic: true`), where((n) => soundex(n.last) === 'S530'));
    assert.ok((await sids(`lastName: "Smith", phonetic: true`)).length > (await sids(`lastName: "SMITH"`)).length);
  });

  it('finds offenders through aliases, one edge per person saying which name matched', async () => {
    const search = async (args: string) => {
      const result = await run(`{ searchOffenders(${args}, first: 100) { totalCount edges { matchedOn matchedName { last first middle suffix } node { sid name { last first middle suffix } } } } }`);
      assert.equal(result.errors, undefined, args);
      return result.data.searchOffenders as { totalCount: number; edges: Array<{ matchedOn: string; matchedName: object; node: { sid: string; name: { last: string; first: string } } }> };
    };
    const hits = (page: Awaited<ReturnType<typeof search>>) => page.edges.map((e) => ({ sid: e.node.sid, matchedOn: e.matchedOn, matchedName: e.matchedName }));
    const exact = await search(`lastName: "vanterpool"`);
    assert.deepEqual(hits(exact), expectedHits(stories, (n) => n.last === 'VANTERPOOL'));
    assert.deepEqual(exact.edges.map((e) => [e.node.name.last, e.matchedOn, (e.matchedName as { first: string }).first]), [
      ['MBEKI', 'ALIAS', 'THABO'], ['OKONKWO', 'ALIAS', 'CHIDI'], ['VANTERPOOL', 'PRIMARY', 'DESMOND'],
    ]);
    assert.equal(exact.totalCount, 3);
    const prefix = await search(`lastName: "Vant*"`);
    assert.deepEqual(hits(prefix), expectedHits(stories, (n) => n.last.startsWith('VANT')));
    assert.equal(prefix.totalCount, 3);
    const phonetic = await search(`lastName: "Vanterpole", phonetic: true`);
    assert.deepEqual(hits(phonetic), expectedHits(stories, (n) => soundex(n.last) === 'V536'));
    assert.ok(phonetic.edges.some((e) => e.node.name.last === 'ZELLWEGER' && e.matchedOn === 'ALIAS'));
    assert.equal(phonetic.totalCount, phonetic.edges.length);
    // Without a name, every edge is on the MNI name.
    const bySex = await search(`sex: "F"`);
    assert.ok(bySex.edges.length > 0);
    for (const edge of bySex.edges) assert.deepEqual([edge.matchedOn, edge.matchedName], ['PRIMARY', edge.node.name]);
  });

  it('pages alias matches with cursors: no duplicates, no gaps, totalCount of persons', async () => {
    for (const last of ['S*', 'VAN*']) {
      const want = expectedHits(stories, (n) => n.last.startsWith(last.slice(0, -1))).map((hit) => hit.sid);
      assert.ok(want.length >= 3);
      for (const first of [1, 2, 5]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const result: any = await run(
            `query($after: String, $first: Int, $last: String) { searchOffenders(lastName: $last, first: $first, after: $after) { totalCount edges { cursor matchedOn node { sid } } pageInfo { hasNextPage endCursor } } }`,
            { after, first, last },
          );
          assert.equal(result.errors, undefined);
          const page = result.data.searchOffenders;
          assert.equal(page.totalCount, want.length);
          seen.push(...page.edges.map((e: any) => e.node.sid));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        assert.deepEqual(seen, want, `${last} by ${first}`);
      }
    }
  });

  it('refuses bad arguments with BAD_USER_INPUT and the expected form', async () => {
    const cases: Array<[string, RegExp]> = [
      [`{ offender(sid: "12X") { sid } }`, /sid "12X" is not a state identification number; expected 9 digits/],
      [`{ offenderByFbiNumber(fbiNumber: "??") { sid } }`, /fbiNumber "\?\?" is not an FBI number; expected 1 to 9 letters and digits/],
      [`{ searchOffenders { totalCount } }`, /needs at least one criterion; give lastName, firstName, dateOfBirth, sex or race/],
      [`{ searchOffenders(sex: "M", first: 0) { totalCount } }`, /first is 0; expected a whole number from 1 to 100/],
      [`{ searchOffenders(sex: "M", first: 101) { totalCount } }`, /first is 101; expected a whole number from 1 to 100/],
      [`{ searchOffenders(sex: "M", after: "nonsense") { totalCount } }`, /after "nonsense" is not a cursor of searchOffenders/],
      [`{ searchOffenders(dateOfBirth: "1990-02-30") { totalCount } }`, /dateOfBirth "1990-02-30" is not a date; expected a real calendar date as YYYY-MM-DD/],
      [`{ searchOffenders(sex: "Q") { totalCount } }`, /sex "Q" is not an NCIC sex code; expected M \(male\), F \(female\) or U \(unknown\)/],
      [`{ searchOffenders(race: "Z") { totalCount } }`, /race "Z" is not an NCIC race code; expected W \(white\)/],
      [`{ searchOffenders(firstName: "JOHN", phonetic: true) { totalCount } }`, /phonetic search needs lastName/],
      [`{ searchOffenders(lastName: "SMI*", phonetic: true) { totalCount } }`, /lastName "SMI\*" is a prefix; phonetic search compares whole names/],
      [`{ searchOffenders(lastName: "SM1TH") { totalCount } }`, /lastName "SM1TH" is not a name; expected letters/],
    ];
    for (const [query, message] of cases) {
      const result = await run(query);
      assert.equal(result.errors?.length, 1, query);
      assert.equal(result.errors![0].extensions.code, 'BAD_USER_INPUT', query);
      assert.match(result.errors![0].message, message);
    }
  });

  it('runs the same number of SQL statements for 25 and for 50 offenders', async () => {
    const entities = async (count: number) => {
      const r = stories.slice(0, count).map((s) => ({ __typename: 'Offender', sid: s.person.sid }));
      const { result, statements } = await countStatements(() => run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { ${OFFENDER_FIELDS} } } }`, { r }));
      assert.equal(result.errors, undefined);
      assert.equal(result.data._entities.length, count);
      return statements;
    };
    // MNI person, aliases, SMT, arrests + their charges, registration.
    assert.equal(await entities(25), 6);
    assert.equal(await entities(50), 6);

    const search = async (first: number) => {
      const { result, statements } = await countStatements(() => run(`{ searchOffenders(sex: "M", first: ${first}) { totalCount edges { node { ${OFFENDER_FIELDS} } } } }`));
      assert.equal(result.errors, undefined);
      return { statements, rows: result.data.searchOffenders.edges.length };
    };
    // Search page, total count, then the lists (the page primed the SID loader: no MNI re-read).
    const small = await search(10);
    const large = await search(40);
    assert.ok(large.rows > small.rows);
    assert.equal(small.statements, 7);
    assert.equal(large.statements, 7);

    // A name search over MNI names and aliases: still one statement for the page, one for the count.
    const byName = async (first: number, fields: string) => {
      const { result, statements } = await countStatements(() => run(`{ searchOffenders(lastName: "S*", first: ${first}) { ${fields} } }`));
      assert.equal(result.errors, undefined);
      return { statements, rows: result.data.searchOffenders.edges?.length ?? 0 };
    };
    const edges = 'edges { matchedOn matchedName { last } node { sid name { last } } }';
    assert.deepEqual(await byName(2, edges), { statements: 1, rows: 2 });
    assert.equal((await byName(20, `totalCount ${edges}`)).statements, 2);
    assert.equal((await byName(20, 'totalCount')).statements, 2);
  });
});
