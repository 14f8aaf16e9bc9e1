// docs/schema.md (npm run docs) is current, and tells an analyst for every Offender field
// which agency answers it and which permission it needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { DOCS_FILE, schemaReference } from '../docs.ts';
import { SUPERGRAPH_FILE } from '../compose.ts';
import { apiSchemaSdl } from '../check.ts';
import { permissionIndex } from '../../gateway/auth/enforce.ts';

describe('schema reference (npm run docs)', () => {
  const supergraph = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const written = readFileSync(DOCS_FILE, 'utf8');

  it('is what the committed supergraph generates (run `npm run docs` when it is not)', () => {
    assert.ok(written === schemaReference(supergraph), 'docs/schema.md is stale: run `npm run docs` and commit it');
  });

  it('names the answering agency and the permission of every Offender field', () => {
    const offender = buildSchema(apiSchemaSdl(supergraph)).getType('Offender') as GraphQLObjectType;
    const index = permissionIndex(supergraph);
    const section = written.slice(written.indexOf('### Offender\n'), written.indexOf('\n### ', written.indexOf('### Offender\n') + 1));
    for (const field of Object.values(offender.getFields())) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${field.name}`));
      assert.ok(row, `no row for Offender.${field.name}`);
      const permissions = index.get(`Offender.${field.name}`) ?? [];
      assert.ok(permissions.length, `Offender.${field.name} has no permission`);
      for (const permission of permissions) assert.ok(row.endsWith(`\`${permission}\` |`) || row.includes(`\`${permission}\``), row);
      assert.match(row, /\(`[a-z-]+`\)|; `[a-z-]+`\)/, `no agency in ${row}`);
    }
  });
});
