// Who is asking: the identity the gateway establishes from the user's token and passes,
// signed, to each subgraph (subgraphs/shared/trust.ts). Subgraphs read it from their
// context to enforce field permissions again (CJIS Security Policy AC-3/AC-6) and to log.

/** CJIS purpose codes (NCIC Interstate Identification Index): why this request is made. */
export const PURPOSE_CODES = {
  C: 'criminal justice (investigation, prosecution, adjudication, custody, supervision)',
  D: 'domestic violence and stalking (civil or criminal protective orders)',
  E: 'other authorized employment (e.g. National Child Protection Act)',
  F: 'firearms and weapons permits or transfers',
  H: 'public housing',
  J: 'criminal justice employment',
  R: 'research and statistics (audited as one aggregate record of the population walked: gateway/audit/)',
  S: 'national security',
  V: 'visa and immigration',
} as const;

export type PurposeCode = keyof typeof PURPOSE_CODES;

export function isPurposeCode(value: unknown): value is PurposeCode {
  return typeof value === 'string' && Object.hasOwn(PURPOSE_CODES, value);
}

/** An authenticated, certified user making one request. */
export interface Identity {
  /** User id (token `sub`), as the identity provider knows the user. */
  userId: string;
  /** The user's agency: its NCIC Originating Agency Identifier, e.g. CT0064200. */
  ori: string;
  /** Roles granted on the user's CUAR (gateway/auth/policy.ts lists them). */
  roles: string[];
  /** Permissions the roles grant (computed by the gateway from its policy). */
  permissions: string[];
  /** Why this request is made. */
  purpose: PurposeCode;
  /** The gateway's request id, the same in every log and audit record of the request. */
  requestId: string;
  /** Until when the user's CJIS certification runs (ISO 8601): the notifications service stops deliveries after it. */
  certifiedUntil?: string;
}
