// What the gateway tells a client when something fails. Errors written for the client
// (bad input, refused access, bad GraphQL) pass through with their code. Anything else is
// replaced: a failed or slow agency is named with its source systems (its fields are null,
// the rest of the answer stands); other failures say only "internal error". Stack traces,
// SQL, internal URLs and subgraph response bodies go to the log, never to the client.
import { Kind, parse, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { SUBGRAPHS } from '../schema/subgraphs.ts';
import { logger } from '../subgraphs/shared/log.ts';
import { gatewayLimitError } from './limits/own-errors.ts';
import { TOLD_AS_DIRECTIVE } from '../subgraphs/shared/permissions.ts';

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN', 'UNAUTHENTICATED',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_LIMIT_EXCEEDED',
  'USER_CONCURRENCY_LIMIT',
]);

/** Apollo Server `formatError` for the gateway. */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = isLimit(formatted) ? 'QUERY_LIMIT_EXCEEDED' : formatted.extensions?.code;
  const serviceName = formatted.extensions?.serviceName as string | undefined;
  const source = SUBGRAPHS.find((entry) => entry.name === serviceName);
  const base = { locations: formatted.locations, path: formatted.path };
  // The gateway's executor reports an operationName the document does not define as
  // INVALID_GRAPHQL; it is the client's mistake and says so plainly, so it keeps its message
  // (and a 400: unknownOperationStatus below).
  if (code === 'INVALID_GRAPHQL' && /^Unknown operation named "[^"]{1,100}"\.$/.test(formatted.message)) {
    return { ...base, message: `${formatted.message} Expected operationName to name an operation in the document, or no operationName.`, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } };
  }
  // The gateway's own budget or bulkhead, never blamed on the agency (gateway/limits/).
  const own = gatewayLimitError(formatted, source);
  if (own) return own;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    // A per-user limit says which one (reason user-cost: gateway/limits/user-cost.ts), as the door's 429 does.
    const reason = code === 'USER_CONCURRENCY_LIMIT' && typeof formatted.extensions?.reason === 'string' ? { reason: formatted.extensions.reason } : {};
    return { ...base, message: limitMessage(formatted.message), extensions: { code, ...reason, ...(source ? { source: source.name } : {}) } };
  }
  logger.error({ err: (error as { originalError?: unknown })?.originalError ?? error, message: formatted.message, serviceName, path: formatted.path }, 'request error');
  if (source) {
    return {
      ...base,
      message: `${source.agency} (${source.systems.join(', ')}) did not answer; its fields in this response are null`,
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', source: source.name, systems: source.systems },
    };
  }
  return { ...base, message: 'Internal server error; it has been logged', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

// Private: a query over a limit (gateway/limits/armor.ts marks those; graphql-js's token
// limit is a parse error naming the tokens).
function isLimit(formatted: GraphQLFormattedError): boolean {
  return formatted.extensions?.limitExceeded === true
    || (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.test(formatted.message));
}

// graphql-js 16 words it "more that N tokens"; accept the fixed wording too.
const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;

// Private: the limit message in the same words as the other limits.
function limitMessage(message: string): string {
  const tokens = TOKEN_LIMIT.exec(message);
  return tokens ? `Query refused: Token limit of ${tokens[1]} exceeded.` : message;
}

/** Answers an operationName the document does not define with 400, not 500. */
export const unknownOperationStatus: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }) {
        if (response.http && errors?.some((error) => /^Unknown operation named "/.test(error.message))) response.http.status = 400;
      },
    };
  },
};

/**
 * One agency that did not answer is one error, not one per fetch: a plan that calls the
 * same subgraph twice (e.g. DOC's custody after judicial, and its parole beside it) would
 * otherwise repeat the same message at the same path.
 *
 * And an error at a field that is not in the API, but that another subgraph reads through
 * @requires under a name of its own, is told where the supergraph says (`@obtsToldAs`, read
 * by `toldAsIndex`): judicial's `casesForTracking`, `warrantsForTracking` and
 * `protectiveOrdersForTracking` are told at `courtCases`, `warrants` and `protectiveOrders`,
 * so a role without PRAWN whose tracking status or timeline was worked out without warrants
 * gets `FORBIDDEN` at `offender.warrants`, a path it can see.
 */
export function collapseRepeatedErrors(toldAs: () => ReadonlyMap<string, string>): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const names = toldAs();
          const seen = new Set<string>();
          const errors = response.body.singleResult.errors.map((error) => toldAtApiField(error, names)).filter((error) => {
            const key = JSON.stringify([error.message, error.extensions?.code, error.extensions?.source, error.path]);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          response.body.singleResult.errors = errors;
        },
      };
    },
  };
}

/**
 * From a supergraph: each field marked `@obtsToldAs(field: "…")`, by name, and the field its
 * errors are told at. An error's path names a field, not its type, so one name must mean one
 * field: two types giving the same field name different targets are refused (the supergraph
 * is not served).
 */
export function toldAsIndex(supergraphSdl: string): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== TOLD_AS_DIRECTIVE) continue;
        const value = directive.arguments?.find((argument) => argument.name.value === 'field')?.value;
        const element = `${definition.name.value}.${field.name.value}`;
        if (value?.kind !== Kind.STRING || !/^[_A-Za-z]\w*$/.test(value.value)) throw new Error(`${element} has @${TOLD_AS_DIRECTIVE} without a valid field name; expected @${TOLD_AS_DIRECTIVE}(field: "<a field of ${definition.name.value}>")`);
        const earlier = index.get(field.name.value);
        if (earlier !== undefined && earlier !== value.value) throw new Error(`${element} is told as ${value.value} but another type's ${field.name.value} as ${earlier}; an error's path names the field, not its type, so one field name needs one target`);
        index.set(field.name.value, value.value);
      }
    }
  }
  return index;
}

function toldAtApiField<E extends { message: string; path?: ReadonlyArray<string | number> }>(error: E, toldAs: ReadonlyMap<string, string>): E {
  const last = error.path?.[error.path.length - 1];
  const field = typeof last === 'string' ? toldAs.get(last) : undefined;
  if (!field || !error.path) return error;
  return { ...error, path: [...error.path.slice(0, -1), field], message: error.message.replace(new RegExp(`\\.${last}\\b`), `.${field}`) };
}
