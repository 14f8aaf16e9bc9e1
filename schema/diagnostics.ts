// What `npm run compose` tells an agency developer: each problem once, with its code, the
// subgraph, the SDL file and line, the type and field, and what to do about it in plain
// words. Composition's own errors (@apollo/composition) and OBTS's checks
// (schema/annotations.ts) come out in the same shape; no stack trace.
import type { GraphQLError } from 'graphql';

export interface Issue {
  /** Composition's error code (e.g. INVALID_FIELD_SHARING) or an OBTS_* code of our own checks. */
  code: string;
  subgraph?: string;
  /** SDL file relative to the project root, with the line and column where the problem is. */
  file?: string;
  line?: number;
  column?: number;
  /** `Type` or `Type.field`. */
  element?: string;
  message: string;
  /** What to do, in plain words. */
  hint?: string;
}

/** What the SDL files say, for hints that need to know where a type is an entity. */
export interface SdlFacts {
  /** Subgraph name → the entity types it declares with @key. */
  entities: Map<string, Set<string>>;
  /** SDL file → subgraph name. */
  subgraphOfFile: Map<string, string>;
}

/** Plain-words advice for composition error codes an agency developer is likely to meet. */
const ADVICE: Record<string, string> = {
  FIELD_TYPE_MISMATCH: 'a field two subgraphs both define must have the same type in both; use the type the owning subgraph declares',
  INVALID_FIELD_SHARING: 'only one subgraph may resolve a field unless every subgraph marks it @shareable; if you meant to add fields to an entity, declare it with the same @key as the others (e.g. type Offender @key(fields: "sid"))',
  EXTERNAL_MISSING_ON_BASE: 'a field marked @external must be defined (without @external) by the subgraph that owns it',
  KEY_FIELDS_SELECT_INVALID_TYPE: '@key may select only fields of object, scalar or enum type',
  KEY_INVALID_FIELDS: 'the fields named in @key(fields: "…") must exist on the type',
  REQUIRES_INVALID_FIELDS: 'the fields named in @requires(fields: "…") must exist and be marked @external here',
  SATISFIABILITY_ERROR: 'the gateway cannot reach this field from the root query: give the type a @key the owning subgraph can resolve, or add a root field',
  TYPE_KIND_MISMATCH: 'a type two subgraphs both define must be of the same kind (object, interface, enum…) in both',
  INVALID_GRAPHQL: 'the SDL is not valid GraphQL at this place; check the spelling, braces and quotes',
  INVALID_LINK_IDENTIFIER: 'check the @link(url: …) at the top of the SDL: copy it from another subgraph',
  DIRECTIVE_DEFINITION_INVALID: 'the directive is defined differently here than federation expects; copy its definition from another subgraph',
  EXTENSION_WITH_NO_BASE: 'an `extend type` needs the type defined somewhere: write `type X @key(...)` instead',
  ENUM_VALUE_MISMATCH: 'an enum used as both input and output must have the same values in every subgraph that defines it',
  EMPTY_MERGED_ENUM_TYPE: 'the enum has no value common to every subgraph that uses it as input',
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: 'a required argument must be declared in every subgraph that defines the field',
};

/** `"Offender.pardons"` or `"Offender"` from composition's message (the first quoted element). */
function elementOf(message: string): string | undefined {
  return /"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)(?:\([^"]*\))?"/.exec(message)?.[1];
}

/** Turns composition errors into issues: located in the first subgraph file their nodes point at; duplicates dropped. */
export function compositionIssues(errors: readonly GraphQLError[], facts: SdlFacts): Issue[] {
  const issues: Issue[] = [];
  for (const error of errors) {
    const code = String(error.extensions?.code ?? 'COMPOSITION_ERROR');
    const element = elementOf(error.message);
    const nodes = (error.nodes ?? []).filter((node) => node.loc);
    const places = nodes.length ? nodes : [undefined];
    for (const node of places.slice(0, 1)) {
      const file = node?.loc?.source.name;
      const subgraph = (node as { subgraph?: string } | undefined)?.subgraph ?? (file ? facts.subgraphOfFile.get(file) : undefined) ?? /subgraph "([^"]+)"/.exec(error.message)?.[1];
      issues.push({ code, subgraph, file, line: node?.loc?.startToken.line, column: node?.loc?.startToken.column, element, message: error.message, hint: hintFor(code, element, error.message, facts) });
    }
  }
  return unique(issues);
}

function hintFor(code: string, element: string | undefined, message: string, facts: SdlFacts): string | undefined {
  const type = element?.split('.')[0];
  if (code === 'INVALID_FIELD_SHARING' && type) {
    // The usual cause for an agency developer: extending Offender (or another entity) without @key.
    const keyed = [...facts.entities].filter(([, types]) => types.has(type)).map(([name]) => name);
    const named = [...message.matchAll(/subgraphs? "([^"]+)"(?: and "([^"]+)")?/g)].flatMap((m) => [m[1], m[2]]).filter(Boolean);
    const missing = named.filter((name) => !facts.entities.get(name)?.has(type));
    if (keyed.length && missing.length) return `type ${type} has no @key in subgraph ${[...new Set(missing)].join(', ')}; it is an entity elsewhere (${keyed.join(', ')}): declare it with the same @key, e.g. type ${type} @key(fields: "${type === 'Offender' ? 'sid' : '…'}")`;
  }
  return ADVICE[code];
}

function unique(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code} ${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One issue as the developer reads it: `error CODE at file:line:col (subgraph x) Type.field` + message + hint. */
export function formatIssue(issue: Issue, kind: 'error' | 'hint' = 'error'): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ''}` : 'composition';
  const head = [`${kind} ${issue.code}`, `at ${where}`, issue.subgraph ? `(subgraph ${issue.subgraph})` : '', issue.element ?? ''].filter(Boolean).join(' ');
  const body = issue.message.split('\n').map((line) => `  ${line}`).join('\n');
  return `${head}\n${body}${issue.hint ? `\n  hint: ${issue.hint}` : ''}`;
}
