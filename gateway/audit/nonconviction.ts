// Which nonconviction information an answer disclosed, per person (C.G.S. 54-142g defines
// it: a pending case, or charges nolled, dismissed or found not guilty; 54-142h(c) asks
// for a record of every disclosure: what, to whom, when). Read from the answer before the
// audit's hidden SIDs are removed, so each item is tied to the person it is about. It
// records what the answer showed: a pending case whose status was not asked for is in the
// record's SIDs (who) but not listed here as pending (what).
import { AUDIT_SID_KEY } from './subjects.ts';

const NONCONVICTION_DISPOSITIONS = new Set(['NOLLE', 'DISMISSED', 'NOT_GUILTY']);

export function nonconvictionDisclosed(data: unknown): { sid: string; what: string[] }[] {
  const found = new Map<string, Set<string>>();
  const add = (sid: string | null, item: string) => {
    if (!sid) return;
    if (!found.has(sid)) found.set(sid, new Set());
    found.get(sid)!.add(item);
  };
  const walk = (value: unknown, sid: string | null, docket: string | null): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, sid, docket));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const hidden = record[AUDIT_SID_KEY];
    const own = typeof hidden === 'string' ? hidden : firstSid(hidden);
    const person = own ?? (typeof record.sid === 'string' ? record.sid : sid);
    const number = typeof record.docketNumber === 'string' ? record.docketNumber : docket;
    const where = number ? `case ${number}` : 'a case';
    if (typeof record.docketNumber === 'string' && record.status === 'OPEN') add(person, `${where} pending`);
    if (typeof record.dispositionCode === 'string' && NONCONVICTION_DISPOSITIONS.has(record.dispositionCode)) add(person, `${where} charge ${record.count ?? record.statute ?? ''} ${record.dispositionCode}`.replace(/ {2,}/g, ' '));
    if (record.verdict === 'NOT_GUILTY') add(person, `${where} charge ${record.count ?? ''} verdict NOT_GUILTY`.replace(/ {2,}/g, ' '));
    const court = record.courtDisposition as { code?: unknown } | null | undefined;
    if (court && typeof court.code === 'string' && NONCONVICTION_DISPOSITIONS.has(court.code)) add(person, `arrest charge ${record.sequence ?? ''} ${court.code}`.replace(/ {2,}/g, ' '));
    for (const [key, child] of Object.entries(record)) if (key !== AUDIT_SID_KEY) walk(child, person, number);
  };
  walk(data, null, null);
  return [...found].map(([sid, what]) => ({ sid, what: [...what].sort() })).sort((a, b) => a.sid.localeCompare(b.sid));
}

function firstSid(hidden: unknown): string | null {
  if (typeof hidden === 'string') return hidden;
  if (!hidden || typeof hidden !== 'object') return null;
  for (const value of Object.values(hidden)) {
    const sid = firstSid(value);
    if (sid) return sid;
  }
  return null;
}
