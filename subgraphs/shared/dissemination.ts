// Dissemination by purpose (C.G.S. 54-142k; CJIS Security Policy 4.2, III purpose codes):
// criminal history record information goes in full only to a criminal-justice purpose.
// For any other purpose (employment, housing, firearms, national security, visa…) only
// conviction information may be disclosed: that a person pleaded guilty or nolo contendere
// to, or was convicted of, an offense, and the terms of the sentence (54-142g(b)).
// Nonconviction information is withheld: pending cases, charges nolled, dismissed or found
// not guilty, arrests without a conviction, warrants, pretrial custody (54-142g(c)).
//
// This is policy data: the gateway lists it with the roles (gateway/auth/policy.ts), and
// each subgraph enforces it on the purpose in the gateway-signed identity, as it enforces
// field permissions (subgraphs/<agency>/dissemination.ts). Default deny: a purpose code
// not named as criminal justice below (including one added later) gets conviction
// information only.
import type { Identity, PurposeCode } from './identity.ts';

/** What a request may receive: everything, or conviction information only. */
export type Dissemination = 'criminal-justice' | 'conviction-only';

/** Each purpose code and what it receives, with why (SECURITY.md explains each one). */
// Partial on purpose: a purpose code added to identity.ts without a line here is conviction-only.
export const DISSEMINATION_BY_PURPOSE: Partial<Record<PurposeCode, { receives: Dissemination; why: string }>> = {
  C: { receives: 'criminal-justice', why: 'administration of criminal justice: investigation, prosecution, adjudication, custody, supervision' },
  D: { receives: 'criminal-justice', why: 'domestic violence and stalking: a criminal justice agency or court acting on a protective order' },
  E: { receives: 'conviction-only', why: 'other authorized employment or licensing check (non-criminal-justice, 54-142k(b))' },
  F: { receives: 'conviction-only', why: 'firearms permit or transfer check (non-criminal-justice)' },
  H: { receives: 'conviction-only', why: 'public housing applicant check (non-criminal-justice)' },
  J: { receives: 'conviction-only', why: 'criminal justice employment: screening an applicant, not acting on a case' },
  R: { receives: 'criminal-justice', why: 'research and statistics under an agreement (28 CFR 20.21(b)(4)): reports count pending and nonconviction outcomes; the audit keeps one aggregate record of the population walked' },
  S: { receives: 'conviction-only', why: 'national security background check (non-criminal-justice)' },
  V: { receives: 'conviction-only', why: 'visa and immigration check (non-criminal-justice)' },
};

/** What this purpose receives; an unknown or missing purpose gets conviction information only. */
export function disseminationFor(purpose: string | undefined): Dissemination {
  const rule = purpose !== undefined && Object.hasOwn(DISSEMINATION_BY_PURPOSE, purpose) ? DISSEMINATION_BY_PURPOSE[purpose as PurposeCode] : undefined;
  return rule?.receives ?? 'conviction-only';
}

/**
 * What one subgraph request may receive. In-process calls without an identity (tests
 * through executeOperation) are not restricted, like field permissions: over HTTP every
 * request carries the gateway's identity.
 */
export function requestDissemination(identity: Identity | undefined): Dissemination {
  return identity ? disseminationFor(identity.purpose) : 'criminal-justice';
}

/** The court outcome of one charge, in the words both CCMS and CCH use. */
export interface ChargeOutcome {
  /** Final disposition: CONVICTED, NOLLE, DISMISSED, NOT_GUILTY (null: none yet). */
  disposition: string | null;
  verdict?: string | null;
  plea?: string | null;
}

/**
 * Whether a charge is conviction information (54-142g(b)): convicted, or, before the final
 * disposition, a guilty verdict or a plea of guilty or nolo contendere. A charge nolled,
 * dismissed or found not guilty never is, whatever the plea was.
 */
export function isConviction(charge: ChargeOutcome): boolean {
  if (charge.disposition !== null) return charge.disposition === 'CONVICTED';
  return charge.verdict === 'GUILTY' || charge.plea === 'GUILTY' || charge.plea === 'NOLO_CONTENDERE';
}
