// Who may see what: the role → permissions policy, in one place (CJIS Security Policy
// AC-2 account management, AC-6 least privilege). A user's CUAR grants roles; each role
// grants permissions, named `<source system>:<field class>`. Fields carry the permission
// they need in the subgraph SDL (`@obtsPermission(requires: "…")`). Default deny: a
// permission no role lists here is granted to nobody, and an unknown role is refused.

/** Every permission a field may require, with what it opens. */
export const PERMISSIONS = {
  'mni:read': 'MNI identity: names, aliases, date of birth, descriptors, FBI number',
  'cch:read': 'CCH criminal history: arrests, arrest charges and their dispositions',
  'sor:read': 'SOR registration status and dates',
  'sor:home-address': "SOR registrant's home address",
  'ccms:read': 'CCMS court cases, charges, hearings, bonds, sentences',
  'ccms:youthful-offender': 'sealed youthful-offender matters (C.G.S. 54-76l)',
  'cib:read': 'CIB infractions',
  'prawn:read': 'PRAWN re-arrest warrants',
  'por:read': 'POR protective orders: type, status, dates, conditions',
  'por:protected-person': 'POR protected-person details: names, dates of birth, relationships (and the text of parole case notes that name a victim)',
  'pcms:read': 'PCMS probation cases and violations',
  'omis:read': 'OMIS incarcerations, facilities and movements',
  'stc:read': 'STC sentence and time calculations (release dates)',
  'parole:read': 'Parole supervision cases',
  'parole:case-notes': "Parole officers' case notes",
  'audit:read': 'the OBTS audit log (who viewed whom)',
  'events:read': 'agency change feeds (identifiers only), for OBTS services: never a human role',
  'notifications:subscribe': 'subscribe to change notifications (delivered only for systems the role may see)',
  // new-subgraph: permissions above this line (a new one is granted to no role until ROLES lists it)
} as const;

export type Permission = keyof typeof PERMISSIONS;

// Private: shared grants, so each role below reads as "base plus what differs".
const HISTORY: Permission[] = ['mni:read', 'cch:read', 'ccms:read', 'cib:read', 'prawn:read', 'por:read', 'pcms:read', 'omis:read', 'stc:read', 'parole:read', 'sor:read', 'notifications:subscribe'];

/** Role → what it grants. A role not listed here is refused (403) at the door. */
export const ROLES: Record<string, { description: string; permissions: Permission[] }> = {
  'law-enforcement': {
    description: 'police officer or investigator (serves protective orders, checks registrants)',
    permissions: [...HISTORY, 'sor:home-address', 'por:protected-person'],
  },
  prosecutor: {
    description: "Division of Criminal Justice prosecutor or inspector",
    permissions: [...HISTORY, 'sor:home-address', 'por:protected-person', 'ccms:youthful-offender'],
  },
  court: {
    description: 'judge, clerk or bail commissioner (Judicial Branch)',
    permissions: [...HISTORY, 'por:protected-person', 'ccms:youthful-offender'],
  },
  probation: {
    description: 'CSSD probation officer',
    permissions: [...HISTORY, 'sor:home-address', 'por:protected-person'],
  },
  parole: {
    description: 'DOC parole officer',
    permissions: [...HISTORY, 'sor:home-address', 'parole:case-notes'],
  },
  correction: {
    description: 'DOC facility or records staff',
    permissions: [...HISTORY],
  },
  'victim-services': {
    description: 'Office of Victim Services advocate (release dates, protective orders)',
    permissions: ['mni:read', 'ccms:read', 'por:read', 'por:protected-person', 'omis:read', 'stc:read', 'notifications:subscribe'],
  },
  analyst: {
    description: 'criminal justice analyst: histories, no protected details',
    permissions: [...HISTORY],
  },
  trainer: {
    description: 'CJIS trainer demonstrating OBTS (synthetic data in training mode)',
    permissions: [...HISTORY],
  },
  auditor: {
    description: 'CJIS auditor: reads the audit log, no offender data',
    permissions: ['audit:read'],
  },
  // Issue 9: the identity of OBTS's own services (relays, erasure propagation,
  // notifications) reading the agencies' change feeds; it opens no offender field.
  'event-consumer': {
    description: 'OBTS service reading agency change feeds (not for people)',
    permissions: ['events:read'],
  },
};

export function isRole(role: string): boolean {
  return Object.hasOwn(ROLES, role);
}

/** Union of what the roles grant, sorted; roles must already be known. */
export function permissionsFor(roles: readonly string[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLES[role]?.permissions ?? []) granted.add(permission);
  return [...granted].sort();
}

/** True when the permission is granted (unknown permissions never are: default deny). */
export function allows(permissions: readonly string[], required: string): boolean {
  return Object.hasOwn(PERMISSIONS, required) && permissions.includes(required);
}

// Dissemination by purpose (C.G.S. 54-142k): which purpose codes receive nonconviction
// information. The rule is data beside the purpose codes, so each subgraph enforces it on
// the purpose the gateway signs (subgraphs/<agency>/dissemination.ts); SECURITY.md explains it.
export { DISSEMINATION_BY_PURPOSE, disseminationFor, type Dissemination } from '../../subgraphs/shared/dissemination.ts';
