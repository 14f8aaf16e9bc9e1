// The nonconviction-information disclosure log (C.G.S. 54-142h(c): a record of every
// disclosure of nonconviction information, what was disclosed, to whom, and when), read
// per person from the audit records' `nonconviction` lists; the read is itself audited.
import type { AuditStore } from './store.ts';
import { readEntry } from './read.ts';

export interface Disclosure {
  time: string;
  /** The user it was disclosed to, their agency and purpose. */
  to: string | null;
  ori: string | null;
  purpose: string | null;
  /** What: e.g. "case H12M-CR19-0123456-S pending", "charge 53a-125 nolle". */
  what: string[];
  requestId: string;
}

export async function disclosuresOf(store: AuditStore, sid: string, user: string): Promise<Disclosure[]> {
  const disclosures = (await store.readAll()).flatMap((record) => {
    const entry = record.event === 'operation' || record.event === 'statistical' ? record.nonconviction?.find((candidate) => candidate.sid === sid) : undefined;
    return entry ? [{ time: record.time, to: record.user, ori: record.ori, purpose: record.purpose, what: entry.what, requestId: record.requestId }] : [];
  });
  await store.append(readEntry(user, 'disclosures', { sid }, 'ok', null));
  return disclosures;
}
