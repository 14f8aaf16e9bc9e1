// Lessons: training/lessons/*.graphql, one operation each, opened as GraphiQL tabs in
// training mode. A trainer adds a lesson by adding a file; no code changes. Each file
// starts with a comment block of `key: value` lines:
//   # title: Offender profile
//   # role: law-enforcement            (the role the lesson is meant for)
//   # description: One offender across the three agencies.
//   #   (indented comment lines continue the value above)
//   # variables: { "sid": "000100007" }
// then the operation. At start-up every file is parsed and validated against the schema
// the gateway serves, and its variables against the operation's variable definitions; a
// file that fails is reported with its file and line and left out, the others still load.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { ROOT } from '../schema/subgraphs.ts';
import { isRole } from '../gateway/auth/policy.ts';

export const LESSONS_DIR = path.join(ROOT, 'training', 'lessons');

export interface Lesson {
  /** File name under the lessons folder (order: file names sort the tabs). */
  file: string;
  title: string;
  description: string;
  role: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface LoadedLessons {
  lessons: Lesson[];
  /** One line per rejected file: `file:line: what is wrong; what was expected`. */
  problems: string[];
}

const KNOWN_KEYS = new Set(['title', 'description', 'role', 'variables']);

/** The schema clients see (the supergraph's API schema), to validate lessons against. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Loads and checks every lesson file; never throws for a bad file. */
export function loadLessons(supergraphSdl: string, folder = LESSONS_DIR): LoadedLessons {
  const schema = apiSchema(supergraphSdl);
  const lessons: Lesson[] = [];
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(folder).filter((name) => name.endsWith('.graphql')).sort();
  } catch {
    return { lessons, problems: [`${folder}: the lessons folder cannot be read`] };
  }
  for (const file of files) {
    const shown = path.relative(ROOT, path.join(folder, file));
    const result = readLesson(shown, readFileSync(path.join(folder, file), 'utf8'), schema);
    if ('problem' in result) problems.push(result.problem);
    else lessons.push({ ...result, file });
  }
  return { lessons, problems };
}

/** One lesson from its text, or the first problem with it (`file:line: …`). */
export function readLesson(file: string, text: string, schema: GraphQLSchema): Omit<Lesson, 'file'> | { problem: string } {
  const lines = text.split(/\r?\n/);
  const header: Record<string, { value: string; line: number }> = {};
  let last: string | undefined;
  for (let index = 0; index < lines.length && lines[index].startsWith('#'); index += 1) {
    const line = lines[index].replace(/^#\s?/, '');
    const field = /^([a-z]+):\s*(.*)$/.exec(line);
    if (field && KNOWN_KEYS.has(field[1])) {
      last = field[1];
      header[last] = { value: field[2].trim(), line: index + 1 };
    } else if (last && /^\s+\S/.test(line)) header[last].value += ` ${line.trim()}`;
    else if (line.trim()) last = undefined; // a plain comment line: part of the operation's text
  }
  const at = (line: number, message: string) => ({ problem: `${file}:${line}: ${message}` });
  for (const key of ['title', 'description', 'role']) {
    if (!header[key]?.value) return at(1, `no "# ${key}: …" line in the leading comment block; expected title, description and role (and variables when the operation has any)`);
  }
  if (!isRole(header.role.value)) return at(header.role.line, `role "${header.role.value}" is not an OBTS role; expected one of the roles in gateway/auth/policy.ts, e.g. law-enforcement`);
  let variables: Record<string, unknown> = {};
  if (header.variables?.value) {
    try {
      variables = JSON.parse(header.variables.value);
    } catch (error) {
      return at(header.variables.line, `variables are not JSON (${(error as Error).message}); expected e.g. { "sid": "000100007" }`);
    }
    if (!variables || typeof variables !== 'object' || Array.isArray(variables)) return at(header.variables.line, 'variables must be a JSON object, e.g. { "sid": "000100007" }');
  }
  let document;
  try {
    document = parse(text);
  } catch (error) {
    const located = error as GraphQLError;
    return at(located.locations?.[0]?.line ?? 1, `does not parse: ${located.message}`);
  }
  const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
  if (operations.length !== 1) return at(1, `holds ${operations.length} operations; expected exactly one per lesson file`);
  const errors = validate(schema, document);
  if (errors.length) return at(errors[0].locations?.[0]?.line ?? 1, `does not validate against the schema: ${errors[0].message}`);
  const operation = getOperationAST(document)!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors?.length) return at(header.variables?.line ?? operation.loc?.startToken.line ?? 1, `variables do not fit the operation: ${coerced.errors[0].message}`);
  return { title: header.title.value, description: header.description.value, role: header.role.value, query: text, variables };
}
