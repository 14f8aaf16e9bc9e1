// Composes the subgraphs' SDL into schema/supergraph.graphql with @apollo/composition, after
// OBTS's own checks (default deny: schema/annotations.ts), and writes the deployment files
// generated from the registry (deploy/generate.ts). The gateway serves the committed
// supergraph (a static supergraph).
//
//   npm run compose              write schema/supergraph.graphql, docker-compose.yml, deploy/*-init.sql
//   npm run compose -- --check   fail when a committed file is stale (writes nothing)
//   npm run compose -- --help    this help (writes nothing)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GraphQLError, parse, Source, type DocumentNode } from 'graphql';
import { composeServices } from '@apollo/composition';
import { ROOT, SUBGRAPHS } from './subgraphs.ts';
import { annotationIssues, entityTypes } from './annotations.ts';
import { compositionIssues, formatIssue, type Issue, type SdlFacts } from './diagnostics.ts';
import { PERMISSIONS } from '../gateway/auth/policy.ts';
import { ROOT_TYPES } from '../subgraphs/shared/permissions.ts';
import { deploymentFiles } from '../deploy/generate.ts';

export const SUPERGRAPH_FILE = path.join(ROOT, 'schema/supergraph.graphql');

/** One subgraph's SDL as composition sees it. */
export interface SubgraphSource { name: string; file: string; sdl: string }

export interface Composition {
  /** The supergraph, when there are no errors. */
  supergraphSdl?: string;
  errors: Issue[];
  hints: Issue[];
}

/** The registry's subgraphs, their SDL read from disk. */
export function registrySources(): SubgraphSource[] {
  return SUBGRAPHS.map((entry) => ({ name: entry.name, file: entry.sdl, sdl: readFileSync(path.join(ROOT, entry.sdl), 'utf8') }));
}

/** Composes `sources` and runs OBTS's checks; never throws for a problem in the SDL. */
export function compose(sources: SubgraphSource[], knownPermissions: ReadonlySet<string> = new Set(Object.keys(PERMISSIONS))): Composition {
  const errors: Issue[] = [];
  const parsed: Array<SubgraphSource & { document: DocumentNode }> = [];
  for (const source of sources) {
    try {
      parsed.push({ ...source, document: parse(new Source(source.sdl, source.file)) });
    } catch (error) {
      const location = error instanceof GraphQLError ? error.locations?.[0] : undefined;
      errors.push({ code: 'INVALID_GRAPHQL', subgraph: source.name, file: source.file, line: location?.line, column: location?.column, message: error instanceof GraphQLError ? error.message : String(error), hint: 'the SDL is not valid GraphQL at this place; check the spelling, braces and quotes' });
    }
  }
  if (errors.length) return { errors, hints: [] };
  const facts: SdlFacts = {
    entities: new Map(parsed.map((source) => [source.name, entityTypes(source.document)])),
    subgraphOfFile: new Map(parsed.map((source) => [source.file, source.name])),
  };
  for (const source of parsed) errors.push(...annotationIssues(source, knownPermissions));
  // The URL is a placeholder: the gateway takes each subgraph's URL from its settings.
  const result = composeServices(parsed.map((source) => ({ name: source.name, url: `http://${source.name}.invalid/graphql`, typeDefs: source.document })));
  if (result.errors) errors.push(...compositionIssues(result.errors, facts));
  const hints: Issue[] = [];
  for (const hint of result.hints ?? []) {
    const issue = describeHint(hint, facts);
    if (issue.code === 'OBTS_INCONSISTENT_DESCRIPTION') errors.push(issue);
    else hints.push(issue);
  }
  return errors.length ? { errors, hints } : { supergraphSdl: result.supergraphSdl, errors, hints };
}

interface Hint { definition: { code: string }; message: string; nodes?: readonly any[] }

/**
 * A composition hint as an issue. A shared entity or root type (or one of its fields) whose
 * description differs between subgraphs is an error: the supergraph would show one agency's
 * text ("DOC adds …") as the description of everyone's type, misleading analysts.
 */
function describeHint(hint: Hint, facts: SdlFacts): Issue {
  const element = /Element "([^"]+)"/.exec(hint.message)?.[1];
  const type = element?.split('.')[0];
  const node = hint.nodes?.find((candidate) => candidate?.loc);
  const chosen = /will use description \(from subgraphs? ([^)]*)\)/.exec(hint.message)?.[1] ?? '';
  const shared = type && (ROOT_TYPES.has(type) || [...facts.entities.values()].some((types) => types.has(type)));
  if (hint.definition.code === 'INCONSISTENT_DESCRIPTION' && shared && !element!.includes('.', element!.indexOf('.') + 1)) {
    const odd = hint.nodes?.find((candidate) => candidate?.loc && !chosen.includes(`"${candidate.subgraph}"`)) ?? node;
    return {
      code: 'OBTS_INCONSISTENT_DESCRIPTION', subgraph: odd?.subgraph, file: odd?.loc?.source.name, line: odd?.loc?.startToken.line, column: odd?.loc?.startToken.column, element,
      message: `${element} is shared by several subgraphs but its description differs between them; the supergraph would show one subgraph's text for all (${chosen || 'one of them'})`,
      hint: `give ${element} the same description in every subgraph (copy it from ${[...facts.subgraphOfFile].find(([, name]) => chosen.includes(`"${name}"`))?.[0] ?? 'another subgraph'}); put what only your agency adds in the descriptions of your own fields`,
    };
  }
  const firstLine = hint.message.split('\n')[0].replace(/\s*:$/, '').replace('. The supergraph will use description', '; the supergraph uses the description');
  return { code: hint.definition.code, subgraph: node?.subgraph, file: node?.loc?.source.name, line: node?.loc?.startToken.line, column: node?.loc?.startToken.column, element, message: firstLine };
}

/** The supergraph SDL composed from the SDL files now on disk; throws one readable message listing every error. */
export function composeSupergraph(sources: SubgraphSource[] = registrySources()): string {
  const result = compose(sources);
  if (!result.supergraphSdl) throw new Error(`composition failed:\n${result.errors.map((issue) => formatIssue(issue)).join('\n')}`);
  return result.supergraphSdl;
}

/** Every file `npm run compose` writes: path relative to the root → content. */
export function generatedFiles(supergraphSdl: string): Record<string, string> {
  return { 'schema/supergraph.graphql': supergraphSdl, ...deploymentFiles() };
}

const USAGE = `Usage: npm run compose [-- --check]

Composes subgraphs/*/schema.graphql (the subgraphs listed in schema/subgraphs.ts) into
schema/supergraph.graphql, after checking that every field of Query and of every entity
names a permission (@obtsPermission) or is public on purpose (@obtsPublic), and writes
docker-compose.yml and deploy/*-init.sql from the registry.

Options:
  --check   write nothing; fail when a committed file differs from what would be written
  --help    show this help (writes nothing)

Example: npm run compose && git add schema/supergraph.graphql docker-compose.yml deploy/`;

export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.find((arg) => arg !== '--check');
  if (unknown) {
    console.error(`compose: unknown option "${unknown}"; expected --check or --help`);
    return 2;
  }
  const result = compose(registrySources());
  for (const hint of result.hints) console.error(formatIssue(hint, 'hint').split('\n').map((line) => line.trim()).join(': '));
  if (!result.supergraphSdl) {
    for (const issue of result.errors) console.error(formatIssue(issue));
    console.error(`composition failed: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; nothing written`);
    return 1;
  }
  const files = generatedFiles(result.supergraphSdl);
  if (argv.includes('--check')) {
    const stale = Object.entries(files).filter(([file, text]) => readOr(file) !== text).map(([file]) => file);
    if (stale.length) {
      console.error(`stale: ${stale.join(', ')}: run \`npm run compose\` and commit them`);
      return 1;
    }
    console.log(`up to date: ${Object.keys(files).join(', ')}`);
    return 0;
  }
  for (const [file, text] of Object.entries(files)) if (readOr(file) !== text) writeFileSync(path.join(ROOT, file), text);
  console.log(`wrote ${Object.keys(files).join(', ')}${result.hints.length ? ` (${result.hints.length} hints above)` : ''}`);
  return 0;
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(path.join(ROOT, file), 'utf8');
  } catch {
    return undefined;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
