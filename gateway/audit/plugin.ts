// Audits every GraphQL operation (CJIS AU-2 auditable events, AU-3 content): who, from
// which agency, why, what (operation, document hash, variables), which agencies were asked,
// which offenders the answer disclosed, and how it ended. The record is committed in
// willSendResponse, which Apollo Server awaits before it writes the response: if the write
// fails, the answer is replaced by an error with no data (the data never leaves unaudited).
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { getOperationAST, print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { perDocument } from '../document-memo.ts';
import { logger } from '../../subgraphs/shared/log.ts';
import type { Identity } from '../../subgraphs/shared/identity.ts';
import type { AuditEntry, AuditOutcome } from './record.ts';
import type { AuditStore } from './store.ts';
import { withOffenderSids } from './subjects.ts';
import { boundedVariables } from './variables.ts';
import { takeDisclosures } from './nonconviction.ts';

/** The research and statistics purpose code (see subgraphs/shared/identity.ts). */
export const STATISTICAL_PURPOSE = 'R';

/** What the audit needs from the gateway context. */
export interface AuditedContext {
  requestId: string;
  /** The client's own x-request-id, kept beside the gateway's. */
  clientRequestId?: string | null;
  /** Tells the request's refusal net (refusal.ts) that this request has its record. */
  markAudited?: () => void;
  identity: Identity;
  subgraphsCalled: Set<string>;
  clientAddress: string | null;
  /** When the request arrived (epoch ms): no data it was given was read before then. */
  receivedAt?: number;
}

/** Error codes that mean "refused by policy or limits" rather than "failed". */
const REFUSAL_CODES = new Set(['FORBIDDEN', 'QUERY_LIMIT_EXCEEDED', 'UNAUTHENTICATED', 'USER_CONCURRENCY_LIMIT']);

export const AUDIT_FAILED_MESSAGE = 'The audit record of this request could not be written, so no data is returned (CJIS AU-5); try again, and tell the OBTS operators if it persists';

export function auditPlugin(store: AuditStore): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          // Runs after the field-permission cut (its plugin is listed first); see subjects.ts.
          // Once per document and operation (gateway/document-memo.ts).
          const { schema, document: given, request } = requestContext;
          const rewritten = perDocument(schema, given, `sids\u0000${request.operationName ?? ''}`, () => {
            const document = withOffenderSids(schema, given);
            return document === given ? null : { document, operation: getOperationAST(document, request.operationName), queryHash: sha256(print(document)) };
          });
          if (!rewritten) return;
          const mutable = requestContext as unknown as { document: DocumentNode; queryHash: string; operation: unknown };
          mutable.document = rewritten.document;
          mutable.operation = rewritten.operation;
          mutable.queryHash = rewritten.queryHash;
        },
        async willSendResponse(requestContext) {
          const { response, contextValue } = requestContext;
          if (response.body.kind !== 'single') return; // incremental delivery is not enabled
          const result = response.body.singleResult;
          // One walk beside the operation (the hidden SID selections included): who, and which nonconviction information.
          const { sids, nonconviction } = takeDisclosures({ operation: requestContext.operation, document: requestContext.document, variables: requestContext.request.variables }, result.data);
          contextValue.markAudited?.();
          try {
            await store.append({ ...operationEntry(requestContext, result.data, result.errors, sids), ...(nonconviction.length ? { nonconviction } : {}) });
          } catch (error) {
            logger.error({ err: error, requestId: contextValue.requestId, store: store.describe }, 'audit write failed; answer withheld');
            response.body = { kind: 'single', singleResult: { errors: [{ message: AUDIT_FAILED_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } }] } };
            response.http.status = 503;
          }
        },
      };
    },
  };
}

// Private: the record for one operation.
function operationEntry(requestContext: GraphQLRequestContext<AuditedContext>, data: Record<string, unknown> | null | undefined, errors: readonly GraphQLFormattedError[] | undefined, sids: string[]): AuditEntry {
  const { contextValue: context, request } = requestContext;
  // A persisted query sent by its hash alone has no request.query: Apollo's `source` is the
  // document it found for the hash, recorded in full beside its hash.
  const sent = request.query ?? null;
  const document = sent ?? requestContext.source ?? null;
  return {
    // A research and statistics run (purpose R) is one aggregate record of the population
    // walked, kept out of each person's who-viewed (read.ts lists "operation" records).
    event: context.identity.purpose === STATISTICAL_PURPOSE ? 'statistical' : 'operation',
    time: new Date().toISOString(),
    // Erasure notices count a view by when it began (notifications/index.ts): a request that
    // arrived after the court erased was given nothing of the erased record.
    ...(context.receivedAt !== undefined ? { receivedAt: new Date(context.receivedAt).toISOString() } : {}),
    requestId: context.requestId,
    clientRequestId: context.clientRequestId ?? null,
    user: context.identity.userId,
    ori: context.identity.ori,
    roles: context.identity.roles,
    purpose: context.identity.purpose,
    // After a validation failure Apollo has not named the operation yet; the document can.
    operationName: requestContext.operationName ?? request.operationName ?? (requestContext.document ? getOperationAST(requestContext.document)?.name?.value : undefined) ?? null,
    documentHash: document === null ? null : sha256(document),
    ...(sent === null && document !== null ? { persistedDocument: document.slice(0, 20_000) } : {}),
    ...boundedVariables(request.variables),
    subgraphs: [...context.subgraphsCalled].sort(),
    sids,
    outcome: outcomeOf(data, errors),
    reason: errors?.length ? [...new Set(errors.map((error) => String(error.extensions?.code ?? 'ERROR')))].join(',') : null,
    clientAddress: context.clientAddress,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** ok, partial, refused or error, from what the answer holds. */
export function outcomeOf(data: Record<string, unknown> | null | undefined, errors: readonly GraphQLFormattedError[] | undefined): AuditOutcome {
  if (!errors?.length) return 'ok';
  const hasData = Boolean(data && Object.values(data).some((value) => value !== null));
  if (hasData) return 'partial';
  return errors.every((error) => REFUSAL_CODES.has(String(error.extensions?.code))) ? 'refused' : 'error';
}
