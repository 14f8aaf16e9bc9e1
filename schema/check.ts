// npm run schema:check: compares the API schema the subgraphs compose to now with the one
// committed in schema/api.graphql (what analysts' tools were built against) and lists the
// changes by criticality, using @graphql-inspector/core's diff: breaking (a field, type or
// enum value removed or renamed, nullability tightened on output or loosened on input, a
// new required argument…), dangerous (e.g. an enum value added, a default changed) and
// safe. A breaking change fails the check unless schema/acknowledged-changes.json lists it
// with a reason (the reviewer sees that file in the change). `--update` rewrites
// schema/api.graphql once nothing unacknowledged is breaking. npm test runs the check.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { ROOT } from './subgraphs.ts';
import { composeSupergraph } from './compose.ts';

export const API_SCHEMA_FILE = path.join(ROOT, 'schema/api.graphql');
export const ACKNOWLEDGED_FILE = path.join(ROOT, 'schema/acknowledged-changes.json');

/** One acknowledged breaking change: which change (inspector's type and path) and why it is accepted. */
export interface Acknowledgement { type: string; path: string; reason: string }

/** The client-facing schema of a supergraph (no join__ or link__ machinery), printed in a stable order. */
export function apiSchemaSdl(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(lexicographicSortSchema(api))}\n`;
}

export interface SchemaCheck {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** Breaking changes schema/acknowledged-changes.json does not list. */
  unacknowledged: Change[];
}

/** The changes from `committed` to `composed`, sorted by criticality. */
export async function checkSchema(committed: GraphQLSchema, composed: GraphQLSchema, acknowledged: Acknowledgement[]): Promise<SchemaCheck> {
  const changes = await diff(committed, composed);
  const level = (wanted: CriticalityLevel) => changes.filter((change) => change.criticality.level === wanted);
  const breaking = level(CriticalityLevel.Breaking);
  const isAcknowledged = (change: Change) => acknowledged.some((ack) => ack.type === change.type && ack.path === change.path && ack.reason?.trim());
  return { breaking, dangerous: level(CriticalityLevel.Dangerous), safe: level(CriticalityLevel.NonBreaking), unacknowledged: breaking.filter((change) => !isAcknowledged(change)) };
}

export function readAcknowledged(file = ACKNOWLEDGED_FILE): Acknowledgement[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { acknowledged?: Acknowledgement[] };
  if (!Array.isArray(parsed.acknowledged)) throw new Error(`${path.relative(ROOT, file)} must hold { "acknowledged": [{ "type", "path", "reason" }] }`);
  return parsed.acknowledged;
}

/** The report a developer reads: one line per change, grouped by criticality. */
export function report(result: SchemaCheck): string {
  const line = (change: Change, acknowledged = false) => `  - ${change.message}  [${change.type} ${change.path ?? ''}]${acknowledged ? ' (acknowledged)' : ''}`;
  const lines: string[] = [];
  if (result.breaking.length) lines.push(`breaking (${result.breaking.length}):`, ...result.breaking.map((change) => line(change, !result.unacknowledged.includes(change))));
  if (result.dangerous.length) lines.push(`dangerous (${result.dangerous.length}):`, ...result.dangerous.map((change) => line(change)));
  if (result.safe.length) lines.push(`safe (${result.safe.length}):`, ...result.safe.map((change) => line(change)));
  return lines.length ? lines.join('\n') : 'no changes to the API schema';
}

const USAGE = `Usage: npm run schema:check [-- --update]

Compares the API schema the subgraphs compose to with schema/api.graphql and lists breaking,
dangerous and safe changes. Fails on a breaking change not listed in
schema/acknowledged-changes.json ({ "acknowledged": [{ "type", "path", "reason" }] }, type and
path as printed in brackets), and when schema/api.graphql is not current.

  --update   rewrite schema/api.graphql (refused while a breaking change is unacknowledged)
  --help     show this help (writes nothing)

Example: npm run compose && npm run schema:check -- --update`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.find((arg) => arg !== '--update');
  if (unknown) {
    console.error(`schema:check: unknown option "${unknown}"; expected --update or --help`);
    return 2;
  }
  let composedSdl: string;
  try {
    composedSdl = apiSchemaSdl(composeSupergraph());
  } catch (error) {
    console.error(`${(error as Error).message}\nschema:check: the subgraphs do not compose; run npm run compose for details`);
    return 1;
  }
  const committedSdl = readFileSync(API_SCHEMA_FILE, 'utf8');
  const result = await checkSchema(buildSchema(committedSdl), buildSchema(composedSdl), readAcknowledged());
  console.log(report(result));
  if (result.unacknowledged.length) {
    console.error(`schema:check: ${result.unacknowledged.length} breaking change(s) not acknowledged: add each { "type", "path", "reason" } to schema/acknowledged-changes.json, or undo the change`);
    return 1;
  }
  if (committedSdl === composedSdl) return 0;
  if (argv.includes('--update')) {
    writeFileSync(API_SCHEMA_FILE, composedSdl);
    console.log('wrote schema/api.graphql');
    return 0;
  }
  console.error('schema:check: schema/api.graphql is not current: run `npm run schema:check -- --update` and commit it');
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main(process.argv.slice(2));
