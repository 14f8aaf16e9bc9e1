// `npm run schema:check` as a test: the committed API schema (schema/api.graphql) is what
// the subgraphs compose to, so no breaking change reaches analysts' tools unacknowledged;
// and the check finds the changes it must (removed field, nullability, new required
// argument, removed enum value) on variants of the real schema.
import '../../gateway/telemetry-off.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchema, parse, print, visit, type ASTNode } from 'graphql';
import { API_SCHEMA_FILE, apiSchemaSdl, checkSchema, readAcknowledged } from '../check.ts';
import { composeSupergraph } from '../compose.ts';

describe('API schema check (npm run schema:check)', () => {
  const committedSdl = readFileSync(API_SCHEMA_FILE, 'utf8');
  const committed = buildSchema(committedSdl);
  const composedSdl = apiSchemaSdl(composeSupergraph());
  // The committed schema without descriptions: one line per field and enum value, easy to vary.
  const plain = print(visit(parse(committedSdl), { enter: (node: ASTNode) => ('description' in node && node.description ? { ...node, description: undefined } : undefined) }));

  it('finds no unacknowledged breaking change between schema/api.graphql and the composed schema', async () => {
    const result = await checkSchema(committed, buildSchema(composedSdl), readAcknowledged());
    assert.deepEqual(result.unacknowledged.map((change) => `${change.type} ${change.path}: ${change.message}`), []);
  });

  it('keeps schema/api.graphql current (run `npm run schema:check -- --update` when it is not)', () => {
    assert.ok(committedSdl === composedSdl, 'schema/api.graphql is stale: run `npm run schema:check -- --update` and commit it');
  });

  it('reports a removed field, loosened output nullability, a new required argument and a removed enum value as breaking', async () => {
    const changed = plain
      .replace(/\n  fbiNumber: String\n/, '\n')
      .replace(/(\ntype Offender [^{]*\{[^}]*?\n  sid: )ID!\n/, '$1ID\n')
      .replace(/\n  offender\(sid: ID!\)/, '\n  offender(sid: ID!, reason: String!)')
      .replace(/\n  ABSCONDED\n/, '\n');
    assert.equal(changed.split('\n').length, plain.split('\n').length - 2, 'the variant did not change the schema as meant');
    const result = await checkSchema(committed, buildSchema(changed), []);
    const breaking = result.breaking.map((change) => `${change.type} ${change.path}`).sort();
    for (const expected of ['FIELD_REMOVED Offender.fbiNumber', 'FIELD_TYPE_CHANGED Offender.sid', 'FIELD_ARGUMENT_ADDED Query.offender.reason']) assert.ok(breaking.includes(expected), `${expected} not in ${breaking.join(', ')}`);
    assert.ok(breaking.some((entry) => entry.startsWith('ENUM_VALUE_REMOVED ') && entry.endsWith('.ABSCONDED')), breaking.join(', '));
    assert.equal(result.unacknowledged.length, result.breaking.length);
  });

  it('passes an acknowledged breaking change and reports an added enum value as dangerous', async () => {
    const changed = plain.replace(/\n  fbiNumber: String\n/, '\n').replace(/\n  ABSCONDED\n/, '\n  ABSCONDED\n  DECEASED\n');
    const result = await checkSchema(committed, buildSchema(changed), [{ type: 'FIELD_REMOVED', path: 'Offender.fbiNumber', reason: 'FBI numbers move to the NGI subgraph' }]);
    assert.deepEqual(result.breaking.map((change) => change.path), ['Offender.fbiNumber']);
    assert.deepEqual(result.unacknowledged, []);
    assert.ok(result.dangerous.some((change) => change.type === 'ENUM_VALUE_ADDED' && change.path?.endsWith('.DECEASED')), JSON.stringify(result.dangerous.map((c) => c.path)));
  });
});
