// Absent is not a value. Routers differ in how they hand over the `@requires` fields:
// Apollo's sends every selected field (null included); others drop the fields whose value
// is null (Hive Gateway's Rust planner does), and a rule that reads a missing release date
// as "not null" would call a held inmate released. So before any rule runs, each
// representation is completed against the `@requires` selection and the types this SDL
// declares for the agencies' fields:
// - an absent field the SDL allows to be null is read as null, which the agencies use
//   for "none known" (no release date recorded, no disposition posted) — never as a value;
// - an absent field the SDL says is never null means the record did not arrive whole, so
//   nothing of that agency's field is used: it becomes null and readFacts lists its systems
//   among `unavailableSources`, the status says what it could not confirm.
import { Kind, parse, type DocumentNode, type FieldDefinitionNode, type SelectionSetNode, type TypeNode } from 'graphql';
import type { OffenderRepresentation } from './facts.ts';

type Fields = Map<string, FieldDefinitionNode>;

/** Completes representations of `Offender` against the first `@requires` selection of `sdl`. */
export function representationCompleter(sdl: DocumentNode): (rep: OffenderRepresentation) => OffenderRepresentation {
  const types = new Map<string, Fields>();
  for (const definition of sdl.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const fields = types.get(definition.name.value) ?? new Map();
      for (const field of definition.fields ?? []) fields.set(field.name.value, field);
      types.set(definition.name.value, fields);
    }
  }
  const offender = types.get('Offender');
  const requires = [...(offender?.values() ?? [])].flatMap((field) => field.directives ?? []).find((d) => d.name.value === 'requires');
  const argument = requires?.arguments?.find((a) => a.name.value === 'fields')?.value;
  if (!offender || !argument || argument.kind !== Kind.STRING) throw new Error('tracking SDL: Offender has no @requires(fields: "…") to complete representations against');
  const selection = (parse(`{ ${argument.value} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;

  return (rep) => {
    const completed: Record<string, unknown> = { ...rep };
    for (const node of selection.selections) {
      if (node.kind !== Kind.FIELD) continue;
      const field = offender.get(node.name.value);
      if (!field) continue;
      const value = complete(rep[node.name.value as keyof OffenderRepresentation], field.type, node.selectionSet, types);
      // A top-level field with a non-null part missing is dropped whole (its agency is then unavailable).
      completed[node.name.value] = value === MISSING ? null : value;
    }
    return completed as unknown as OffenderRepresentation;
  };
}

const MISSING = Symbol('a never-null field is absent');

// Private: `value` of GraphQL type `type`, with absent nullable fields as null; MISSING
// when a never-null part is absent.
function complete(value: unknown, type: TypeNode, selectionSet: SelectionSetNode | undefined, types: Map<string, Fields>): unknown {
  if (value === undefined || value === null) return type.kind === Kind.NON_NULL_TYPE ? MISSING : null;
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (inner.kind === Kind.LIST_TYPE) {
    if (!Array.isArray(value)) return MISSING;
    // The list as it came unless an item had to change (no copy per object of a whole page).
    let items: unknown[] | null = null;
    for (let index = 0; index < value.length; index += 1) {
      const item = complete(value[index], inner.type, selectionSet, types);
      if (item === MISSING) return MISSING;
      if (item !== value[index]) (items ??= value.slice())[index] = item;
    }
    return items ?? value;
  }
  if (!selectionSet || typeof value !== 'object') return value;
  const fields = types.get(inner.name.value);
  if (!fields) return value;
  const given = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null; // copied only when a field is filled in
  for (const node of selectionSet.selections) {
    if (node.kind !== Kind.FIELD) continue;
    const field = fields.get(node.name.value);
    if (!field) continue;
    const part = complete(given[node.name.value], field.type, node.selectionSet, types);
    if (part === MISSING) return MISSING;
    if (part !== given[node.name.value]) (out ??= { ...given })[node.name.value] = part;
  }
  return out ?? given;
}
