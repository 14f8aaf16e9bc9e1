// Which offenders an answer discloses. An answer can show a person without their SID
// (`courtCase(…) { offender { name { last } } }`), so before planning the audit adds a
// hidden `sid` selection to every Offender in the query; when the answer is ready it
// collects those SIDs and removes them, so the client sees exactly what it asked for
// (takeDisclosures in nonconviction.ts, one walk for both).
import { getNamedType, GraphQLError, GraphQLObjectType, isObjectType, Kind, TypeInfo, visit, visitWithTypeInfo, type ASTVisitor, type DocumentNode, type FieldNode, type GraphQLSchema, type SelectionNode, type ValidationContext } from 'graphql';

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
 * `sid` on every Offender, `offender { sid }` on every record that belongs to one (a court
 * case, warrant, order or incarceration looked up by its own number discloses that person
 * too, even when the query never selects the Offender), and `node { … }` on every edge of
 * every list (`searchOffenders { edges { cursor matchedName } }` tells who was found even
 * without a node: a cursor or a matched name stands for a person).
 */
export function withOffenderSids(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  // Schema coordinates of the fields being visited, outermost first (Offender.warrants, …).
  const coordinates: string[] = [];
  return visit(document, visitWithTypeInfo(typeInfo, {
    Field: {
      enter(node: FieldNode) {
        coordinates.push(`${typeInfo.getParentType()?.name ?? '?'}.${node.name.value}`);
      },
      leave(node: FieldNode) {
        const inOwnRecords = underOwnRecordsField(coordinates);
        coordinates.pop();
        const type = getNamedType(typeInfo.getType());
        if (!node.selectionSet || !isObjectType(type)) return undefined;
        const path = personPath(type, 2);
        if (!path || alreadyBrought(path, node.selectionSet.selections, inOwnRecords)) return undefined;
        const hidden: FieldNode = { ...path, alias: name(AUDIT_SID_KEY) };
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, hidden] } };
      },
    },
  }));
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/**
 * Fields of Offender whose records are that Offender's own: every court case, warrant,
 * protective order and incarceration they return has `offender` = the parent (the
 * security suite checks it for every listed field over the seeded population:
 * test/security-audit.test.ts). Under these the hidden `offender { sid }` per record is left
 * out; the Offender's own SID stands for it, and the nonconviction list ties each record to
 * it. A field not listed (a new one, or one whose records can be someone else's) keeps the
 * hidden selection on every record: leaving a field off this list is always safe.
 */
export const OWN_RECORD_FIELDS: ReadonlySet<string> = new Set(['Offender.courtCases', 'Offender.warrants', 'Offender.protectiveOrders', 'Offender.custody']);

// Private: whether the innermost field (last coordinate) is an own-records field of an
// Offender, or reached from one only through a connection's `edges` and `node`.
function underOwnRecordsField(coordinates: readonly string[]): boolean {
  for (let i = coordinates.length - 1; i >= 0; i -= 1) {
    const field = coordinates[i].slice(coordinates[i].lastIndexOf('.') + 1);
    if (field === 'edges' || field === 'node') continue;
    return OWN_RECORD_FIELDS.has(coordinates[i]);
  }
  return false;
}

// Private: whether the answer brings this person's SID without the hidden `path`, which
// would only make the agency resolve it twice:
// - an edge with a plain `node`: the node's own selection set carries the hidden SID from
//   this same rewrite. Only a plain field counts (no alias, no @include/@skip, which could
//   leave it out of the answer; not one inside a fragment);
// - a record under one of the Offender's own-records fields (OWN_RECORD_FIELDS): it is that
//   Offender's, whose hidden SID stands for it.
// An Offender always gets its hidden `sid`, even beside a plain one: the nonconviction list
// trusts only hidden keys (a client may alias any field as `sid`, nonconviction.ts).
function alreadyBrought(path: FieldNode, selections: readonly SelectionNode[], inOwnRecords: boolean): boolean {
  if (path.name.value === 'offender') return inOwnRecords;
  if (path.name.value !== 'node') return false;
  return selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === 'node'
    && (!selection.alias || selection.alias.value === 'node') && !selection.directives?.length && Boolean(selection.selectionSet));
}

// Private: the selection that reaches the SID from `type`: sid on an Offender, offender { sid }
// on what belongs to one, node { … } on an edge (at most `depth` steps).
function personPath(type: GraphQLObjectType, depth: number): FieldNode | null {
  if (type.name === 'Offender') return { kind: Kind.FIELD, name: name('sid') };
  if (depth === 0) return null;
  for (const via of ['offender', 'node']) {
    const target = getNamedType(type.getFields()[via]?.type);
    const inner = isObjectType(target) ? personPath(target, depth - 1) : null;
    if (inner) return { kind: Kind.FIELD, name: name(via), selectionSet: { kind: Kind.SELECTION_SET, selections: [inner] } };
  }
  return null;
}
