// Field permissions, enforced by the gateway before the query is planned (CJIS Security
// Policy AC-3 access enforcement, AC-6 least privilege). Fields that need a permission
// carry `@obtsPermission(requires: "…")` in their subgraph's SDL; composition carries the
// directive into the supergraph (@composeDirective), where this module reads it.
//
// How: once the operation is known (didResolveOperation), every field the user's roles do
// not open is cut from the document, so no subgraph is ever asked for it; the query-plan
// cache key is re-derived from the cut document, so a plan made for one user's permissions
// is never reused for another's. When the answer is ready, each cut field comes back as
// null with a FORBIDDEN error at its path; the rest of the answer stays. Subgraphs check
// the same directive again (subgraphs/shared/permissions.ts).
import { perDocument } from '../document-memo.ts';
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType, getOperationAST, isCompositeType, Kind, parse, print, TypeInfo, visit, visitWithTypeInfo,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLFormattedError,
  type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { Identity } from '../../subgraphs/shared/identity.ts';
import { fieldAccess, ROOT_TYPES, UNANNOTATED } from '../../subgraphs/shared/permissions.ts';
import { allows, PERMISSIONS } from './policy.ts';

/** "Type.field" → the permissions it requires (all of them). */
export type PermissionIndex = Map<string, string[]>;

/**
 * Reads every `@obtsPermission` in an SDL (the supergraph, or a subgraph's). A field of a
 * root type or an entity (a type with @key, or @join__type with a key in the supergraph)
 * that carries neither `@obtsPermission` nor `@obtsPublic` requires UNANNOTATED, which no
 * role grants: default deny, fail closed (composition refuses such a field before this).
 */
export function permissionIndex(sdl: string): PermissionIndex {
  const index: PermissionIndex = new Map();
  for (const definition of parse(sdl).definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || !definition.name) continue;
    const directives = 'directives' in definition ? definition.directives ?? [] : [];
    const entity = directives.some((d) => d.name.value === 'key' || (d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key')));
    const mustAnnotate = entity || ROOT_TYPES.has(definition.name.value);
    for (const field of definition.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const access = fieldAccess(field.directives);
      const requires = access.requires.length || access.publicReason !== undefined || !mustAnnotate || field.name.value.startsWith('_') ? access.requires : [UNANNOTATED];
      if (!requires.length) continue;
      const key = `${definition.name.value}.${field.name.value}`;
      index.set(key, [...(index.get(key) ?? []), ...requires]);
    }
  }
  return index;
}

/** A field cut from one operation: where it is in the answer, and what it needed. */
export interface Denial { path: string[]; field: string; requires: string[] }

/** Placeholder that keeps a selection set valid when every field in it was cut. */
const PLACEHOLDER = '__obtsDenied';

/** Cuts the fields `permissions` do not open; returns the new document and what was cut. */
export function cutDeniedFields(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, index: PermissionIndex, permissions: readonly string[]): { document: DocumentNode; denials: Denial[] } {
  const missing = (key: string) => (index.get(key) ?? []).filter((required) => !allows(permissions, required));
  const denials: Denial[] = [];
  const operation = getOperationAST(document, operationName);
  if (!operation) return { document, denials };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  // 1. Where in the answer each cut field would have been (fragments expanded).
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, prefix: string[]): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        const needed = missing(`${parent.name}.${field.name}`);
        if (needed.length) denials.push({ path: [...prefix, key], field: `${parent.name}.${field.name}`, requires: needed });
        else if (selection.selectionSet) {
          const type = getNamedType(field.type);
          if (isCompositeType(type)) walk(selection.selectionSet, type, [...prefix, key]);
        }
      } else {
        const definition = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        const condition = definition?.typeCondition ? schema.getType(definition.typeCondition.name.value) : parent;
        if (definition && condition && isCompositeType(condition)) walk(definition.selectionSet, condition, prefix);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, []);
  if (!denials.length) return { document, denials };

  // 2. The document without them (in the operation and in every fragment).
  const typeInfo = new TypeInfo(schema);
  const cut = visit(document, visitWithTypeInfo(typeInfo, {
    Field(node: FieldNode) {
      const parent = typeInfo.getParentType();
      return parent && missing(`${parent.name}.${node.name.value}`).length ? null : undefined;
    },
  }));
  const filled = visit(cut, {
    SelectionSet: {
      leave(node: SelectionSetNode) {
        if (node.selections.length) return undefined;
        return { ...node, selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: PLACEHOLDER }, name: { kind: Kind.NAME, value: '__typename' } }] };
      },
    },
  });
  return { document: filled, denials };
}

/** Puts each cut field back as null with a FORBIDDEN error at its path (list indices included). */
export function markDenied(data: Record<string, unknown> | null | undefined, denials: Denial[], identity: Identity): GraphQLFormattedError[] {
  const errors: GraphQLFormattedError[] = [];
  const place = (value: unknown, rest: string[], path: Array<string | number>, denial: Denial): void => {
    if (Array.isArray(value)) return value.forEach((item, index) => place(item, rest, [...path, index], denial));
    if (!value || typeof value !== 'object') return;
    const [key, ...deeper] = rest;
    if (deeper.length) return place((value as Record<string, unknown>)[key], deeper, [...path, key], denial);
    (value as Record<string, unknown>)[key] = null;
    errors.push({
      message: denial.requires.includes(UNANNOTATED)
        ? `Not permitted: ${denial.field} declares no permission, so it is denied to every role (default deny)`
        : `Not permitted: ${denial.field} needs permission ${denial.requires.map((p) => `"${p}" (${PERMISSIONS[p as keyof typeof PERMISSIONS] ?? 'unknown'})`).join(', ')}, which role ${identity.roles.join(', ')} does not grant`,
      path: [...path, key],
      extensions: { code: 'FORBIDDEN', requires: denial.requires },
    });
  };
  for (const denial of denials) place(data, denial.path, [], denial);
  stripPlaceholders(data);
  return errors;
}

function stripPlaceholders(value: unknown): void {
  if (Array.isArray(value)) value.forEach(stripPlaceholders);
  else if (value && typeof value === 'object') {
    delete (value as Record<string, unknown>)[PLACEHOLDER];
    Object.values(value).forEach(stripPlaceholders);
  }
}

/** The Apollo Server plugin; list it before the audit plugin so the audit sees the denials. */
export function fieldPermissionPlugin(index: PermissionIndex): ApolloServerPlugin<{ identity: Identity }> {
  return {
    async requestDidStart() {
      let denials: Denial[] = [];
      return {
        async didResolveOperation(requestContext) {
          if (!index.size) return;
          const { schema, document, request, contextValue } = requestContext;
          const permissions = contextValue.identity.permissions;
          // Once per document, operation and set of permissions (document-memo.ts).
          const result = perDocument(schema, document, `cut\u0000${request.operationName ?? ''}\u0000${[...permissions].sort().join(',')}`, () => {
            const cut = cutDeniedFields(schema, document, request.operationName, index, permissions);
            if (!cut.denials.length) return { ...cut, operation: undefined, queryHash: undefined };
            return { ...cut, operation: getOperationAST(cut.document, request.operationName), queryHash: createHash('sha256').update(print(cut.document)).digest('hex') };
          });
          if (!result.denials.length) return;
          denials = result.denials;
          // The gateway plans from requestContext.document and caches plans by queryHash.
          const mutable = requestContext as unknown as { document: DocumentNode; queryHash: string; operation: unknown };
          mutable.document = result.document;
          mutable.operation = result.operation;
          mutable.queryHash = result.queryHash!;
        },
        async willSendResponse({ response, contextValue }) {
          if (!denials.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = markDenied(result.data, denials, contextValue.identity);
          // No "errors" entry when there is none to tell (GraphQL: present only with some):
          // a denial under a parent that came back null has no path left to mark.
          if (errors.length) result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}
