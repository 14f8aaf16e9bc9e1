// A client alias may not be the name of another field of the same type. The query planner
// joins selections by response key, and the fields an agency @requires (tracking's
// `custody`, `arrests`, …; the disclosure guard's `erasedDockets`) are selected under their
// own names: an alias that takes such a name shares a key with them in the plan.
// - `custody: parole { … }` beside `trackingStatus` handed tracking parole records as custody;
// - `erasedDockets: scarsMarksTattoos` beside a guarded field (`custody`) answered the
//   client, under its alias, with judicial's list of the person's erased dockets
//   (C.G.S. 54-142a), which no client may read.
// So such documents are refused before planning, naming the alias and what was expected.
// The names are every field of the type in the supergraph, `@inaccessible` ones included
// (those are the ones a client cannot otherwise know to avoid), and `__typename`.
import { GraphQLError, isAbstractType, Kind, parse, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';

/** Type name → the names of its fields in the supergraph (types, their extensions, interfaces). */
export function fieldNamesByType(supergraphSdl: string): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION
      && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    const set = names.get(definition.name.value) ?? new Set<string>();
    for (const field of definition.fields ?? []) set.add(field.name.value);
    names.set(definition.name.value, set);
  }
  return names;
}

/** The validation rule over the names of the supergraph being served (`names()` is read per document). */
export function noAliasOfAnotherField(names: () => Map<string, Set<string>>): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Field(node) {
      const alias = node.alias?.value;
      if (!alias || alias === node.name.value) return;
      const parent = context.getParentType();
      if (!parent) return; // an unknown field: graphql-js's own rules say so
      const types = isAbstractType(parent) ? [parent, ...context.getSchema().getPossibleTypes(parent)] : [parent];
      const taken = alias === '__typename' || types.some((type) => names().get(type.name)?.has(alias));
      if (taken) {
        context.reportError(new GraphQLError(
          `The alias "${alias}" on ${parent.name}.${node.name.value} is the name of another field of ${parent.name}; expected an alias that is not a field name of that type (e.g. "${node.name.value}2")`,
          { nodes: [node] },
        ));
      }
    },
  });
}
