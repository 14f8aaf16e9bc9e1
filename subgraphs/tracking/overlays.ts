// Overlays: conditions an officer meeting the person must know, whatever the stage.
// Each comes straight from one record's own status as its system gives it today.
import { ref, type Facts, type SourceRecord } from './facts.ts';

export type OverlayKind = 'ACTIVE_WARRANT' | 'PROTECTIVE_ORDER' | 'REGISTERED_SEX_OFFENDER' | 'ABSCONDER' | 'SUPERVISION_VIOLATION';

export interface Overlay {
  kind: OverlayKind;
  since: string | null;
  summary: string;
  record: SourceRecord;
}

const words = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** The overlays of a person, warrants first (the one an officer acts on at once). */
export function overlaysOf(facts: Facts): Overlay[] {
  const overlays: Overlay[] = [];
  // PRAWN: a warrant not yet served or vacated is outstanding (C.G.S. 54-2a).
  for (const w of facts.warrants.filter((w) => w.status === 'ACTIVE')) {
    overlays.push({ kind: 'ACTIVE_WARRANT', since: w.issuedDate, record: ref.warrant(w), summary: `Outstanding ${words(w.type)} warrant ${w.warrantNumber} issued ${w.issuedDate} on ${w.docketNumber}` });
  }
  // POR: an order in effect today (C.G.S. 54-63c, 46b-38c, 53a-40e, 46b-15); violating it is a crime (53a-223).
  for (const o of facts.orders.filter((o) => o.status === 'ACTIVE')) {
    overlays.push({ kind: 'PROTECTIVE_ORDER', since: o.issuedDate, record: ref.order(o), summary: `${capitalize(words(o.type))} order ${o.orderNumber} in effect until ${o.expirationDate}` });
  }
  // SOR: a registrant until the registration period ends (C.G.S. 54-251, 54-252).
  const r = facts.registration;
  if (r && r.status !== 'EXPIRED') {
    overlays.push({
      kind: 'REGISTERED_SEX_OFFENDER', since: r.registeredDate, record: ref.registration(r),
      summary: `Sex offender registrant ${r.registrationNumber} (${words(r.status)}, ${r.compliant ? 'compliant' : 'not compliant'}; address last verified ${r.lastVerifiedDate})`,
    });
  }
  // PCMS and Parole: absconding or a violation pending (C.G.S. 53a-32, 54-127).
  for (const p of facts.probation) {
    const latest = p.violations[p.violations.length - 1]?.date ?? null;
    if (p.status === 'ABSCONDED') overlays.push({ kind: 'ABSCONDER', since: latest, record: ref.probation(p), summary: `Absconded from probation ${p.caseNumber}${latest ? ` (reported ${latest})` : ''}` });
    if (p.status === 'VIOLATION') overlays.push({ kind: 'SUPERVISION_VIOLATION', since: latest, record: ref.probation(p), summary: `Probation violation pending on ${p.caseNumber}${latest ? ` (${latest})` : ''}` });
  }
  for (const p of facts.parole) {
    const changed = p.recordLastUpdated.slice(0, 10);
    if (p.status === 'ABSCONDED') overlays.push({ kind: 'ABSCONDER', since: changed, record: ref.parole(p), summary: `Absconded from parole ${p.caseNumber} (reported by ${changed})` });
    if (p.status === 'VIOLATION') overlays.push({ kind: 'SUPERVISION_VIOLATION', since: changed, record: ref.parole(p), summary: `Parole violation pending on ${p.caseNumber} (reported by ${changed})` });
  }
  return overlays;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
