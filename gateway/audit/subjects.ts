// Which offenders an answer discloses. An answer can show a person without their SID
// (`courtCase(…) { offender { name { last } } }`), so before planning the audit adds a
// hidden `sid` selection to every Offender in the query; when the answer is ready it
// collects those SIDs and removes them, so the client sees exactly what it asked for.
import { getNamedType, GraphQLError, Kind, TypeInfo, visit, visitWithTypeInfo, type ASTVisitor, type DocumentNode, type FieldNode, type GraphQLSchema, type ValidationContext } from 'graphql';

/** The response key of the hidden selection; clients may not use it (reservedAuditKeys). */
export const AUDIT_SID_KEY = '_obtsAuditSid';

/**
 * Validation rule: a client alias (or field) named like the hidden selection would replace
 * it and make the audit record another value as the SID (CJIS AU-9: audit information is
 * protected from modification). Such documents are refused before anything runs.
 */
export function reservedAuditKeys(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const key = node.alias?.value ?? node.name.value;
      if (key.startsWith('_obts')) {
        context.reportError(new GraphQLError(`"${key}" is reserved for the audit; expected an alias that does not start with _obts`, { nodes: [node] }));
      }
    },
  };
}

/** The document with `_obtsAuditSid: sid` in every selection set of type Offender. */
export function withOffenderSids(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(document, visitWithTypeInfo(typeInfo, {
    Field: {
      leave(node: FieldNode) {
        if (!node.selectionSet || getNamedType(typeInfo.getType())?.name !== 'Offender') return undefined;
        const hidden: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: AUDIT_SID_KEY }, name: { kind: Kind.NAME, value: 'sid' } };
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, hidden] } };
      },
    },
  }));
}

/** Collects the hidden SIDs from the answer and removes them. */
export function takeOffenderSids(data: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record[AUDIT_SID_KEY] === 'string') found.add(record[AUDIT_SID_KEY] as string);
    delete record[AUDIT_SID_KEY];
    Object.values(record).forEach(walk);
  };
  walk(data);
  return [...found];
}
