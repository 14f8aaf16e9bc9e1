// Per-document memo for the gateway's own rewrites of an operation (the permission cut, the
// audit's hidden SIDs). Apollo Server's document store hands every request with the same
// query text the same parsed DocumentNode, so what depends only on the document, the
// schema and a small key (the operation name, the user's permissions) is computed once per
// document instead of once per request: a visit with type info, a print and a SHA-256 each.
// Entries live as long as the document does (WeakMap), at most LIMIT keys per document.
import type { DocumentNode, GraphQLSchema } from 'graphql';

const LIMIT = 64;
const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, unknown>>>();

/** `compute()` for (schema, document, key), remembered while the document is in use. */
export function perDocument<T>(schema: GraphQLSchema, document: DocumentNode, key: string, compute: () => T): T {
  let documents = memo.get(schema);
  if (!documents) memo.set(schema, (documents = new WeakMap()));
  let entries = documents.get(document);
  if (!entries) documents.set(document, (entries = new Map()));
  if (entries.has(key)) return entries.get(key) as T;
  const value = compute();
  if (entries.size >= LIMIT) entries.delete(entries.keys().next().value!);
  entries.set(key, value);
  return value;
}
