// Field permissions, enforced again inside each subgraph (defence in depth, CJIS Security
// Policy AC-3/AC-6): a field whose SDL carries `@obtsPermission(requires: "…")` resolves
// only when the identity the gateway signed (subgraphs/shared/trust.ts) holds that
// permission; otherwise it is null with a FORBIDDEN error at its path. The gateway already
// cuts such fields before planning (gateway/auth/enforce.ts); this check is what stands
// if the gateway is bypassed or wrong.
//
// Default deny (CJIS AC-3): every field of a root type or of an entity (a type with
// @key) must say either which permission it needs or, with `@obtsPublic(reason: "…")`,
// why it is open. Composition refuses a field that says neither (schema/annotations.ts);
// should one reach a running subgraph anyway, it is denied to every role.
//
// In-process calls (tests through executeOperation) carry no identity and are not checked:
// over HTTP the server refuses any request without a gateway-signed identity, so every
// network caller is checked.
import { defaultFieldResolver, GraphQLError, isObjectType, Kind, type ConstDirectiveNode, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { BaseContext } from './module.ts';

/** The directive's name, as each subgraph imports it with @link. */
export const PERMISSION_DIRECTIVE = 'obtsPermission';

/** The directive that marks a field open to every role on purpose, with the reason. */
export const PUBLIC_DIRECTIVE = 'obtsPublic';

/**
 * The directive that names the API field an error at a non-API field is told at (an
 * @inaccessible field another subgraph reads through @requires; gateway/errors.ts). Its own
 * @link (ERRORS_LINK), so only the subgraphs that use it define it.
 */
export const TOLD_AS_DIRECTIVE = 'obtsToldAs';

/** The @link of TOLD_AS_DIRECTIVE. */
export const ERRORS_LINK = 'https://obts.ct.gov/errors/v1.0';

/** The SDL every subgraph adds to use the directive (Federation 2 custom directive). */
export const PERMISSION_LINK = 'https://obts.ct.gov/permission/v1.0';

/** What an unannotated field "requires": no role grants it, so it is denied to all (fail closed). */
export const UNANNOTATED = 'obts:unannotated';

/** Root operation types: every field on them must be annotated. */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

/** What a field's directives say about access: the permissions it needs, or that it is public on purpose. */
export function fieldAccess(directives: readonly ConstDirectiveNode[] = []): { requires: string[]; publicReason?: string } {
  const argument = (directive: ConstDirectiveNode, name: string) => {
    const value = directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
    return value?.kind === Kind.STRING ? value.value : undefined;
  };
  const requires = directives.filter((d) => d.name.value === PERMISSION_DIRECTIVE).flatMap((d) => argument(d, 'requires') ?? []);
  const open = directives.find((d) => d.name.value === PUBLIC_DIRECTIVE);
  return open ? { requires, publicReason: argument(open, 'reason') ?? '' } : { requires };
}

/** True for a type whose every field must be annotated: a root type, or an entity (it has @key). */
function mustAnnotate(schema: GraphQLSchema, type: GraphQLObjectType): boolean {
  if ([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type)) return true;
  return [type.astNode, ...(type.extensionASTNodes ?? [])].some((node) => node?.directives?.some((d) => d.name.value === 'key'));
}

/** Wraps the resolver of every field that requires a permission; returns how many. */
export function enforceFieldPermissions(schema: GraphQLSchema): number {
  let wrapped = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const access = fieldAccess(field.astNode?.directives);
      const external = field.astNode?.directives?.some((d) => d.name.value === 'external');
      // Federation's own fields (_entities, _service) answer only what the fields under them allow.
      const unannotated = !access.requires.length && access.publicReason === undefined && !external && !field.name.startsWith('_') && mustAnnotate(schema, type);
      const requires = unannotated ? [UNANNOTATED] : access.requires;
      if (!requires.length) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: BaseContext, info) => {
        const identity = context?.identity;
        const lacking = identity ? requires.filter((permission) => !identity.permissions.includes(permission)) : [];
        if (lacking.includes(UNANNOTATED)) {
          throw new GraphQLError(`Not permitted: ${type.name}.${field.name} declares no @obtsPermission or @obtsPublic, so it is denied to every role (default deny)`, { extensions: { code: 'FORBIDDEN', requires: lacking } });
        }
        if (lacking.length) {
          throw new GraphQLError(`Not permitted: ${type.name}.${field.name} needs permission ${lacking.map((p) => `"${p}"`).join(', ')}`, { extensions: { code: 'FORBIDDEN', requires: lacking } });
        }
        return resolve(source, args, context, info);
      };
      wrapped += 1;
    }
  }
  return wrapped;
}
