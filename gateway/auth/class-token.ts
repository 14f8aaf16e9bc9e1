// Class tokens: the identities `npm run training -- class` issues to trainees (training/).
// Each carries a `training` claim naming the class, its trainer and the roles the class
// may switch among. They work only while the gateway runs in training mode, on synthetic
// stores; development and production refuse them, so a trainee's sign-in can never reach
// real criminal justice information (CJIS Security Policy AT-2: people in training are not
// yet certified users). In training mode a trainee may act as another role of the class
// by sending TRAINING_ROLE_HEADER; the audit log then records that role.
import type { JWTPayload } from 'jose';
import type { Mode } from '../config.ts';
import { isRole, ROLES } from './policy.ts';
import type { AuthResult } from './verify.ts';

export const TRAINING_CLAIM = 'training';
/** Header with the class role a trainee acts as (one of the class's roles). */
export const TRAINING_ROLE_HEADER = 'x-obts-training-role';

/** What a class token says about its class. */
export interface ClassClaim {
  /** Class id, e.g. c20261201-k3f9. */
  class: string;
  /** The trainer who issued it (their user id). */
  trainer: string;
  /** Roles the class may switch among. */
  roles: string[];
  /** The trainee's name on the roster, for the page banner. */
  name?: string;
}

export function classClaimOf(payload: JWTPayload | undefined): ClassClaim | undefined {
  const claim = payload?.[TRAINING_CLAIM] as Partial<ClassClaim> | undefined;
  return claim && typeof claim === 'object' ? claim as ClassClaim : undefined;
}

const refuse = (status: 401 | 403, reason: string, message: string): AuthResult => ({
  ok: false,
  refusal: status === 401 ? { status, code: 'UNAUTHENTICATED', reason, message } : { status, code: 'FORBIDDEN', reason, message },
});

/**
 * Checks a verified token for the class rules: `{ ok: true, roles }` (the roles to act
 * as; undefined for a token that is not a class token), or a refusal.
 */
export function checkClassToken(payload: JWTPayload, mode: Mode, roleHeader: string | undefined): { ok: true; roles?: string[] } | AuthResult & { ok: false } {
  const claim = classClaimOf(payload);
  if (!claim) {
    if (roleHeader) return refuse(403, 'not-a-class-token', `Header ${TRAINING_ROLE_HEADER} switches roles only for class tokens (npm run training -- class); this token's roles are fixed`) as AuthResult & { ok: false };
    return { ok: true };
  }
  if (mode !== 'training') {
    return refuse(401, 'class-token-outside-training', `This token was issued to a trainee of class "${claim.class}"; class tokens work only on a gateway in training mode (OBTS_MODE=training), never in ${mode} mode`) as AuthResult & { ok: false };
  }
  const classRoles = Array.isArray(claim.roles) ? claim.roles.filter((role) => typeof role === 'string' && isRole(role)) : [];
  if (typeof claim.class !== 'string' || !classRoles.length) {
    return refuse(401, 'invalid-class-token', 'Token claim "training" is not valid; expected { class, trainer, roles: [OBTS roles] } as `npm run training -- class` writes it') as AuthResult & { ok: false };
  }
  if (roleHeader === undefined || roleHeader === '') return { ok: true };
  if (!classRoles.includes(roleHeader)) {
    const known = isRole(roleHeader) ? `is not one of class "${claim.class}"'s roles` : 'is not an OBTS role';
    return refuse(403, 'role-not-in-class', `Role "${roleHeader}" ${known}; expected one of ${classRoles.join(', ')} (${Object.keys(ROLES).length} OBTS roles exist)`) as AuthResult & { ok: false };
  }
  return { ok: true, roles: [roleHeader] };
}

/** The refusal for an expired class token: the class is over, the trainer issues new ones. */
export function expiredClassToken(payload: JWTPayload | undefined): AuthResult | undefined {
  const claim = classClaimOf(payload);
  if (!claim) return undefined;
  const ended = new Date(Number(payload!.exp) * 1000).toISOString();
  return refuse(401, 'class-token-expired', `Class token for class "${claim.class}" expired at ${ended}; the class has ended — ask trainer ${claim.trainer} for a new sign-in code`);
}
