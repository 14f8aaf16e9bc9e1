// Default deny, checked at composition (CJIS AC-3, AC-6): every field of a root type and
// of every entity (a type with @key) in every subgraph either names the permission it
// needs with @obtsPermission(requires: "…") — a permission gateway/auth/policy.ts knows —
// or is open on purpose with @obtsPublic(reason: "…"). `npm run compose` fails on any
// other field, naming the file, line, type and field. Fields a subgraph marks @external
// belong to the subgraph that owns them and are checked there. Nested value types (a
// warrant's status) are reached only through an annotated field and inherit its rule.
import { Kind, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';
import { ERRORS_LINK, fieldAccess, PERMISSION_DIRECTIVE, PERMISSION_LINK, PUBLIC_DIRECTIVE, ROOT_TYPES, TOLD_AS_DIRECTIVE } from '../subgraphs/shared/permissions.ts';
import type { Issue } from './diagnostics.ts';

export interface ParsedSdl { name: string; file: string; document: DocumentNode }

const has = (directives: readonly ConstDirectiveNode[] | undefined, name: string) => Boolean(directives?.some((d) => d.name.value === name));

/** Types a subgraph declares as entities (with @key). */
export function entityTypes(document: DocumentNode): Set<string> {
  const types = new Set<string>();
  for (const definition of document.definitions) {
    if ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && has(definition.directives, 'key')) types.add(definition.name.value);
  }
  return types;
}

/** The issues of one subgraph's SDL: unannotated fields, unknown permissions, directives not composed. */
export function annotationIssues(sdl: ParsedSdl, knownPermissions: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const entities = entityTypes(sdl.document);
  const at = (node: FieldDefinitionNode | ConstDirectiveNode) => ({ subgraph: sdl.name, file: sdl.file, line: node.loc?.startToken.line, column: node.loc?.startToken.column });
  const used = new Set<string>();
  for (const definition of sdl.document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = definition.name.value;
    const checked = ROOT_TYPES.has(type) || entities.has(type);
    for (const field of definition.fields ?? []) {
      const element = `${type}.${field.name.value}`;
      const access = fieldAccess(field.directives);
      if (access.requires.length) used.add(PERMISSION_DIRECTIVE);
      if (access.publicReason !== undefined) used.add(PUBLIC_DIRECTIVE);
      for (const permission of access.requires) {
        if (knownPermissions.has(permission)) continue;
        const directive = field.directives!.find((d) => d.name.value === PERMISSION_DIRECTIVE)!;
        issues.push({ ...at(directive), code: 'OBTS_UNKNOWN_PERMISSION', element, message: `${element} requires permission "${permission}", which gateway/auth/policy.ts does not define`, hint: `use one of the permissions in PERMISSIONS (${[...knownPermissions].filter((p) => p.split(':')[0] === permission.split(':')[0]).join(', ') || [...knownPermissions].slice(0, 6).join(', ') + ', …'}), or add "${permission}" there (new-subgraph does this for its own)` });
      }
      if (access.publicReason !== undefined && !access.publicReason.trim()) {
        issues.push({ ...at(field), code: 'OBTS_PUBLIC_WITHOUT_REASON', element, message: `${element} is marked @obtsPublic with an empty reason`, hint: 'say why the field may be shown to every role, e.g. @obtsPublic(reason: "paging information only")' });
      }
      if (access.publicReason !== undefined && access.requires.length) {
        issues.push({ ...at(field), code: 'OBTS_PUBLIC_AND_PERMISSION', element, message: `${element} is both @obtsPublic and @obtsPermission`, hint: 'keep one: a field is either open to every role or needs a permission' });
      }
      const toldAs = field.directives?.find((d) => d.name.value === TOLD_AS_DIRECTIVE);
      if (toldAs) {
        used.add(TOLD_AS_DIRECTIVE);
        const target = toldAs.arguments?.find((a) => a.name.value === 'field')?.value;
        const named = target?.kind === Kind.STRING ? definition.fields?.find((f) => f.name.value === target.value) : undefined;
        if (!has(field.directives, 'inaccessible')) {
          issues.push({ ...at(toldAs), code: 'OBTS_TOLD_AS_IN_API', element, message: `${element} has @${TOLD_AS_DIRECTIVE} but is in the API; its errors would be moved away from a field the client asked for`, hint: `use @${TOLD_AS_DIRECTIVE} only on an @inaccessible field that another subgraph reads through @requires` });
        } else if (!named || has(named.directives, 'inaccessible')) {
          issues.push({ ...at(toldAs), code: 'OBTS_TOLD_AS_UNKNOWN_FIELD', element, message: `${element} is told as ${target?.kind === Kind.STRING ? `"${target.value}"` : 'nothing'}, which is not an API field of ${type} in this subgraph`, hint: `name a field of ${type} that is in the API, e.g. @${TOLD_AS_DIRECTIVE}(field: "${definition.fields?.find((f) => f !== field && !has(f.directives, 'inaccessible'))?.name.value ?? 'field'}")` });
        }
      }
      if (!checked || has(field.directives, 'external') || access.requires.length || access.publicReason !== undefined) continue;
      issues.push({
        ...at(field), code: 'OBTS_UNANNOTATED_FIELD', element,
        message: `${element} is a field of ${ROOT_TYPES.has(type) ? 'a root type' : `the entity ${type}`} with neither @obtsPermission nor @obtsPublic; it would be denied to every role`,
        hint: `add @obtsPermission(requires: "<permission>") naming a permission from gateway/auth/policy.ts (e.g. "${type === 'Offender' && field.name.value === 'sid' ? 'mni:read' : `${sdl.name}:read`}"), or @obtsPublic(reason: "…") if it carries no offender data`,
      });
    }
  }
  // A directive used but not composed never reaches the gateway: its fields would be denied there.
  const composed = new Set<string>();
  for (const definition of sdl.document.definitions) {
    if (definition.kind !== Kind.SCHEMA_EXTENSION && definition.kind !== Kind.SCHEMA_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'composeDirective') continue;
      const name = directive.arguments?.find((a) => a.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) composed.add(name.value.replace(/^@/, ''));
    }
  }
  for (const name of used) {
    if (composed.has(name)) continue;
    const link = name === TOLD_AS_DIRECTIVE ? `@link(url: "${ERRORS_LINK}", import: ["@${TOLD_AS_DIRECTIVE}"])` : `@link(url: "${PERMISSION_LINK}", import: ["@${PERMISSION_DIRECTIVE}", "@${PUBLIC_DIRECTIVE}"])`;
    issues.push({ code: 'OBTS_DIRECTIVE_NOT_COMPOSED', subgraph: sdl.name, file: sdl.file, line: 1, column: 1, element: `@${name}`, message: `the SDL uses @${name} but does not compose it, so the gateway would never see it`, hint: `add to \`extend schema\`: ${link} @composeDirective(name: "@${name}")` });
  }
  return issues;
}
