// npm run docs: writes docs/schema.md, the offline schema reference for analysts: every
// type and field of the API with its description, the agency and source systems that
// answer it (from the supergraph's join directives and the registry), and the permission
// it needs (gateway/auth/policy.ts). Generated from the committed supergraph; commit it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, Kind, parse,
  type ConstDirectiveNode, type GraphQLNamedType,
} from 'graphql';
import { ROOT, SUBGRAPHS } from './subgraphs.ts';
import { apiSchemaSdl } from './check.ts';
import { permissionIndex } from '../gateway/auth/enforce.ts';
import { PERMISSIONS } from '../gateway/auth/policy.ts';
import { fieldAccess, UNANNOTATED } from '../subgraphs/shared/permissions.ts';

export const DOCS_FILE = path.join(ROOT, 'docs/schema.md');

const argument = (directive: ConstDirectiveNode, name: string) => {
  const value = directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : value?.kind === Kind.BOOLEAN ? String(value.value) : undefined;
};

/** "Type" or "Type.field" → the subgraphs that answer it, from @join__type / @join__field. */
function owners(supergraphSdl: string): Map<string, string[]> {
  const document = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  const found = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        if (graph) graphs.set(value.name.value, argument(graph, 'name') ?? value.name.value);
      }
    }
  }
  const names = (directives: readonly ConstDirectiveNode[] | undefined, directive: string) =>
    (directives ?? []).filter((d) => d.name.value === directive && argument(d, 'external') !== 'true').map((d) => graphs.get(argument(d, 'graph') ?? '') ?? '').filter(Boolean);
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeOwners = names(definition.directives as readonly ConstDirectiveNode[] | undefined, 'join__type');
    found.set(definition.name.value, typeOwners);
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const fieldOwners = names(field.directives, 'join__field');
      const declared = (field.directives ?? []).some((d) => d.name.value === 'join__field');
      found.set(`${definition.name.value}.${field.name.value}`, declared ? fieldOwners : typeOwners);
    }
  }
  return found;
}

/** `@obtsPublic` reasons by "Type.field". */
function publicReasons(supergraphSdl: string): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || !definition.name) continue;
    for (const field of definition.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const reason = fieldAccess(field.directives).publicReason;
      if (reason !== undefined) reasons.set(`${definition.name.value}.${field.name.value}`, reason);
    }
  }
  return reasons;
}

const cell = (text: string | undefined | null) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const anchor = (name: string) => name.toLowerCase();

function ownedBy(names: string[] | undefined): string {
  if (!names?.length) return '—';
  return names.map((name) => {
    const entry = SUBGRAPHS.find((candidate) => candidate.name === name);
    return entry ? `${entry.agency} (${entry.systems.join(', ')}; \`${name}\`)` : `\`${name}\``;
  }).join('; ');
}

function permissionText(key: string, index: ReturnType<typeof permissionIndex>, reasons: Map<string, string>): string {
  const reason = reasons.get(key);
  if (reason !== undefined) return `public: ${cell(reason)}`;
  const required = index.get(key);
  if (!required?.length) return 'as the field that leads here';
  if (required.includes(UNANNOTATED)) return 'none declared: denied to every role';
  return required.map((permission) => `\`${permission}\``).join(' + ');
}

/** The Markdown reference for a supergraph. */
export function schemaReference(supergraphSdl: string): string {
  const schema = buildSchema(apiSchemaSdl(supergraphSdl));
  const index = permissionIndex(supergraphSdl);
  const owner = owners(supergraphSdl);
  const reasons = publicReasons(supergraphSdl);
  const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__')).sort((a, b) => (a.name === 'Query' ? -1 : b.name === 'Query' ? 1 : a.name.localeCompare(b.name)));
  const kind = (type: GraphQLNamedType) => (isObjectType(type) ? 'object' : isEnumType(type) ? 'enum' : isInputObjectType(type) ? 'input' : isInterfaceType(type) ? 'interface' : isUnionType(type) ? 'union' : 'scalar');
  const out: string[] = [
    '# OBTS schema reference',
    '',
    'Generated by `npm run docs` from `schema/supergraph.graphql` (do not edit). Every type and field',
    'of the API, the agency and source systems that answer it, and the permission a role needs to',
    'see it (roles and what they grant: `gateway/auth/policy.ts`, README "Security"). A field whose',
    'permission reads "as the field that leads here" is reached only through a field that names one.',
    '',
    '## Permissions',
    '',
    '| permission | opens |',
    '|---|---|',
    ...Object.entries(PERMISSIONS).map(([name, text]) => `| \`${name}\` | ${cell(text)} |`),
    '',
    '## Types',
    '',
    types.map((type) => `[${type.name}](#${anchor(type.name)})`).join(' · '),
    '',
  ];
  for (const type of types) {
    out.push(`### ${type.name}`, '', `*${kind(type)}*${owner.get(type.name)?.length ? ` — from ${ownedBy(owner.get(type.name))}` : ''}`, '');
    if (type.description) out.push(cell(type.description), '');
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      out.push('| field | type | description | answered by | permission |', '|---|---|---|---|---|');
      for (const field of Object.values(type.getFields())) {
        const key = `${type.name}.${field.name}`;
        const args = 'args' in field && field.args.length ? `(${(field.args as Array<{ name: string; type: unknown }>).map((arg) => `${arg.name}: ${arg.type}`).join(', ')})` : '';
        out.push(`| \`${field.name}${cell(args)}\` | \`${String(field.type)}\` | ${cell(field.description)} | ${isInputObjectType(type) ? '—' : ownedBy(owner.get(key))} | ${isInputObjectType(type) ? '—' : permissionText(key, index, reasons)} |`);
      }
      out.push('');
    } else if (isEnumType(type)) {
      out.push('| value | meaning |', '|---|---|', ...type.getValues().map((value) => `| \`${value.name}\` | ${cell(value.description)} |`), '');
    } else if (isScalarType(type) || isUnionType(type)) {
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

const USAGE = `Usage: npm run docs

Writes docs/schema.md from schema/supergraph.graphql: every type and field with its
description, the agency and source systems that answer it, and the permission it needs.
Run it after \`npm run compose\`.

  --help   show this help (writes nothing)`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) console.log(USAGE);
  else if (argv.length) {
    console.error(`docs: unknown option "${argv[0]}"; expected --help`);
    process.exitCode = 2;
  } else {
    writeFileSync(DOCS_FILE, schemaReference(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8')));
    console.log(`wrote ${path.relative(ROOT, DOCS_FILE)}`);
  }
}
