// The names a new subgraph's files use, all derived from the few things its developer says
// (`npm run new-subgraph -- pardons --agency "…" --database postgres [--owns Pardon]`), and
// the checks that refuse a name that exists or is not a valid identifier.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, Kind } from 'graphql';
import type { Engine } from '../../schema/subgraphs.ts';

export interface SubgraphNames {
  /** Folder and subgraph name, kebab-case: `pardons`, `police-records`. */
  name: string;
  agency: string;
  engine: Engine;
  /** `Pardons`: prefix of the store's and context's type names. */
  pascal: string;
  /** `pardons`: the field the subgraph adds to Offender. */
  field: string;
  /** `Pardon`: the entity type the subgraph owns. */
  type: string;
  /** `pardon`: the root field that looks one up by id. */
  root: string;
  /** `pardons:read`: the permission every field of the subgraph needs. */
  permission: string;
  /** `PARDONS`: the source system's name and the prefix of record ids. */
  system: string;
  /** `pardons_rec`: the legacy table. */
  table: string;
  port: number;
}

export const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TYPE_PATTERN = /^[A-Z][A-Za-z0-9]*$/;
/** Folders under subgraphs/ that are not subgraphs, and names the gateway reserves. */
const RESERVED = new Set(['shared', 'index', 'gateway', 'schema', 'tracking']);

const pascalOf = (name: string) => name.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const singular = (word: string) => (/ies$/.test(word) ? word.replace(/ies$/, 'y') : /[^s]s$/.test(word) ? word.slice(0, -1) : word);

/** Every type and root field the composed schema has now (a new one must not clash). */
function existingSchema(root: string): { types: Set<string>; rootFields: Set<string> } {
  const document = parse(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
  const types = new Set<string>();
  const rootFields = new Set<string>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    types.add(definition.name.value);
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query') for (const field of definition.fields ?? []) rootFields.add(field.name.value);
  }
  return { types, rootFields };
}

/** The names for a new subgraph, or an error saying what is wrong and what was expected. */
export function deriveNames(root: string, options: { name: string; agency: string; engine: string; owns?: string; existing: { names: string[]; ports: number[] } }): SubgraphNames {
  const { name } = options;
  if (!NAME_PATTERN.test(name) || name.length > 30) throw new Error(`"${name}" is not a valid subgraph name; expected lower-case letters and digits in words joined by hyphens, starting with a letter, at most 30 characters, e.g. pardons or police-records`);
  if (RESERVED.has(name)) throw new Error(`"${name}" is reserved; choose another subgraph name`);
  if (options.existing.names.includes(name) || existsSync(path.join(root, 'subgraphs', name))) throw new Error(`a subgraph named "${name}" already exists (subgraphs/${name}, schema/subgraphs.ts); choose another name`);
  if (!options.agency.trim()) throw new Error('--agency is empty; expected the agency\'s name, e.g. --agency "Board of Pardons and Paroles"');
  if (options.engine !== 'postgres' && options.engine !== 'mysql') throw new Error(`--database "${options.engine}" is not supported; expected postgres or mysql`);
  const pascal = pascalOf(name);
  const type = options.owns ?? singular(pascal);
  if (!TYPE_PATTERN.test(type)) throw new Error(`--owns "${type}" is not a GraphQL type name; expected PascalCase letters and digits, e.g. Pardon`);
  const schema = existingSchema(root);
  if (schema.types.has(type)) throw new Error(`type ${type} already exists in the composed schema; name the type this subgraph owns with --owns, e.g. --owns ${type}Record`);
  for (const derived of [`${type}Status`]) if (schema.types.has(derived)) throw new Error(`type ${derived} already exists in the composed schema; choose another --owns`);
  const field = pascal[0].toLowerCase() + pascal.slice(1);
  const rootField = type[0].toLowerCase() + type.slice(1);
  if (schema.rootFields.has(rootField)) throw new Error(`Query.${rootField} already exists in the composed schema; choose another --owns`);
  return {
    name, agency: options.agency.trim(), engine: options.engine, pascal, field, type, root: rootField,
    permission: `${name}:read`, system: name.toUpperCase().replace(/-/g, '_'), table: `${name.replace(/-/g, '_')}_rec`,
    port: Math.max(...options.existing.ports) + 1,
  };
}
