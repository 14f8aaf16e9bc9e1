// Field permissions, enforced again inside each subgraph (defence in depth, CJIS Security
// Policy AC-3/AC-6): a field whose SDL carries `@obtsPermission(requires: "…")` resolves
// only when the identity the gateway signed (subgraphs/shared/trust.ts) holds that
// permission; otherwise it is null with a FORBIDDEN error at its path. The gateway already
// cuts such fields before planning (gateway/auth/enforce.ts); this check is what stands
// if the gateway is bypassed or wrong.
//
// In-process calls (tests through executeOperation) carry no identity and are not checked:
// over HTTP the server refuses any request without a gateway-signed identity, so every
// network caller is checked.
import { defaultFieldResolver, GraphQLError, isObjectType, Kind, type GraphQLSchema } from 'graphql';
import type { BaseContext } from './module.ts';

/** The directive's name, as each subgraph imports it with @link. */
export const PERMISSION_DIRECTIVE = 'obtsPermission';

/** The SDL every subgraph adds to use the directive (Federation 2 custom directive). */
export const PERMISSION_LINK = 'https://obts.ct.gov/permission/v1.0';

/** Wraps the resolver of every field that requires a permission; returns how many. */
export function enforceFieldPermissions(schema: GraphQLSchema): number {
  let wrapped = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const requires = (field.astNode?.directives ?? [])
        .filter((directive) => directive.name.value === PERMISSION_DIRECTIVE)
        .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'requires')?.value)
        .flatMap((value) => (value?.kind === Kind.STRING ? [value.value] : []));
      if (!requires.length) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: BaseContext, info) => {
        const identity = context?.identity;
        const lacking = identity ? requires.filter((permission) => !identity.permissions.includes(permission)) : [];
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
