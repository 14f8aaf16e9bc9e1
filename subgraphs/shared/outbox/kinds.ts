// What a change-log row says happened: the kinds every agency's triggers write, one list
// for all three stores, the GraphQL enum ChangeKind and the notifications service.
// Identifiers only ride with a kind (record key, SID, docket): never names or narrative.

export const CHANGE_KINDS = [
  'IDENTIFICATION', 'ARREST', 'DISPOSITION', 'REGISTRATION', 'REGISTRATION_CHANGE',
  'ARRAIGNMENT', 'CASE_STATUS', 'SENTENCE', 'INFRACTION',
  'WARRANT_ISSUED', 'WARRANT_SERVED', 'WARRANT_VACATED',
  'ORDER_ISSUED', 'ORDER_MODIFIED', 'ORDER_VACATED',
  'PROBATION_START', 'PROBATION_VIOLATION', 'PROBATION_END',
  'ADMISSION', 'TRANSFER', 'RELEASE', 'TIME_CALCULATION',
  'PAROLE_START', 'PAROLE_VIOLATION', 'PAROLE_END',
  'ERASURE',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export function isChangeKind(value: unknown): value is ChangeKind {
  return typeof value === 'string' && (CHANGE_KINDS as readonly string[]).includes(value);
}

/** One row of an agency's change log, as its feed serves it. */
export interface ChangeEvent {
  /** The agency feed (subgraph name): with `sequence`, the event's identity. */
  feed: string;
  sequence: number;
  /** When the change was written, ISO 8601 UTC. */
  time: string;
  /** Source system, e.g. CCMS, PRAWN, MNI/CCH, OMIS. */
  system: string;
  kind: ChangeKind;
  /** The record's own key in its system (docket, warrant number, OTN, inmate-admission…). */
  key: string;
  sid: string | null;
  /** The docket the record belongs to, canonical form, when it has one. */
  docketNumber: string | null;
}
