// Where the gateway tells an error at a field that is not in the API (@obtsToldAs), read from
// the supergraph; and the composition check that keeps the directive honest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { collapseRepeatedErrors, toldAsIndex } from '../errors.ts';
import { annotationIssues } from '../../schema/annotations.ts';
import { PERMISSIONS } from '../auth/policy.ts';

const SUPERGRAPH = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
const typeWith = (fields: string) => `type Offender { ${fields} }`;

describe('gateway errors: @obtsToldAs', () => {
  it('reads judicial\'s fields for tracking from the committed supergraph', () => {
    assert.deepEqual(Object.fromEntries(toldAsIndex(SUPERGRAPH)), { casesForTracking: 'courtCases', warrantsForTracking: 'warrants', protectiveOrdersForTracking: 'protectiveOrders' });
  });

  it('refuses a supergraph where one field name would be told at two places, or at no field', () => {
    assert.throws(() => toldAsIndex(`${typeWith('a: Int @obtsToldAs(field: "b")')} type Case { a: Int @obtsToldAs(field: "c") }`), /Case\.a is told as c but another type's a as b; an error's path names the field, not its type/);
    assert.throws(() => toldAsIndex(typeWith('a: Int @obtsToldAs(field: "")')), /Offender\.a has @obtsToldAs without a valid field name; expected @obtsToldAs\(field: "<a field of Offender>"\)/);
    assert.deepEqual(Object.fromEntries(toldAsIndex(`${typeWith('a: Int @obtsToldAs(field: "b")')} type Case { a: Int @obtsToldAs(field: "b") }`)), { a: 'b' });
  });

  it('tells a refusal at the API field, and one agency\'s repeated error once', async () => {
    const plugin = collapseRepeatedErrors(() => toldAsIndex(SUPERGRAPH));
    const hooks = await plugin.requestDidStart!({} as never);
    const refusal = { message: 'Not permitted: Offender.warrantsForTracking needs prawn:read', path: ['offender', 'warrantsForTracking'], extensions: { code: 'FORBIDDEN' } };
    const down = { message: 'Department of Correction did not answer', path: ['offender', 'custody'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', source: 'correction' } };
    const response = { body: { kind: 'single', singleResult: { errors: [refusal, down, { ...down }] } } };
    await hooks!.willSendResponse!({ response } as never);
    assert.deepEqual(response.body.singleResult.errors, [
      { message: 'Not permitted: Offender.warrants needs prawn:read', path: ['offender', 'warrants'], extensions: { code: 'FORBIDDEN' } },
      down,
    ]);
  });

  it('composition refuses @obtsToldAs on an API field, at a field that is not in the API, and without its @composeDirective', () => {
    const sdl = (fields: string, compose = true) => `extend schema @composeDirective(name: "@obtsPermission") @link(url: "https://obts.ct.gov/errors/v1.0", import: ["@obtsToldAs"]) ${compose ? '@composeDirective(name: "@obtsToldAs")' : ''}
      type Offender @key(fields: "sid") { sid: ID! @obtsPermission(requires: "mni:read") ${fields} }`;
    const codes = (text: string) => annotationIssues({ name: 'probe', file: 'probe.graphql', document: parse(text) }, new Set(Object.keys(PERMISSIONS))).map((issue) => `${issue.code} ${issue.element}`);
    const field = (directives: string) => `hidden: Int @inaccessible @obtsPermission(requires: "mni:read") ${directives} shown: Int @obtsPermission(requires: "mni:read")`;
    assert.deepEqual({
      'on an API field': codes(sdl('shown: Int @obtsPermission(requires: "mni:read") @obtsToldAs(field: "sid")')),
      'at an unknown field': codes(sdl(field('@obtsToldAs(field: "nothing")'))),
      'at a field not in the API': codes(sdl(`${field('@obtsToldAs(field: "other")')} other: Int @inaccessible @obtsPermission(requires: "mni:read")`)),
      'not composed': codes(sdl(field('@obtsToldAs(field: "shown")'), false)),
      'as it should be': codes(sdl(field('@obtsToldAs(field: "shown")'))),
    }, {
      'on an API field': ['OBTS_TOLD_AS_IN_API Offender.shown'],
      'at an unknown field': ['OBTS_TOLD_AS_UNKNOWN_FIELD Offender.hidden'],
      'at a field not in the API': ['OBTS_TOLD_AS_UNKNOWN_FIELD Offender.hidden'],
      'not composed': ['OBTS_DIRECTIVE_NOT_COMPOSED @obtsToldAs'],
      'as it should be': [],
    });
  });
});
