// Training mode's docs pane says, for every field, which agency and source system it comes
// from and which permission it needs (the things a trainee must learn before certification).
// Rather than a second schema, the supergraph's own field descriptions are extended before
// the gateway loads it: the owning subgraph from @join__field / @join__type, the
// permission from @obtsPermission, and the system from the permission's prefix
// ("<source system>:<field class>", gateway/auth/policy.ts) or the subgraph's systems.
// Descriptions do not take part in query planning, so answers are unchanged.
import { Kind, parse, print, visit, type ConstDirectiveNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type StringValueNode } from 'graphql';
import { SUBGRAPHS } from '../../schema/subgraphs.ts';
import { PERMISSIONS } from '../auth/policy.ts';
import { PERMISSION_DIRECTIVE } from '../../subgraphs/shared/permissions.ts';

const argument = (directive: ConstDirectiveNode, name: string) => directive.arguments?.find((arg) => arg.name.value === name)?.value;
const enumArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = argument(directive, name);
  return value?.kind === Kind.ENUM ? value.value : undefined;
};

/** The supergraph SDL with provenance and permission appended to each field's description. */
export function describeProvenance(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  // join__Graph enum value (e.g. JUDICIAL) → subgraph name (judicial).
  const graphs = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = value.directives?.find((d) => d.name.value === 'join__graph');
      const given = name && argument(name, 'name');
      if (given?.kind === Kind.STRING) graphs.set(value.name.value, given.value);
    }
  }
  const describe = (type: ObjectTypeDefinitionNode, field: FieldDefinitionNode): string | undefined => {
    if (type.name.value.startsWith('join__') || type.name.value.startsWith('link__')) return undefined;
    const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
    const owners = joins.length
      ? joins.filter((d) => { const external = argument(d, 'external'); return !(external?.kind === Kind.BOOLEAN && external.value); }).map((d) => enumArgument(d, 'graph'))
      : (type.directives ?? []).filter((d) => d.name.value === 'join__type').map((d) => enumArgument(d, 'graph'));
    const names = [...new Set(owners.map((graph) => graph && graphs.get(graph)).filter((name): name is string => Boolean(name)))];
    const entries = names.map((name) => SUBGRAPHS.find((entry) => entry.name === name)).filter((entry) => entry !== undefined);
    const required = (field.directives ?? []).filter((d) => d.name.value === PERMISSION_DIRECTIVE)
      .map((d) => argument(d, 'requires')).filter((v): v is StringValueNode => v?.kind === Kind.STRING).map((v) => v.value);
    const systemOf = (permission: string) => permission.split(':')[0].toUpperCase().replace('PAROLE', 'Parole');
    const systems = required.length ? [...new Set(required.map(systemOf))] : [...new Set(entries.flatMap((entry) => entry.systems))];
    const source = entries.length > 1 && !joins.length
      ? `every subgraph that knows ${type.name.value} (${names.join(', ')})`
      : entries.map((entry) => `${entry.agency} (${entry.name} subgraph)`).join(' and ');
    const permission = required.length
      ? required.map((p) => `${p} — ${PERMISSIONS[p as keyof typeof PERMISSIONS] ?? 'not in the policy: granted to no role'}`).join('; ')
      : 'none of its own';
    if (entries.length > 1 && !joins.length) return `Source: ${source}, the key they share. Permission: ${permission}.`;
    return `Source: ${source || 'the gateway'}; system ${systems.join(', ') || 'n/a'}. Permission: ${permission}.`;
  };
  const decorated = visit(document, {
    ObjectTypeDefinition(type) {
      const fields = type.fields?.map((field) => {
        const note = describe(type, field);
        if (!note) return field;
        const text = field.description?.value ? `${field.description.value}\n\n${note}` : note;
        return { ...field, description: { kind: Kind.STRING, value: text, block: true } as StringValueNode };
      });
      return { ...type, fields };
    },
  });
  return print(decorated);
}
