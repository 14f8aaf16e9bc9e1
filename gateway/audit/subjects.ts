// Which offenders an answer discloses. An answer can show a person without their SID
// (`courtCase(…) { offender { name { last } } }`), so before planning the audit adds a
// hidden `sid` selection to every Offender in the query; when the answer is ready it
// collects those SIDs and removes them, so the client sees exactly what it asked for.
import { getNamedType, GraphQLError, isObjectType, Kind, TypeInfo, visit, visitWithTypeInfo, type ASTVisitor, type DocumentNode, type FieldNode, type GraphQLSchema, type ValidationContext } from 'graphql';

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

/**
 * The document with a hidden `_obtsAuditSid` in every selection set that shows a person:
 * `sid` on every Offender, and `offender { sid }` on every record that belongs to one
 * (a court case, warrant, order or incarceration looked up by its own number discloses
 * that person too, even when the query never selects the Offender).
 */
export function withOffenderSids(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const sid: FieldNode = { kind: Kind.FIELD, name: name('sid') };
  return visit(document, visitWithTypeInfo(typeInfo, {
    Field: {
      leave(node: FieldNode) {
        const type = getNamedType(typeInfo.getType());
        if (!node.selectionSet || !isObjectType(type)) return undefined;
        let hidden: FieldNode | undefined;
        if (type.name === 'Offender') {
          hidden = { ...sid, alias: name(AUDIT_SID_KEY) };
        } else if (getNamedType(type.getFields().offender?.type)?.name === 'Offender') {
          hidden = { kind: Kind.FIELD, alias: name(AUDIT_SID_KEY), name: name('offender'), selectionSet: { kind: Kind.SELECTION_SET, selections: [sid] } };
        }
        return hidden ? { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, hidden] } } : undefined;
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
    const hidden = record[AUDIT_SID_KEY] as string | { sid?: unknown } | null | undefined;
    if (typeof hidden === 'string') found.add(hidden);
    else if (hidden && typeof hidden.sid === 'string') found.add(hidden.sid);
    delete record[AUDIT_SID_KEY];
    Object.values(record).forEach(walk);
  };
  walk(data);
  return [...found];
}
