// Gateway field permissions on a small schema: which fields are cut before planning, and
// how each comes back (null, FORBIDDEN at its path with list indices, rest intact).
import assert from 'node:assert/strict';
import { buildSchema, parse, print } from 'graphql';
import { cutDeniedFields, markDenied, permissionIndex } from '../enforce.ts';
import type { Identity } from '../../../subgraphs/shared/identity.ts';

const SDL = `
directive @obtsPermission(requires: String!) on FIELD_DEFINITION
directive @obtsPublic(reason: String!) on FIELD_DEFINITION
type Query { offender(sid: ID!): Offender @obtsPublic(reason: "a small test schema") }
type Offender { sid: ID! name: String protectiveOrders: [Order!] @obtsPermission(requires: "por:read") parole: [Parole!] }
type Order { orderNumber: ID! protectedPersons: [Person!] @obtsPermission(requires: "por:protected-person") }
type Person { name: String }
type Parole { caseNumber: ID! caseNotes: [String!] @obtsPermission(requires: "parole:case-notes") }
`;
const schema = buildSchema(SDL);
const index = permissionIndex(SDL);
const identity = (permissions: string[]): Identity => ({ userId: 'u', ori: 'CT0000000', roles: ['analyst'], permissions, purpose: 'C', requestId: 'r' });

describe('gateway/auth enforce', () => {
  it('reads the directive from SDL', () => {
    assert.deepEqual([...index], [['Offender.protectiveOrders', ['por:read']], ['Order.protectedPersons', ['por:protected-person']], ['Parole.caseNotes', ['parole:case-notes']]]);
  });

  it('cuts denied fields (aliases and fragments included) and keeps emptied selections valid', () => {
    const document = parse(`query Q { o: offender(sid: "1") { sid protectiveOrders { orderNumber who: protectedPersons { name } } ...P } }
      fragment P on Offender { parole { caseNotes } }`);
    const { document: cut, denials } = cutDeniedFields(schema, document, 'Q', index, ['por:read']);
    assert.deepEqual(denials, [
      { path: ['o', 'protectiveOrders', 'who'], field: 'Order.protectedPersons', requires: ['por:protected-person'] },
      { path: ['o', 'parole', 'caseNotes'], field: 'Parole.caseNotes', requires: ['parole:case-notes'] },
    ]);
    assert.equal(print(cut).replace(/\s+/g, ' '), 'query Q { o: offender(sid: "1") { sid protectiveOrders { orderNumber } ...P } } fragment P on Offender { parole { __obtsDenied: __typename } }');
  });

  it('answers each cut field with null and FORBIDDEN at its path; the rest stays', () => {
    const document = parse('{ offender(sid: "1") { sid protectiveOrders { orderNumber protectedPersons { name } } } }');
    const { denials } = cutDeniedFields(schema, document, undefined, index, ['por:read']);
    const data = { offender: { sid: '1', protectiveOrders: [{ orderNumber: 'A' }, { orderNumber: 'B' }] } };
    const errors = markDenied(data, denials, identity(['por:read']));
    assert.deepEqual(data, { offender: { sid: '1', protectiveOrders: [{ orderNumber: 'A', protectedPersons: null }, { orderNumber: 'B', protectedPersons: null }] } });
    assert.deepEqual(errors.map((error) => [error.path, error.extensions?.code]), [[['offender', 'protectiveOrders', 0, 'protectedPersons'], 'FORBIDDEN'], [['offender', 'protectiveOrders', 1, 'protectedPersons'], 'FORBIDDEN']]);
    assert.match(errors[0].message, /Order\.protectedPersons needs permission "por:protected-person" \(POR protected-person details/);
  });

  it('cuts nothing for a user who holds every permission', () => {
    const document = parse('{ offender(sid: "1") { protectiveOrders { protectedPersons { name } } parole { caseNotes } } }');
    const result = cutDeniedFields(schema, document, undefined, index, ['por:read', 'por:protected-person', 'parole:case-notes']);
    assert.equal(result.document, document);
    assert.deepEqual(result.denials, []);
  });
});
