// The security suite's cases that follow the registry (schema/subgraphs.ts) and the policy
// (gateway/auth/policy.ts) instead of naming agencies, so a subgraph added with
// `npm run new-subgraph` is covered without editing a test: every subgraph refuses direct
// calls; every field on Offender is answered to exactly the roles whose permissions open
// it. And default deny: a subgraph added without any access annotation does not compose,
// and even forced into the gateway exposes nothing to any role, there or directly.
import assert from 'node:assert/strict';
import { composeServices } from '@apollo/composition';
import { buildSchema, getNamedType, isCompositeType, parse, type GraphQLObjectType } from 'graphql';
import { apiSchemaSdl } from '../schema/check.ts';
import { compose, registrySources, type SubgraphSource } from '../schema/compose.ts';
import { SUBGRAPHS } from '../schema/subgraphs.ts';
import { permissionIndex } from '../gateway/auth/enforce.ts';
import { PERMISSIONS, ROLES, permissionsFor } from '../gateway/auth/policy.ts';
import { gatewayKeyFile, loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import type { SubgraphModule } from '../subgraphs/shared/module.ts';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';

/** A subgraph as a careless developer might add it: no @obtsPermission, no @obtsPublic. */
const UNANNOTATED_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Offender @key(fields: "sid") {
  sid: ID!
  probeNotes: String
}
type Query {
  probeCount: Int
}
`;
const unannotated: SubgraphModule<any, any> = {
  name: 'unannotated-probe',
  typeDefs: parse(UNANNOTATED_SDL),
  resolvers: { Offender: { __resolveReference: (ref: { sid: string }) => ref, probeNotes: () => 'NOTE THAT MUST NOT LEAK' }, Query: { probeCount: () => 42 } },
  openStore: async () => ({ ping: async () => {}, close: async () => {} }),
  createContext: (_store, base) => base,
};
const probeSource: SubgraphSource = { name: unannotated.name, file: 'subgraphs/unannotated-probe/schema.graphql', sdl: UNANNOTATED_SDL };

describe('security suite: every registered subgraph, and default deny', function () {
  this.timeout(600_000); // the stack starts every subgraph and the gateway; slow on a loaded machine
  let stack: Stack;
  let sid: string;
  let supergraphSdl: string;

  before(async () => {
    // Composition refuses the probe (next test); here it is forced in, as if the check were skipped.
    const forced = composeServices([...registrySources(), probeSource].map((source) => ({ name: source.name, url: `http://${source.name}.invalid/graphql`, typeDefs: parse(source.sdl) })));
    assert.ok(forced.supergraphSdl, JSON.stringify(forced.errors?.map((error) => error.message)));
    supergraphSdl = forced.supergraphSdl;
    const stories = generateStories({ offenders: 12, seed: 5 });
    sid = stories[3].person.sid;
    stack = await startStack(stories, { supergraphSdl: forced.supergraphSdl, extraSubgraphs: [unannotated] });
  });
  after(async () => {
    await stack?.stop();
  });

  it('composition refuses the unannotated subgraph, naming each field, its file and line', () => {
    const result = compose([...registrySources(), probeSource]);
    assert.equal(result.supergraphSdl, undefined);
    assert.deepEqual(result.errors.map((issue) => `${issue.code} ${issue.file}:${issue.line} ${issue.element}`), [
      'OBTS_UNANNOTATED_FIELD subgraphs/unannotated-probe/schema.graphql:3 Offender.sid',
      'OBTS_UNANNOTATED_FIELD subgraphs/unannotated-probe/schema.graphql:4 Offender.probeNotes',
      'OBTS_UNANNOTATED_FIELD subgraphs/unannotated-probe/schema.graphql:7 Query.probeCount',
    ]);
    assert.ok(result.errors.every((issue) => issue.hint?.includes('@obtsPermission')));
  });

  it('exposes nothing of the unannotated subgraph to any role, through the gateway or directly', async () => {
    const got: Record<string, unknown> = {};
    for (const role of Object.keys(ROLES)) {
      const headers = { authorization: `Bearer ${await stack.token({ user: `probe-${role}`, roles: [role] })}` };
      const answer = await stack.query('query P($sid: ID!) { offender(sid: $sid) { probeNotes } probeCount }', { sid }, headers);
      got[role] = { data: answer.body.data, forbidden: (answer.body.errors ?? []).filter((error: any) => error.extensions?.code === 'FORBIDDEN').map((error: any) => error.path.join('.')).sort() };
    }
    const nothing = (paths: string[]) => ({ data: { offender: paths.includes('offender') ? null : { probeNotes: null }, probeCount: null }, forbidden: paths });
    const expected = Object.fromEntries(Object.keys(ROLES).map((role) => [role, nothing(ROLES[role].permissions.includes('mni:read') ? ['offender.probeNotes', 'probeCount'] : ['offender', 'probeCount'])]));
    assert.deepEqual(got, expected);
    // Directly, with a gateway-signed identity holding every permission there is.
    const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
    const identity = { userId: 'probe', ori: 'CT0000000', roles: ['prosecutor'], permissions: Object.keys(PERMISSIONS), purpose: 'C' as const, requestId: 'probe' };
    const response = await fetch(stack.subgraphs[unannotated.name].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, unannotated.name)}` },
      body: JSON.stringify({ query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { probeNotes } } probeCount }', variables: { r: [{ __typename: 'Offender', sid }] } }),
    });
    const body = await response.json() as any;
    assert.doesNotMatch(JSON.stringify(body), /NOTE THAT MUST NOT LEAK|42/);
    assert.deepEqual(body.errors.map((error: any) => `${error.extensions.code} ${error.path.join('.')}`).sort(), ['FORBIDDEN _entities.0.probeNotes', 'FORBIDDEN probeCount']);
  });

  it('every registered subgraph refuses a call that the gateway did not sign', async () => {
    const got: Record<string, number> = {};
    for (const entry of SUBGRAPHS) {
      const response = await fetch(stack.subgraphs[entry.name].url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
      got[entry.name] = response.status;
    }
    assert.deepEqual(got, Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, 401])));
  });

  it('answers every Offender field of every subgraph to exactly the roles whose permissions open it', async () => {
    const index = permissionIndex(supergraphSdl);
    const offender = buildSchema(apiSchemaSdl(supergraphSdl)).getType('Offender') as GraphQLObjectType;
    const fields = Object.values(offender.getFields()).filter((field) => field.name !== 'probeNotes');
    const selection = fields.map((field) => (isCompositeType(getNamedType(field.type)) ? `${field.name} { __typename }` : field.name)).join(' ');
    const got: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const role of Object.keys(ROLES)) {
      const permissions: string[] = permissionsFor([role]);
      const headers = { authorization: `Bearer ${await stack.token({ user: `fields-${role}`, roles: [role] })}` };
      const answer = await stack.query(`query F($sid: ID!) { offender(sid: $sid) { ${selection} } }`, { sid }, headers);
      // A path may be refused twice: by the gateway's cut, and by the agency when tracking's @requires asks for it.
      got[role] = [...new Set<string>((answer.body.errors ?? []).filter((error: any) => error.extensions?.code === 'FORBIDDEN' && error.path.length <= 2).map((error: any) => error.path.join('.')))].sort();
      const opens = (key: string) => (index.get(key) ?? []).every((permission) => permissions.includes(permission));
      expected[role] = opens('Query.offender') ? fields.filter((field) => !opens(`Offender.${field.name}`)).map((field) => `offender.${field.name}`).sort() : ['offender'];
    }
    assert.deepEqual(got, expected);
    assert.ok(expected.analyst.length < fields.length, 'the analyst is refused every field: the check proves nothing');
  });
});
