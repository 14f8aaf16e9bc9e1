// The timeline: every dated event in a person's records across the agencies, each with
// the record it comes from and one line an analyst can read, and the page the
// `timeline` field returns (filtered by date and kind, keyset-paged by the event's
// position). Events are derived on each request from the records read; none is stored.
import { ref, type CaseFact, type ChargeFact, type Facts, type SourceRecord } from './facts.ts';

/** The kinds, in the order events of one day are told (a day's arrest before its arraignment). */
export const EVENT_KINDS = [
  'ARREST', 'ARRAIGNMENT', 'PLEA', 'VERDICT', 'DISPOSITION', 'SENTENCE',
  'WARRANT_ISSUED', 'WARRANT_SERVED', 'WARRANT_VACATED',
  'ORDER_ISSUED', 'ORDER_MODIFIED', 'ORDER_EXPIRED', 'ORDER_VACATED',
  'ADMISSION', 'TRANSFER', 'RELEASE',
  'PROBATION_START', 'PROBATION_VIOLATION', 'PROBATION_END',
  'PAROLE_START', 'PAROLE_VIOLATION', 'PAROLE_END',
  'REGISTRATION', 'VERIFICATION',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface TimelineEvent {
  date: string;
  kind: EventKind;
  source: SourceRecord;
  docketNumber: string | null;
  summary: string;
  /** Position in the timeline: date, kind order, system, key, detail (unique, sortable). */
  position: string;
}

const words = (value: string) => value.toLowerCase().replace(/_/g, ' ');

function event(date: string, kind: EventKind, source: SourceRecord, docketNumber: string | null, summary: string, detail = ''): TimelineEvent {
  const order = String(EVENT_KINDS.indexOf(kind)).padStart(2, '0');
  return { date, kind, source, docketNumber, summary, position: `${date}|${order}|${source.system}|${source.key}|${detail}` };
}

/** Every event in the records, oldest first. */
export function timelineOf(facts: Facts): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const a of facts.arrests) {
    events.push(event(a.date, 'ARREST', ref.arrest(a), null, `Arrested by ${a.arrestingAgencyName}: ${a.charges.map((c) => c.description).join('; ') || 'no charges recorded'} (OTN ${a.trackingNumber})`));
  }
  for (const c of facts.cases) events.push(...caseEvents(c));
  for (const w of facts.warrants) {
    const source = ref.warrant(w);
    events.push(event(w.issuedDate, 'WARRANT_ISSUED', source, w.docketNumber, `${capitalize(words(w.type))} warrant ${w.warrantNumber} issued on ${w.docketNumber}`));
    if (w.closedDate && w.status !== 'ACTIVE') {
      events.push(event(w.closedDate, w.status === 'SERVED' ? 'WARRANT_SERVED' : 'WARRANT_VACATED', source, w.docketNumber, `Warrant ${w.warrantNumber} ${words(w.status)}`));
    }
  }
  for (const o of facts.orders) {
    const source = ref.order(o);
    events.push(event(o.issuedDate, 'ORDER_ISSUED', source, o.docketNumber, `${capitalize(words(o.type))} order ${o.orderNumber} issued, in effect until ${o.expirationDate}`));
    if (o.modifiedDate) events.push(event(o.modifiedDate, 'ORDER_MODIFIED', source, o.docketNumber, `Order ${o.orderNumber} conditions modified`));
    if (o.vacatedDate && o.status === 'VACATED') events.push(event(o.vacatedDate, 'ORDER_VACATED', source, o.docketNumber, `Order ${o.orderNumber} vacated by the court`));
    if (o.status === 'EXPIRED') events.push(event(o.expirationDate, 'ORDER_EXPIRED', source, o.docketNumber, `Order ${o.orderNumber} expired (last day in effect)`));
  }
  for (const c of facts.custody) {
    const source = ref.custody(c);
    events.push(event(c.admissionDate, 'ADMISSION', source, c.docketNumber, `Admitted to DOC custody at ${c.movements[0]?.toFacility.code ?? c.facility.code}, inmate ${c.inmateNumber}, on ${c.docketNumber}`));
    c.movements.forEach((m, i) => {
      if (m.reason === 'TRANSFER') events.push(event(m.date, 'TRANSFER', source, c.docketNumber, `Transferred from ${m.fromFacility?.code ?? 'unknown'} to ${m.toFacility.code}`, String(i).padStart(3, '0')));
    });
    if (c.releaseDate) {
      events.push(event(c.releaseDate, 'RELEASE', source, c.docketNumber, `Released from DOC custody (${words(c.releaseType ?? c.status)}), inmate ${c.inmateNumber}`));
    }
  }
  for (const p of facts.probation) {
    const source = ref.probation(p);
    events.push(event(p.startDate, 'PROBATION_START', source, p.docketNumber, `Probation ${p.caseNumber} began, scheduled to end ${p.scheduledEndDate}`));
    p.violations.forEach((v, i) => events.push(event(v.date, 'PROBATION_VIOLATION', source, p.docketNumber, `Probation violation: ${v.description}`, String(i).padStart(3, '0'))));
    if (p.endDate) events.push(event(p.endDate, 'PROBATION_END', source, p.docketNumber, `Probation ${p.caseNumber} ended (${words(p.status)})`));
  }
  for (const p of facts.parole) {
    const source = ref.parole(p);
    events.push(event(p.startDate, 'PAROLE_START', source, null, `Parole ${p.caseNumber} began, scheduled to end ${p.scheduledEndDate}`));
    // Parole keeps no violation date outside its case notes: the status change is dated by the record's change stamp.
    if (p.status === 'VIOLATION' || p.status === 'ABSCONDED') {
      events.push(event(p.recordLastUpdated.slice(0, 10), 'PAROLE_VIOLATION', source, null, `Parole ${p.caseNumber} ${p.status === 'ABSCONDED' ? 'absconder' : 'violation'} reported`));
    }
    if (p.endDate) events.push(event(p.endDate, 'PAROLE_END', source, null, `Parole ${p.caseNumber} ended (${words(p.status)})`));
  }
  const r = facts.registration;
  if (r) {
    events.push(event(r.registeredDate, 'REGISTRATION', ref.registration(r), null, `Registered with the Sex Offender Registry (${r.registrationNumber})${r.expirationDate ? `, until ${r.expirationDate}` : ', for life'}`));
    events.push(event(r.lastVerifiedDate, 'VERIFICATION', ref.registration(r), null, `Registrant address verified (${words(r.status)})`));
  }
  return events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}

// Private: a court case's events; counts that share a kind and a date make one event.
function caseEvents(c: CaseFact): TimelineEvent[] {
  const source = ref.case(c);
  const counts = c.charges.length;
  const events = [event(c.arraignmentDate, 'ARRAIGNMENT', source, c.docketNumber, `Arraigned on ${counts} count${counts === 1 ? '' : 's'}: ${c.charges.map((ch) => ch.description).join('; ')}`)];
  const grouped = (kind: EventKind, label: string, pick: (ch: ChargeFact) => [string | null, string | null]) => {
    const byDate = new Map<string, string[]>();
    for (const ch of c.charges) {
      const [date, value] = pick(ch);
      if (date && value) byDate.set(date, [...(byDate.get(date) ?? []), `count ${ch.count} ${words(value)}`]);
    }
    for (const [date, parts] of byDate) events.push(event(date, kind, source, c.docketNumber, `${label}: ${parts.join('; ')}`));
  };
  grouped('PLEA', 'Plea', (ch) => [ch.pleaDate, ch.plea]);
  grouped('VERDICT', 'Verdict', (ch) => [ch.verdictDate, ch.verdict]);
  grouped('DISPOSITION', 'Disposed', (ch) => [ch.dispositionDate, ch.dispositionCode]);
  const s = c.sentence;
  if (s) {
    const executed = s.termDays - s.suspendedDays;
    const parts = [
      s.termDays ? `${s.termDays} days${s.suspendedDays ? `, ${s.suspendedDays} suspended` : ''}` : null,
      executed > 0 ? `${executed} to serve` : null,
      s.probationMonths ? `${s.probationMonths} months probation` : null,
    ].filter(Boolean);
    events.push(event(s.date, 'SENTENCE', source, c.docketNumber, `Sentenced (${words(s.type)})${parts.length ? `: ${parts.join(', ')}` : ''}`));
  }
  return events;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
