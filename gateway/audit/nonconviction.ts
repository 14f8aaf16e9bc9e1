// Which nonconviction information an answer disclosed, per person (C.G.S. 54-142g defines
// it: a pending case, or charges nolled, dismissed or found not guilty; 54-142h(c) asks
// for a record of every disclosure: what, to whom, when). Read from the answer in the same
// walk that takes the audit's hidden SIDs out of it, so each item is tied to the person it
// is about. It records what the answer showed: a pending case whose status was not asked for is in the
// record's SIDs (who) but not listed here as pending (what).
import { AUDIT_SID_KEY } from './subjects.ts';

const NONCONVICTION_DISPOSITIONS = new Set(['NOLLE', 'DISMISSED', 'NOT_GUILTY']);

/**
 * Who an answer disclosed and which nonconviction information, in one walk over it: the
 * hidden SIDs (subjects.ts) are collected and removed, so the client sees exactly what it
 * asked for, and each nonconviction item is tied to the person it is about (the nearest
 * hidden SID above it; every Offender has one, subjects.ts). One pass, no arrays per
 * object: it runs on every answer.
 */
export function takeDisclosures(data: unknown): { hiddenSids: string[]; nonconviction: { sid: string; what: string[] }[] } {
  const hiddenSids = new Set<string>();
  const found = new Map<string, Set<string>>();
  const add = (sid: string | null, item: string) => {
    if (!sid) return;
    let items = found.get(sid);
    if (!items) found.set(sid, (items = new Set()));
    items.add(item);
  };
  const walk = (value: unknown, sid: string | null, docket: string | null): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') walk(item, sid, docket);
      return;
    }
    const record = value as Record<string, unknown>;
    let own: string | null = null;
    if (AUDIT_SID_KEY in record) {
      const hidden = record[AUDIT_SID_KEY];
      collectStrings(hidden, hiddenSids);
      own = firstSid(hidden);
      delete record[AUDIT_SID_KEY];
    }
    // Only the hidden key names a person: a `sid` in the answer may be any field a client aliased so.
    const person = own ?? sid;
    const number = typeof record.docketNumber === 'string' ? record.docketNumber : docket;
    const where = number ? `case ${number}` : 'a case';
    if (typeof record.docketNumber === 'string' && record.status === 'OPEN') add(person, `${where} pending`);
    if (typeof record.dispositionCode === 'string' && NONCONVICTION_DISPOSITIONS.has(record.dispositionCode)) add(person, `${where} charge ${record.count ?? record.statute ?? ''} ${record.dispositionCode}`.replace(/ {2,}/g, ' '));
    if (record.verdict === 'NOT_GUILTY') add(person, `${where} charge ${record.count ?? ''} verdict NOT_GUILTY`.replace(/ {2,}/g, ' '));
    const court = record.courtDisposition as { code?: unknown } | null | undefined;
    if (court && typeof court.code === 'string' && NONCONVICTION_DISPOSITIONS.has(court.code)) add(person, `arrest charge ${record.sequence ?? ''} ${court.code}`.replace(/ {2,}/g, ' '));
    for (const key in record) {
      const child = record[key];
      if (child && typeof child === 'object') walk(child, person, number);
    }
  };
  if (data && typeof data === 'object') walk(data, null, null);
  return {
    hiddenSids: [...hiddenSids],
    nonconviction: [...found].map(([sid, what]) => ({ sid, what: [...what].sort() })).sort((a, b) => a.sid.localeCompare(b.sid)),
  };
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value && typeof value === 'object') for (const key in value) collectStrings((value as Record<string, unknown>)[key], into);
}

function firstSid(hidden: unknown): string | null {
  if (typeof hidden === 'string') return hidden;
  if (!hidden || typeof hidden !== 'object') return null;
  for (const key in hidden) {
    const sid = firstSid((hidden as Record<string, unknown>)[key]);
    if (sid) return sid;
  }
  return null;
}
