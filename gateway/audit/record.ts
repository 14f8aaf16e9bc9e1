// One audit record, and the hash chain that makes the log tamper-evident (CJIS Security
// Policy AU-3 content of audit records, AU-9 protection of audit information). Each record
// carries the hash of the one before; changing, removing or reordering any record breaks
// every hash after it, and `npm run audit -- verify` names the first broken one.
import { createHash } from 'node:crypto';

/** ok: answered in full; partial: some fields refused or failed; refused: nothing answered by policy; error: failed. */
export type AuditOutcome = 'ok' | 'partial' | 'refused' | 'error';

/**
 * What happened: a GraphQL operation, a request refused at the door, a read of this log, a
 * torn tail set aside by the store, a summary of refusals counted instead of written one by
 * one, or a statistical run (purpose R) recorded as one aggregate.
 */
export type AuditEvent = 'operation' | 'refused' | 'audit-read' | 'torn-write' | 'refusal-summary' | 'statistical';

/** What the gateway knows when it writes a record (AU-3: what, when, where, who, outcome). */
export interface AuditEntry {
  event: AuditEvent;
  /** ISO 8601 UTC to the millisecond: when the record was made (an operation's, as its answer left). */
  time: string;
  /** An operation's arrival, ISO 8601 UTC (records before 2026-12-03 have none). */
  receivedAt?: string;
  /** The gateway's own id for the request. */
  requestId: string;
  /** The client's x-request-id, kept beside the gateway's (never trusted as the key). */
  clientRequestId?: string | null;
  /** User id from the token; null when the token was missing or invalid. */
  user: string | null;
  ori: string | null;
  roles: string[];
  purpose: string | null;
  operationName: string | null;
  /** SHA-256 of the GraphQL document as sent (null when none was read). */
  documentHash: string | null;
  /** The document of a persisted query the client sent by hash only (at most 20 000 characters). */
  persistedDocument?: string;
  /** Bounded (variables.ts): at most 8 levels, 50 items, 512 characters a string. */
  variables: Record<string, unknown> | null;
  /** SHA-256 of the whole variables object (canonical JSON), when it was cut. */
  variablesHash?: string | null;
  variablesTruncated?: boolean;
  /** Subgraphs the gateway called for this request. */
  subgraphs: string[];
  /** Offender SIDs that appear in the answer (who was disclosed). */
  sids: string[];
  /**
   * Nonconviction information (C.G.S. 54-142g: pending or dismissed, nolled, not-guilty
   * matters) the answer disclosed, per person: the disclosure log 54-142h(c) asks for.
   */
  nonconviction?: { sid: string; what: string[] }[];
  outcome: AuditOutcome;
  /** Why, for refusals and errors (e.g. token-expired, FORBIDDEN). */
  reason: string | null;
  clientAddress: string | null;
}

/** A record as stored: the entry, its place in the chain, the previous hash and its own. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The "previous hash" of the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same bytes whatever the store did to key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of a record: SHA-256 over the previous hash and the canonical record without its own hash. */
export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** Links an entry after `previous` (or at the start of the log). */
export function chain(entry: AuditEntry, previous: { seq: number; hash: string } | null): AuditRecord {
  const linked = { ...entry, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...linked, hash: hashRecord(linked) };
}

/** Where the chain first breaks, or null when every record checks. */
export interface ChainBreak { seq: number | null; position: number; problem: string }

/**
 * Checks records in stored order. The first record may start after seq 1 when older
 * records were removed by retention (AU-11); its prevHash is then the anchor.
 */
export function verifyChain(records: Iterable<AuditRecord>): { count: number; firstSeq: number | null; broken: ChainBreak | null } {
  let previous: AuditRecord | null = null;
  let count = 0;
  let firstSeq: number | null = null;
  for (const record of records) {
    count += 1;
    const position = count;
    const fail = (problem: string) => ({ count, firstSeq, broken: { seq: typeof record?.seq === 'number' ? record.seq : null, position, problem } });
    if (!record || typeof record !== 'object' || typeof record.hash !== 'string') return fail('not an audit record');
    if (previous === null) {
      firstSeq = record.seq;
      if (record.seq === 1 && record.prevHash !== GENESIS_HASH) return fail('first record does not start the chain');
    } else {
      if (record.seq !== previous.seq + 1) return fail(`sequence jumps from ${previous.seq} to ${record.seq} (a record was removed or reordered)`);
      if (record.prevHash !== previous.hash) return fail(`previous-hash does not match record ${previous.seq} (a record was changed, removed or inserted)`);
    }
    const { hash, ...rest } = record;
    if (hashRecord(rest) !== hash) return fail('hash does not match the record content (the record was changed)');
    previous = record;
  }
  return { count, firstSeq, broken: null };
}
