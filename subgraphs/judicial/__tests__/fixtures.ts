// Test data for the Judicial store and subgraph: generated stories plus one person whose
// every case is erased (C.G.S. 54-142a), with warrants, orders and probation tied to those
// dockets, and what the contract should show for each story, computed from the stories
// themselves (never from the store).
import { generateStories } from '../../../seed/generate.ts';
import type { OffenderStory, PersonName } from '../../../seed/story.ts';

/** The GraphQL enum value of a story value: 'AWAITING SENTENCE' → AWAITING_SENTENCE. */
export const enumValue = (value: string): string => value.toUpperCase().replace(/[ -]/g, '_');

/** A generated population, plus an all-erased person (sid 000999999) cloned from one with probation. */
export function judicialStories(offenders = 50, seed = 2024): OffenderStory[] {
  const stories = generateStories({ offenders, seed });
  const donor = stories.find((s) => s.probations.length > 0 && s.warrants.length > 0) ?? stories.find((s) => s.probations.length > 0)!;
  return [...stories, erasedClone(donor)];
}

export const ERASED_SID = '000999999';

// Private: the donor's records under new numbers, with every case erased.
function erasedClone(donor: OffenderStory): OffenderStory {
  const docket = (d: string) => d.replace(/-S$/, '-E');
  const serial = (n: string) => n.replace(/-\d(\d{6})$/, '-9$1');
  const clone: OffenderStory = JSON.parse(JSON.stringify(donor));
  clone.person.sid = ERASED_SID;
  clone.cases.forEach((c) => { c.docketNumber = docket(c.docketNumber); c.erased = true; });
  clone.warrants.forEach((w) => { w.docketNumber = docket(w.docketNumber); w.warrantNumber = serial(w.warrantNumber); });
  clone.protectiveOrders = clone.protectiveOrders.filter((o) => o.docketNumber !== null);
  clone.protectiveOrders.forEach((o) => { o.docketNumber = docket(o.docketNumber!); o.orderNumber = serial(o.orderNumber); });
  clone.probations.forEach((p) => { p.docketNumber = docket(p.docketNumber); p.caseNumber = serial(p.caseNumber); });
  clone.infractions = [];
  return clone;
}

/** Dockets erased under C.G.S. 54-142a in these stories. */
export function erasedDockets(stories: OffenderStory[]): Set<string> {
  return new Set(stories.flatMap((s) => s.cases.filter((c) => c.erased).map((c) => c.docketNumber)));
}

const byNewest = <T>(date: (x: T) => string, id: (x: T) => string) => (a: T, b: T) =>
  date(b).localeCompare(date(a)) || (id(b) < id(a) ? -1 : id(b) > id(a) ? 1 : 0);

/** The cases the contract shows for a story, newest arraignment first. */
export function expectedCases(story: OffenderStory) {
  return story.cases.filter((c) => !c.erased).map((c) => ({
    docketNumber: c.docketNumber,
    sid: story.person.sid,
    court: { code: c.court, name: c.courtName },
    arrestDate: c.arrest.date,
    arraignmentDate: c.arraignmentDate,
    status: enumValue(c.status),
    trackingNumber: c.arrest.trackingNumber,
    sentence: c.sentence && { ...c.sentence, type: enumValue(c.sentence.type) },
    bond: { ...c.bond, type: enumValue(c.bond.type) },
    nextHearing: c.nextHearing,
    recordLastUpdated: new Date(c.lastUpdated).toISOString(),
  })).sort(byNewest((c) => c.arraignmentDate, (c) => c.docketNumber));
}

/** The counts of a case as the contract shows them. */
export function expectedCharges(story: OffenderStory, docketNumber: string) {
  const kase = story.cases.find((c) => c.docketNumber === docketNumber)!;
  return kase.charges.map((ch) => ({
    docketNumber,
    count: ch.count,
    statute: ch.offense.statute,
    description: ch.offense.description,
    offenseClass: ch.offense.offenseClass,
    familyViolence: ch.offense.familyViolence,
    plea: ch.plea ? enumValue(ch.plea) : null,
    pleaDate: ch.pleaDate,
    verdict: ch.verdict ? enumValue(ch.verdict) : null,
    verdictDate: ch.verdictDate,
    dispositionCode: ch.disposition ? enumValue(ch.disposition) : null,
    dispositionDate: ch.dispositionDate,
  }));
}

/** The warrants the contract shows for a story (none on erased dockets), newest first. */
export function expectedWarrants(story: OffenderStory, erased: Set<string>, courtNames: Map<string, string>) {
  return story.warrants.filter((w) => !erased.has(w.docketNumber)).map((w) => ({
    warrantNumber: w.warrantNumber,
    sid: story.person.sid,
    type: enumValue(w.type),
    status: enumValue(w.status),
    issuedDate: w.issuedDate,
    closedDate: w.closedDate,
    court: { code: w.court, name: courtNames.get(w.court) ?? null },
    docketNumber: w.docketNumber,
    bondAmount: w.bondAmount,
    recordLastUpdated: new Date(w.lastUpdated).toISOString(),
  })).sort(byNewest((w) => w.issuedDate, (w) => w.warrantNumber));
}

/** The orders the contract shows for a story (none from erased cases), newest first. */
export function expectedOrders(story: OffenderStory, erased: Set<string>, courtNames: Map<string, string>) {
  return story.protectiveOrders.filter((o) => !o.docketNumber || !erased.has(o.docketNumber)).map((o) => ({
    orderNumber: o.orderNumber,
    sid: story.person.sid,
    type: enumValue(o.type),
    issuedDate: o.issuedDate,
    expirationDate: o.expirationDate,
    modifiedDate: o.modifiedDate,
    vacatedDate: o.vacatedDate,
    court: { code: o.court, name: courtNames.get(o.court) ?? null },
    docketNumber: o.docketNumber,
    conditions: o.conditions,
    recordLastUpdated: new Date(o.lastUpdated).toISOString(),
  })).sort(byNewest((o) => o.issuedDate, (o) => o.orderNumber));
}

/** "LAST, FIRST MIDDLE SUFFIX". */
export const registryName = (n: PersonName) => `${n.last}, ${[n.first, n.middle, n.suffix].filter(Boolean).join(' ')}`;

/** The infraction tickets of a story, newest first. */
export function expectedInfractions(story: OffenderStory) {
  return story.infractions.map((t) => ({
    ticketNumber: t.ticketNumber, sid: story.person.sid, date: t.date, statute: t.statute, description: t.description,
    amount: t.amount, status: t.status, issuingAgencyOri: t.issuingOri,
  })).sort(byNewest((t) => t.date, (t) => t.ticketNumber));
}

/** The probation cases of a story (none on erased dockets), newest start first. */
export function expectedProbation(story: OffenderStory, erased: Set<string>) {
  return story.probations.filter((p) => !erased.has(p.docketNumber)).map((p) => ({
    caseNumber: p.caseNumber, sid: story.person.sid, docketNumber: p.docketNumber, status: p.status, startDate: p.startDate,
    scheduledEndDate: p.scheduledEndDate, endDate: p.endDate, officer: p.officer, office: p.office, conditions: p.conditions,
    violations: p.violations, recordLastUpdated: new Date(p.lastUpdated).toISOString(),
  })).sort(byNewest((p) => p.startDate, (p) => p.caseNumber));
}

/** Court code → name, from the cases in the stories (the Branch's court list). */
export function courtNamesOf(stories: OffenderStory[]): Map<string, string> {
  return new Map(stories.flatMap((s) => s.cases.map((c) => [c.court, c.courtName] as [string, string])));
}
