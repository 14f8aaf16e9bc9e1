// The tests and README of a new subgraph: the store on PGlite and on the real server its
// registry entry names, the subgraph through executeOperation (entities, erasure, bad
// input, statements per request). The gateway tier — every role refused or answered
// according to the policy, over real HTTP — is test/security-registry.test.ts, which
// covers every registered subgraph.
import type { SubgraphNames } from './names.ts';

export function fixturesTs(n: SubgraphNames): string {
  return `// Test stories and what ${n.system} must answer for them: the rows the seed wrote,
// erased ones left out, newest first, in the contract's names.
import { generateStories } from '../../../seed/generate.ts';
import type { OffenderStory } from '../../../seed/story.ts';
import { toRecord } from '../store/queries.ts';
import { toRows } from '../store/seed.ts';
import type { ${n.type}Record } from '../store/index.ts';

export function testStories(): OffenderStory[] {
  return generateStories({ offenders: 60, seed: 7 });
}

/** What ${n.system} should return for a person: disclosable records, newest first. */
export function expectedRecords(story: OffenderStory): ${n.type}Record[] {
  return toRows([story]).filter((row) => row.erase_ind === 'N').map(toRecord)
    .sort((a, b) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id));
}

/** Ids of records erased under C.G.S. 54-142a. */
export function erasedIds(stories: OffenderStory[]): string[] {
  return toRows(stories).filter((row) => row.erase_ind === 'Y').map((row) => row.rec_id);
}
`;
}

export function storeTestTs(n: SubgraphNames): string {
  const server = n.engine === 'mysql' ? ['MariaDB', 'freshMysqlDatabase'] : ['PostgreSQL', 'freshPostgresDatabase'];
  return `// The ${n.system} store on both engines it runs on: embedded PGlite and a real ${server[0]}
// server. Same stories, same assertions; expected values come from the stories (fixtures.ts).
import assert from 'node:assert/strict';
import { countStatements, type StoreLocation } from '../../shared/db.ts';
import { ${server[1]} } from '../../../test/support/databases.ts';
import { open${n.pascal}Store, type ${n.pascal}Store } from '../store/index.ts';
import { erasedIds, expectedRecords, testStories } from './fixtures.ts';

const stories = testStories();
const sids = stories.map((story) => story.person.sid);

const engines: Array<[string, () => Promise<StoreLocation>]> = [
  ['PGlite', async () => ({ pgliteDir: 'memory' })],
  ['${server[0]}', async () => ({ url: await ${server[1]}('${n.name.replace(/-/g, '_')}_store') })],
];

for (const [engine, location] of engines) {
  describe(\`${n.name} store on \${engine}\`, () => {
    let store: ${n.pascal}Store;

    before(async () => {
      store = await open${n.pascal}Store(await location());
      // Two batches, as seed/run.ts writes them.
      await store.seed(stories.slice(0, 30));
      await store.seed(stories.slice(30));
    });
    after(async () => {
      await store?.close();
    });

    it('counts the people ${n.system} holds records for', async () => {
      assert.equal(await store.countPeople(), stories.filter((story) => story.cases.length && Number(story.person.sid) % 3).length);
    });

    it('answers the records of a batch of SIDs in one statement, newest first, erased ones left out', async () => {
      const { result, statements } = await countStatements(() => store.recordsBySids(sids));
      assert.equal(statements, 1);
      assert.ok(result.length > 0, 'the test stories hold no ${n.system} records');
      for (const story of stories) assert.deepEqual(result.filter((record) => record.sid === story.person.sid), expectedRecords(story), story.person.sid);
    });

    it('answers records by id in one statement and never an erased one', async () => {
      const erased = erasedIds(stories);
      assert.ok(erased.length > 0, 'the test stories erase no ${n.system} record, so erasure is not exercised');
      const kept = stories.flatMap(expectedRecords);
      const { result, statements } = await countStatements(() => store.recordsByIds([...kept.map((record) => record.id), ...erased]));
      assert.equal(statements, 1);
      assert.deepEqual(result.map((record) => record.id).sort(), kept.map((record) => record.id).sort());
    });

    it('answers an empty batch without a statement, and clears every row', async () => {
      const { result, statements } = await countStatements(() => store.recordsBySids([]));
      assert.deepEqual([result, statements], [[], 0]);
      await store.clear();
      assert.equal(await store.countPeople(), 0);
    });
  });
}
`;
}

export function subgraphTestTs(n: SubgraphNames): string {
  return `// The ${n.name} subgraph alone, through Apollo's executeOperation with a real context
// (fresh loaders per request) over a PGlite store seeded with the test stories.
import assert from 'node:assert/strict';
import type { ApolloServer } from '@apollo/server';
import { countStatements } from '../../shared/db.ts';
import { buildSubgraphServer } from '../../shared/server.ts';
import { subgraph } from '../index.ts';
import type { ${n.pascal}Context } from '../resolvers.ts';
import { open${n.pascal}Store, type ${n.pascal}Store } from '../store/index.ts';
import { erasedIds, expectedRecords, testStories } from './fixtures.ts';

const stories = testStories();

const OFFENDERS = \`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Offender {
  sid ${n.field} { id kind status date recordLastUpdated offender { sid } }
} } }\`;
const RECORDS = \`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${n.type} { id status } } }\`;
const LOOKUP = \`query ($id: ID!) { ${n.root}(id: $id) { id kind status date offender { sid } } }\`;

type Result = { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('${n.name} subgraph', () => {
  let store: ${n.pascal}Store;
  let server: ApolloServer<${n.pascal}Context>;

  before(async () => {
    store = await open${n.pascal}Store({ pgliteDir: 'memory' });
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

  const offenderReps = (list = stories) => list.map((story) => ({ __typename: 'Offender', sid: story.person.sid }));

  it('adds ${n.field} to Offender entities, newest first, erased records left out', async () => {
    const result = await run(OFFENDERS, { reps: offenderReps() });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const expected = stories.map((story) => ({ sid: story.person.sid, ${n.field}: expectedRecords(story).map(({ sid, ...record }) => ({ ...record, offender: { sid } })) }));
    assert.deepEqual(result.data._entities, expected);
  });

  it('runs one statement for one offender or for all of them', async () => {
    const one = await countStatements(() => run(OFFENDERS, { reps: offenderReps(stories.slice(0, 1)) }));
    const all = await countStatements(() => run(OFFENDERS, { reps: offenderReps() }));
    assert.deepEqual([one.statements, all.statements], [1, 1]);
  });

  it('looks a record up by id (any case) and as an entity; an erased or unknown one is null', async () => {
    const record = stories.flatMap(expectedRecords)[0];
    const lookup = await run(LOOKUP, { id: record.id.toLowerCase() });
    assert.deepEqual(lookup.data.${n.root}, { id: record.id, kind: record.kind, status: record.status, date: record.date, offender: { sid: record.sid } });
    const [erased] = erasedIds(stories);
    const entities = await run(RECORDS, { reps: [{ __typename: '${n.type}', id: record.id }, { __typename: '${n.type}', id: erased }] });
    assert.deepEqual(entities.data._entities, [{ id: record.id, status: record.status }, null]);
    assert.equal((await run(LOOKUP, { id: erased })).data.${n.root}, null);
  });

  it('refuses a malformed id or SID, saying what was expected', async () => {
    const lookup = await run(LOOKUP, { id: 'H12M-CR19' });
    assert.deepEqual(lookup.errors?.map((error) => [error.extensions?.code, error.message]), [['BAD_USER_INPUT', 'id "H12M-CR19" is not a ${n.system} record id; expected e.g. ${n.system}-000123456-1']]);
    const entity = await run(OFFENDERS, { reps: [{ __typename: 'Offender', sid: 'abc' }] });
    assert.equal(entity.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(entity.errors![0].message, /expected 9 digits/);
  });
});
`;
}

export function readmeMd(n: SubgraphNames): string {
  return `# ${n.name} subgraph — ${n.agency} (${n.system})

Generated by \`npm run new-subgraph -- ${n.name} --agency "${n.agency}" --database ${n.engine} --owns ${n.type}\`;
now the ${n.agency}'s to grow. Port ${n.port} (\`${n.system}_PORT\`), database
\`${n.system}_DATABASE_URL\` (${n.engine === 'mysql' ? 'mysql://… (MariaDB/MySQL)' : 'postgres://…'}; unset: embedded PGlite under \`.data/${n.name}/\`).

## What it owns

- \`${n.type}\` (entity, \`@key(fields: "id")\`): one ${n.system} record about a person.
- \`Offender.${n.field}\`: the person's ${n.system} records, newest first.
- \`Query.${n.root}(id)\`: one record by its id.

Every field needs permission \`${n.permission}\` (gateway/auth/policy.ts), which **no role
grants yet**: until the policy grants it to a role, every user gets \`null\` with a
\`FORBIDDEN\` error for these fields, through the gateway and directly. Records erased under
C.G.S. 54-142a (\`erase_ind = 'Y'\`) never leave the store: the queries filter them.

## Legacy table and mapping

\`${n.table}\` (store/schema.ts), one row per record:

| column | GraphQL | notes |
|---|---|---|
| \`rec_id\` varchar(40), primary key | \`${n.type}.id\` | ${n.system}-<SID>-<sequence>, e.g. ${n.system}-000123456-1 |
| \`sid_no\` char(9) | \`${n.type}.offender { sid }\`, key of \`Offender.${n.field}\` | MNI (SPBI) number; index \`${n.table}_sid_ix\` (sid_no, rec_dt) |
| \`rec_typ_cd\` varchar(20) | \`${n.type}.kind\` | as ${n.system} codes it |
| \`rec_stat_cd\` char(1) | \`${n.type}.status\` | O → OPEN, C → CLOSED (store/queries.ts) |
| \`rec_dt\` date | \`${n.type}.date\` | YYYY-MM-DD |
| \`erase_ind\` char(1) | — | Y: erased under C.G.S. 54-142a, never returned |
| \`last_mod_ts\` timestamp(3) / datetime(3) | \`${n.type}.recordLastUpdated\` | UTC, as ISO 8601 |

The synthetic seed (store/seed.ts) gives a person with court cases (SID mod 3) records
dated on their cases' arraignments, erased when the case is.

## Files

\`schema.graphql\` (the contract, SDL first) · \`resolvers.ts\` (thin) · \`inputs.ts\` (argument
checks) · \`loaders.ts\` (per-request DataLoaders, one statement per batch) ·
\`store/\` (Kysely: schema and migrate, queries, seed) · \`index.ts\` (the module and the
process entry) · \`__tests__/\` (store on PGlite and ${n.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'}, the subgraph through
executeOperation). The gateway tier is \`test/security-registry.test.ts\`, which covers every
registered subgraph.
`;
}
