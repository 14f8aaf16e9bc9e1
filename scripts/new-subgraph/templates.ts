// The source files of a new subgraph, in the house shape (subgraphs/correction is the
// model): SDL first with a description and a permission on every field, thin resolvers,
// per-request loaders, a Kysely store with migrate, seed and erasure, an entry. Tests and
// the README are in test-templates.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SubgraphNames } from './names.ts';

/** A description block shared by every subgraph (composition refuses differing ones), copied from public-safety's SDL. */
function sharedDescription(root: string, head: string, indent = ''): string {
  const sdl = readFileSync(path.join(root, 'subgraphs/public-safety/schema.graphql'), 'utf8');
  const at = sdl.indexOf(head);
  const end = sdl.lastIndexOf('"""', at - 2);
  const start = sdl.lastIndexOf('"""', end - 1);
  return sdl.slice(start, end + 3).split('\n').map((line) => (line ? indent + line.trimStart() : line)).join('\n');
}

/** The two access directives' definitions, copied from public-safety's SDL so every subgraph defines them alike. */
function directiveDefinitions(root: string): string {
  const sdl = readFileSync(path.join(root, 'subgraphs/public-safety/schema.graphql'), 'utf8');
  const start = sdl.indexOf('"""', sdl.indexOf('extend schema'));
  const end = sdl.indexOf(') on FIELD_DEFINITION', sdl.indexOf('directive @obtsPublic')) + ') on FIELD_DEFINITION'.length;
  return sdl.slice(start, end);
}

export function schemaGraphql(n: SubgraphNames, root: string): string {
  const p = `@obtsPermission(requires: "${n.permission}")`;
  return `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "https://obts.ct.gov/permission/v1.0", import: ["@obtsPermission", "@obtsPublic"])
  @composeDirective(name: "@obtsPermission")
  @composeDirective(name: "@obtsPublic")

${directiveDefinitions(root)}

# The ${n.agency} adds the records its ${n.system} system holds about a person.
${sharedDescription(root, 'type Offender @key')}
type Offender @key(fields: "sid") {
${sharedDescription(root, '  sid: ID!', '  ')}
  sid: ID! @obtsPermission(requires: "mni:read")
  """
  Every ${n.agency} record of the person (${n.system}), newest first; empty when the
  ${n.agency} holds none. Records erased under C.G.S. 54-142a are never shown.
  """
  ${n.field}: [${n.type}!] ${p}
}

"""
One record of the ${n.agency} (${n.system}) about a person, identified by its record id.
"""
type ${n.type} @key(fields: "id") {
  """
  Record id: ${n.system}, the person's SID and a sequence, e.g. ${n.system}-000123456-1.
  """
  id: ID! ${p}
  """
  What kind of record this is, as ${n.system} codes it (e.g. APPLICATION).
  """
  kind: String! ${p}
  """
  Whether the matter the record is about is still open.
  """
  status: ${n.type}Status! ${p}
  """
  Date of the record, YYYY-MM-DD.
  """
  date: String! ${p}
  """
  When ${n.system} last changed the record, ISO 8601 UTC, e.g. 2024-03-15T09:00:00.000Z.
  """
  recordLastUpdated: String! ${p}
  """
  The person the record is about (their SID; other agencies add the rest).
  """
  offender: Offender! ${p}
}

"""
Where a ${n.system} record stands.
"""
enum ${n.type}Status {
  """
  The matter is open.
  """
  OPEN
  """
  The matter is closed.
  """
  CLOSED
}

${sharedDescription(root, 'type Query {')}
type Query {
  """
  The ${n.agency} record with this id; null when ${n.system} has none (or it is erased).
  """
  ${n.root}(
    """
    Record id, e.g. ${n.system}-000123456-1.
    """
    id: ID!
  ): ${n.type} ${p}
}
`;
}

export function indexTs(n: SubgraphNames): string {
  return `// The ${n.name} subgraph (${n.agency}: ${n.system}). Run directly, it opens the store
// from ${n.system}_DATABASE_URL (or embedded PGlite) and serves on its port.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { SubgraphModule } from '../shared/module.ts';
import { isEntry, serve } from '../shared/main.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type ${n.pascal}Context } from './resolvers.ts';
import { open${n.pascal}Store, type ${n.pascal}Store } from './store/index.ts';

export const subgraph: SubgraphModule<${n.pascal}Store, ${n.pascal}Context> = {
  name: '${n.name}',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  openStore: open${n.pascal}Store,
  createContext: (store, base) => ({ ...base, store, loaders: createLoaders(store) }),
};
export default subgraph;

if (isEntry(import.meta.url)) await serve(subgraph);
`;
}

export function inputsTs(n: SubgraphNames): string {
  return `// The identifiers the ${n.name} subgraph accepts, checked before any store is asked.
import { badInput } from '../shared/errors.ts';

/** ${n.system} record id: the system's name, a 9-digit SID and a sequence, e.g. ${n.system}-000123456-1. */
const RECORD_ID = /^${n.system}-\\d{9}-\\d{1,3}$/;

/** Checks a record id (any case, surrounding spaces ignored) and returns it in upper case. */
export function parseRecordId(value: string, argument = 'id'): string {
  const id = String(value).trim().toUpperCase();
  if (!RECORD_ID.test(id)) throw badInput(\`\${argument} "\${value}" is not a ${n.system} record id; expected e.g. ${n.system}-000123456-1\`, argument);
  return id;
}
`;
}

export function resolversTs(n: SubgraphNames): string {
  return `// Thin resolvers: check arguments, then ask a per-request loader.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parseSid } from '../shared/inputs.ts';
import type { BaseContext } from '../shared/module.ts';
import { parseRecordId } from './inputs.ts';
import type { ${n.pascal}Loaders } from './loaders.ts';
import type { ${n.type}Record, ${n.pascal}Store } from './store/index.ts';

export interface ${n.pascal}Context extends BaseContext {
  store: ${n.pascal}Store;
  loaders: ${n.pascal}Loaders;
}

export const resolvers: GraphQLResolverMap<${n.pascal}Context> = {
  Query: {
    ${n.root}: (_: unknown, args: { id: string }, ctx: ${n.pascal}Context) => ctx.loaders.recordById.load(parseRecordId(args.id)),
  },
  // ${n.system} does not own Offender: a reference stands for itself (no lookup), and the
  // list is empty for a person ${n.system} never recorded (null would null the whole entity).
  Offender: {
    __resolveReference: (ref: { sid: string }) => ({ sid: parseSid(ref.sid) }),
    ${n.field}: (offender: { sid: string }, _: unknown, ctx: ${n.pascal}Context) => ctx.loaders.recordsBySid.load(offender.sid),
  },
  ${n.type}: {
    __resolveReference: (ref: { id: string }, ctx: ${n.pascal}Context) => ctx.loaders.recordById.load(parseRecordId(ref.id)),
    offender: (record: ${n.type}Record) => ({ sid: record.sid }),
  },
};
`;
}

export function loadersTs(n: SubgraphNames): string {
  return `// Per-request DataLoaders, named by access path. Each batch is ONE statement in the store,
// put back in key order by shared/batch.ts, so a query over N offenders costs the same
// number of statements as a query over one. Built fresh in createContext for every request:
// nothing is cached across requests (${n.system} data stays in its own store).
import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../shared/batch.ts';
import type { ${n.type}Record, ${n.pascal}Store } from './store/index.ts';

/** Keys per statement: well under every engine's bind-parameter limit. */
const MAX_BATCH = 5_000;

export interface ${n.pascal}Loaders {
  /** ${n.system} records of a SID, newest first. */
  recordsBySid: DataLoader<string, ${n.type}Record[]>;
  /** One record by its id, or null (unknown or erased). */
  recordById: DataLoader<string, ${n.type}Record | null>;
}

export function createLoaders(store: ${n.pascal}Store): ${n.pascal}Loaders {
  const options = { maxBatchSize: MAX_BATCH };
  return {
    recordsBySid: new DataLoader(async (sids) => manyByKey(sids, await store.recordsBySids(sids), (r) => r.sid), options),
    recordById: new DataLoader(async (ids) => oneByKey(ids, await store.recordsByIds(ids), (r) => r.id), options),
  };
}
`;
}
